// Reading and writing the named numbers of the world that rule files read (conditions, objectives) and write (event effects).
import type { RuleFile, Condition, Effect } from '../rules/schema.ts';
import { EXPORT_TIERS } from '../rules/settings.ts';
import type { MatchState, SideState } from './state.ts';
import { leadMonths, regionList } from './state.ts';
import { ruleIndex } from './ruleIndex.ts';
import { shared } from '../rules/intern.ts';

// the table of stat names and kinds lives with the rules that name them: shared/rules/stats.ts

type Value = number | string | boolean;

// the side numbers rule files read most, by code: a switch of plain reads beats a lookup by name (the deck's conditions run every quarter)
const SIDE_FIELDS: Record<string, number> = { chips: 1, capability: 2, safeguards: 3, adoption: 4, powerGW: 5, smuggledChips: 6, distilledMonths: 7, effectiveCompute: 8, domesticShare: 9 };

/** The side fields by code (SIDE_FIELDS read backwards): SIDE_FIELD_NAMES[code - 1]. */
export const SIDE_FIELD_NAMES: readonly string[] = Object.keys(SIDE_FIELDS).sort((a, b) => SIDE_FIELDS[a] - SIDE_FIELDS[b]);

function sideStat(s: SideState, key: string, field: number): number {
  switch (field) {
    case 1: return s.chips;
    case 2: return s.capability;
    case 3: return s.safeguards;
    case 4: return s.adoption;
    case 5: return s.powerGW;
    case 6: return s.smuggledChips;
    case 7: return s.distilledMonths;
    case 8: return s.effectiveCompute;
    case 9: return s.chips > 0 ? s.domesticChips / s.chips : 0;
  }
  return (s as unknown as Record<string, number>)[key];
}

function hubCompliance(rules: RuleFile, state: MatchState): number {
  let sum = 0;
  const regions = regionList(rules, state);
  // the hubs' positions, as the smuggling reads them: the same regions summed in the same order
  const hubAt = ruleIndex(rules).hubAt;
  for (let i = 0; i < hubAt.length; i++) sum += regions[hubAt[i]].compliance;
  return hubAt.length ? sum / hubAt.length : 1;
}

/** A stat path compiled once: which number it names, as a small code (rule files use a handful of paths millions of times in a simulation). */
export interface StatRef {
  path: string;
  code: number;
  /** the side, region or role the path names, and its field */
  name: string;
  field: string;
  /** a side field's code in SIDE_FIELDS, 0 for the others */
  fieldCode: number;
}

// codes of the one-word stats, in readStat's order; SIDE, REGION_TIER, REGION, ROLE for the others; UNKNOWN throws when read
const WORLD_CODES: Record<string, number> = {
  turn: 1, lead: 2, absLead: 3, costRatio: 4, catastrophes: 5, majorIncidents: 6, minorIncidents: 7, agreementTurns: 8,
  activeAgreements: 9, globalLicensing: 10, openWeights: 11, hubCompliance: 12, riskModifier: 13, trust: 14, tension: 15, brokenTreaties: 16,
};
const UNKNOWN = 0, US = 20, CHINA = 21, REGION_TIER = 22, REGION = 23, ROLE = 24;
/** the codes of the stats conditionCode.ts writes out as plain reads (as holds and readRef read them) */
export const REF_CODE = { us: US, china: CHINA, turn: 1, lead: 2, absLead: 3, globalLicensing: 10, openWeights: 11, tension: 15 } as const;

const refs = new Map<string, StatRef>();
/** The compiled form of a stat path, made once per path. */
export function statRef(path: string): StatRef {
  let r = refs.get(path);
  if (r) return r;
  // the parts as shared strings: they are looked up by (region and role ids, side fields) and compared every quarter
  const ps = path.split('.').map(shared);
  let code = UNKNOWN, name = '', field = '';
  if (ps.length === 1) code = Object.hasOwn(WORLD_CODES, path) ? WORLD_CODES[path] : UNKNOWN;
  else if (ps[0] === 'us' || ps[0] === 'china') { code = ps[0] === 'us' ? US : CHINA; field = ps[1]; }
  else if (ps[0] === 'region') { code = ps[2] === 'tier' ? REGION_TIER : REGION; name = ps[1]; }
  else if (ps[0] === 'role') { code = ROLE; name = ps[1]; }
  r = { path, code, name, field, fieldCode: (code === US || code === CHINA) && Object.hasOwn(SIDE_FIELDS, field) ? SIDE_FIELDS[field] : 0 };
  refs.set(path, r);
  return r;
}

