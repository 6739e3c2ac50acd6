// Endings: the fallback last, and no ending hidden behind an earlier one whose conditions always hold first.
import { statKind } from '../stats.ts';
import { arr, isObj, push, uniqueIds } from './context.ts';
import type { Ctx } from './context.ts';
import { domain, intersect, within } from './intervals.ts';
import type { Constraint } from './intervals.ts';
import { checkConditions } from './conditions.ts';

export function checkEndings(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.endings, ['endings'], 'ending');
  const endings = arr(ctx.data.endings);
  const constraints = endings.map((e, i) => (isObj(e) ? checkConditions(ctx, e.when, ['endings', i, 'when']) : null));
  const idOf = (i: number) => {
    const e = endings[i];
    return isObj(e) && typeof e.id === 'string' ? e.id : `endings[${i}]`;
  };
  const lastIndex = endings.length - 1;
  const last = endings[lastIndex];
  if (isObj(last) && arr(last.when).length) {
    push(ctx, ['endings', lastIndex, 'when'], 'the last ending is the fallback when no other fits, so it must have no conditions (remove when:, or add a fallback ending after it)');
  }
  for (let j = 0; j < endings.length; j++) {
    const e = endings[j];
    if (!isObj(e)) continue;
    if (j < lastIndex && !arr(e.when).length && constraints[j]) {
      const later = endings.slice(j + 1).map((_, k) => idOf(j + 1 + k));
      push(ctx, ['endings', j], `has no conditions, so it always applies and ${later.join(', ')} can never happen; only the last ending may have no conditions`);
      break;
    }
    const cj = constraints[j];
    if (!cj || !cj.size) continue;
    for (let i = 0; i < j; i++) {
      const ci = constraints[i];
      if (!ci || !ci.size) continue;
      if (covers(ci, cj)) {
        push(ctx, ['endings', j, 'when'], `can never be reached: ${idOf(i)} comes first and its conditions hold whenever these do (endings are checked in order)`);
        break;
      }
    }
  }
}

/** True when every world meeting `inner` also meets `outer`. */
export function covers(outer: Map<string, Constraint>, inner: Map<string, Constraint>): boolean {
  for (const [stat, o] of outer) {
    const n = inner.get(stat);
    if (o.kind === 'equals') {
      if (!n || n.kind !== 'equals' || n.value !== o.value) return false;
      continue;
    }
    const range = n && n.kind === 'range' ? intersect(n.range, domain(statKind(stat))) : domain(statKind(stat));
    if (!within(range, o.range)) return false;
  }
  return true;
}
