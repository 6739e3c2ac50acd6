// An order as it resolved, with every setting its role holds written out (the ones it left alone at their value then).
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, Order } from '../engine/state.ts';
import { completeSettings } from '../rules/settings.ts';

/**
 * The order with each of the role's settings filled in (every setting of shared/rules/settings.ts the role holds;
 * export tiers for every region), taken from `before` (the state it resolved from) where the order left them out.
 * Any other field of the order (a later addition to Order) is kept as it was.
 */
export function completeOrder(rules: RuleFile, before: MatchState, roleId: string, order: Order): Order {
  const role = rules.roles.find((r) => r.id === roleId);
  if (!role) return order;
  const out: Order = { ...order, spend: { ...order.spend } };
  for (const l of role.levers) out.spend[l.id] ??= 0;
  return { ...out, ...completeSettings(rules, before, role.settings, order) };
}