export function readStat(rules: RuleFile, state: MatchState, path: string): Value {
  return readRef(rules, state, statRef(path));
}

/** readStat on a compiled path. */
export function readRef(rules: RuleFile, state: MatchState, r: StatRef): Value {
  switch (r.code) {
    case 1: return state.turn;
    case 2: return leadMonths(state);
    case 3: return Math.abs(leadMonths(state));
    case 4: return state.sides.us.computeCost > 0 ? state.sides.china.computeCost / state.sides.us.computeCost : 0;
    case 5: return state.incidents.catastrophic;
    case 6: return state.incidents.major;
    case 7: return state.incidents.minor;
    case 8: return state.agreementTurns;
    case 9: return state.agreements.length;
    case 10: return state.globalLicensing;
    case 11: return state.openWeights;
    case 12: return hubCompliance(rules, state);
    case 13: return state.riskModifier;
    case 14: return state.trust;
    case 15: return state.tension;
    case 16: return state.brokenTreaties;
    case US: return sideStat(state.sides.us, r.field, r.fieldCode);
    case CHINA: return sideStat(state.sides.china, r.field, r.fieldCode);
    case REGION_TIER: return state.regions[r.name].tier;
    case REGION: return state.regions[r.name].compliance;
    case ROLE: return state.roles[r.name].bank;
  }
  throw new Error(`unknown stat ${r.path}`);
}

/** A condition with its stat compiled, every bound present (undefined when absent): one object shape for all of them,
 *  where the rule file's conditions come in as many shapes as they use bounds (and reading those costs a lookup each). */
export interface CompiledCondition {
  ref: StatRef;
  c: Condition;
  equals: Condition['equals'];
  above: number | undefined;
  below: number | undefined;
  atLeast: number | undefined;
  atMost: number | undefined;
}
const compileOne = (c: Condition): CompiledCondition => ({ ref: statRef(c.stat), c, equals: c.equals, above: c.above, below: c.below, atLeast: c.atLeast, atMost: c.atMost });
const compiledConditions = new WeakMap<readonly Condition[], CompiledCondition[]>();
/** The compiled form of a list of conditions, made once per list. */
export function compiled(conditions: readonly Condition[]): CompiledCondition[] {
  let out = compiledConditions.get(conditions);
  if (!out) compiledConditions.set(conditions, (out = conditions.map(compileOne)));
  return out;
}

export function holds(rules: RuleFile, state: MatchState, c: CompiledCondition): boolean {
  if (c.equals !== undefined) return readRef(rules, state, c.ref) === c.equals;
  // readRef's number, worked out here rather than returned: a number handed back from a call is boxed (the deck's
  // conditions are read every quarter); true counts 1, false and words 0
  const r = c.ref;
  let n: number;
  if ((r.code === US || r.code === CHINA) && r.fieldCode !== 0) n = sideStat(r.code === US ? state.sides.us : state.sides.china, r.field, r.fieldCode);
  else if (r.code === REF_CODE.turn) n = state.turn;
  else if (r.code === REF_CODE.lead) n = leadMonths(state);
  else if (r.code === REF_CODE.absLead) n = Math.abs(leadMonths(state));
  else if (r.code === REF_CODE.tension) n = state.tension;
  else n = asNumber(readRef(rules, state, r));
  if (c.above !== undefined && !(n > c.above)) return false;
  if (c.below !== undefined && !(n < c.below)) return false;
  if (c.atLeast !== undefined && !(n >= c.atLeast)) return false;
  if (c.atMost !== undefined && !(n <= c.atMost)) return false;
  return true;
}

/** A stat's value as a condition's bounds read it. */
function asNumber(v: Value): number {
  return typeof v === 'number' ? v : v === true ? 1 : 0;
}

export function conditionHolds(rules: RuleFile, state: MatchState, c: Condition): boolean {
  return holds(rules, state, compileOne(c));
}

export function allHold(rules: RuleFile, state: MatchState, conditions: readonly Condition[]): boolean {
  if (conditions.length === 0) return true;
  return allHoldCompiled(rules, state, compiled(conditions));
}

/** allHold on conditions already compiled. */
export function allHoldCompiled(rules: RuleFile, state: MatchState, cs: readonly CompiledCondition[]): boolean {
  for (let i = 0; i < cs.length; i++) if (!holds(rules, state, cs[i])) return false;
  return true;
}

