// What each role may see: its own side exact, the rival as estimates with error bars, the world's public facts.
import type { RuleFile, Side, ExportTier } from '../rules/schema.ts';
import type { MatchState, Order, TurnEvent, TimelinePoint, Agreement, PendingProposal, FabBatch } from './state.ts';
import { quarterLabel, otherSide } from './state.ts';
import { availableBudget } from './setup.ts';
import { rngFor, mixSeed, STREAM } from './rng.ts';
import { ruleIndex } from './ruleIndex.ts';

export interface Estimate { value: number; low: number; high: number }

export const ESTIMATED = ['chips', 'effectiveCompute', 'powerGW', 'computeCost', 'capability', 'safeguards'] as const;
export type EstimatedStat = (typeof ESTIMATED)[number];

const STAT_CODE: Record<EstimatedStat, number> = { chips: 1, effectiveCompute: 2, powerGW: 3, computeCost: 4, capability: 5, safeguards: 6 };
const SIDE_CODE: Record<Side | 'press', number> = { us: 1, china: 2, press: 3 };

/** Each (observer, stat) pair's stream, mixed once. */
const STREAM_EXTRA = Object.fromEntries((['us', 'china', 'press'] as const).map((o) =>
  [o, Object.fromEntries(ESTIMATED.map((stat) => [stat, mixSeed(SIDE_CODE[o], STAT_CODE[stat])]))])) as Record<Side | 'press', Record<EstimatedStat, number>>;

/**
 * The observer's estimate of one of the other side's numbers at a given turn. Chips and money are
 * off by a factor, capability by months, safeguards by points; the noise is seeded so it replays.
 */
export function estimateFrom(rules: RuleFile, seed: number, turn: number, observer: Side | 'press', error: number,
  stat: EstimatedStat, truth: number): Estimate {
  const z = noiseOf(seed, turn, observer, stat);
  const i = rules.model.intelligence;
  if (stat === 'capability') {
    const sd = error * i.capabilityErrorMonths;
    const value = truth + z * sd;
    return { value, low: value - 2 * sd, high: value + 2 * sd };
  }
  if (stat === 'safeguards') {
    const sd = error * i.safeguardsError;
    const value = Math.min(1, Math.max(0, truth + z * sd));
    return { value, low: Math.max(0, value - 2 * sd), high: Math.min(1, value + 2 * sd) };
  }
  const value = truth * Math.exp(z * error);
  return { value, low: value * Math.exp(-2 * error), high: value * Math.exp(2 * error) };
}

// the last draw of each (observer, stat) stream: bots read the same estimate several times a quarter, and a draw costs a log and a cosine
const NOISE_SEED = new Float64Array(18).fill(NaN);
const NOISE_TURN = new Float64Array(18).fill(NaN);
const NOISE_Z = new Float64Array(18);

/** The standard normal draw behind an estimate: rngFor(seed, turn, intel, extra).normal(), remembered per stream. */
function noiseOf(seed: number, turn: number, observer: Side | 'press', stat: EstimatedStat): number {
  const slot = (observer === 'us' ? 0 : observer === 'china' ? 6 : 12) + STAT_CODE[stat] - 1;
  if (NOISE_SEED[slot] === seed && NOISE_TURN[slot] === turn) return NOISE_Z[slot];
  const z = rngFor(seed, turn, STREAM.intel, STREAM_EXTRA[observer][stat]).normal();
  NOISE_SEED[slot] = seed;
  NOISE_TURN[slot] = turn;
  NOISE_Z[slot] = z;
  return z;
}

/** estimateOf(...).value for capability, without the Estimate object (the bots' hot path). */
export function estimatedCapability(rules: RuleFile, state: MatchState, observer: Side): number {
  const truth = (observer === 'us' ? state.sides.china : state.sides.us).capability;
  return truth + noiseOf(state.seed, state.turn, observer, 'capability') * ((observer === 'us' ? state.sides.us : state.sides.china).intelError * rules.model.intelligence.capabilityErrorMonths);
}

export function estimateOf(rules: RuleFile, state: MatchState, observer: Side, stat: EstimatedStat): Estimate {
  const truth = state.sides[otherSide(observer)][stat];
  return estimateFrom(rules, state.seed, state.turn, observer, state.sides[observer].intelError, stat, truth);
}

