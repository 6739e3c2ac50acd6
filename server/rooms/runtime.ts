// One match in memory: the engine state plus people, seats, drafts, phases and chat, rebuilt from the log.
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { MatchState, Order, Orders, TurnEvent } from '../../shared/engine/state.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { propose, respond } from '../../shared/engine/diplomacy.ts';
import { injectEvent } from '../../shared/engine/deck.ts';
import { concludeEarly } from '../../shared/engine/endings.ts';
import { botOrder, botAccepts, botProposals, type Personality } from '../../shared/bots/personalities.ts';
import { rngFor, STREAM } from '../../shared/engine/rng.ts';
import type { MatchHeader, LogEntry, Phase, ChatChannel } from '../store/types.ts';

export interface Person {
  id: string;
  name: string;
  role: string | null;
  spectator: boolean;
  tokenHash: string;
  /** not stored: who is connected right now */
  connected: boolean;
  removed: boolean;
}

export interface TeamState {
  draft: Order | null;
  draftBy: string | null;
  submitted: Order | null;
  submittedBy: string | null;
  ready: boolean;
  /** the facilitator handed this role to its bot */
  botForced: boolean;
  /** not stored: since when nobody of this team has been connected (ms), for bot take-over */
  emptySince: number | null;
}

export interface ChatMessage {
  seq: number;
  at: string;
  from: string;
  fromName: string;
  fromRole: string | null;
  to: ChatChannel;
  text: string;
}

export interface FeedItem { turn: number; events: TurnEvent[] }

/** Phases a turn goes through, in order; resolution is instant and leads to the report. */
export const TURN_PHASES: Phase[] = ['briefing', 'negotiation', 'orders'];

export class MatchRuntime {
  readonly header: MatchHeader;
  readonly rules: RuleFile;
  state: MatchState;
  phase: Phase = 'lobby';
  paused = false;
  people = new Map<string, Person>();
  teams: Record<string, TeamState> = {};
  chat: ChatMessage[] = [];
  feed: FeedItem[] = [];
  /** the orders that resolved each quarter, for the record and the client's "what it did last turn" */
  resolved: { turn: number; orders: Orders }[] = [];
  endReason: string | null = null;

  constructor(header: MatchHeader, rules: RuleFile) {
    this.header = header;
    this.rules = rules;
    this.state = initialState(rules, header.seed);
    for (const role of rules.roles) {
      this.teams[role.id] = { draft: null, draftBy: null, submitted: null, submittedBy: null, ready: false, botForced: false, emptySince: 0 };
    }
  }

  get turn(): number { return this.state.turn; }
  get finished(): boolean { return this.phase === 'ended'; }

  seatsFor(roleId: string): number { return this.header.settings.seats[roleId] ?? 0; }

  /** People holding a role (not removed), connected or not. */
  members(roleId: string): Person[] {
    return [...this.people.values()].filter((p) => p.role === roleId && !p.removed);
  }

  /** A bot plays a role with no seats, one handed to it, or one whose people are all gone past the take-over time. */
  botPlays(roleId: string, now: number): boolean {
    const team = this.teams[roleId];
    if (team.botForced || this.seatsFor(roleId) === 0 || this.members(roleId).length === 0) return true;
    const limit = this.header.settings.botTakeoverSeconds * 1000;
    return team.emptySince !== null && now - team.emptySince >= limit;
  }

  personality(roleId: string): Personality {
    return this.header.settings.bots[roleId] ?? 'status-quo';
  }

