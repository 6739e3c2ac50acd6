// Stat names used in a condition, objective or effect: which may be read or changed, and what to say when one is wrong.
import { closest, listOf } from '../suggest.ts';
import type { Ctx } from './context.ts';

export function sideStatsOf(set: Set<string>, side: string): string[] {
  return [...set].filter((s) => s.startsWith(`${side}.`)).map((s) => s.slice(side.length + 1));
}

export function statSummary(set: Set<string>): string {
  const world = [...set].filter((s) => !s.includes('.'));
  const side = sideStatsOf(set, 'us');
  const region = [...new Set([...set].filter((s) => s.startsWith('region.')).map((s) => s.split('.')[2]))];
  const role = [...new Set([...set].filter((s) => s.startsWith('role.')).map((s) => s.split('.')[2]))];
  const parts = [world.join(', '), `us.<x> and china.<x> for ${side.join(', ')}`];
  if (region.length) parts.push(`region.<id>.${region.join('|')}`);
  if (role.length) parts.push(`role.<id>.${role.join('|')}`);
  return parts.join('; ');
}

/** Why a stat name cannot be used this way, or null when it can. */
export function statProblem(ctx: Ctx, stat: string, use: 'read' | 'write'): string | null {
  const allowed = use === 'read' ? ctx.readable : ctx.writable;
  if (allowed.has(stat)) return null;
  const parts = stat.split('.');
  // a region or role we could not read is reported elsewhere; do not guess about its stats
  if (parts[0] === 'region' && !ctx.regionsComplete) return null;
  if (parts[0] === 'role' && !ctx.rolesComplete) return null;
  const other = use === 'read' ? ctx.writable : ctx.readable;
  if (other.has(stat)) {
    return use === 'read'
      ? `${stat} can be changed by effects but not read in a condition or objective`
      : `${stat} can be read but not changed by an effect (effects may change: ${statSummary(ctx.writable)})`;
  }
  const guess = closest(stat, allowed) ?? closest(stat, other);
  if (guess) return `unknown stat "${stat}"; did you mean "${guess}"?`;
  if (parts[0] === 'region') {
    if (parts.length === 3 && !ctx.regions.has(parts[1])) return `there is no region "${parts[1]}" (regions: ${listOf([...ctx.regions.keys()])})`;
    return `a region stat is written region.<id>.compliance or region.<id>.tier, not "${stat}"`;
  }
  if (parts[0] === 'role') {
    if (parts.length === 3 && !ctx.roles.has(parts[1])) return `there is no role "${parts[1]}" (roles: ${listOf([...ctx.roles.keys()])})`;
    return `a role stat is written role.<id>.budget, not "${stat}"`;
  }
  if (parts[0] === 'us' || parts[0] === 'china') {
    return `unknown stat "${stat}": a side's stats are ${listOf(sideStatsOf(allowed, parts[0]), 20)}`;
  }
  return `unknown stat "${stat}" (stats: ${statSummary(allowed)})`;
}
