// Ranges a number can take, for conditions that can never hold and endings that can never be reached.
import type { StatKind } from '../stats.ts';
import { fmt, num } from './context.ts';
import type { Obj } from './context.ts';

export interface Interval { lo: number; loIn: boolean; hi: number; hiIn: boolean }
export const FULL: Interval = { lo: -Infinity, loIn: true, hi: Infinity, hiIn: true };

export function domain(kind: StatKind): Interval {
  if (kind === 'share') return { lo: 0, loIn: true, hi: 1, hiIn: true };
  if (kind === 'count') return { lo: 0, loIn: true, hi: Infinity, hiIn: true };
  return FULL;
}

export function intersect(a: Interval, b: Interval): Interval {
  const out = { ...a };
  if (b.lo > out.lo || (b.lo === out.lo && !b.loIn)) { out.lo = b.lo; out.loIn = b.loIn && (b.lo !== a.lo || a.loIn); }
  if (b.hi < out.hi || (b.hi === out.hi && !b.hiIn)) { out.hi = b.hi; out.hiIn = b.hiIn && (b.hi !== a.hi || a.hiIn); }
  return out;
}

export const isEmpty = (i: Interval) => i.lo > i.hi || (i.lo === i.hi && !(i.loIn && i.hiIn));

/** a ⊆ b */
export function within(a: Interval, b: Interval): boolean {
  const loOk = a.lo > b.lo || (a.lo === b.lo && (b.loIn || !a.loIn));
  const hiOk = a.hi < b.hi || (a.hi === b.hi && (b.hiIn || !a.hiIn));
  return loOk && hiOk;
}

export function conditionInterval(c: Obj): Interval {
  let i = FULL;
  const above = num(c.above), below = num(c.below), atLeast = num(c.atLeast), atMost = num(c.atMost), eq = num(c.equals);
  if (above !== undefined) i = intersect(i, { lo: above, loIn: false, hi: Infinity, hiIn: true });
  if (atLeast !== undefined) i = intersect(i, { lo: atLeast, loIn: true, hi: Infinity, hiIn: true });
  if (below !== undefined) i = intersect(i, { lo: -Infinity, loIn: true, hi: below, hiIn: false });
  if (atMost !== undefined) i = intersect(i, { lo: -Infinity, loIn: true, hi: atMost, hiIn: true });
  if (eq !== undefined) i = intersect(i, { lo: eq, loIn: true, hi: eq, hiIn: true });
  return i;
}

export function describeInterval(i: Interval): string {
  const parts: string[] = [];
  if (i.lo > -Infinity) parts.push(`${i.loIn ? 'at least' : 'above'} ${fmt(i.lo)}`);
  if (i.hi < Infinity) parts.push(`${i.hiIn ? 'at most' : 'below'} ${fmt(i.hi)}`);
  return parts.join(' and ');
}

/** A condition list as one constraint per stat, or null when some condition is malformed. */
export type Constraint = { kind: 'range'; range: Interval } | { kind: 'equals'; value: unknown };