  /** Applies one accepted change. The same code runs live and when a match is rebuilt after a restart. */
  apply(entry: LogEntry, at: string, seq: number): TurnEvent[] {
    switch (entry.kind) {
      case 'person':
        this.people.set(entry.personId, { id: entry.personId, name: entry.name, role: entry.role, spectator: entry.spectator, tokenHash: entry.tokenHash, connected: false, removed: false });
        return [];
      case 'seat': {
        const p = this.people.get(entry.personId);
        if (p) { p.role = entry.role; p.spectator = entry.role === null; }
        return [];
      }
      case 'remove': {
        const p = this.people.get(entry.personId);
        if (p) { p.removed = true; p.connected = false; }
        return [];
      }
      case 'botSeat':
        this.teams[entry.role].botForced = entry.bot;
        return [];
      case 'start':
        this.setPhase('briefing');
        return [];
      case 'pause':
        this.paused = entry.paused;
        return [];
      case 'phase':
        this.setPhase(entry.phase);
        return [];
      case 'draft': {
        const t = this.teams[entry.role];
        t.draft = entry.order;
        t.draftBy = entry.by;
        return [];
      }
      case 'submit': {
        const t = this.teams[entry.role];
        t.submitted = entry.order;
        t.submittedBy = entry.by;
        t.draft = entry.order;
        return [];
      }
      case 'unsubmit': {
        const t = this.teams[entry.role];
        t.submitted = null;
        t.submittedBy = null;
        return [];
      }
      case 'propose': {
        const r = propose(this.rules, this.state, entry.proposalId, entry.from, entry.to);
        if (!r.ok) throw new Error(`log entry ${seq}: ${r.error}`);
        this.state = r.state;
        this.pushEvents(r.events);
        return r.events;
      }
      case 'respond': {
        const r = respond(this.rules, this.state, entry.key, entry.role, entry.accept);
        if (!r.ok) throw new Error(`log entry ${seq}: ${r.error}`);
        this.state = r.state;
        this.pushEvents(r.events);
        return r.events;
      }
      case 'inject': {
        const r = injectEvent(this.rules, this.state, entry.cardId);
        if (!r.ok) throw new Error(`log entry ${seq}: ${r.error}`);
        this.state = r.state;
        this.pushEvents(r.events);
        return r.events;
      }
      case 'resolve': {
        const r = resolveTurn(this.rules, this.state, entry.orders);
        this.resolved.push({ turn: this.state.turn, orders: r.orders });
        this.state = r.state;
        this.feed.push({ turn: this.state.turn - 1, events: r.events });
        for (const t of Object.values(this.teams)) { t.submitted = null; t.submittedBy = null; t.ready = false; t.draft = null; t.draftBy = null; }
        this.phase = this.state.finished ? 'ended' : 'report';
        return r.events;
      }
      case 'chat': {
        const from = this.people.get(entry.from);
        this.chat.push({ seq, at, from: entry.from, fromName: from?.name ?? (entry.from === 'facilitator' ? 'Facilitator' : '?'), fromRole: entry.fromRole, to: entry.to, text: entry.text });
        return [];
      }
      case 'end': {
        this.endReason = entry.reason;
        if (!this.state.finished) {
          this.state = concludeEarly(this.rules, this.state);
          const ending = this.state.ending!;
          const events: TurnEvent[] = [{ kind: 'ending', title: ending.title, text: ending.text, visibleTo: 'all', ref: ending.id }];
          this.pushEvents(events);
          this.phase = 'ended';
          return events;
        }
        this.phase = 'ended';
        return [];
      }
    }
  }

  private pushEvents(events: TurnEvent[]): void {
    const last = this.feed[this.feed.length - 1];
    if (last && last.turn === this.state.turn) last.events.push(...events);
    else this.feed.push({ turn: this.state.turn, events: [...events] });
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    for (const t of Object.values(this.teams)) t.ready = false;
  }

  /** The phase after this one: briefing → negotiation → orders → (resolution) → report → next briefing. */
  nextPhase(): Phase | 'resolve' {
    switch (this.phase) {
      case 'lobby': return 'briefing';
      case 'briefing': return 'negotiation';
      case 'negotiation': return 'orders';
      case 'orders': return 'resolve';
      case 'report': return this.state.finished ? 'ended' : 'briefing';
      default: return this.phase;
    }
  }

  /** Seconds the current phase lasts (0: until everyone is ready or the facilitator moves on). */
  phaseSeconds(): number {
    const t = this.header.settings.timers;
    switch (this.phase) {
      case 'briefing': return t.briefing;
      case 'negotiation': return t.negotiation;
      case 'orders': return t.orders;
      case 'report': return t.report;
      default: return 0;
    }
  }

