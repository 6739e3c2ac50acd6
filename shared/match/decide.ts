// Who may do what when: a message from a seat (or the clock) becomes log entries, or a refusal with a stable code.
import { checkOrder } from '../engine/orders.ts';
import { proposalBlocked, respond } from '../engine/diplomacy.ts';
import type { ClientAction } from '../protocol/messages.ts';
import type { MessageErrorCode } from '../protocol/errors.ts';
import type { LogEntry } from './log.ts';
import { anyoneConnected, finished, humanRoles, mayCommit, members, seatsFor, type Match } from './match.ts';
import { balanceMoves, fillFromQueue } from './class-seats.ts';
import { fileTurns } from './lesson.ts';
import { PHASES, nextPhase, phaseSeconds, readyAllowed } from './phases.ts';
import { botAnswer, negotiationOpens } from './bots.ts';
import { resolveEntry } from './team.ts';
import { cleanText } from './moderation.ts';

/** Who sent a message: a seat (a role's member, a watcher) or the facilitator. */
export interface Actor { personId: string | null; role: string | null; facilitator: boolean; spectator: boolean }

export interface Refusal { code: MessageErrorCode; message: string; details?: string[] }
export type Decision = { entries: LogEntry[]; warnings?: string[] } | { refusal: Refusal };

export interface DecideOptions {
  /** longest chat message (MAX_CHAT_CHARS) */
  maxChatChars: number;
}

const refuse = (code: MessageErrorCode, message: string, details?: string[]): Decision => ({ refusal: { code, message, ...(details ? { details } : {}) } });
const accept = (entries: LogEntry[], warnings?: string[]): Decision => ({ entries, ...(warnings?.length ? { warnings } : {}) });

/**
 * Decides one message. Pure: reads the match (and `now`, for timers and bot take-over), changes nothing;
 * the caller persists and applies the entries in order. A refused message leaves the match as it was.
 */
