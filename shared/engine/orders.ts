// Checks an order someone sent against the role's levers, settings and budget, with messages a player can act on.
import { z } from 'zod';
import type { RuleFile } from '../rules/schema.ts';
import { orderSettingShapes, SETTING_IDS } from '../rules/settings.ts';
import type { MatchState, Order } from './state.ts';
import { availableBudget } from './setup.ts';
import { brokenBinding, inForce } from './diplomacy.ts';
import { ruleIndex } from './ruleIndex.ts';
import { closest } from '../rules/suggest.ts';

export type OrderCheck = { ok: true; order: Order; warnings: string[] } | { ok: false; errors: string[] };

const money = z.number({ error: 'must be a number of $B' }).finite('must be a finite number').min(0, 'cannot be negative');

/** The wire shape of an order, before it is checked against a role. */
export const orderShape = z.strictObject({
  spend: z.record(z.string().max(64), money).refine((r) => Object.keys(r).length <= 40, 'at most 40 levers in one order'),
  ...orderSettingShapes(),
  dilemmas: z.record(z.string().max(64), z.string().max(64)).refine((r) => Object.keys(r).length <= 20, 'at most 20 dilemma answers in one order').optional(),
});

/** Validates an order for a role in the current state; warnings name agreements it would break. */
export function checkOrder(rules: RuleFile, state: MatchState, roleId: string, input: unknown): OrderCheck {
  const role = ruleIndex(rules).role[roleId];
  if (!role) return { ok: false, errors: [`there is no role "${roleId}"`] };
  const parsed = orderShape.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'order'}: ${i.message}`) };
  }
  const order = parsed.data as Order;
  const errors: string[] = [];
  const leverIds = role.levers.map((l) => l.id);
  let total = 0;
  for (const [lever, amount] of Object.entries(order.spend)) {
    if (!leverIds.includes(lever)) {
      const hint = closest(lever, leverIds);
      errors.push(`spend.${lever}: ${role.name} has no lever "${lever}"${hint ? ` (did you mean "${hint}"?)` : ''}; its levers are ${leverIds.join(', ')}`);
    }
    total += amount;
  }
  const budget = availableBudget(rules, state, roleId);
  if (total > budget + 1e-6) errors.push(`spend: the order spends $${total.toFixed(2)}B but ${role.name} has $${budget.toFixed(2)}B this quarter`);
  for (const key of SETTING_IDS) {
    if (order[key] !== undefined && !role.settings.includes(key)) errors.push(`${key}: ${role.name} does not set ${key}`);
  }
  if (order.exportTiers) {
    const regionIds = rules.regions.map((r) => r.id);
    for (const region of Object.keys(order.exportTiers)) {
      if (!regionIds.includes(region)) {
        const hint = closest(region, regionIds);
        errors.push(`exportTiers.${region}: there is no region "${region}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
    }
  }
  // an answer to a dilemma that is not waiting (last quarter's, repeated) is ignored with a warning
  const stale: string[] = [];
  if (order.dilemmas) {
    const open = state.dilemmas.filter((d) => d.role === roleId).map((d) => d.cardId);
    for (const [cardId, optionId] of Object.entries(order.dilemmas)) {
      const card = ruleIndex(rules).card[cardId];
      if (!open.includes(cardId)) {
        stale.push(`dilemmas.${cardId}: no dilemma "${cardId}" is waiting for ${role.name}'s answer${open.length ? ` (waiting: ${open.join(', ')})` : ''}; the answer is ignored`);
        continue;
      }
      const ids = card!.dilemma!.options.map((o) => o.id);
      if (!ids.includes(optionId)) {
        const hint = closest(optionId, ids);
        errors.push(`dilemmas.${cardId}: "${optionId}" is not an answer to "${card!.title}"${hint ? ` (did you mean "${hint}"?)` : ''}; the answers are ${ids.join(', ')}`);
      }
    }
  }
  if (errors.length) return { ok: false, errors };
  const warnings: string[] = stale;
  for (const d of state.dilemmas) {
    if (d.role === roleId && order.dilemmas?.[d.cardId] === undefined) {
      const card = ruleIndex(rules).card[d.cardId];
      warnings.push(`"${card?.title ?? d.cardId}" has no answer: it will be "${card?.dilemma?.default}"`);
    }
  }
  for (const a of state.agreements) {
    if (!inForce(a)) continue;
    const p = ruleIndex(rules).proposal[a.proposalId];
    const broken = p && brokenBinding(p, { [roleId]: order });
    if (broken) warnings.push(`this order breaks "${p.title}": it ${broken.why}`);
  }
  return { ok: true, order, warnings };
}
