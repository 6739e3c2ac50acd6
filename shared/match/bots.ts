// What the bots do in a match: orders for the roles they play, proposals when negotiation opens, answers to proposals.
import type { MatchState, Orders } from '../engine/state.ts';
import { proposalBlocked, propose, respond } from '../engine/diplomacy.ts';
import { botOrder, botAccepts, botProposals } from '../bots/personalities.ts';
import { rngFor, STREAM } from '../engine/rng.ts';
import type { LogEntry } from './log.ts';
import { botPlays, personality, type Match } from './match.ts';

/** The orders that resolve now: submissions, bots for bot-held roles, otherwise the engine's fallback (last order). */
export function ordersToResolve(m: Match, now: number): Orders {
  const orders: Orders = {};
  for (const role of m.rules.roles) {
    const team = m.teams[role.id];
    if (team.submitted) orders[role.id] = team.submitted;
    else if (botPlays(m, role.id, now)) {
      const rng = rngFor(m.state.seed, m.state.turn, STREAM.bots, role.id.length * 131 + role.id.charCodeAt(0));
      orders[role.id] = botOrder(m.rules, m.state, role.id, personality(m, role.id), rng);
    }
  }
  return orders;
}

/** Proposals bots make when negotiation opens, as log entries (each still to be checked against the state it meets). */
export function botProposalEntries(m: Match, now: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (const role of m.rules.roles) {
    if (!botPlays(m, role.id, now)) continue;
    for (const offer of botProposals(m.rules, m.state, role.id, personality(m, role.id))) {
      out.push({ kind: 'propose', turn: m.state.turn, proposalId: offer.proposalId, from: role.id, to: offer.to, by: 'bot' });
    }
  }
  return out;
}

/** A bot's answer to a pending proposal made to its role (in `state`, the match's by default), or null when people hold the role. */
export function botAnswer(m: Match, key: number, now: number, state: MatchState = m.state): LogEntry | null {
  const pending = state.pending.find((p) => p.key === key);
  if (!pending || !botPlays(m, pending.to, now)) return null;
  const rng = rngFor(state.seed, state.turn, STREAM.bots, 1000 + key);
  const accept = botAccepts(m.rules, state, pending.to, personality(m, pending.to), rng);
  return { kind: 'respond', turn: state.turn, key, role: pending.to, accept, by: 'bot' };
}

/**
 * When negotiation opens: each bot's proposals, in role order, each followed by the answer of a bot it is made to.
 * A proposal blocked by the ones before it (an agreement just made, one already pending) is left out; the
 * diplomacy is played out on a copy of the state (the engine's functions return new states), so the entries
 * are exactly those `apply` will accept in this order.
 */
export function negotiationOpens(m: Match, now: number): LogEntry[] {
  const out: LogEntry[] = [];
  let state = m.state;
  for (const offer of botProposalEntries(m, now)) {
    if (offer.kind !== 'propose' || proposalBlocked(m.rules, state, offer.proposalId, offer.from, offer.to)) continue;
    const made = propose(m.rules, state, offer.proposalId, offer.from, offer.to);
    if (!made.ok) continue;
    state = made.state;
    out.push(offer);
    const answer = botAnswer(m, state.pending[state.pending.length - 1].key, now, state);
    if (answer?.kind !== 'respond') continue;
    const answered = respond(m.rules, state, answer.key, answer.role, answer.accept);
    if (!answered.ok) continue;
    state = answered.state;
    out.push(answer);
  }
  return out;
}
