// One match in memory, as the log builds it: engine state, people, teams, chat, feed, quarters, timer; plus presence.
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, Order, Orders, TurnEvent } from '../engine/state.ts';
import { initialState } from '../engine/setup.ts';
import type { Personality } from '../bots/personalities.ts';
import type { ChatChannel } from './log.ts';
import type { Phase } from './phases.ts';
import type { DiplomacyStep, MatchSettings, OrderSource, TeamStep } from '../protocol/match.ts';

export interface Person {
  id: string;
  name: string;
  role: string | null;
  spectator: boolean;
  tokenHash: string;
  /** the hashed device token of the browser they joined from, if it sent one */
  deviceHash: string | null;
  removed: boolean;
  /** joined through the agent seat API (a program, maybe an LLM): shown to everyone, marked in the record */
  agent: boolean;
  /** when the person first joined (the entry's time) */
  joinedAt: string;
  /** presence, not in the log: connected right now */
  connected: boolean;
  /** waiting for the facilitator to let them in (joining needs approval) */
  waiting: boolean;
  /** over capacity: every team was full, so they wait in the queue for a seat (in join order) */
  queued: boolean;
  /** the team they asked for when joining (used when the facilitator lets them in) */
  wanted: string | null;
  /** the facilitator muted them: their chat is refused */
  muted: boolean;
}

export interface TeamState {
  draft: Order | null;
  draftBy: string | null;
  submitted: Order | null;
  submittedBy: string | null;
  ready: boolean;
  /** the facilitator handed this role to its bot */
  botForced: boolean;
  /** presence, not in the log: since when nobody of this team has been connected (epoch ms), for bot take-over */
  emptySince: number | null;
  /** who submits and takes back the team's order: the first to join, until passed on */
  lead: string | null;
  /** this quarter's changes to the order, oldest first: who drafted, submitted, took back, became lead */
  activity: TeamStep[];
  /** invalid submissions by an agent this quarter (referee.ts): three hand the quarter to the bot */
  invalid?: { turn: number; count: number };
}

export interface ChatMessage { seq: number; at: string; from: string; fromName: string; fromRole: string | null; to: ChatChannel; text: string }

export interface FeedItem { turn: number; events: TurnEvent[] }

/** One resolved quarter. */
export interface ResolvedQuarter {
  /** state.turn when it resolved (0 for the first quarter) */
  turn: number;
  /** the orders that resolved, after fallbacks and clamping */
  orders: Orders;
  /** in order: proposals, answers and injected events of the quarter, then the resolution's */
  events: TurnEvent[];
  /** the state the resolution started from (after the quarter's diplomacy and injections); a live match keeps it for the last quarter only */
  before?: MatchState;
  /** the state after resolution (likewise) */
  state?: MatchState;
  seq: number;
  /** where each role's order came from (submitted, a draft at the deadline, a bot, last quarter's) */
  sources?: Record<string, OrderSource>;
}

export type { DiplomacyStep } from '../protocol/match.ts';

/** What a match is: rebuilt by `apply` from its settings, rules, seed and log. */
export interface Match {
  /** as created, then changed by the facilitator's `seats` and `plan` entries (team sizes, timers, quarters) */
  settings: MatchSettings;
  /** the rule file, with fewer quarters for a shorter lesson (a `plan` entry may change how many) */
  rules: RuleFile;
  readonly seed: number;
  state: MatchState;
  phase: Phase;
  paused: boolean;
  started: boolean;
  endReason: string | null;
  /** the phase timer (see TimerEntry) */
  timer: { endsAt: number; remaining: number };
  people: Map<string, Person>;
  teams: Record<string, TeamState>;
  chat: ChatMessage[];
  /** events by the turn they happened in */
  feed: FeedItem[];
  quarters: ResolvedQuarter[];
  diplomacy: DiplomacyStep[];
  /** events of the quarter being played (its diplomacy and injections so far) */
  currentEvents: TurnEvent[];
  /** when the facilitator started the session (the start entry's ISO time), or null before */
  startedAt: string | null;
  /** joiners wait for the facilitator's approval; the lobby is locked to newcomers */
  moderation: { approval: boolean; locked: boolean };
  /** seq of the last applied entry */
  lastSeq: number;
  /** keep every quarter's states (a record, a replay); a live room keeps only the last quarter's, to save memory */
  readonly history: boolean;
}