/** An effect with its stat path split and named by a code, every change present (undefined when absent): one object shape for all of them. */
interface CompiledEffect {
  stat: string;
  ps: string[];
  /** what apply changes, as one of the E_ codes: a compare of small numbers, not of the path's words, per effect */
  code: number;
  set: Effect['set'];
  multiply: number | undefined;
  add: number | undefined;
}

const E_NONE = 0, E_RISK = 1, E_TRUST = 2, E_TENSION = 3, E_LICENSING = 4, E_OPEN_WEIGHTS = 5, E_US = 6, E_CHINA = 7, E_REGION = 8, E_ROLE = 9;
function effectCode(ps: string[]): number {
  if (ps.length === 1) {
    const w = ps[0];
    if (w === 'riskModifier') return E_RISK;
    if (w === 'trust') return E_TRUST;
    if (w === 'tension') return E_TENSION;
    if (w === 'globalLicensing') return E_LICENSING;
    if (w === 'openWeights') return E_OPEN_WEIGHTS;
    return E_NONE;
  }
  if (ps[0] === 'us') return E_US;
  if (ps[0] === 'china') return E_CHINA;
  if (ps[0] === 'region') return E_REGION;
  if (ps[0] === 'role') return E_ROLE;
  return E_NONE;
}

const compileEffect = (e: Effect): CompiledEffect => {
  const ps = e.stat.split('.').map(shared);
  return { stat: e.stat, ps, code: effectCode(ps), set: e.set, multiply: e.multiply, add: e.add };
};
const compiledEffects = new WeakMap<readonly Effect[], CompiledEffect[]>();

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** An effect's new value for a number (no closure: effects run in the simulator's hot loop). */
function changed(e: CompiledEffect, old: number): number {
  let v = old;
  if (typeof e.set === 'number') v = e.set;
  if (e.multiply !== undefined) v *= e.multiply;
  if (e.add !== undefined) v += e.add;
  return v;
}

/** Applies one effect in place: the caller owns a fresh copy of the state. */
export function applyEffect(state: MatchState, e: Effect): void {
  apply(state, compileEffect(e));
}

/** Applies a list of effects in order (a card's, an answer's, an agreement's), compiled once per list. */
export function applyEffects(state: MatchState, effects: readonly Effect[]): void {
  if (!effects.length) return;
  let cs = compiledEffects.get(effects);
  if (!cs) compiledEffects.set(effects, (cs = effects.map(compileEffect)));
  for (let i = 0; i < cs.length; i++) apply(state, cs[i]);
}

function apply(state: MatchState, e: CompiledEffect): void {
  const ps = e.ps;
  switch (e.code) {
    case E_RISK: state.riskModifier = Math.max(0, changed(e, state.riskModifier)); return;
    case E_TRUST: state.trust = clamp01(changed(e, state.trust)); return;
    case E_TENSION: state.tension = Math.max(0, changed(e, state.tension)); return;
    case E_LICENSING: state.globalLicensing = e.set === undefined ? state.globalLicensing : Boolean(e.set); return;
    case E_OPEN_WEIGHTS: state.openWeights = e.set === undefined ? state.openWeights : Boolean(e.set); return;
  }
  if (ps.length === 1) return;
  if (e.code === E_US || e.code === E_CHINA) {
    const side = e.code === E_US ? state.sides.us : state.sides.china;
    const s = side as unknown as Record<string, number>;
    const key = ps[1];
    // months are relative and may be negative; counts, power and shares may not
    const v = key === 'capability' || key === 'algorithmicMonths' ? changed(e, s[key]) : Math.max(0, changed(e, s[key]));
    // capability follows compute in use: a card's months are algorithmic (know-how), so they last
    if (key === 'capability') s.algorithmicMonths += v - s[key];
    s[key] = key === 'safeguards' || key === 'adoption' ? clamp01(v) : v;
    if (key === 'chips') side.domesticChips = Math.min(side.domesticChips, v);
    return;
  }
  if (ps[0] === 'region') {
    const r = state.regions[ps[1]];
    if (ps[2] === 'tier') {
      if (typeof e.set === 'string' && (EXPORT_TIERS as readonly string[]).includes(e.set)) r.tier = e.set as typeof r.tier;
    } else r.compliance = clamp01(changed(e, r.compliance));
    return;
  }
  // a role's budget stat is money carried into next quarter: a cut may take it below zero (next quarter has less)
  if (ps[0] === 'role') state.roles[ps[1]].bank = changed(e, state.roles[ps[1]].bank);
}
