// Rebuilds a match from its log with the match core's one `apply`, in the shape the record and the exports read.
import type { OrderSource } from '../../shared/protocol/match.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { MatchState, Orders, TurnEvent } from '../../shared/engine/state.ts';
import { quarterLabel } from '../../shared/engine/state.ts';
import { apply, MatchLogError } from '../../shared/match/apply.ts';
import { newMatch, type Match, type DiplomacyStep } from '../../shared/match/match.ts';
import type { MatchHeader, StoredEntry } from '../store/types.ts';

export type { DiplomacyStep } from '../../shared/match/match.ts';

/** One resolved quarter. */
export interface ReplayedTurn {
  /** state.turn when it resolved (0 for the first quarter) */
  turn: number;
  /** "Q3 2026" */
  quarter: string;
  /** the orders that resolved, after fallbacks and clamping (the engine's TurnResult.orders) */
  orders: Orders;
  /** in order: proposals, answers and injected events of the quarter, then the resolution's */
  events: TurnEvent[];
  /** the state the resolution started from (after the quarter's diplomacy and injections) */
  before: MatchState;
  /** the state after resolution */
  state: MatchState;
  /** seq of the resolve entry */
  seq: number;
  /** where each role's order came from (submitted by the deadline, or by rule); absent in logs from before it */
  sources?: Record<string, OrderSource>;
}

export interface Replay {
  /** the state now */
  state: MatchState;
  turns: ReplayedTurn[];
  diplomacy: DiplomacyStep[];
  /** the quarter being played (not resolved yet) and the events of its diplomacy and injections so far */
  current: { turn: number; quarter: string; events: TurnEvent[] };
  /** the whole match as the log built it (people, chat, phase, timer, end reason) */
  match: Match;
}

/** A log the match core refuses (the same error `apply` throws). */
export const ReplayError = MatchLogError;
export type ReplayError = MatchLogError;

/** Replays a whole log from the start. Pure: the arguments are not changed. */
export function replayMatch(rules: RuleFile, header: Pick<MatchHeader, 'seed' | 'settings'> | Pick<MatchHeader, 'seed'>, entries: readonly StoredEntry[]): Replay {
  const settings = 'settings' in header ? header.settings : { mode: 'online', visibility: 'private', rulesName: '', seats: {}, bots: {}, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 }, botTakeoverSeconds: 120 } as const;
  const m = newMatch(settings as Match['settings'], rules, header.seed);
  for (const e of entries) apply(m, e);
  return {
    state: m.state,
    turns: m.quarters.map((q) => ({ ...q, before: q.before!, state: q.state!, quarter: quarterLabel(rules, q.turn) })),
    diplomacy: m.diplomacy,
    current: { turn: m.state.turn, quarter: quarterLabel(rules, Math.min(m.state.turn, rules.calendar.turns - 1)), events: m.currentEvents },
    match: m,
  };
}
