// An order as it resolved, with every setting its role holds written out (the ones it left alone at their value then).
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, Order } from '../engine/state.ts';

/**
 * The order with each of the role's settings filled in: export tiers for every region, global licensing,
 * open weights, hub compliance, taken from `before` (the state it resolved from) where the order left them out.
 * Any other field of the order (a later addition to Order) is kept as it was.
 */
export function completeOrder(rules: RuleFile, before: MatchState, roleId: string, order: Order): Order {
  const role = rules.roles.find((r) => r.id === roleId);
  if (!role) return order;
  const out: Order = { ...order, spend: { ...order.spend } };
  for (const l of role.levers) out.spend[l.id] ??= 0;
  const holds = new Set<string>(role.settings);
  if (holds.has('exportTiers')) {
    const tiers = { ...order.exportTiers };
    for (const r of rules.regions) tiers[r.id] ??= before.regions[r.id].tier;
    out.exportTiers = tiers;
  }
  if (holds.has('globalLicensing')) out.globalLicensing ??= before.globalLicensing;
  if (holds.has('openWeights')) out.openWeights ??= before.openWeights;
  const hub = rules.regions.find((r) => r.alignment === 'tier2');
  if (holds.has('hubCompliance') && hub) out.hubCompliance ??= before.regions[hub.id].compliance;
  return out;
}