export function newMatch(settings: MatchSettings, rules: RuleFile, seed: number, options: { history?: boolean } = {}): Match {
  const teams: Record<string, TeamState> = {};
  for (const role of rules.roles) teams[role.id] = { draft: null, draftBy: null, submitted: null, submittedBy: null, ready: false, botForced: false, emptySince: 0, lead: null, activity: [] };
  return {
    settings, rules, seed, state: initialState(rules, seed), phase: 'lobby', paused: false, started: false, endReason: null,
    timer: { endsAt: 0, remaining: 0 }, people: new Map(), teams, chat: [], feed: [], quarters: [], diplomacy: [], currentEvents: [], lastSeq: -Infinity, history: options.history ?? true,
    startedAt: null, moderation: { approval: settings.approval === true, locked: false },
  };
}

// ---- questions about a match (pure) ------------------------------------------------------------

export const finished = (m: Match): boolean => m.phase === 'ended';

export const seatsFor = (m: Match, roleId: string): number => m.settings.seats[roleId] ?? 0;

/** People holding a role (not removed), connected or not. */
export function members(m: Match, roleId: string): Person[] {
  const out: Person[] = [];
  for (const p of m.people.values()) if (p.role === roleId && !p.removed) out.push(p);
  return out;
}

export const personality = (m: Match, roleId: string): Personality => m.settings.bots[roleId] ?? 'status-quo';

export const roleName = (m: Match, roleId: string): string => m.rules.roles.find((r) => r.id === roleId)?.name ?? roleId;

/** Invalid submissions an agent-held team may make in one quarter before its bot plays that quarter (referee.ts). */
export const INVALID_SUBMITS_PER_QUARTER = 3;

/** A bot plays a role with no seats, one handed to it, or one whose people are all gone past the take-over time. */
export function botPlays(m: Match, roleId: string, now: number): boolean {
  const team = m.teams[roleId];
  if (team.botForced || seatsFor(m, roleId) === 0 || members(m, roleId).length === 0) return true;
  // the referee handed this quarter to the bot (three invalid submissions by an agent: shared/match/referee.ts)
  if (team.invalid && team.invalid.turn === m.state.turn && team.invalid.count >= INVALID_SUBMITS_PER_QUARTER) return true;
  return team.emptySince !== null && now - team.emptySince >= m.settings.botTakeoverSeconds * 1000;
}

/** Roles people (not bots) play right now: the ones that must be ready or submit before the phase moves on. */
export const humanRoles = (m: Match, now: number): string[] => m.rules.roles.map((r) => r.id).filter((id) => !botPlays(m, id, now));

export function anyoneConnected(m: Match): boolean {
  for (const p of m.people.values()) if (p.connected && !p.removed && !p.spectator) return true;
  return false;
}

/** The member who leads a role's team next when its lead leaves: the earliest to join still on it (or none). */
export function nextLead(m: Match, roleId: string): string | null {
  return members(m, roleId)[0]?.id ?? null;
}

/** May this person submit and take back the team's order: the lead, or anyone on the team while the lead is away (presence). */
export function mayCommit(m: Match, roleId: string, personId: string | null): boolean {
  const lead = m.teams[roleId]?.lead;
  if (!lead || lead === personId) return true;
  const p = m.people.get(lead);
  return !p || p.removed || p.role !== roleId || !p.connected;
}

/** Who may read a chat message: everyone for "all"; team chat its team (and a class's facilitator); else the sender's team, the addressed team and the facilitator. */
export function chatVisibleTo(m: Match, msg: ChatMessage, viewer: { role: string | null; facilitator: boolean }): boolean {
  if (msg.to === 'all') return true;
  if (msg.to === 'team') return viewer.facilitator ? m.settings.mode === 'class' : viewer.role !== null && msg.fromRole === viewer.role;
  if (viewer.facilitator) return m.settings.mode === 'class' || msg.to === 'facilitator';
  if (msg.to === 'facilitator') return viewer.role !== null && msg.fromRole === viewer.role;
  return viewer.role !== null && (msg.to === viewer.role || msg.fromRole === viewer.role);
}

/** Which role a new person gets: the one asked for if it has room, else the emptiest with room, else none (watch). */
export function assignRole(m: Match, wanted: string | undefined): { role: string | null; error?: { code: 'no-such-role' | 'team-full'; message: string } } {
  const open = (id: string) => members(m, id).length < seatsFor(m, id);
  if (wanted !== undefined) {
    if (!m.rules.roles.some((r) => r.id === wanted)) return { role: null, error: { code: 'no-such-role', message: `there is no role "${wanted}" (roles: ${m.rules.roles.map((r) => r.id).join(', ')})` } };
    if (!open(wanted)) return { role: null, error: { code: 'team-full', message: `the ${roleName(m, wanted)} team is full` } };
    return { role: wanted };
  }
  const candidates = m.rules.roles.map((r) => r.id).filter(open);
  if (!candidates.length) return { role: null };
  candidates.sort((a, b) => members(m, a).length - members(m, b).length);
  return { role: candidates[0] };
}
