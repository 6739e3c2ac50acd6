// Roles: ids, sides, status-quo shares, budgets, the settings each holds, levers with nothing to act on, and objectives.
import { SIDES } from '../schema.ts';
import { statKind } from '../stats.ts';
import type { PathSegment } from '../positions.ts';
import { ID, arr, fmt, isObj, num, push, str, uniqueIds } from './context.ts';
import type { Ctx, Obj } from './context.ts';
import { statProblem } from './statNames.ts';

export function collectRoles(ctx: Ctx): void {
  const roles = ctx.data.roles;
  ctx.rolesComplete = Array.isArray(roles);
  arr(roles).forEach((r, i) => {
    const id = isObj(r) ? str(r.id) : undefined;
    if (!isObj(r) || id === undefined || !ID.test(id)) { ctx.rolesComplete = false; return; }
    if (ctx.roles.has(id)) return;
    const levers = new Set<string>();
    let leversComplete = Array.isArray(r.levers);
    for (const l of arr(r.levers)) {
      if (isObj(l) && typeof l.id === 'string' && ID.test(l.id)) levers.add(l.id);
      else leversComplete = false;
    }
    const settings = new Set<string>();
    for (const s of arr(r.settings)) if (typeof s === 'string') settings.add(s);
    ctx.roles.set(id, { index: i, id, side: str(r.side), levers, leversComplete, settings, settingsKnown: r.settings === undefined || (Array.isArray(r.settings) && r.settings.every((x) => typeof x === 'string')), perTurn: isObj(r.budget) ? num(r.budget.perTurn) : undefined });
  });
  const regions = ctx.data.regions;
  ctx.regionsComplete = Array.isArray(regions);
  arr(regions).forEach((r, i) => {
    const id = isObj(r) ? str(r.id) : undefined;
    if (!isObj(r) || id === undefined || !ID.test(id)) { ctx.regionsComplete = false; return; }
    if (!ctx.regions.has(id)) ctx.regions.set(id, { index: i, id, alignment: str(r.alignment) });
  });
}

export function checkSides(ctx: Ctx): void {
  if (!Array.isArray(ctx.data.roles)) return;
  const sides = isObj(ctx.data.sides) ? ctx.data.sides : {};
  const roleSides = arr(ctx.data.roles).map((r) => (isObj(r) ? r.side : undefined));
  if (roleSides.some((s) => typeof s !== 'string')) return;
  for (const side of SIDES) {
    if (roleSides.includes(side)) continue;
    const name = isObj(sides[side]) ? str((sides[side] as Obj).name) : undefined;
    push(ctx, ['roles'], `no role plays the "${side}" side${name ? ` (${name})` : ''}; each side needs at least one role`);
  }
}

