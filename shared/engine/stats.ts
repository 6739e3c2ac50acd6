// Reading and writing the named numbers of the world that rule files read (conditions, objectives) and write (event effects).
import type { RuleFile, Condition, Effect, Side } from '../rules/schema.ts';
import { EXPORT_TIERS } from '../rules/schema.ts';
import type { MatchState, SideState } from './state.ts';
import { leadMonths } from './state.ts';

// the table of stat names and kinds lives with the rules that name them: shared/rules/stats.ts

type Value = number | string | boolean;

function sideStat(s: SideState, key: string): number {
  if (key === 'domesticShare') return s.chips > 0 ? s.domesticChips / s.chips : 0;
  return (s as unknown as Record<string, number>)[key];
}

function hubCompliance(rules: RuleFile, state: MatchState): number {
  let sum = 0, n = 0;
  for (const r of rules.regions) if (r.alignment === 'tier2') { sum += state.regions[r.id].compliance; n++; }
  return n ? sum / n : 1;
}

const parsed = new Map<string, string[]>();
/** Splits a stat path once; rule files use a handful of paths millions of times in a simulation. */
function parts(path: string): string[] {
  let p = parsed.get(path);
  if (!p) { p = path.split('.'); parsed.set(path, p); }
  return p;
}

export function readStat(rules: RuleFile, state: MatchState, path: string): Value {
  const ps = parts(path);
  if (ps.length === 1) {
    switch (path) {
      case 'turn': return state.turn;
      case 'lead': return leadMonths(state);
      case 'absLead': return Math.abs(leadMonths(state));
      case 'costRatio': return state.sides.us.computeCost > 0 ? state.sides.china.computeCost / state.sides.us.computeCost : 0;
      case 'catastrophes': return state.incidents.catastrophic;
      case 'majorIncidents': return state.incidents.major;
      case 'minorIncidents': return state.incidents.minor;
      case 'agreementTurns': return state.agreementTurns;
      case 'activeAgreements': return state.agreements.length;
      case 'globalLicensing': return state.globalLicensing;
      case 'openWeights': return state.openWeights;
      case 'hubCompliance': return hubCompliance(rules, state);
      case 'riskModifier': return state.riskModifier;
      case 'trust': return state.trust;
      case 'tension': return state.tension;
      case 'brokenTreaties': return state.brokenTreaties;
    }
    throw new Error(`unknown stat ${path}`);
  }
  const head = ps[0];
  if (head === 'us' || head === 'china') return sideStat(state.sides[head as Side], ps[1]);
  const [, name, field] = ps;
  if (head === 'region') return field === 'tier' ? state.regions[name].tier : state.regions[name].compliance;
  if (head === 'role') return state.roles[name].bank;
  throw new Error(`unknown stat ${path}`);
}

export function conditionHolds(rules: RuleFile, state: MatchState, c: Condition): boolean {
  const v = readStat(rules, state, c.stat);
  if (c.equals !== undefined) return v === c.equals;
  const n = typeof v === 'number' ? v : v === true ? 1 : 0;
  if (c.above !== undefined && !(n > c.above)) return false;
  if (c.below !== undefined && !(n < c.below)) return false;
  if (c.atLeast !== undefined && !(n >= c.atLeast)) return false;
  if (c.atMost !== undefined && !(n <= c.atMost)) return false;
  return true;
}

export function allHold(rules: RuleFile, state: MatchState, conditions: readonly Condition[]): boolean {
  for (const c of conditions) if (!conditionHolds(rules, state, c)) return false;
  return true;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** An effect's new value for a number (no closure: effects run in the simulator's hot loop). */
function changed(e: Effect, old: number): number {
  let v = old;
  if (typeof e.set === 'number') v = e.set;
  if (e.multiply !== undefined) v *= e.multiply;
  if (e.add !== undefined) v += e.add;
  return v;
}

/** Applies one effect in place: the caller owns a fresh copy of the state. */
export function applyEffect(state: MatchState, e: Effect): void {
  const ps = parts(e.stat);
  if (ps.length === 1) {
    if (e.stat === 'riskModifier') state.riskModifier = Math.max(0, changed(e, state.riskModifier));
    else if (e.stat === 'trust') state.trust = clamp01(changed(e, state.trust));
    else if (e.stat === 'tension') state.tension = Math.max(0, changed(e, state.tension));
    else if (e.stat === 'globalLicensing') state.globalLicensing = e.set === undefined ? state.globalLicensing : Boolean(e.set);
    else if (e.stat === 'openWeights') state.openWeights = e.set === undefined ? state.openWeights : Boolean(e.set);
    return;
  }
  if (ps[0] === 'us' || ps[0] === 'china') {
    const s = state.sides[ps[0] as Side] as unknown as Record<string, number>;
    const key = ps[1];
    // months are relative and may be negative; counts, power and shares may not
    const v = key === 'capability' || key === 'algorithmicMonths' ? changed(e, s[key]) : Math.max(0, changed(e, s[key]));
    // capability follows compute in use: a card's months are algorithmic (know-how), so they last
    if (key === 'capability') s.algorithmicMonths += v - s[key];
    s[key] = key === 'safeguards' || key === 'adoption' ? clamp01(v) : v;
    if (key === 'chips') state.sides[ps[0] as Side].domesticChips = Math.min(state.sides[ps[0] as Side].domesticChips, v);
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
