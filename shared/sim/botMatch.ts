// Plays one whole match with bots in every seat: negotiation, orders, resolution, ten times over.
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, Order, Orders, TurnEvent } from '../engine/state.ts';
import { initialState } from '../engine/setup.ts';
import { resolveTurnInPlace } from '../engine/resolve.ts';
import { offerQuietly, respondQuietly, mayOfferQuietly, proposeRefusedQuietly } from '../engine/diplomacy.ts';
import { botOrderOf, botSeatsOf, botAccepts, botProposalsOf, type Personality } from '../bots/personalities.ts';
import { rngFor, STREAM, type Rng } from '../engine/rng.ts';
import { isPlanner } from '../bots/planner.ts';

const NO_DICE: Rng = {
  next: () => { throw new Error('this personality rolls no dice for its orders'); },
  normal: () => { throw new Error('this personality rolls no dice for its orders'); },
};

export type Seating = Record<string, Personality>;

export interface BotMatchResult {
  state: MatchState;
  /** every turn's events, when asked for */
  log?: { turn: number; orders: Orders; events: TurnEvent[] }[];
}

/** One negotiation round: each bot makes its proposals, each addressee answers at once (changes `state`). */
export function botNegotiation(rules: RuleFile, state: MatchState, seating: Seating): MatchState {
  if (!rules.proposals.length) return state;
  // made at the first answer: most quarters nobody proposes anything (the same seed gives the same draws either way)
  let rng: Rng | null = null;
  const s = state;
  const bots = botSeatsOf(rules).roles;
  for (let j = 0; j < rules.roles.length; j++) {
    const role = rules.roles[j];
    for (const offer of botProposalsOf(rules, s, bots[j], seating[role.id])) {
      if (inForceAlready(s, offer.proposalId)) continue;
      const answerer = seating[offer.to];
      if (!isPlanner(answerer)) {
        // a scripted bot's answer reads nothing of the proposal: asked first, a refusal needs no entry made and removed
        if (!mayOfferQuietly(rules, s, offer, role.id)) continue;
        rng ??= rngFor(state.seed, state.turn, STREAM.bots, 7);
        if (!botAccepts(rules, s, offer.to, answerer, rng)) {
          proposeRefusedQuietly(s);
          continue;
        }
        const made = offerQuietly(rules, s, offer, role.id)!;
        respondQuietly(rules, s, made.key, offer.to, true);
        if (s.pending.length) ratify(rules, s, seating, offer.proposalId, rng);
        continue;
      }
      // bots read no events: the quiet forms change the state alike without writing the sentences
      const pending = offerQuietly(rules, s, offer, role.id);
      if (!pending) continue;
      rng ??= rngFor(state.seed, state.turn, STREAM.bots, 7);
      respondQuietly(rules, s, pending.key, offer.to, botAccepts(rules, s, offer.to, seating[offer.to], rng));
      if (s.pending.length) ratify(rules, s, seating, offer.proposalId, rng);
    }
  }
  return s;
}

/** The roles an accepted deal binds that were not party to it (and any government it needs) answer too, as bots do in a match. */
function ratify(rules: RuleFile, s: MatchState, seating: Seating, proposalId: string, rng: Rng): void {
  for (const ask of s.pending.filter((x) => x.ratify && x.proposalId === proposalId)) {
    respondQuietly(rules, s, ask.key, ask.to, botAccepts(rules, s, ask.to, seating[ask.to], rng));
  }
}

function inForceAlready(s: MatchState, proposalId: string): boolean {
  for (const a of s.agreements) if (a.proposalId === proposalId) return true;
  return false;
}

// the quarter's orders by role position before they are made into the record (scratch: one quarter at a time)
const MADE: Order[] = [];

export function botOrders(rules: RuleFile, state: MatchState, seating: Seating): Orders {
  const roles = rules.roles;
  const made = MADE;
  // each role's bot record by position: one lookup a quarter, not one an order
  const seats = botSeatsOf(rules);
  const bots = seats.roles;
  for (let j = 0; j < roles.length; j++) {
    const role = roles[j];
    const personality = seating[role.id] ?? 'status-quo';
    // only the random bot and the planners roll dice for their orders: the others are given none to make
    const rng = personality === 'random' || isPlanner(personality) ? rngFor(state.seed, state.turn, STREAM.bots, role.id.length * 131 + role.id.charCodeAt(0)) : NO_DICE;
    made[j] = botOrderOf(rules, state, bots[j], personality, rng);
  }
  // keyed by role id in rule order, made in one step
  const orders = seats.orders.make(made);
  return orders;
}

/** With `texts: false` the log's events carry no sentences (see resolveTurnInPlace); the state is the same.
 *  `onEvents` sees each quarter's events as they happen (the simulator's records need no log kept).
 *  With `charts: false` the state's timeline keeps only its starting point (see resolveTurnInPlace): for seatings
 *  without a planner, whose views read it. With `news: false` the events are only the cards' and the ending. */
export function runBotMatch(rules: RuleFile, seed: number, seating: Seating, keepLog = false, texts = true,
  onEvents?: (events: TurnEvent[]) => void, charts = true, news = true): BotMatchResult {
  const state = initialState(rules, seed);
  const log: BotMatchResult['log'] = keepLog ? [] : undefined;
  while (!state.finished) {
    const turn = state.turn;
    botNegotiation(rules, state, seating);
    const orders = botOrders(rules, state, seating);
    // the bots' orders are made afresh each quarter and never touched again: resolution may keep them as they are
    const result = resolveTurnInPlace(rules, state, orders, undefined, texts, true, charts, news);
    log?.push({ turn, orders: result.orders, events: result.events });
    onEvents?.(result.events);
  }
  return { state, log };
}
