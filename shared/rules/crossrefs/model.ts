// The model's numbers that must agree with each other (sweet spot, intelligence error, incident shares, starting values).
import { SIDES } from '../schema.ts';
import { arr, fmt, isObj, num, push } from './context.ts';
import type { Ctx, Obj } from './context.ts';

export function checkModel(ctx: Ctx): void {
  const model = ctx.data.model;
  if (!isObj(model)) return;
  const g = isObj(model.safeguards) ? model.safeguards : {};
  const sweet = arr(g.sweetSpot);
  if (num(sweet[0]) !== undefined && num(sweet[1]) !== undefined && sweet[0]! > sweet[1]!) {
    push(ctx, ['model', 'safeguards', 'sweetSpot'], `the sweet spot is [low, high] in months of lead; ${fmt(sweet[0] as number)} is above ${fmt(sweet[1] as number)}`);
  }
  const intel = isObj(model.intelligence) ? model.intelligence : {};
  if ((num(intel.minError) ?? 0) > (num(intel.baseError) ?? Infinity)) {
    push(ctx, ['model', 'intelligence', 'minError'], `the error floor (${fmt(intel.minError as number)}) is above the error with no spending (baseError ${fmt(intel.baseError as number)}): intelligence money would make estimates worse`);
  }
  const inc = isObj(model.incidents) ? model.incidents : {};
  const major = num(inc.majorShare), cat = num(inc.catastrophicShare);
  if (major !== undefined && cat !== undefined && major + cat > 1) {
    push(ctx, ['model', 'incidents', 'catastrophicShare'], `majorShare + catastrophicShare = ${fmt(major + cat)}: shares of incidents cannot add up to more than 1`);
  }
  const start = isObj(model.start) ? model.start : {};
  const adoption = isObj(model.adoption) ? model.adoption : {};
  const adoptionMax = num(adoption.max), safeguardsMax = num(g.max);
  let adoptionSum = 0;
  for (const side of SIDES) {
    const s = isObj(start[side]) ? (start[side] as Obj) : {};
    const a = num(s.adoption), sg = num(s.safeguards);
    adoptionSum += a ?? 0;
    if (a !== undefined && adoptionMax !== undefined && a > adoptionMax) push(ctx, ['model', 'start', side, 'adoption'], `starts above model.adoption.max (${fmt(adoptionMax)}) and would drop to it in the first quarter`);
    if (sg !== undefined && safeguardsMax !== undefined && sg > safeguardsMax) push(ctx, ['model', 'start', side, 'safeguards'], `starts above model.safeguards.max (${fmt(safeguardsMax)}), which safety spending can never reach again`);
  }
  if (adoptionSum > 1 + 1e-9) push(ctx, ['model', 'start', 'china', 'adoption'], `us and china adoption start at ${fmt(adoptionSum)} together; adoption is a share of the world, so the two add up to 1 at most`);
}