export interface OwnSide {
  chips: number; domesticShare: number; powerGW: number; powerNeedGW: number; effectiveCompute: number;
  capability: number; distilledMonths: number; safeguards: number; adoption: number; computeCost: number;
  smuggledChips: number; seizedChips: number; fabPipeline: FabBatch[]; intelError: number;
  lastDistillation: MatchState['sides']['us']['lastDistillation'];
}

export interface PublicWorld {
  turn: number;
  turns: number;
  quarter: string;
  finished: boolean;
  regions: Record<string, { tier: ExportTier; compliance: number }>;
  globalLicensing: boolean;
  openWeights: boolean;
  incidents: MatchState['incidents'];
  agreements: Agreement[];
  pending: PendingProposal[];
  adoption: Record<Side, number>;
  seizedChips: number;
  brokenAgreements: Record<Side, number>;
  /** trust between the sides (0-1), treaties broken so far, and the escalation track */
  trust: number;
  brokenTreaties: number;
  tension: number;
  /** the press's rough estimate of the lead, from public reporting */
  pressLead: Estimate;
  ending: MatchState['ending'];
}

export interface DilemmaView {
  cardId: string;
  title: string;
  text: string;
  options: { id: string; label: string }[];
  default: string;
}

export interface RoleView {
  roleId: string;
  side: Side;
  world: PublicWorld;
  /** $B this role may spend this quarter */
  budget: number;
  own: OwnSide;
  rival: Record<EstimatedStat, Estimate> & { adoption: number };
  lead: Estimate;
  /** the last resolved orders of this side's roles */
  sideOrders: Record<string, Order | null>;
  /** dilemmas put to this role, for its next order to answer (nobody else sees them) */
  dilemmas: DilemmaView[];
  timeline: ViewPoint[];
}

/** A chart point as one observer sees it: own side exact, the rival as estimated then. */
export type ViewPoint = Omit<TimelinePoint, 'chips' | 'computeCost'>;

export interface PublicView {
  world: PublicWorld;
  timeline: { turn: number; label: string; pressLead: number; adoption: Record<Side, number>; incidents: TimelinePoint['incidents'] }[];
  /** true numbers of both sides, only once the match is over */
  finalTimeline: TimelinePoint[] | null;
}

function publicWorld(rules: RuleFile, state: MatchState): PublicWorld {
  const regions: PublicWorld['regions'] = {};
  for (const k in state.regions) regions[k] = { ...state.regions[k] };
  const lead = state.sides.us.capability - state.sides.china.capability;
  const press = rules.model.intelligence.baseError;
  const sd = press * rules.model.intelligence.capabilityErrorMonths;
  const z = rngFor(state.seed, state.turn, STREAM.intel, SIDE_CODE.press).normal();
  const pressLead = state.finished ? { value: lead, low: lead, high: lead } : { value: lead + z * sd, low: lead + z * sd - 2 * sd, high: lead + z * sd + 2 * sd };
  return {
    turn: state.turn,
    turns: rules.calendar.turns,
    quarter: quarterLabel(rules, Math.min(state.turn, rules.calendar.turns - 1)),
    finished: state.finished,
    regions,
    globalLicensing: state.globalLicensing,
    openWeights: state.openWeights,
    incidents: { ...state.incidents },
    agreements: state.agreements.map((a) => ({ ...a })),
    pending: state.pending.map((p) => ({ ...p })),
    adoption: { us: state.sides.us.adoption, china: state.sides.china.adoption },
    seizedChips: state.sides.china.seizedChips + state.sides.us.seizedChips,
    brokenAgreements: { us: state.sides.us.brokenAgreements, china: state.sides.china.brokenAgreements },
    trust: state.trust,
    brokenTreaties: state.brokenTreaties,
    tension: state.tension,
    pressLead,
    ending: state.ending,
  };
}

function ownSide(state: MatchState, side: Side): OwnSide {
  const s = state.sides[side];
  return {
    chips: s.chips, domesticShare: s.chips > 0 ? s.domesticChips / s.chips : 0, powerGW: s.powerGW, powerNeedGW: s.powerNeedGW,
    effectiveCompute: s.effectiveCompute, capability: s.capability, distilledMonths: s.distilledMonths, safeguards: s.safeguards,
    adoption: s.adoption, computeCost: s.computeCost, smuggledChips: s.smuggledChips, seizedChips: s.seizedChips,
    fabPipeline: s.fabPipeline.map((b) => ({ ...b })), intelError: s.intelError, lastDistillation: { ...s.lastDistillation },
  };
}

