// Cross-reference checks: what the schema alone cannot see (names that must exist, numbers that must
// agree with each other, rules that could never fire). They run on the raw parsed data and skip
// anything whose shape is already wrong, so the schema's problems and these arrive together.
import { EXPORT_TIERS, SIDES } from './schema.ts';
import type { RuleFile } from './schema.ts';
import { readableStats, statKind, writableStats } from './stats.ts';
import type { StatKind } from './stats.ts';
import { isCountryCode, suggestCountry } from './countries.ts';
import { closest, didYouMean, listOf } from './suggest.ts';
import type { DataPath, Finding, PathSegment } from './positions.ts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : isObj(v) ? 'a map' : String(v));

interface RoleInfo {
  index: number;
  id: string;
  side?: string;
  levers: Set<string>;
  /** every lever has a valid id, so "no such lever" is certain */
  leversComplete: boolean;
  settings: Set<string>;
  /** the settings list is readable, so "does not hold" is certain */
  settingsKnown: boolean;
  perTurn?: number;
}

const ID = /^[a-z][A-Za-z0-9]*$/;
interface RegionInfo { index: number; id: string; alignment?: string }

interface Ctx {
  out: Finding[];
  data: Obj;
  roles: Map<string, RoleInfo>;
  /** every role has a usable id, so "no such role" is certain */
  rolesComplete: boolean;
  regions: Map<string, RegionInfo>;
  regionsComplete: boolean;
  readable: Set<string>;
  writable: Set<string>;
  turns?: number;
  /** the longest safety agreement, in quarters (bounds agreementTurns) */
  longestSafetyAgreement: number;
  catastropheFromTurn?: number;
}

// ---------------------------------------------------------------------------------------------
// intervals, for conditions that can never hold and endings that can never be reached

interface Interval { lo: number; loIn: boolean; hi: number; hiIn: boolean }
const FULL: Interval = { lo: -Infinity, loIn: true, hi: Infinity, hiIn: true };

function domain(kind: StatKind): Interval {
  if (kind === 'share') return { lo: 0, loIn: true, hi: 1, hiIn: true };
  if (kind === 'count') return { lo: 0, loIn: true, hi: Infinity, hiIn: true };
  return FULL;
}

function intersect(a: Interval, b: Interval): Interval {
  const out = { ...a };
  if (b.lo > out.lo || (b.lo === out.lo && !b.loIn)) { out.lo = b.lo; out.loIn = b.loIn && (b.lo !== a.lo || a.loIn); }
  if (b.hi < out.hi || (b.hi === out.hi && !b.hiIn)) { out.hi = b.hi; out.hiIn = b.hiIn && (b.hi !== a.hi || a.hiIn); }
  return out;
}

const isEmpty = (i: Interval) => i.lo > i.hi || (i.lo === i.hi && !(i.loIn && i.hiIn));

/** a ⊆ b */
function within(a: Interval, b: Interval): boolean {
  const loOk = a.lo > b.lo || (a.lo === b.lo && (b.loIn || !a.loIn));
  const hiOk = a.hi < b.hi || (a.hi === b.hi && (b.hiIn || !a.hiIn));
  return loOk && hiOk;
}

function conditionInterval(c: Obj): Interval {
  let i = FULL;
  const above = num(c.above), below = num(c.below), atLeast = num(c.atLeast), atMost = num(c.atMost), eq = num(c.equals);
  if (above !== undefined) i = intersect(i, { lo: above, loIn: false, hi: Infinity, hiIn: true });
  if (atLeast !== undefined) i = intersect(i, { lo: atLeast, loIn: true, hi: Infinity, hiIn: true });
  if (below !== undefined) i = intersect(i, { lo: -Infinity, loIn: true, hi: below, hiIn: false });
  if (atMost !== undefined) i = intersect(i, { lo: -Infinity, loIn: true, hi: atMost, hiIn: true });
  if (eq !== undefined) i = intersect(i, { lo: eq, loIn: true, hi: eq, hiIn: true });
  return i;
}

function describeInterval(i: Interval): string {
  const parts: string[] = [];
  if (i.lo > -Infinity) parts.push(`${i.loIn ? 'at least' : 'above'} ${fmt(i.lo)}`);
  if (i.hi < Infinity) parts.push(`${i.hiIn ? 'at most' : 'below'} ${fmt(i.hi)}`);
  return parts.join(' and ');
}

