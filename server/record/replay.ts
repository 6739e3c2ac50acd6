// Rebuilds the engine side of a match from its log: the same rules, seed and accepted changes give the same state.
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { MatchState, Orders, TurnEvent } from '../../shared/engine/state.ts';
import { quarterLabel } from '../../shared/engine/state.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { propose, respond } from '../../shared/engine/diplomacy.ts';
import { injectEvent } from '../../shared/engine/deck.ts';
import type { MatchHeader, StoredEntry } from '../store/types.ts';

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
}

export type DiplomacyStep =
  | { kind: 'propose'; seq: number; at: string; turn: number; key: number; proposalId: string; from: string; to: string; by: string }
  | { kind: 'respond'; seq: number; at: string; turn: number; key: number; proposalId: string; from: string; to: string; accept: boolean; by: string };

export interface Replay {
  /** the state now */
  state: MatchState;
  turns: ReplayedTurn[];
  diplomacy: DiplomacyStep[];
  /** the quarter being played (not resolved yet) and the events of its diplomacy and injections so far */
  current: { turn: number; quarter: string; events: TurnEvent[] };
}

/** A log the engine refuses: the entry at `seq` cannot have been accepted from the state before it. */
export class ReplayError extends Error {
  readonly seq: number;
  constructor(seq: number, message: string) {
    super(`corrupted match log at seq ${seq}: ${message}`);
    this.name = 'ReplayError';
    this.seq = seq;
  }
}

/**
 * Replays the engine entries (propose, respond, inject, resolve) of a match log from
 * initialState(rules, header.seed); every other entry is ignored. Pure: the arguments are not changed.
 * An entry's `turn` must be the state's turn (quarters resolved before it), and a resolve entry's
 * orders are the orders given to resolveTurn (before fitting), so replay resolves exactly as live play did.
 */
export function replayMatch(rules: RuleFile, header: Pick<MatchHeader, 'seed'>, entries: readonly StoredEntry[]): Replay {
  let state = initialState(rules, header.seed);
  const turns: ReplayedTurn[] = [];
  const diplomacy: DiplomacyStep[] = [];
  let events: TurnEvent[] = [];
  let lastSeq = -Infinity;

  for (const { seq, at, entry } of entries) {
    if (!(seq > lastSeq)) throw new ReplayError(seq, `entries are out of order (seq ${seq} after ${lastSeq})`);
    lastSeq = seq;
    const fail = (why: string): never => { throw new ReplayError(seq, `${entry.kind}: ${why}`); };
    const sameTurn = (turn: number) => {
      if (turn !== state.turn) fail(`the entry is for turn ${turn} but the match is at turn ${state.turn}`);
    };
    switch (entry.kind) {
      case 'propose': {
        sameTurn(entry.turn);
        const key = state.nextProposalKey;
        const r = propose(rules, state, entry.proposalId, entry.from, entry.to);
        if (!r.ok) fail(r.error);
        else {
          state = r.state;
          events.push(...r.events);
          diplomacy.push({ kind: 'propose', seq, at, turn: entry.turn, key, proposalId: entry.proposalId, from: entry.from, to: entry.to, by: entry.by });
        }
        break;
      }
      case 'respond': {
        sameTurn(entry.turn);
        const pending = state.pending.find((p) => p.key === entry.key);
        const r = respond(rules, state, entry.key, entry.role, entry.accept);
        if (!r.ok) fail(r.error);
        else {
          state = r.state;
          events.push(...r.events);
          diplomacy.push({ kind: 'respond', seq, at, turn: entry.turn, key: entry.key, proposalId: pending!.proposalId, from: pending!.from, to: pending!.to, accept: entry.accept, by: entry.by });
        }
        break;
      }
      case 'inject': {
        sameTurn(entry.turn);
        const r = injectEvent(rules, state, entry.cardId);
        if (!r.ok) fail(r.error);
        else {
          state = r.state;
          events.push(...r.events);
        }
        break;
      }
      case 'resolve': {
        sameTurn(entry.turn);
        if (!entry.orders || typeof entry.orders !== 'object') fail('the entry has no orders');
        const before = state;
        let result: ReturnType<typeof resolveTurn>;
        try {
          result = resolveTurn(rules, before, entry.orders);
        } catch (err) {
          return fail(err instanceof Error ? err.message : String(err));
        }
        state = result.state;
        turns.push({ turn: before.turn, quarter: quarterLabel(rules, before.turn), orders: result.orders, events: events.concat(result.events), before, state, seq });
        events = [];
        break;
      }
      default:
        // people, seats, chat, drafts, submissions, phases, pauses and the end do not touch the engine
        break;
    }
  }
  return {
    state, turns, diplomacy,
    current: { turn: state.turn, quarter: quarterLabel(rules, Math.min(state.turn, rules.calendar.turns - 1)), events },
  };
}