export function roleView(rules: RuleFile, state: MatchState, roleId: string): RoleView {
  const role = ruleIndex(rules).role[roleId];
  if (!role) throw new Error(`no role ${roleId}`);
  const side = role.side;
  const rivalSide = otherSide(side);
  const rival = {} as RoleView['rival'];
  for (const stat of ESTIMATED) rival[stat] = estimateOf(rules, state, side, stat);
  rival.adoption = state.sides[rivalSide].adoption;
  const own = state.sides[side].capability;
  const c = rival.capability;
  const lead = side === 'us' ? { value: own - c.value, low: own - c.high, high: own - c.low } : { value: c.value - own, low: c.low - own, high: c.high - own };
  const sideOrders: Record<string, Order | null> = {};
  for (const r of rules.roles) if (r.side === side) sideOrders[r.id] = state.roles[r.id].lastOrder;
  const dilemmas: DilemmaView[] = [];
  for (const d of state.dilemmas) {
    const card = ruleIndex(rules).card[d.cardId];
    if (d.role !== roleId || !card?.dilemma) continue;
    dilemmas.push({ cardId: card.id, title: card.title, text: card.text, options: card.dilemma.options.map((o) => ({ id: o.id, label: o.label })), default: card.dilemma.default });
  }
  const timeline = state.finished ? state.timeline.map(trueViewPoint) : state.timeline.map((p) => observedPoint(rules, state, side, p));
  return {
    roleId, side, world: publicWorld(rules, state), budget: availableBudget(rules, state, roleId), own: ownSide(state, side),
    rival, lead, sideOrders, dilemmas, timeline,
  };
}

function trueViewPoint(p: TimelinePoint): ViewPoint {
  return { turn: p.turn, label: p.label, lead: p.lead, capability: { ...p.capability }, safeguards: { ...p.safeguards }, effectiveCompute: { ...p.effectiveCompute }, adoption: { ...p.adoption }, incidents: { ...p.incidents } };
}

function observedPoint(rules: RuleFile, state: MatchState, side: Side, p: TimelinePoint): ViewPoint {
  const rivalSide = otherSide(side);
  // past estimates use the error this side has now: a fair simplification that keeps views stateless
  const err = state.sides[side].intelError;
  const est = (stat: EstimatedStat, truth: number) => estimateFrom(rules, state.seed, p.turn, side, err, stat, truth).value;
  const capability = { [side]: p.capability[side], [rivalSide]: est('capability', p.capability[rivalSide]) } as Record<Side, number>;
  return {
    turn: p.turn, label: p.label, lead: capability.us - capability.china, capability,
    safeguards: { [side]: p.safeguards[side], [rivalSide]: est('safeguards', p.safeguards[rivalSide]) } as Record<Side, number>,
    effectiveCompute: { [side]: p.effectiveCompute[side], [rivalSide]: est('effectiveCompute', p.effectiveCompute[rivalSide]) } as Record<Side, number>,
    adoption: { ...p.adoption }, incidents: { ...p.incidents },
  };
}

export function publicView(rules: RuleFile, state: MatchState): PublicView {
  const press = rules.model.intelligence.baseError * rules.model.intelligence.capabilityErrorMonths;
  return {
    world: publicWorld(rules, state),
    timeline: state.timeline.map((p) => ({
      turn: p.turn, label: p.label,
      pressLead: p.lead + rngFor(state.seed, p.turn, STREAM.intel, SIDE_CODE.press).normal() * press,
      adoption: { ...p.adoption }, incidents: { ...p.incidents },
    })),
    finalTimeline: state.finished ? state.timeline.map((p) => ({ ...p })) : null,
  };
}

/** Events a role may read: public ones and its own side's. */
export function eventsFor(events: readonly TurnEvent[], side: Side | 'public'): TurnEvent[] {
  return events.filter((e) => e.visibleTo === 'all' || e.visibleTo === side);
}