export function checkRoles(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.roles, ['roles'], 'role');
  const settingHolder = new Map<string, string>();
  const regions = arr(ctx.data.regions).filter(isObj);
  const model = isObj(ctx.data.model) ? ctx.data.model : {};
  const chips = isObj(model.chips) ? model.chips : {};
  arr(ctx.data.roles).forEach((role, i) => {
    if (!isObj(role)) return;
    const at: PathSegment[] = ['roles', i];
    const id = str(role.id) ?? `roles[${i}]`;
    const side = str(role.side);
    uniqueIds(ctx, role.levers, [...at, 'levers'], 'lever');

    // the status-quo split must be spendable
    const levers = arr(role.levers).filter(isObj);
    const shares = levers.map((l) => (l.statusQuo === undefined ? 0 : num(l.statusQuo)));
    if (levers.length && shares.every((s) => s !== undefined)) {
      const sum = (shares as number[]).reduce((a, b) => a + b, 0);
      if (sum > 1 + 1e-9) push(ctx, [...at, 'levers'], `the levers' statusQuo shares add up to ${fmt(sum)}: a status-quo player cannot spend more than its whole budget (keep the sum at 1 or less)`);
      else if (sum === 0) push(ctx, [...at, 'levers'], 'no lever has a statusQuo share, so a status-quo player (and an empty seat) would spend nothing; give each lever its share of the 2026 budget');
    }

    // budgets that grow or shrink out of all proportion over the match
    const budget = isObj(role.budget) ? role.budget : {};
    const perTurn = num(budget.perTurn), growth = budget.growth === undefined ? 1 : num(budget.growth);
    const turns = ctx.turns;
    if (perTurn !== undefined && growth !== undefined && growth > 0 && turns !== undefined && turns > 1) {
      const ratio = Math.pow(growth, turns - 1);
      const last = perTurn * ratio;
      // compounding is expected in long matches; flag rates that make a budget explode or vanish
      if (ratio > 10 && growth > 1.1) push(ctx, [...at, 'budget', 'growth'], `a budget growing ${fmt(growth)}× a quarter reaches $${fmt(last)}B by quarter ${turns}, ${fmt(ratio)}× the first; keep growth near 1 (1.03 is 3% a quarter)`);
      else if (ratio < 0.1 && growth < 0.9) push(ctx, [...at, 'budget', 'growth'], `a budget shrinking ${fmt(growth)}× a quarter is down to $${fmt(last)}B by quarter ${turns}, ${fmt(ratio)}× the first; keep growth near 1`);
    }

    // settings: each held once, by a role that can use it
    const seen = new Set<string>();
    arr(role.settings).forEach((s, k) => {
      if (typeof s !== 'string') return;
      const sp = [...at, 'settings', k];
      if (seen.has(s)) { push(ctx, sp, `${s} is listed twice`); return; }
      seen.add(s);
      const holder = settingHolder.get(s);
      if (holder !== undefined) push(ctx, sp, `${s} is already held by ${holder}; two roles setting it would overwrite each other's orders`);
      else settingHolder.set(s, id);
      if ((s === 'exportTiers' || s === 'globalLicensing') && side === 'china') {
        push(ctx, sp, `${s} is US export policy (who may buy US-aligned chips); only a role on the us side can hold it`);
      } else if (s === 'openWeights' && side === 'us') {
        push(ctx, sp, 'openWeights switches open-weight releases of Chinese models (the engine applies it to the china side); only a role on the china side can hold it');
      } else if (s === 'exportTiers' && regions.length && !regions.some((r) => r.alignment === 'china' || r.alignment === 'tier2')) {
        push(ctx, sp, 'no region is aligned with china or tier2, so export tiers have no region to act on');
      } else if (s === 'hubCompliance' && regions.length && !regions.some((r) => r.alignment === 'tier2')) {
        push(ctx, sp, 'no region is aligned with tier2, so hub compliance has no hub to act on');
      }
    });

    // levers whose mechanism has nothing to work with
    arr(role.levers).forEach((l, k) => {
      if (!isObj(l)) return;
      const lp = [...at, 'levers', k, 'effect'];
      if (l.effect === 'chips' && side === 'us' && regions.length && regions.every((r) => r.alignment !== 'us' || !(num(r.chipProduction) ?? 0))) {
        push(ctx, lp, 'no us-aligned region has chipProduction, so US chip purchases find nothing to buy');
      }
      if (l.effect === 'greyMarket' && regions.length && !regions.some((r) => r.alignment === 'tier2' && (num(r.chipImports) ?? 0) > 0)) {
        push(ctx, lp, 'no tier2 hub has chipImports, so grey-market money finds no chips to divert');
      }
      const lag = num(chips.fabLag);
      if (l.effect === 'fabs' && lag !== undefined && turns !== undefined && lag >= turns) {
        push(ctx, lp, `fabs deliver after model.chips.fabLag = ${lag} quarters, but the match lasts ${turns}: fab money would never become chips`);
      }
    });

    // objectives read numbers
    arr(role.objectives).forEach((o, k) => {
      if (!isObj(o)) return;
      const op = [...at, 'objectives', k];
      const stat = str(o.stat);
      if (stat) {
        const problem = statProblem(ctx, stat, 'read');
        if (problem) push(ctx, [...op, 'stat'], problem);
        else if (ctx.readable.has(stat) && statKind(stat) === 'tier') push(ctx, [...op, 'stat'], `${stat} is an export tier, not a number; objectives score numbers`);
      }
      const low = num(o.low), high = num(o.high);
      if (low !== undefined && high !== undefined && low > high) push(ctx, [...op, 'high'], `high (${fmt(high)}) must not be below low (${fmt(low)})`);
    });
  });
}