export function decide(m: Match, actor: Actor, action: ClientAction, now: number, options: DecideOptions): Decision {
  const phase = m.phase;
  const teamMember = (): string | Decision => {
    if (actor.facilitator) return refuse('not-allowed', 'the facilitator does not hold a role');
    if (!actor.role) return refuse('not-allowed', 'you are watching; join a team to play');
    return actor.role;
  };
  /** A team member whose team its people play (not a bot the facilitator handed it to). */
  const player = (): string | Decision => {
    const role = teamMember();
    if (typeof role === 'string' && m.teams[role]?.botForced) return refuse('bot-plays', 'a bot plays your team now (the facilitator handed it over): take the seat back to play');
    return role;
  };
  // a finished match's record is final: nothing a player sends (chat included) changes it; the facilitator's controls say so themselves
  if (finished(m) && action.type !== 'control') return refuse('match-over', `the match is over; its record is final (${action.type} refused)`);
  switch (action.type) {
    case 'draft': {
      const role = player();
      if (typeof role !== 'string') return role;
      if (!PHASES[phase].inQuarter) return refuse('wrong-phase', `drafts are for the quarter's briefing, negotiation and orders; it is now the ${phase}`);
      if (m.teams[role].submitted) return refuse('wrong-phase', 'your team has submitted; take the submission back to edit the draft');
      const check = checkOrder(m.rules, m.state, role, action.payload.order);
      if (!check.ok) return refuse('invalid', 'draft: the order is not valid', check.errors);
      return accept([{ kind: 'draft', turn: m.state.turn, role, order: check.order, by: actor.personId! }], check.warnings);
    }
    case 'submit': {
      const role = player();
      if (typeof role !== 'string') return role;
      if (PHASES[phase].waitsFor !== 'submit') return refuse('wrong-phase', `orders open after the negotiation; it is now the ${phase}`);
      if (!mayCommit(m, role, actor.personId)) return refuse('not-lead', `only your team's lead (${leadName(m, role)}) submits; save your changes to the draft instead`);
      const check = checkOrder(m.rules, m.state, role, action.payload.order);
      if (!check.ok) return refuse('invalid', 'submit: the order is not valid', check.errors);
      return accept([{ kind: 'submit', turn: m.state.turn, role, order: check.order, by: actor.personId! }], check.warnings);
    }
    case 'unsubmit': {
      const role = player();
      if (typeof role !== 'string') return role;
      if (PHASES[phase].waitsFor !== 'submit' || !m.teams[role].submitted) return refuse('wrong-phase', 'there is no submission to take back');
      if (!mayCommit(m, role, actor.personId)) return refuse('not-lead', `only your team's lead (${leadName(m, role)}) takes the order back`);
      return accept([{ kind: 'unsubmit', turn: m.state.turn, role, by: actor.personId! }]);
    }
    case 'ready': {
      const role = teamMember();
      if (typeof role !== 'string') return role;
      if (!readyAllowed(phase, m.settings.mode)) return refuse('wrong-phase', `there is nothing to be ready for in the ${phase}${phase === 'orders' ? '; submit your order instead' : ''}`);
      return accept([{ kind: 'ready', role, ready: action.payload.ready }]);
    }
    case 'chat': {
      const msg = action.payload;
      if (actor.spectator && !actor.facilitator) return refuse('not-allowed', 'spectators cannot chat');
      if (!actor.facilitator && m.people.get(actor.personId ?? '')?.muted) return refuse('not-allowed', 'the facilitator has muted you: you cannot chat for now');
      if (msg.text.length > options.maxChatChars) return refuse('invalid', 'chat: the message is not valid', [`text: a chat message can be at most ${options.maxChatChars} characters`]);
      const channels = ['all', ...(m.settings.mode === 'class' ? ['facilitator'] : []), ...(actor.role ? ['team'] : []), ...m.rules.roles.map((r) => r.id)];
      if (!channels.includes(msg.to)) return refuse('invalid', `chat: "${msg.to}" is not a channel; use ${channels.join(', ')}`);
      if (msg.to === actor.role) return refuse('invalid', 'chat: that is your own team; write to "team" for your team-mates, or to "all", another role or the facilitator');
      // the word filter stars out blocked words; the message itself goes through
      return accept([{ kind: 'chat', from: actor.facilitator ? 'facilitator' : actor.personId!, fromRole: actor.role, to: msg.to, text: cleanText(msg.text) }]);
    }
    case 'reclaim': {
      const role = teamMember();
      if (typeof role !== 'string') return role;
      if (!m.teams[role].botForced) return refuse('refused', 'your team is not handed to a bot');
      return accept([{ kind: 'botSeat', role, bot: false }]);
    }
    case 'lead': {
      const person = m.people.get(action.payload.personId);
      if (!person || person.removed || !person.role) return refuse('refused', `there is no team member "${action.payload.personId}"`);
      if (!actor.facilitator) {
        const role = teamMember();
        if (typeof role !== 'string') return role;
        if (person.role !== role) return refuse('refused', 'you can only pass the lead to someone on your own team');
        if (!mayCommit(m, role, actor.personId)) return refuse('not-lead', `only your team's lead (${leadName(m, role)}) or the facilitator passes the lead on`);
      }
      if (m.teams[person.role].lead === person.id) return refuse('refused', `${person.name} already leads the team`);
      return accept([{ kind: 'lead', role: person.role, personId: person.id, by: actor.facilitator ? 'facilitator' : actor.personId! }]);
    }
    case 'propose': {
      const role = player();
      if (typeof role !== 'string') return role;
      if (!PHASES[phase].inQuarter) return refuse('wrong-phase', `proposals are made during a quarter's briefing, negotiation or orders; it is now the ${phase}`);
      const blocked = proposalBlocked(m.rules, m.state, action.payload.proposalId, role, action.payload.to);
      if (blocked) return refuse('refused', `propose: ${blocked}`);
      return accept([{ kind: 'propose', turn: m.state.turn, proposalId: action.payload.proposalId, from: role, to: action.payload.to, by: actor.personId! }]);
    }
    case 'respond': {
      const role = player();
      if (typeof role !== 'string') return role;
      const dry = respond(m.rules, m.state, action.payload.key, role, action.payload.accept);
      if (!dry.ok) return refuse('refused', `respond: ${dry.error}`);
      return accept([{ kind: 'respond', turn: m.state.turn, key: action.payload.key, role, accept: action.payload.accept, by: actor.personId! }]);
    }
    case 'control':
      return control(m, actor, action.payload, now);
  }
}