/** A condition list as one constraint per stat, or null when some condition is malformed. */
type Constraint = { kind: 'range'; range: Interval } | { kind: 'equals'; value: unknown };

// ---------------------------------------------------------------------------------------------

const COMPARATORS = ['above', 'below', 'atLeast', 'atMost'] as const;
const OPERATIONS = ['add', 'multiply', 'set'] as const;

function push(ctx: Ctx, path: DataPath, message: string, firstAt?: DataPath): void {
  ctx.out.push(firstAt ? { path, message, firstAt } : { path, message });
}

function sideStatsOf(set: Set<string>, side: string): string[] {
  return [...set].filter((s) => s.startsWith(`${side}.`)).map((s) => s.slice(side.length + 1));
}

function statSummary(set: Set<string>): string {
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
function statProblem(ctx: Ctx, stat: string, use: 'read' | 'write'): string | null {
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

// ---------------------------------------------------------------------------------------------
// conditions and effects

function checkConditions(ctx: Ctx, list: unknown, path: DataPath): Map<string, Constraint> | null {
  const constraints = new Map<string, Constraint>();
  const firstFor = new Map<string, number>();
  let complete = true;
  arr(list).forEach((c, i) => {
    const at = [...path, i];
    if (!isObj(c)) { complete = false; return; }
    const stat = str(c.stat);
    if (!stat) { complete = false; return; }
    const problem = statProblem(ctx, stat, 'read');
    if (problem) { push(ctx, [...at, 'stat'], problem); complete = false; return; }
    if (!ctx.readable.has(stat)) { complete = false; return; }
    const comps = COMPARATORS.filter((k) => c[k] !== undefined);
    const hasEquals = c.equals !== undefined;
    if (!comps.length && !hasEquals) {
      push(ctx, at, `a condition needs a comparator: above, below, atLeast, atMost or equals (e.g. { stat: ${stat}, atLeast: 1 })`);
      complete = false;
      return;
    }
    if (hasEquals && comps.length) {
      push(ctx, [...at, comps[0]], `equals cannot be combined with ${comps.join(', ')}: only equals would be checked`);
      complete = false;
      return;
    }
    const kind = statKind(stat);
    if (kind === 'boolean') {
      if (comps.length) { push(ctx, [...at, comps[0]], `${stat} is true or false; compare it with equals: true or equals: false`); complete = false; return; }
      if (typeof c.equals !== 'boolean') { push(ctx, [...at, 'equals'], `${stat} is true or false, not ${show(c.equals)}`); complete = false; return; }
    } else if (kind === 'tier') {
      if (comps.length) { push(ctx, [...at, comps[0]], `an export tier is not a number; compare it with equals: ${EXPORT_TIERS.join(', ')}`); complete = false; return; }
      if (typeof c.equals !== 'string' || !(EXPORT_TIERS as readonly string[]).includes(c.equals)) {
        const guess = typeof c.equals === 'string' ? closest(c.equals, EXPORT_TIERS) : null;
        push(ctx, [...at, 'equals'], `${show(c.equals)} is not an export tier${guess ? `; did you mean "${guess}"?` : ` (tiers: ${EXPORT_TIERS.join(', ')})`}`);
        complete = false;
        return;
      }
    } else if (hasEquals && typeof c.equals !== 'number') {
      push(ctx, [...at, 'equals'], `${stat} is a number, not ${show(c.equals)}`);
      complete = false;
      return;
    }
    if (comps.some((k) => num(c[k]) === undefined)) { complete = false; return; }
    if (kind === 'boolean' || kind === 'tier') {
      const prev = constraints.get(stat);
      if (prev && prev.kind === 'equals' && prev.value !== c.equals) {
        push(ctx, at, `can never hold together with when[${firstFor.get(stat)}], which needs ${stat} to be ${show(prev.value)}`);
        complete = false;
        return;
      }
      constraints.set(stat, { kind: 'equals', value: c.equals });
      if (!firstFor.has(stat)) firstFor.set(stat, i);
      return;
    }
    const own = conditionInterval(c);
    if (isEmpty(own)) { push(ctx, at, `can never hold: nothing is ${comps.map((k) => `${k} ${fmt(num(c[k])!)}`).join(' and ')}`); complete = false; return; }
    const dom = domain(kind);
    if (isEmpty(intersect(own, dom))) {
      const range = kind === 'share' ? 'between 0 and 1' : 'never below 0';
      push(ctx, at, `can never hold: ${stat} is ${range}`);
      complete = false;
      return;
    }
    if (stat === 'agreementTurns' && own.lo > ctx.longestSafetyAgreement) {
      push(ctx, at, ctx.longestSafetyAgreement === 0
        ? 'can never hold: agreementTurns counts quarters a safety agreement held, and no proposal has safetyAgreement: true'
        : `can never hold: agreementTurns counts quarters a safety agreement held, and the longest safety agreement lasts ${ctx.longestSafetyAgreement} quarters`);
      complete = false;
      return;
    }
    if (stat === 'catastrophes' && own.lo > 0 && ctx.catastropheFromTurn !== undefined && ctx.turns !== undefined && ctx.catastropheFromTurn > ctx.turns) {
      push(ctx, at, `can never hold: model.incidents.catastropheFromTurn is ${ctx.catastropheFromTurn}, after the last of ${ctx.turns} turns, so no catastrophe can happen`);
      complete = false;
      return;
    }
    if (stat === 'turn' && ctx.turns !== undefined && own.lo > ctx.turns) {
      push(ctx, at, `can never hold: the match has only ${ctx.turns} turns`);
      complete = false;
      return;
    }
    const prev = constraints.get(stat);
    const merged = prev && prev.kind === 'range' ? intersect(prev.range, own) : own;
    if (prev && prev.kind === 'range' && isEmpty(merged)) {
      push(ctx, at, `can never hold together with when[${firstFor.get(stat)}]: ${stat} cannot be ${describeInterval(prev.range)} and ${describeInterval(own)}`);
      complete = false;
      return;
    }
    constraints.set(stat, { kind: 'range', range: merged });
    if (!firstFor.has(stat)) firstFor.set(stat, i);
  });
  return complete ? constraints : null;
}

function checkEffects(ctx: Ctx, list: unknown, path: DataPath): void {
  arr(list).forEach((e, i) => {
    const at = [...path, i];
    if (!isObj(e)) return;
    const stat = str(e.stat);
    const ops = OPERATIONS.filter((k) => e[k] !== undefined);
    if (!ops.length) push(ctx, at, `an effect needs one of add, multiply or set (e.g. { stat: ${stat ?? 'us.chips'}, multiply: 0.95 })`);
    else if (ops.length > 1) push(ctx, [...at, ops[1]], `an effect takes exactly one of add, multiply or set, not ${ops.join(' and ')}; split it into ${ops.length} effects`);
    if (!stat) return;
    const problem = statProblem(ctx, stat, 'write');
    if (problem) { push(ctx, [...at, 'stat'], problem); return; }
    if (!ctx.writable.has(stat) || ops.length !== 1) return;
    const op = ops[0];
    const value = e[op];
    const kind = statKind(stat);
    if (kind === 'boolean') {
      if (op !== 'set' || typeof value !== 'boolean') push(ctx, [...at, op], `${stat} is switched with set: true or set: false`);
    } else if (kind === 'tier') {
      if (op !== 'set') push(ctx, [...at, op], `an export tier is changed with set: ${EXPORT_TIERS.join(', ')}`);
      else if (typeof value !== 'string' || !(EXPORT_TIERS as readonly string[]).includes(value)) {
        const guess = typeof value === 'string' ? closest(value, EXPORT_TIERS) : null;
        push(ctx, [...at, op], `${show(value)} is not an export tier${guess ? `; did you mean "${guess}"?` : ` (tiers: ${EXPORT_TIERS.join(', ')})`}`);
      }
    } else if (typeof value !== 'number') {
      push(ctx, [...at, op], `${stat} is a number; ${op} needs a number, not ${show(value)}`);
    } else if (op === 'multiply' && value < 0) {
      push(ctx, [...at, op], `multiply must be 0 or more (${stat} never goes below 0)`);
    } else if (op === 'set' && kind === 'share' && (value < 0 || value > 1)) {
      push(ctx, [...at, op], `${stat} is between 0 and 1; set: ${fmt(value)} would be cut to ${value < 0 ? 0 : 1}`);
    } else if (op === 'set' && kind === 'count' && value < 0) {
      push(ctx, [...at, op], `${stat} is never below 0; set: ${fmt(value)} would be cut to 0`);
    }
  });
}

// ---------------------------------------------------------------------------------------------

/** Reports ids used twice in a list; returns id → index of the first. */
function uniqueIds(ctx: Ctx, list: unknown, path: DataPath, what: string): Map<string, number> {
  const seen = new Map<string, number>();
  arr(list).forEach((item, i) => {
    const id = isObj(item) ? str(item.id) : undefined;
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) push(ctx, [...path, i, 'id'], `duplicate ${what} id "${id}": ids must be unique`, [...path, first, 'id']);
    else seen.set(id, i);
  });
  return seen;
}

function collectRoles(ctx: Ctx): void {
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

function checkSides(ctx: Ctx): void {
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

function checkRoles(ctx: Ctx): void {
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

function checkRegions(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.regions, ['regions'], 'region');
  const countryAt = new Map<string, DataPath>();
  const regions = arr(ctx.data.regions);
  regions.forEach((r, i) => {
    if (!isObj(r)) return;
    arr(r.countries).forEach((c, k) => {
      if (typeof c !== 'string' || !/^[A-Z]{3}$/.test(c)) return;
      const at = ['regions', i, 'countries', k];
      if (!isCountryCode(c)) {
        const s = suggestCountry(c);
        push(ctx, at, `${c} is not an ISO 3166-1 alpha-3 country code${s ? `; did you mean ${s.alpha3} (${s.name})?` : ''}`);
        return;
      }
      const first = countryAt.get(c);
      if (first) {
        const owner = regions[first[1] as number];
        const ownerId = isObj(owner) ? str(owner.id) : undefined;
        push(ctx, at, first[1] === i ? `${c} is listed twice in this region` : `${c} is already drawn as region ${ownerId ?? `regions[${String(first[1])}]`}; a country belongs to one region`, first);
      } else countryAt.set(c, at);
    });
  });
  const alignments = regions.map((r) => (isObj(r) ? r.alignment : undefined));
  if (!regions.length || alignments.some((a) => typeof a !== 'string')) return;
  for (const side of SIDES) {
    if (!alignments.includes(side)) push(ctx, ['regions'], `no region has alignment: ${side}; the map needs at least one region on each side`);
  }
}

function checkModel(ctx: Ctx): void {
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

function checkEvents(ctx: Ctx): void {
  uniqueIds(ctx, ctx.data.events, ['events'], 'event');
  arr(ctx.data.events).forEach((e, i) => {
    if (!isObj(e)) return;
    checkConditions(ctx, e.when, ['events', i, 'when']);
    checkEffects(ctx, e.effects, ['events', i, 'effects']);
  });
}

function roleIdProblem(ctx: Ctx, id: string): string | null {
  if (!ctx.rolesComplete || ctx.roles.has(id)) return null;
  return `there is no role "${id}"${didYouMean(id, ctx.roles.keys()) || ` (roles: ${listOf([...ctx.roles.keys()])})`}`;
}

function checkProposals(ctx: Ctx): void {
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

function checkBinding(ctx: Ctx, b: Obj, at: PathSegment[]): void {
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

function checkEndings(ctx: Ctx): void {
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
function covers(outer: Map<string, Constraint>, inner: Map<string, Constraint>): boolean {
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

/** Everything the schema cannot check, as findings on the raw parsed data. */
export function crossReferenceFindings(data: unknown): Finding[] {
  if (!isObj(data)) return [];
  const ctx: Ctx = {
    out: [],
    data,
    roles: new Map(),
    rolesComplete: false,
    regions: new Map(),
    regionsComplete: false,
    readable: new Set(),
    writable: new Set(),
    longestSafetyAgreement: 0,
  };
  collectRoles(ctx);
  const stand = { regions: [...ctx.regions.keys()].map((id) => ({ id })), roles: [...ctx.roles.keys()].map((id) => ({ id })) } as unknown as RuleFile;
  ctx.readable = new Set(readableStats(stand));
  ctx.writable = new Set(writableStats(stand));
  const calendar = isObj(data.calendar) ? data.calendar : {};
  const turns = num(calendar.turns);
  ctx.turns = turns !== undefined && Number.isInteger(turns) && turns >= 1 ? turns : undefined;
  const model = isObj(data.model) ? data.model : {};
  ctx.catastropheFromTurn = isObj(model.incidents) ? num(model.incidents.catastropheFromTurn) : undefined;
  for (const p of arr(data.proposals)) {
    if (isObj(p) && p.safetyAgreement === true) ctx.longestSafetyAgreement = Math.max(ctx.longestSafetyAgreement, num(p.turns) ?? 0);
  }
  checkSides(ctx);
  checkRoles(ctx);
  checkRegions(ctx);
  checkModel(ctx);
  checkEvents(ctx);
  checkProposals(ctx);
  checkEndings(ctx);
  return ctx.out;
}
