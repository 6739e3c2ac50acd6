// The one interpreter of the match log: the live room, a restart, the record, the exports and the replay all apply entries here.
import type { TurnEvent } from '../engine/state.ts';
import { resolveTurn } from '../engine/resolve.ts';
import { propose, respond } from '../engine/diplomacy.ts';
import { injectEvent } from '../engine/deck.ts';
import { concludeEarly } from '../engine/endings.ts';
import type { StoredEntry } from './log.ts';
import { nextLead, type Match } from './match.ts';
import { deadlineEvents, teamChanges } from './team.ts';
import type { Phase } from './phases.ts';
import { withTurns } from './lesson.ts';

/** A log `apply` refuses: the entry at `seq` cannot have been accepted from the match before it. */
export class MatchLogError extends Error {
  readonly seq: number;
  constructor(seq: number, message: string) {
    super(`corrupted match log at seq ${seq}: ${message}`);
    this.name = 'MatchLogError';
    this.seq = seq;
  }
}

/**
 * Applies one stored entry to the match, in place, and returns the events it caused. Deterministic: the same
 * settings, rules, seed and entries always give the same match; no clock is read (an entry's `at` is only copied
 * into chat and the record). Engine entries (propose, respond, inject, resolve) must be for the state's turn.
 */
export function apply(m: Match, stored: StoredEntry): TurnEvent[] {
  const { seq, at, entry } = stored;
  if (!(seq > m.lastSeq)) throw new MatchLogError(seq, `entries are out of order (seq ${seq} after ${m.lastSeq})`);
  m.lastSeq = seq;
  const fail = (why: string): never => { throw new MatchLogError(seq, `${entry.kind}: ${why}`); };
  const sameTurn = (turn: number) => { if (turn !== m.state.turn) fail(`the entry is for turn ${turn} but the match is at turn ${m.state.turn}`); };
  const team = (role: string) => m.teams[role] ?? fail(`there is no role "${role}"`);
  switch (entry.kind) {
    case 'person': {
      const known = m.people.get(entry.personId);
      const waiting = entry.waiting === true;
      m.people.set(entry.personId, {
        id: entry.personId, name: entry.name, role: entry.role, spectator: entry.spectator, tokenHash: entry.tokenHash, deviceHash: entry.deviceHash ?? null, removed: false,
        agent: entry.agent === true, joinedAt: known?.joinedAt ?? at, connected: known?.connected ?? false,
        // a seated person with no role found every team full: they wait in the queue for a seat
        waiting, queued: !waiting && entry.role === null, wanted: entry.wanted ?? entry.role, muted: known?.muted ?? false,
      });
      // the first to join a team leads it
      if (entry.role && m.teams[entry.role] && !m.teams[entry.role].lead) m.teams[entry.role].lead = entry.personId;
      return [];
    }
    case 'seat': {
      const p = m.people.get(entry.personId);
      if (p) {
        const from = p.role;
        p.role = entry.role; p.spectator = entry.role === null;
        // seated, or moved out to watch by the facilitator: either way no longer in the queue
        p.queued = false;
        if (from && m.teams[from]?.lead === p.id) m.teams[from].lead = nextLead(m, from);
        if (entry.role && m.teams[entry.role] && !m.teams[entry.role].lead) m.teams[entry.role].lead = p.id;
      }
      return [];
    }
    case 'remove': {
      const p = m.people.get(entry.personId);
      if (p && entry.undo) p.removed = false;
      else if (p) {
        p.removed = true; p.connected = false;
        if (p.role && m.teams[p.role]?.lead === p.id) m.teams[p.role].lead = nextLead(m, p.role);
      }
      return [];
    }
    case 'botSeat':
      team(entry.role).botForced = entry.bot;
      return [];
    case 'approve': {
      const p = m.people.get(entry.personId) ?? fail(`there is no person "${entry.personId}"`);
      // let in: a seat entry follows when a team has room, else they wait in the queue
      p.waiting = false;
      if (p.role === null) p.queued = true;
      return [];
    }
    case 'mute': {
      const p = m.people.get(entry.personId) ?? fail(`there is no person "${entry.personId}"`);
      p.muted = entry.muted;
      return [];
    }
    case 'moderation':
      m.moderation = { approval: entry.approval ?? m.moderation.approval, locked: entry.locked ?? m.moderation.locked };
      return [];
    case 'seats':
      team(entry.role);
      m.settings = { ...m.settings, seats: { ...m.settings.seats, [entry.role]: entry.seats } };
      return [];
    case 'plan': {
      // the quarter being played (or, in the report, the next) is always still to play
      if (entry.turns <= m.state.turn || m.state.finished) fail(`the match is at quarter ${m.state.turn + 1}: it cannot end after ${entry.turns}`);
      m.rules = withTurns(m.rules, entry.turns);
      m.settings = { ...m.settings, timers: { ...entry.timers }, turns: entry.turns };
      return [];
    }
    case 'start':
      m.started = true;
      m.startedAt = at;
      setPhase(m, 'briefing');
      return [];
    case 'pause':
      m.paused = entry.paused;
      return [];
    case 'timer':
      m.timer = { endsAt: entry.endsAt, remaining: entry.remaining };
      return [];
    case 'phase':
      if (entry.phase !== 'lobby') m.started = true;
      setPhase(m, entry.phase);
      return [];
    case 'ready':
      team(entry.role).ready = entry.ready;
      return [];
    case 'draft': {
      const t = team(entry.role);
      t.activity.push({ kind: 'draft', seq, at, by: entry.by, changed: teamChanges(m, entry.role, t.draft, entry.order) });
      t.draft = entry.order;
      t.draftBy = entry.by;
      return [];
    }
    case 'submit': {
      const t = team(entry.role);
      t.activity.push({ kind: 'submit', seq, at, by: entry.by, changed: teamChanges(m, entry.role, t.draft, entry.order) });
      t.submitted = entry.order;
      t.submittedBy = entry.by;
      t.draft = entry.order;
      return [];
    }
    case 'unsubmit': {
      const t = team(entry.role);
      t.submitted = null;
      t.submittedBy = null;
      t.activity.push({ kind: 'unsubmit', seq, at, by: entry.by });
      return [];
    }
    case 'lead': {
      const t = team(entry.role);
      const p = m.people.get(entry.personId);
      if (!p || p.removed || p.role !== entry.role) fail(`"${entry.personId}" is not on the ${entry.role} team`);
      t.lead = entry.personId;
      t.activity.push({ kind: 'lead', seq, at, by: entry.by, lead: entry.personId });
      return [];
    }
    case 'propose': {
      sameTurn(entry.turn);
      const key = m.state.nextProposalKey;
      const r = propose(m.rules, m.state, entry.proposalId, entry.from, entry.to);
      if (!r.ok) return fail(r.error);
      m.state = r.state;
      m.diplomacy.push({ kind: 'propose', seq, at, turn: entry.turn, key, proposalId: entry.proposalId, from: entry.from, to: entry.to, by: entry.by });
      return happened(m, r.events);
    }
    case 'respond': {
      sameTurn(entry.turn);
      const pending = m.state.pending.find((p) => p.key === entry.key);
      const r = respond(m.rules, m.state, entry.key, entry.role, entry.accept);
      if (!r.ok) return fail(r.error);
      m.state = r.state;
      m.diplomacy.push({ kind: 'respond', seq, at, turn: entry.turn, key: entry.key, proposalId: pending!.proposalId, from: pending!.from, to: pending!.to, accept: entry.accept, by: entry.by });
      return happened(m, r.events);
    }
    case 'inject': {
      sameTurn(entry.turn);
      const r = injectEvent(m.rules, m.state, entry.cardId);
      if (!r.ok) return fail(r.error);
      m.state = r.state;
      return happened(m, r.events);
    }
    case 'resolve': {
      sameTurn(entry.turn);
      if (!entry.orders || typeof entry.orders !== 'object') fail('the entry has no orders');
      const before = m.state;
      let result: ReturnType<typeof resolveTurn>;
      try { result = resolveTurn(m.rules, before, entry.orders); } catch (err) { return fail(err instanceof Error ? err.message : String(err)); }
      m.state = result.state;
      const previous = m.quarters[m.quarters.length - 1];
      if (previous && !m.history) { delete previous.before; delete previous.state; }
      // which teams' orders were submitted by the rule, told to their side before what the quarter brought
      const events = [...deadlineEvents(m.rules, entry.sources), ...result.events];
      m.quarters.push({ turn: before.turn, orders: result.orders, events: m.currentEvents.concat(events), before, state: m.state, seq, ...(entry.sources ? { sources: { ...entry.sources } } : {}) });
      m.currentEvents = [];
      m.feed.push({ turn: before.turn, events: [...events] });
      for (const t of Object.values(m.teams)) { t.submitted = null; t.submittedBy = null; t.ready = false; t.draft = null; t.draftBy = null; t.activity = []; }
      m.timer = { endsAt: 0, remaining: 0 };
      m.phase = m.state.finished ? 'ended' : 'report';
      return events;
    }
    case 'referee': {
      sameTurn(entry.turn);
      const t = team(entry.role);
      if (entry.rule === 'invalid-submit') t.invalid = { turn: entry.turn, count: (t.invalid?.turn === entry.turn ? t.invalid.count : 0) + 1 };
      const side = m.rules.roles.find((r) => r.id === entry.role)!.side;
      // the team's own side reads why (in its feed and the record); the rival learns nothing from it
      return happened(m, [{ kind: 'policy', title: entry.rule === 'invalid-submit' ? 'Referee: invalid submission' : 'Referee: missed deadline', text: entry.detail, visibleTo: side, ref: `referee:${entry.rule}` }]);
    }
    case 'chat': {
      const from = m.people.get(entry.from);
      m.chat.push({ seq, at, from: entry.from, fromName: from?.name ?? (entry.from === 'facilitator' ? 'Facilitator' : '?'), fromRole: entry.fromRole, to: entry.to, text: entry.text });
      return [];
    }
    case 'end': {
      m.endReason = entry.reason;
      m.phase = 'ended';
      m.timer = { endsAt: 0, remaining: 0 };
      if (m.state.finished) return [];
      // ended early (by the facilitator): the engine concludes the match where it stands, with an ending and scores
      m.state = concludeEarly(m.rules, m.state);
      const ending = m.state.ending!;
      return happened(m, [{ kind: 'ending', title: ending.title, text: ending.text, visibleTo: 'all', ref: ending.id }]);
    }
  }
}

/** Applies a whole log to a fresh match. */
export function applyAll(m: Match, entries: readonly StoredEntry[]): Match {
  for (const e of entries) apply(m, e);
  return m;
}

/** Events of the quarter being played: to the feed (by turn) and to the quarter's list. */
function happened(m: Match, events: TurnEvent[]): TurnEvent[] {
  m.currentEvents.push(...events);
  const last = m.feed[m.feed.length - 1];
  if (last && last.turn === m.state.turn) last.events.push(...events);
  else m.feed.push({ turn: m.state.turn, events: [...events] });
  return events;
}

function setPhase(m: Match, phase: Phase): void {
  m.phase = phase;
  // a phase begins without a timer; a timer entry right after sets its deadline
  m.timer = { endsAt: 0, remaining: 0 };
  for (const t of Object.values(m.teams)) t.ready = false;
}