function control(m: Match, actor: Actor, c: Extract<ClientAction, { type: 'control' }>['payload'], now: number): Decision {
  if (!actor.facilitator) return refuse('not-allowed', 'only the facilitator can do that (join with the facilitator key)');
  if (finished(m) && c.action !== 'end') return refuse('match-over', 'the match is over');
  const { endsAt, remaining } = m.timer;
  switch (c.action) {
    case 'start':
      if (m.phase !== 'lobby') return refuse('wrong-phase', 'the match has already started');
      return accept([{ kind: 'start' }]);
    case 'pause': {
      if (m.paused) return refuse('wrong-phase', 'the match is already paused');
      const left = endsAt ? Math.max(0, endsAt - now) : remaining;
      return accept([{ kind: 'pause', paused: true }, ...(left ? [{ kind: 'timer', cause: 'pause', endsAt: 0, remaining: left } as const] : [])]);
    }
    case 'resume':
      if (!m.paused) return refuse('wrong-phase', 'the match is not paused');
      return accept([{ kind: 'pause', paused: false }, ...(remaining ? [{ kind: 'timer', cause: 'resume', endsAt: now + remaining, remaining: 0 } as const] : [])]);
    case 'extend': {
      if (!endsAt && !remaining) return refuse('wrong-phase', 'this phase has no timer to extend');
      const ms = c.seconds * 1000;
      return accept([m.paused ? { kind: 'timer', cause: 'extend', endsAt: 0, remaining: remaining + ms } : { kind: 'timer', cause: 'extend', endsAt: endsAt + ms, remaining: 0 }]);
    }
    case 'resolveNow':
      if (!PHASES[m.phase].inQuarter) return refuse('wrong-phase', `there are no orders to resolve in the ${m.phase}`);
      return accept([resolveEntry(m, now)]);
    case 'skipPhase':
      if (m.phase === 'lobby' || m.phase === 'ended') return refuse('wrong-phase', `the ${m.phase} has no next phase to skip to`);
      return accept(advance(m, now));
    case 'inject':
      if (!m.rules.events.some((e) => e.id === c.cardId)) return refuse('refused', `there is no event "${c.cardId}"; the deck has ${m.rules.events.map((e) => e.id).join(', ')}`);
      if (m.phase === 'lobby') return refuse('wrong-phase', 'start the match before injecting events');
      return accept([{ kind: 'inject', turn: m.state.turn, cardId: c.cardId }]);
    case 'move': {
      const person = m.people.get(c.personId);
      if (!person || person.removed) return refuse('refused', `there is no person "${c.personId}"`);
      if (c.role !== null && !m.rules.roles.some((r) => r.id === c.role)) return refuse('refused', `there is no role "${c.role}"`);
      return accept([{ kind: 'seat', personId: person.id, role: c.role }]);
    }
    case 'remove': {
      const person = m.people.get(c.personId);
      if (!person || person.removed) return refuse('refused', `there is no person "${c.personId}"`);
      return accept([{ kind: 'remove', personId: person.id }]);
    }
    case 'readmit': {
      const person = m.people.get(c.personId);
      if (!person || !person.removed) return refuse('refused', `there is no removed person "${c.personId}"`);
      return accept([{ kind: 'remove', personId: person.id, undo: true }]);
    }
    case 'botSeat':
      if (!m.rules.roles.some((r) => r.id === c.role)) return refuse('refused', `there is no role "${c.role}"`);
      return accept([{ kind: 'botSeat', role: c.role, bot: c.bot }]);
    case 'end':
      if (finished(m)) return refuse('match-over', 'the match is already over');
      return accept([{ kind: 'end', reason: 'the facilitator ended the match' }]);
    case 'plan':
      return plan(m, c, now);
    case 'seats': {
      if (!m.rules.roles.some((r) => r.id === c.role)) return refuse('refused', `there is no role "${c.role}"`);
      if (seatsFor(m, c.role) === c.seats) return refuse('refused', `the team already has ${c.seats} seats`);
      return accept([{ kind: 'seats', role: c.role, seats: c.seats }]);
    }
    case 'balance': {
      const moves = balanceMoves(m);
      if (!moves.length) return refuse('refused', 'the teams are already even (no team has two more than another with room), and nobody waits for a seat');
      return accept(moves);
    }
    case 'moderation': {
      if (c.approval === undefined && c.locked === undefined) return refuse('invalid', 'moderation: say approval, locked or both');
      return accept([{ kind: 'moderation', ...(c.approval !== undefined ? { approval: c.approval } : {}), ...(c.locked !== undefined ? { locked: c.locked } : {}) }]);
    }
    case 'approve': {
      const person = m.people.get(c.personId);
      if (!person || person.removed || !person.waiting) return refuse('refused', `nobody "${c.personId}" is waiting to be let in`);
      return accept([{ kind: 'approve', personId: person.id }]);
    }
    case 'mute': {
      const person = m.people.get(c.personId);
      if (!person || person.removed) return refuse('refused', `there is no person "${c.personId}"`);
      if (person.muted === c.muted) return refuse('refused', `${person.name} is ${c.muted ? 'already muted' : 'not muted'}`);
      return accept([{ kind: 'mute', personId: person.id, muted: c.muted }]);
    }
  }
}