  /** Roles people (not bots) play right now: the ones that must be ready or submit before the phase moves on. */
  humanRoles(now: number): string[] {
    return this.rules.roles.map((r) => r.id).filter((id) => !this.botPlays(id, now));
  }

  anyoneConnected(): boolean {
    for (const p of this.people.values()) if (p.connected && !p.removed && !p.spectator) return true;
    return false;
  }

  /** True when every team people play is done with this phase. */
  everyoneDone(now: number): boolean {
    const humans = this.humanRoles(now);
    if (this.phase === 'orders') return humans.every((id) => this.teams[id].submitted !== null);
    return humans.every((id) => this.teams[id].ready);
  }

  /** The orders that resolve now: submissions, bots for bot-held roles, otherwise the engine's fallback (last order). */
  ordersToResolve(now: number): Orders {
    const orders: Orders = {};
    for (const role of this.rules.roles) {
      const team = this.teams[role.id];
      if (team.submitted) orders[role.id] = team.submitted;
      else if (this.botPlays(role.id, now)) {
        const rng = rngFor(this.state.seed, this.state.turn, STREAM.bots, role.id.length * 131 + role.id.charCodeAt(0));
        orders[role.id] = botOrder(this.rules, this.state, role.id, this.personality(role.id), rng);
      }
    }
    return orders;
  }

  /** Proposals bots make when negotiation opens, as log entries. */
  botProposalEntries(now: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (const role of this.rules.roles) {
      if (!this.botPlays(role.id, now)) continue;
      for (const offer of botProposals(this.rules, this.state, role.id, this.personality(role.id))) {
        out.push({ kind: 'propose', turn: this.state.turn, proposalId: offer.proposalId, from: role.id, to: offer.to, by: 'bot' });
      }
    }
    return out;
  }

  /** A bot's answer to a proposal made to its role, or null when people hold the role. */
  botAnswer(key: number, now: number): LogEntry | null {
    const pending = this.state.pending.find((p) => p.key === key);
    if (!pending || !this.botPlays(pending.to, now)) return null;
    const rng = rngFor(this.state.seed, this.state.turn, STREAM.bots, 1000 + key);
    const accept = botAccepts(this.rules, this.state, pending.to, this.personality(pending.to), rng);
    return { kind: 'respond', turn: this.state.turn, key, role: pending.to, accept, by: 'bot' };
  }

  /** Which role a new person gets: the one asked for if it has room, else the emptiest with room, else none (watch). */
  assignRole(wanted: string | undefined): { role: string | null; error?: string } {
    const open = (id: string) => this.members(id).length < this.seatsFor(id);
    if (wanted !== undefined) {
      if (!this.rules.roles.some((r) => r.id === wanted)) return { role: null, error: `there is no role "${wanted}" (roles: ${this.rules.roles.map((r) => r.id).join(', ')})` };
      if (!open(wanted)) return { role: null, error: `the ${this.roleName(wanted)} team is full` };
      return { role: wanted };
    }
    const candidates = this.rules.roles.map((r) => r.id).filter(open);
    if (!candidates.length) return { role: null };
    candidates.sort((a, b) => this.members(a).length - this.members(b).length);
    return { role: candidates[0] };
  }

  roleName(roleId: string): string {
    return this.rules.roles.find((r) => r.id === roleId)?.name ?? roleId;
  }

  /** Who may read a chat message: everyone for "all"; else the sender's team, the addressed team and the facilitator. */
  chatVisibleTo(m: ChatMessage, viewer: { role: string | null; facilitator: boolean }): boolean {
    if (m.to === 'all') return true;
    if (viewer.facilitator) return this.header.settings.mode === 'class' || m.to === 'facilitator';
    if (m.to === 'facilitator') return viewer.role !== null && m.fromRole === viewer.role;
    return viewer.role !== null && (m.to === viewer.role || m.fromRole === viewer.role);
  }
}
