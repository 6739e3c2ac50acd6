// Events: ids, conditions and effects.
import { arr, isObj, uniqueIds } from './context.ts';
import type { Ctx } from './context.ts';
import { checkConditions, checkEffects } from './conditions.ts';

export function checkEvents(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.events, ['events'], 'event');
  arr(ctx.data.events).forEach((e, i) => {
    if (!isObj(e)) return;
    checkConditions(ctx, e.when, ['events', i, 'when']);
    checkEffects(ctx, e.effects, ['events', i, 'effects']);
  });
}
