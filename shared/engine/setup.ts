// The state a match starts from, and the cheap copy each resolution works on.
import type { RuleFile, Side, RoleRule } from '../rules/schema.ts';
import type { MatchState, SideState, Order } from './state.ts';
import { quarterLabel } from './state.ts';
import { ruleIndex, budgetRow, type RuleIndex } from './ruleIndex.ts';
import { spendRecord, type SpendRecord } from './recordMaker.ts';

function startSide(rules: RuleFile, side: Side): SideState {
  const s = rules.model.start[side];
  const m = rules.model;
  const domesticChips = s.chips * s.domesticShare;
  const capability = m.capability.monthsPerDoubling * Math.log2(s.chips) + s.algorithmicMonths;
  return {
    chips: s.chips,
    domesticChips,
    powerGW: s.powerGW,
    powerNeedGW: ((s.chips - domesticChips) * m.chips.usPowerPerChip + domesticChips * m.chips.usPowerPerChip * m.chips.domesticPowerFactor) / 1e6,
    peakCompute: s.chips,
    effectiveCompute: s.chips,
    algorithmicMonths: s.algorithmicMonths,
    capability,
    distilledMonths: 0,
    safeguards: s.safeguards,
    adoption: s.adoption,
    computeCost: 0,
    fabPipeline: [],
    fabPriceFactor: 1,
    smuggledChips: 0,
    seizedChips: 0,
    intelError: m.intelligence.baseError,
    brokenAgreements: 0,
    lastDistillation: { accounts: 0, exchangesMillions: 0, detectedShare: 0, gainMonths: 0 },
  };
}

export function initialState(rules: RuleFile, seed: number): MatchState {
  const regions: MatchState['regions'] = {};
  for (const r of rules.regions) regions[r.id] = { tier: r.exportTier, compliance: r.compliance };
  const roles: MatchState['roles'] = {};
  for (const r of rules.roles) roles[r.id] = { bank: 0, lastOrder: null };
  const state: MatchState = {
    seed: seed >>> 0,
    turn: 0,
    finished: false,
    sides: { us: startSide(rules, 'us'), china: startSide(rules, 'china') },
    regions,
    globalLicensing: rules.roles.some((r) => r.settings.includes('globalLicensing') && r.startSettings.globalLicensing === true),
    openWeights: rules.roles.some((r) => r.settings.includes('openWeights') && r.startSettings.openWeights === true),
    roles,
    agreements: [],
    pending: [],
    nextProposalKey: 1,
    agreementTurns: 0,
    trust: rules.model.diplomacy.startTrust,
    brokenTreaties: 0,
    tension: 0,
    dilemmas: [],
    incidents: { minor: 0, major: 0, catastrophic: 0 },
    drawnEvents: [],
    riskModifier: 0,
    timeline: [],
    ending: null,
  };
  state.timeline.push(snapshot(rules, state, 0));
  return state;
}

/** One point of the charts: the world after `turn` quarters, labelled by the quarter just played. */
export function snapshot(rules: RuleFile, state: MatchState, turn: number): MatchState['timeline'][number] {
  const { us, china } = state.sides;
  return {
    turn,
    label: turn === 0 ? 'Start' : quarterLabel(rules, turn - 1),
    lead: us.capability - china.capability,
    capability: { us: us.capability, china: china.capability },
    safeguards: { us: us.safeguards, china: china.safeguards },
    effectiveCompute: { us: us.effectiveCompute, china: china.effectiveCompute },
    chips: { us: us.chips, china: china.chips },
    computeCost: { us: us.computeCost, china: china.computeCost },
    adoption: { us: us.adoption, china: china.adoption },
    incidents: { ...state.incidents },
  };
}

function cloneSide(s: SideState): SideState {
  return { ...s, fabPipeline: s.fabPipeline.map((b) => ({ ...b })), lastDistillation: { ...s.lastDistillation } };
}

/** A copy deep enough that resolving a turn never touches the caller's state. */
export function cloneState(state: MatchState): MatchState {
  const regions: MatchState['regions'] = {};
  for (const k in state.regions) regions[k] = { ...state.regions[k] };
  const roles: MatchState['roles'] = {};
  for (const k in state.roles) roles[k] = { ...state.roles[k] };
  return {
    ...state,
    sides: { us: cloneSide(state.sides.us), china: cloneSide(state.sides.china) },
    regions,
    roles,
    agreements: state.agreements.map((a) => (a.awaiting ? { ...a, awaiting: a.awaiting.slice() } : { ...a })),
    pending: state.pending.map((p) => ({ ...p })),
    dilemmas: state.dilemmas.map((d) => ({ ...d })),
    incidents: { ...state.incidents },
    drawnEvents: state.drawnEvents.slice(),
    timeline: state.timeline.slice(),
    ending: state.ending,
  };
}

/** The budget a role may spend this quarter: this quarter's money plus what it carried over. */
export function availableBudget(rules: RuleFile, state: MatchState, roleId: string): number {
  const role = ruleIndex(rules).role[roleId];
  if (!role) return 0;
  return budgetOf(rules, state, role);
}

/** availableBudget for a role the caller already holds (the engine's loops over rules.roles). */
export function budgetOf(rules: RuleFile, state: MatchState, role: RoleRule): number {
  return budgetWith(rules, state, role, state.roles[role.id]);
}

/** budgetOf for a caller that holds the role's state already (resolution reads the roles by position). */
export function budgetWith(rules: RuleFile, state: MatchState, role: RoleRule, rs: MatchState['roles'][string] | undefined): number {
  const b = budgetRow(rules, role);
  const t = state.turn;
  const money = t < b.at.length && b.perTurn === role.budget.perTurn && b.growth === role.budget.growth ? b.at[t] : role.budget.perTurn * Math.pow(role.budget.growth, t);
  return Math.max(0, money + (rs?.bank ?? 0));
}

/** The order a status-quo player gives: the 2026 split of this quarter's budget and the starting settings. */
export function statusQuoOrder(rules: RuleFile, state: MatchState, roleId: string): Order {
  const index = ruleIndex(rules);
  return statusQuoOf(rules, state, index.role[roleId]!, index.holds[roleId], spendRecord(index.role[roleId]!.levers));
}

// one order's amounts by lever (scratch: orders are made one at a time)
let AMOUNTS = new Float64Array(16);

/** statusQuoOrder for a caller that holds the role, its settings and its spend record maker already (the bots, every quarter). */
export function statusQuoOf(rules: RuleFile, state: MatchState, role: RoleRule, holds: RuleIndex['holds'][string], record: SpendRecord): Order {
  const budget = budgetOf(rules, state, role);
  const levers = role.levers;
  if (AMOUNTS.length < levers.length) AMOUNTS = new Float64Array(levers.length);
  const amounts = AMOUNTS;
  for (let i = 0; i < levers.length; i++) amounts[i] = budget * levers[i].statusQuo;
  const order: Order = { spend: record.make(amounts) };
  // the regions' own tiers, in rule order: a copy of the index's record of them
  if (holds.exportTiers) order.exportTiers = { ...ruleIndex(rules).startTiers };
  if (holds.globalLicensing) order.globalLicensing = role.startSettings.globalLicensing ?? false;
  if (holds.openWeights) order.openWeights = role.startSettings.openWeights ?? false;
  return order;
}