/** The facilitator changes the lesson plan: quarters (from the one being played to the rule file's), timers; the running phase's deadline moves by its change. */
function plan(m: Match, c: Extract<Extract<ClientAction, { type: 'control' }>['payload'], { action: 'plan' }>, now: number): Decision {
  const turns = c.turns ?? m.rules.calendar.turns;
  const most = fileTurns(m.rules);
  if (turns <= m.state.turn) return refuse('refused', `the match is at quarter ${m.state.turn + 1}: it can end after that quarter (${m.state.turn + 1}) at the earliest`);
  if (turns > most) return refuse('refused', `the rule file has ${most} quarters: a match plays at most that many`);
  const timers = { ...m.settings.timers, ...c.timers };
  if (turns === m.rules.calendar.turns && JSON.stringify(timers) === JSON.stringify(m.settings.timers)) return refuse('refused', 'that is the plan already');
  const out: LogEntry[] = [{ kind: 'plan', turns, timers }];
  // the running phase keeps what it has run: its deadline moves by the change of its timer (leaving at least 5 seconds)
  const key = PHASES[m.phase].timer;
  const change = key ? (timers[key] - m.settings.timers[key]) * 1000 : 0;
  if (change && (m.timer.endsAt || m.timer.remaining)) {
    out.push(m.timer.endsAt
      ? { kind: 'timer', cause: 'plan', endsAt: Math.max(now + 5000, m.timer.endsAt + change), remaining: 0 }
      : { kind: 'timer', cause: 'plan', endsAt: 0, remaining: Math.max(5000, m.timer.remaining + change) });
  }
  return accept(out);
}

const leadName = (m: Match, role: string): string => m.people.get(m.teams[role].lead ?? '')?.name ?? 'the lead';

// ---- what the match does by itself ------------------------------------------------------------

/** The entries that move the match to its next phase (resolving the quarter after the orders). */
export function advance(m: Match, now: number): LogEntry[] {
  const next = nextPhase(m.phase, m.state.finished);
  if (next === 'resolve') return [resolveEntry(m, now)];
  if (next === m.phase) return [];
  return [m.phase === 'lobby' ? { kind: 'start' } : { kind: 'phase', phase: next, turn: m.state.turn }];
}

/** Right after a phase began: its deadline (a paused match keeps the whole time in hand). */
export function phaseTimer(m: Match, now: number): LogEntry[] {
  const ms = phaseSeconds(m.phase, m.settings.timers) * 1000;
  if (ms <= 0 || finished(m)) return [];
  return [m.paused ? { kind: 'timer', cause: 'phase', endsAt: 0, remaining: ms } : { kind: 'timer', cause: 'phase', endsAt: now + ms, remaining: 0 }];
}

/**
 * What follows an applied entry by itself: a new phase's deadline, the bots' diplomacy when negotiation opens,
 * a bot's answer to a proposal a person made to its role. The caller appends and applies these in turn.
 */
export function consequences(m: Match, entry: LogEntry, now: number): LogEntry[] {
  switch (entry.kind) {
    case 'start': case 'phase': case 'resolve':
      return [...phaseTimer(m, now), ...(m.phase === 'negotiation' ? negotiationOpens(m, now) : [])];
    case 'propose': {
      if (entry.by === 'bot') return [];
      const answer = botAnswer(m, m.state.pending[m.state.pending.length - 1].key, now);
      return answer ? [answer] : [];
    }
    case 'seats': case 'remove': case 'approve':
      // a seat may have opened (a team grew, someone left, a joiner was let in): the queue fills it
      return fillFromQueue(m);
    case 'seat':
      // moved out to watch: their seat goes to the queue (a move between teams is the facilitator's own balancing)
      return entry.role === null ? fillFromQueue(m) : [];
    case 'respond':
      // an accepted treaty may wait on governments' ratification and on the roles it binds: bots holding them answer
      // at once, one at a time (each answer's own consequences bring the next, so none is answered twice)
      for (const p of m.state.pending) {
        const answer = p.ratify ? botAnswer(m, p.key, now) : null;
        if (answer) return [answer];
      }
      return [];
    default:
      return [];
  }
}

/** The phase's deadline has passed (the caller's clock says so): move on, unless paused or already moved on. */
export function deadlinePassed(m: Match, now: number): LogEntry[] {
  if (m.paused || finished(m) || !m.timer.endsAt || now < m.timer.endsAt) return [];
  return advance(m, now);
}

/** Every team people play is done with this phase (ready, or submitted in the orders). */
export function everyoneDone(m: Match, now: number): boolean {
  const humans = humanRoles(m, now);
  if (PHASES[m.phase].waitsFor === 'submit') return humans.every((id) => m.teams[id].submitted !== null);
  return humans.every((id) => m.teams[id].ready);
}

/** Moves on when every team people play is done: after each change, and each second (bots take over as time passes). */
export function whenDone(m: Match, now: number): LogEntry[] {
  if (m.paused || finished(m)) return [];
  if (m.phase === 'lobby') {
    // an online match starts when everyone seated and connected is ready; a class waits for the facilitator
    if (m.settings.mode !== 'online') return [];
    const seated = m.rules.roles.filter((r) => members(m, r.id).some((p) => p.connected));
    return seated.length && seated.every((r) => m.teams[r.id].ready) ? advance(m, now) : [];
  }
  if (PHASES[m.phase].waitsFor === 'nothing' || !anyoneConnected(m)) return [];
  return everyoneDone(m, now) ? advance(m, now) : [];
}
