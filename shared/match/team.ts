// A team at work: where its order comes from at the deadline, what each change to its draft touched, and what its side is told.
import type { RuleFile } from '../rules/schema.ts';
import type { Order, TurnEvent } from '../engine/state.ts';
import type { OrderSource } from '../protocol/match.ts';
import type { LogEntry } from './log.ts';
import { botPlays, type Match } from './match.ts';
import { ordersToResolve } from './bots.ts';
import { completeOrder } from './orders.ts';
import { statusQuoOrder } from '../engine/setup.ts';

/**
 * Where each role's order comes from if the quarter resolved now. A team that has not pressed Submit still has its
 * saved draft submitted (no order is lost at the deadline); a bot plays a role people do not; a team with neither keeps
 * last quarter's order (the engine's fallback). A role handed to its bot by the facilitator leaves its draft aside.
 */
export function orderSources(m: Match, now: number): Record<string, OrderSource> {
  const out: Record<string, OrderSource> = {};
  for (const role of m.rules.roles) {
    const team = m.teams[role.id];
    if (team.submitted) out[role.id] = 'submitted';
    else if (team.draft && !team.botForced) out[role.id] = 'draft';
    else if (botPlays(m, role.id, now)) out[role.id] = 'bot';
    else out[role.id] = 'previous';
  }
  return out;
}

/** The entry that resolves the quarter now: submissions, else saved drafts, else bots, else the engine's fallback; and where each came from. */
export function resolveEntry(m: Match, now: number): LogEntry {
  const sources = orderSources(m, now);
  const orders = ordersToResolve(m, now);
  for (const role of m.rules.roles) if (sources[role.id] === 'draft') orders[role.id] = m.teams[role.id].draft!;
  return { kind: 'resolve', turn: m.state.turn, orders, sources };
}

/**
 * What a team's order starts from this quarter before anyone drafts: last quarter's order, or the status-quo split
 * (what the orders panel shows), so the first draft is credited with what it changed, not with every lever.
 */
export function startingOrder(m: Match, roleId: string): Order {
  return m.state.roles[roleId]?.lastOrder ?? statusQuoOrder(m.rules, m.state, roleId);
}

/** The levers and settings a team's order changed from the one before (`null`: from its starting order). */
export function teamChanges(m: Match, roleId: string, before: Order | null, after: Order): string[] {
  const complete = (o: Order) => completeOrder(m.rules, m.state, roleId, o);
  return changedFields(complete(before ?? startingOrder(m, roleId)), complete(after));
}

/** The levers and settings an order changed from the one before (every one it sets, when there was none); spending to the cent. */
export function changedFields(before: Order | null, after: Order): string[] {
  const out: string[] = [];
  const spend = new Set([...Object.keys(before?.spend ?? {}), ...Object.keys(after.spend)]);
  // the panel rounds to the cent and fits a repeated order to the budget: a change under a cent is none
  for (const k of spend) if (Math.abs((before?.spend[k] ?? 0) - (after.spend[k] ?? 0)) >= 0.01) out.push(k);
  const b = (before ?? {}) as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (k === 'spend') continue;
    if (JSON.stringify(b[k]) !== JSON.stringify(a[k])) out.push(k);
  }
  return out;
}

const SAID: Partial<Record<OrderSource, (name: string) => { title: string; text: string }>> = {
  draft: (name) => ({ title: 'Draft submitted at the deadline', text: `${name} had not pressed Submit: its saved draft was submitted when time ran out.` }),
  previous: (name) => ({ title: 'No order at the deadline', text: `${name} had neither submitted nor saved a draft: last quarter's order was kept.` }),
};

/** What a side is told about its teams' orders that the rule submitted (a saved draft, or last quarter's order). */
export function deadlineEvents(rules: RuleFile, sources: Record<string, OrderSource> | undefined): TurnEvent[] {
  if (!sources) return [];
  const out: TurnEvent[] = [];
  for (const role of rules.roles) {
    const say = SAID[sources[role.id]];
    if (say) out.push({ kind: 'policy', ...say(role.name), visibleTo: role.side, ref: `order-${sources[role.id]}:${role.id}` });
  }
  return out;
}
