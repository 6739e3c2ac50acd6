// The match state: plain, serialisable numbers derived from rule file + seed + orders.
import type { RuleFile, Side, ExportTier } from '../rules/schema.ts';
import type { OrderSettings } from '../rules/settings.ts';

export interface FabBatch {
  /** quarters until these chips join the fleet */
  turnsLeft: number;
  /** H100e the batch will add */
  chips: number;
  /** $B it cost, counted in the cost of compute when it arrives */
  cost: number;
}

export interface SideState {
  /** H100e in the training fleet (performance already counted) */
  chips: number;
  /** of which domestic chips, which need more power */
  domesticChips: number;
  powerGW: number;
  /** GW the fleet needs to run at full speed */
  powerNeedGW: number;
  /** the effective compute the side's current models were trained on (last quarter's compute in use) */
  peakCompute: number;
  effectiveCompute: number;
  algorithmicMonths: number;
  /** frontier-months: monthsPerDoubling · log2(compute in use) + algorithmicMonths + distilledMonths */
  capability: number;
  distilledMonths: number;
  safeguards: number;
  adoption: number;
  /** $B per million effective H100e acquired this quarter, power included (the last quarter that acquired any) */
  computeCost: number;
  fabPipeline: FabBatch[];
  /** multiplier on fab chip prices from yield learning */
  fabPriceFactor: number;
  smuggledChips: number;
  seizedChips: number;
  /** relative error (1 sd) of this side's estimates of the other side */
  intelError: number;
  brokenAgreements: number;
  /** the most recent campaign's numbers, for reports and calibration */
  lastDistillation: { accounts: number; exchangesMillions: number; detectedShare: number; gainMonths: number };
}

export interface RoleState {
  /** $B carried over from earlier quarters */
  bank: number;
  /** the order that resolved last quarter (the fallback for a missing order) */
  lastOrder: Order | null;
}

export interface Agreement {
  proposalId: string;
  proposer: string;
  accepter: string;
  turnsLeft: number;
  heldTurns: number;
  /** roles that must still agree to it (governments it needs, roles it binds that were not party to it); it binds and counts only once this is empty */
  awaiting?: string[];
}

export interface PendingProposal {
  /** unique within the match */
  key: number;
  proposalId: string;
  from: string;
  to: string;
  turn: number;
  /** asks the addressee to agree to an agreement others made: its government's ratification, or a role it binds */
  ratify?: boolean;
}

/** A dilemma card put to a role, answered (or defaulted) by its next order. */
export interface OpenDilemma {
  cardId: string;
  role: string;
  turn: number;
}

export interface TimelinePoint {
  turn: number;
  label: string;
  lead: number;
  capability: Record<Side, number>;
  safeguards: Record<Side, number>;
  effectiveCompute: Record<Side, number>;
  chips: Record<Side, number>;
  computeCost: Record<Side, number>;
  adoption: Record<Side, number>;
  incidents: { minor: number; major: number; catastrophic: number };
}

export interface RegionState {
  tier: ExportTier;
  compliance: number;
}

export interface MatchState {
  seed: number;
  /** quarters resolved so far; the next quarter to resolve has this index */
  turn: number;
  finished: boolean;
  sides: Record<Side, SideState>;
  regions: Record<string, RegionState>;
  globalLicensing: boolean;
  openWeights: boolean;
  roles: Record<string, RoleState>;
  agreements: Agreement[];
  pending: PendingProposal[];
  nextProposalKey: number;
  /** most quarters any safety agreement has held */
  agreementTurns: number;
  /** trust between the sides, 0..1: treaties that hold build it, broken ones spend it */
  trust: number;
  /** treaties between the sides broken so far, by either side */
  brokenTreaties: number;
  /** the escalation track, 0 and up: broken treaties, a cornered rival and crises push it; it fades */
  tension: number;
  /** dilemmas waiting for their role's next order */
  dilemmas: OpenDilemma[];
  incidents: { minor: number; major: number; catastrophic: number };
  /** ids of non-repeatable event cards already drawn */
  drawnEvents: string[];
  /** extra incident chance from events, for the next quarter */
  riskModifier: number;
  timeline: TimelinePoint[];
  ending: { id: string; title: string; text: string; scores: Record<string, number> } | null;
}

