// Plays one whole match with bots in every seat: negotiation, orders, resolution, ten times over.
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, Orders, TurnEvent } from '../engine/state.ts';
import { initialState } from '../engine/setup.ts';
import { resolveTurn } from '../engine/resolve.ts';
import { propose, respond } from '../engine/diplomacy.ts';
import { botOrder, botAccepts, botProposals, type Personality } from '../bots/personalities.ts';
import { rngFor, STREAM } from '../engine/rng.ts';

export type Seating = Record<string, Personality>;

export interface BotMatchResult {
  state: MatchState;
  /** every turn's events, when asked for */
  log?: { turn: number; orders: Orders; events: TurnEvent[] }[];
}

/** One negotiation round: each bot makes its proposals, each addressee answers at once. */
export function botNegotiation(rules: RuleFile, state: MatchState, seating: Seating): MatchState {
  if (!rules.proposals.length) return state;
  const rng = rngFor(state.seed, state.turn, STREAM.bots, 7);
  let s = state;
  for (const role of rules.roles) {
    const wanted = botProposals(rules, s, role.id, seating[role.id]);
    for (const proposalId of wanted) {
      const to = rules.roles.find((r) => r.side !== role.side && rules.proposals.find((p) => p.id === proposalId)!.binds.some((b) => b.role === r.id))
        ?? rules.roles.find((r) => r.side !== role.side)!;
      const made = propose(rules, s, proposalId, role.id, to.id);
      if (!made.ok) continue;
      s = made.state;
      const pending = s.pending[s.pending.length - 1];
      const answered = respond(rules, s, pending.key, to.id, botAccepts(rules, s, to.id, seating[to.id], rng));
      if (answered.ok) s = answered.state;
    }
  }
  return s;
}

export function botOrders(rules: RuleFile, state: MatchState, seating: Seating): Orders {
  const orders: Orders = {};
  for (const role of rules.roles) {
    const rng = rngFor(state.seed, state.turn, STREAM.bots, role.id.length * 131 + role.id.charCodeAt(0));
    orders[role.id] = botOrder(rules, state, role.id, seating[role.id] ?? 'status-quo', rng);
  }
  return orders;
}

export function runBotMatch(rules: RuleFile, seed: number, seating: Seating, keepLog = false): BotMatchResult {
  let state = initialState(rules, seed);
  const log: BotMatchResult['log'] = keepLog ? [] : undefined;
  while (!state.finished) {
    state = botNegotiation(rules, state, seating);
    const orders = botOrders(rules, state, seating);
    const result = resolveTurn(rules, state, orders);
    log?.push({ turn: state.turn, orders: result.orders, events: result.events });
    state = result.state;
  }
  return { state, log };
}
