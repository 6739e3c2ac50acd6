// Safeguards under race pressure, incidents drawn from misuse risk, adoption and intelligence.
import type { RuleFile, Side } from '../rules/schema.ts';
import type { MatchState, TurnEvent } from './state.ts';
import { leadMonths, sideOf } from './state.ts';
import type { Rng } from './rng.ts';
import { ruleIndex } from './ruleIndex.ts';
import { say } from './format.ts';

const startCapability = (rules: RuleFile, side: Side) => { const c = ruleIndex(rules).startCapability; return side === 'us' ? c.us : c.china; };

/** True while the race is neck-and-neck and safety money buys much less. */
export function underRacePressure(rules: RuleFile, state: MatchState): boolean {
  return Math.abs(leadMonths(state)) < rules.model.safeguards.racePressureLead;
}

export function inSweetSpot(rules: RuleFile, state: MatchState): boolean {
  const [lo, hi] = rules.model.safeguards.sweetSpot;
  const lead = leadMonths(state);
  return lead >= lo && lead <= hi;
}

/** The safeguards level this much safety spend would settle at, given the side's capability. */
export function safeguardsTarget(rules: RuleFile, state: MatchState, side: Side, spend: number): number {
  const g = rules.model.safeguards;
  const x = spend * (underRacePressure(rules, state) ? g.racePressureFactor : 1);
  const above = Math.max(0, sideOf(state, side).capability - startCapability(rules, side));
  const half = g.halfSpend * (1 + g.capabilityCost * above);
  return x > 0 ? (g.max * x) / (x + half) : 0;
}

export function updateSafeguards(rules: RuleFile, state: MatchState, side: Side, spend: number): void {
  const s = sideOf(state, side);
  const target = safeguardsTarget(rules, state, side, spend);
  const g = rules.model.safeguards;
  s.safeguards += Math.min(g.maxGainPerTurn, g.adjustRate * (target - s.safeguards));
}

/** Chance of an incident this quarter from one side's models. */
export function sideRisk(rules: RuleFile, state: MatchState, side: Side): number {
  const inc = rules.model.incidents;
  const s = sideOf(state, side);
  const frontierStart = Math.max(startCapability(rules, 'us'), startCapability(rules, 'china'));
  const proliferation = 1 + s.distilledMonths * inc.distilledRisk + (side === 'china' && state.openWeights ? inc.openWeightsRisk : 0);
  return inc.baseRisk * Math.pow(inc.capabilityGrowth, s.capability - frontierStart) * (1 - s.safeguards) * proliferation;
}

export function incidentRisk(rules: RuleFile, state: MatchState): number {
  return Math.min(0.95, sideRisk(rules, state, 'us') + sideRisk(rules, state, 'china') + state.riskModifier);
}

/** One seeded draw turns risk into nothing, a minor, a major or a catastrophic incident. */
export function drawIncident(rules: RuleFile, state: MatchState, rng: Rng, events: TurnEvent[]): void {
  const inc = rules.model.incidents;
  // incidentRisk with the US share worked out once: the same sums in the same order
  const usRisk = sideRisk(rules, state, 'us');
  const risk = Math.min(0.95, usRisk + sideRisk(rules, state, 'china') + state.riskModifier);
  const u = rng.next();
  const who = rng.next() * risk < usRisk ? 'a US' : 'a Chinese';
  state.riskModifier = 0;
  if (u >= risk) return;
  // turn is still the index of the quarter being resolved, so +1 is its number
  if (u < risk * inc.catastrophicShare && state.turn + 1 >= inc.catastropheFromTurn) {
    state.incidents.catastrophic++;
    if (say.news) events.push({ kind: 'incident', title: 'Catastrophic incident', text: !say.texts ? '' : `Misuse of ${who} model caused a catastrophe: a large-scale attack that no one could contain.`, visibleTo: 'all' });
  } else if (u < risk * (inc.catastrophicShare + inc.majorShare)) {
    state.incidents.major++;
    if (say.news) events.push({ kind: 'incident', title: 'Major incident', text: !say.texts ? '' : `Attackers used ${who} model to break into critical systems; the damage takes weeks to repair.`, visibleTo: 'all' });
  } else {
    state.incidents.minor++;
    if (say.news) events.push({ kind: 'incident', title: 'Minor incident', text: !say.texts ? '' : `A jailbroken copy of ${who} model helped a fraud ring before it was caught.`, visibleTo: 'all' });
  }
}

/** Adoption follows spending, open weights and, slowly, whoever is ahead. */
export function updateAdoption(rules: RuleFile, state: MatchState, spend: Record<Side, number>): void {
  const a = rules.model.adoption;
  const lead = leadMonths(state);
  for (const side of ['us', 'china'] as const) {
    const s = sideOf(state, side);
    const x = side === 'us' ? spend.us : spend.china;
    const bought = a.halfSpend > 0 ? (a.perBillion * a.halfSpend * x) / (x + a.halfSpend) : a.perBillion * x;
    let gain = bought * (1 - s.adoption / a.max);
    if (side === 'china' && state.openWeights) gain += a.openWeightsGain;
    gain += a.leadPull * (side === 'us' ? lead : -lead);
    s.adoption = Math.min(a.max, Math.max(0, s.adoption + gain));
  }
  const total = state.sides.us.adoption + state.sides.china.adoption;
  if (total > 1) {
    state.sides.us.adoption /= total;
    state.sides.china.adoption /= total;
  }
}

/** Estimates' relative error (1 sd) shrinks with intelligence spend toward a floor. */
export function intelError(rules: RuleFile, spend: number): number {
  const i = rules.model.intelligence;
  const x = Math.max(0, spend);
  return i.minError + ((i.baseError - i.minError) * i.halfSpend) / (i.halfSpend + x);
}