export type SpendSplit = Record<string, number>;

/** One role's order for a quarter: $B per lever and any settings the role holds (each under its id in shared/rules/settings.ts; hubCompliance is the 0..1 share of transshipment business a tier-2 hub refuses). */
export interface Order extends OrderSettings {
  spend: SpendSplit;
  /** answers to the dilemmas put to this role: card id -> option id (a missing answer takes the card's default) */
  dilemmas?: Record<string, string>;
}

export type Orders = Record<string, Order>;

export interface TurnEvent {
  kind: 'seizure' | 'incident' | 'event' | 'agreement' | 'distillation' | 'fabs' | 'smuggling' | 'ending' | 'policy' | 'dilemma' | 'crisis';
  title: string;
  text: string;
  visibleTo: 'all' | Side;
  /** event-card id or proposal id when there is one */
  ref?: string;
}

// the labels of one calendar, made once: every quarter of every simulated match writes one (numbers written out cost)
const labels = new WeakMap<RuleFile['calendar'], { startQuarter: number; startYear: number; at: string[] }>();

export function quarterLabel(rules: Pick<RuleFile, 'calendar'>, turn: number): string {
  const c = rules.calendar;
  let known = labels.get(c);
  if (!known || known.startQuarter !== c.startQuarter || known.startYear !== c.startYear) labels.set(c, (known = { startQuarter: c.startQuarter, startYear: c.startYear, at: [] }));
  if (Number.isInteger(turn) && turn >= 0 && turn < 64) return (known.at[turn] ??= labelOf(c, turn));
  return labelOf(c, turn);
}

function labelOf(calendar: RuleFile['calendar'], turn: number): string {
  const q0 = calendar.startQuarter - 1 + turn;
  return `Q${(q0 % 4) + 1} ${calendar.startYear + Math.floor(q0 / 4)}`;
}

// a state's region records in the rules' order, kept on the record of regions itself (hidden: JSON and copies never see it).
// Region records are changed in place and never replaced, so the list stays true for the record it hangs on.
const IN_ORDER = Symbol('regionsInOrder');
type ListedRegions = Record<string, RegionState> & { [IN_ORDER]?: { of: RuleFile['regions']; list: RegionState[] } };

/** state.regions[rules.regions[k].id] for every k, made once per record of regions: the resolution reads regions by position. */
export function regionList(rules: Pick<RuleFile, 'regions'>, state: MatchState): RegionState[] {
  const rec = state.regions as ListedRegions;
  const kept = rec[IN_ORDER];
  if (kept !== undefined && kept.of === rules.regions) return kept.list;
  const list = rules.regions.map((r) => rec[r.id]);
  if (Object.isExtensible(rec)) Object.defineProperty(rec, IN_ORDER, { value: { of: rules.regions, list }, writable: true, configurable: true, enumerable: false });
  return list;
}

/** rules.model.exportTiers[tier] by plain reads (a lookup by a changing key costs many times more). */
export function tierRuleOf(rules: RuleFile, tier: ExportTier): RuleFile['model']['exportTiers']['open'] {
  const t = rules.model.exportTiers;
  return tier === 'open' ? t.open : tier === 'licensed' ? t.licensed : t.embargo;
}

/** state.sides[side] by two plain reads: a lookup by a changing key costs many times more, and the engine asks it all quarter. */
export function sideOf(state: MatchState, side: Side): SideState {
  return side === 'us' ? state.sides.us : state.sides.china;
}

export function otherSide(side: Side): Side {
  return side === 'us' ? 'china' : 'us';
}

export function leadMonths(state: MatchState): number {
  return state.sides.us.capability - state.sides.china.capability;
}
