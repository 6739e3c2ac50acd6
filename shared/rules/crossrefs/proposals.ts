// Proposals: who may propose, how long they run, and what each binding limits.
import { EXPORT_TIERS } from '../schema.ts';
import { closest, didYouMean, listOf } from '../suggest.ts';
import type { PathSegment } from '../positions.ts';
import { arr, fmt, isObj, num, push, roleIdProblem, show, str, uniqueIds } from './context.ts';
import type { Ctx, Obj } from './context.ts';
import { checkEffects } from './conditions.ts';

export function checkProposals(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.proposals, ['proposals'], 'proposal');
  arr(ctx.data.proposals).forEach((p, i) => {
    if (!isObj(p)) return;
    const at: PathSegment[] = ['proposals', i];
    const proposers = new Set<string>();
    arr(p.proposers).forEach((r, k) => {
      if (typeof r !== 'string') return;
      const problem = roleIdProblem(ctx, r);
      if (problem) push(ctx, [...at, 'proposers', k], problem);
      else if (proposers.has(r)) push(ctx, [...at, 'proposers', k], `${r} is listed twice`);
      proposers.add(r);
    });
    const turns = num(p.turns);
    if (turns !== undefined && ctx.turns !== undefined && turns > ctx.turns) {
      push(ctx, [...at, 'turns'], `an agreement of ${turns} quarters cannot run its course in a match of ${ctx.turns} turns`);
    }
    arr(p.binds).forEach((b, k) => {
      if (!isObj(b)) return;
      checkBinding(ctx, b, [...at, 'binds', k]);
    });
    checkEffects(ctx, p.whileHeld, [...at, 'whileHeld']);
    if (!arr(p.binds).length && !arr(p.whileHeld).length && p.safetyAgreement !== true && p.binds !== null && p.whileHeld !== null) {
      push(ctx, at, 'this proposal binds nothing, changes nothing and is not a safety agreement: accepting it would do nothing (add binds, whileHeld or safetyAgreement: true)');
    }
  });
}

export function checkBinding(ctx: Ctx, b: Obj, at: PathSegment[]): void {
  const roleId = str(b.role);
  const role = roleId === undefined ? undefined : ctx.roles.get(roleId);
  if (roleId !== undefined) {
    const problem = roleIdProblem(ctx, roleId);
    if (problem) push(ctx, [...at, 'role'], problem);
  }
  const lever = str(b.lever), setting = str(b.setting), region = str(b.region);
  const hasLimit = b.atMost !== undefined || b.atLeast !== undefined;
  if (lever !== undefined && setting !== undefined) {
    push(ctx, at, 'a binding limits either one lever\'s spend or one setting, not both; split it into two bindings');
    return;
  }
  if (lever === undefined && setting === undefined) {
    push(ctx, at, 'a binding needs either lever: (with atMost or atLeast, in $B a quarter) or setting: (with value)');
    return;
  }
  if (lever !== undefined) {
    if (role && role.leversComplete && !role.levers.has(lever)) {
      const guess = closest(lever, role.levers);
      const owners = [...ctx.roles.values()].filter((r) => r.levers.has(lever)).map((r) => r.id);
      push(ctx, [...at, 'lever'], `${role.id} has no lever "${lever}"${guess ? `; did you mean "${guess}"?` : owners.length ? ` (${owners.join(' and ')} ${owners.length > 1 ? 'have' : 'has'} one; ${role.id}'s levers: ${listOf([...role.levers])})` : ` (its levers: ${listOf([...role.levers])})`}`);
    }
    if (!hasLimit) push(ctx, at, 'a lever binding needs atMost or atLeast (the $B a quarter the role may or must spend on it)');
    if (b.value !== undefined) push(ctx, [...at, 'value'], 'value is for settings; a lever binding uses atMost or atLeast');
    if (region !== undefined) push(ctx, [...at, 'region'], 'region only matters with setting: exportTiers');
    const atLeast = num(b.atLeast), atMost = num(b.atMost);
    if (atLeast !== undefined && atMost !== undefined && atLeast > atMost) push(ctx, [...at, 'atLeast'], `atLeast (${fmt(atLeast)}) is above atMost (${fmt(atMost)}): no spend could keep this agreement`);
    else if (atLeast !== undefined && role?.perTurn !== undefined && atLeast > role.perTurn) {
      push(ctx, [...at, 'atLeast'], `${role.id} has $${fmt(role.perTurn)}B in its first quarter, so it could not spend at least $${fmt(atLeast)}B on ${lever}`);
    }
    return;
  }
  // a setting binding
  const s = setting!;
  if (role && role.settingsKnown && !role.settings.has(s)) {
    const holders = [...ctx.roles.values()].filter((r) => r.settings.has(s)).map((r) => r.id);
    push(ctx, [...at, 'setting'], `${role.id} does not hold the ${s} setting${holders.length ? ` (${holders.join(' and ')} ${holders.length > 1 ? 'hold' : 'holds'} it)` : ''}`);
  }
  if (hasLimit) push(ctx, [...at, b.atMost !== undefined ? 'atMost' : 'atLeast'], 'atMost and atLeast limit lever spend; a setting binding uses value');
  if (s === 'exportTiers') {
    if (region === undefined) push(ctx, at, 'an exportTiers binding needs region: (the region whose tier is fixed)');
    else if (ctx.regionsComplete && !ctx.regions.has(region)) push(ctx, [...at, 'region'], `there is no region "${region}"${didYouMean(region, ctx.regions.keys()) || ` (regions: ${listOf([...ctx.regions.keys()])})`}`);
    if (b.value === undefined) push(ctx, at, `an exportTiers binding needs value: ${EXPORT_TIERS.join(', ')}`);
    else if (typeof b.value !== 'string' || !(EXPORT_TIERS as readonly string[]).includes(b.value)) {
      const guess = typeof b.value === 'string' ? closest(b.value, EXPORT_TIERS) : null;
      push(ctx, [...at, 'value'], `${show(b.value)} is not an export tier${guess ? `; did you mean "${guess}"?` : ` (tiers: ${EXPORT_TIERS.join(', ')})`}`);
    }
    return;
  }
  if (region !== undefined) push(ctx, [...at, 'region'], 'region only matters with setting: exportTiers');
  if (s === 'globalLicensing' || s === 'openWeights') {
    if (typeof b.value !== 'boolean') push(ctx, b.value === undefined ? at : [...at, 'value'], `a binding on ${s} needs value: true or value: false${b.value === undefined ? '' : `, not ${show(b.value)}`}`);
  } else if (s === 'hubCompliance') {
    const v = num(b.value);
    if (v === undefined || v < 0 || v > 1) push(ctx, b.value === undefined ? at : [...at, 'value'], `a hubCompliance binding needs value: a share between 0 and 1${b.value === undefined ? '' : `, not ${show(b.value)}`}`);
  }
}
