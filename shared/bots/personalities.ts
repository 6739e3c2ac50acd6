// Bot personalities: they read their own side's view and give the same orders a person would.
import type { RuleFile, RoleRule, Side, LeverEffect, ExportTier } from '../rules/schema.ts';
import type { MatchState, Order } from '../engine/state.ts';
import { budgetOf, statusQuoOf } from '../engine/setup.ts';
import { estimatedCapability } from '../engine/views.ts';
import type { Rng } from '../engine/rng.ts';
import { ruleIndex, type RuleIndex } from '../engine/ruleIndex.ts';
import { rngFor, STREAM } from '../engine/rng.ts';
import { planner, isPlanner, type Style } from './planner.ts';
import { spendRecord, regionRecord, recordMaker, type SpendRecord, type RecordMaker } from '../engine/recordMaker.ts';

export const PERSONALITIES = ['status-quo', 'hawk', 'dove', 'opportunist', 'random', 'planner-easy', 'planner', 'planner-hard'] as const;
export type Personality = (typeof PERSONALITIES)[number];

type Weights = Partial<Record<LeverEffect, number>>;

/** How much each personality cares for each mechanism, per side; the role splits its budget by these. */
const WEIGHTS: Record<'hawk' | 'dove', Record<Side, Weights>> = {
  hawk: {
    us: { chips: 30, power: 8, algorithms: 2, enforcement: 3, antiDistillation: 10, intelligence: 4, safety: 2.5, adoption: 2, fabs: 4, greyMarket: 0, distillation: 0 },
    china: { chips: 10, fabs: 6, greyMarket: 10, power: 5, algorithms: 7, distillation: 1.5, intelligence: 5, safety: 0.01, adoption: 1.5, enforcement: 1, antiDistillation: 0.5 },
  },
  dove: {
    us: { chips: 8, power: 6, algorithms: 2, enforcement: 0.3, antiDistillation: 0.5, intelligence: 0.3, safety: 2.5, adoption: 1.5, fabs: 1, greyMarket: 0, distillation: 0 },
    china: { chips: 8, fabs: 4, greyMarket: 0, power: 2, algorithms: 2, distillation: 0, intelligence: 0.3, safety: 1, adoption: 1.5, enforcement: 0.5, antiDistillation: 0.5 },
  },
};

/** What the scripted bots read of one role, gathered once per rule file: one lookup by role id per order, not one per field. */
export interface BotRole {
  role: RoleRule;
  side: Side;
  holds: RuleIndex['holds'][string];
  /** makes the role's spend record from its levers' amounts */
  spend: SpendRecord;
  ids: string[];
  /** each lever's share of the budget for a mood */
  hawk: number[];
  dove: number[];
  /** the export tiers each mood sets (copied for each order: complyWith may edit an order's) */
  hawkTiers: Record<string, ExportTier>;
  doveTiers: Record<string, ExportTier>;
  /** makes a record keyed by region, in rule order */
  regions: RecordMaker<ExportTier>;
  /** the deals it can close in one exchange */
  closable: Closable;
}
const botRoles = new WeakMap<RuleFile, Record<string, BotRole>>();
function botRole(rules: RuleFile, roleId: string): BotRole {
  let byRole = botRoles.get(rules);
  // null-prototype, as the rule index: a role id never finds Object's own properties
  if (!byRole) botRoles.set(rules, (byRole = Object.create(null) as Record<string, BotRole>));
  let found = byRole[roleId];
  if (!found) {
    const index = ruleIndex(rules);
    const role = index.role[roleId]!;
    const sharesOf = (mood: 'hawk' | 'dove') => {
      const weights = WEIGHTS[mood][role.side];
      const total = role.levers.reduce((n, l) => n + (weights[l.effect] ?? 0), 0);
      return role.levers.map((l) => (total > 0 ? (weights[l.effect] ?? 0) / total : 1 / role.levers.length));
    };
    found = {
      role, side: role.side, holds: index.holds[roleId], spend: spendRecord(role.levers), ids: role.levers.map((l) => l.id), hawk: sharesOf('hawk'), dove: sharesOf('dove'),
      hawkTiers: tierTemplate(rules, role.side, 'hawk'), doveTiers: tierTemplate(rules, role.side, 'dove'), regions: regionRecord<ExportTier>(rules.regions),
      closable: closable(rules, roleId),
    };
    byRole[roleId] = found;
  }
  return found;
}

/** The same records by role position in rules.roles (a match's orders are made role by role, in that order), and the
 *  maker of the record of a quarter's orders. */
export interface BotSeats {
  roles: readonly BotRole[];
  orders: RecordMaker<Order>;
}
const SEATS = Symbol('botSeats');
type WithSeats = RuleIndex & { [SEATS]?: BotSeats };
const seatsOf = new WeakMap<RuleFile, BotSeats>();
/** Read twice a quarter: kept on the rule index as a hidden property (a plain read), not in a WeakMap, where it can be. */
export function botSeatsOf(rules: RuleFile): BotSeats {
  const index = ruleIndex(rules) as WithSeats;
  let seats = index[SEATS] ?? seatsOf.get(rules);
  if (!seats) {
    seats = { roles: rules.roles.map((r) => botRole(rules, r.id)), orders: recordMaker<Order>(rules.roles) };
    if (Object.isExtensible(index)) Object.defineProperty(index, SEATS, { value: seats, enumerable: false });
    else seatsOf.set(rules, seats);
  }
  return seats;
}

/** The records by role position alone. */
export function botRolesOf(rules: RuleFile): readonly BotRole[] {
  return botSeatsOf(rules).roles;
}

// one order's amounts by lever, before they are made into its spend record (scratch: orders are made one at a time)
let AMOUNTS = new Float64Array(16);
function scratch(n: number): Float64Array {
  if (AMOUNTS.length < n) AMOUNTS = new Float64Array(n);
  return AMOUNTS;
}

function splitByWeights(rules: RuleFile, state: MatchState, b: BotRole, mood: 'hawk' | 'dove'): Record<string, number> {
  const budget = budgetOf(rules, state, b.role);
  const ids = b.ids;
  const shares = mood === 'hawk' ? b.hawk : b.dove;
  const amounts = scratch(ids.length);
  for (let i = 0; i < ids.length; i++) amounts[i] = budget * shares[i];
  return b.spend.make(amounts);
}

const LOOSER: Record<ExportTier, ExportTier> = { embargo: 'licensed', licensed: 'open', open: 'open' };

const tierCache = new WeakMap<RuleFile, Record<string, Record<string, ExportTier>>>();
/** The export tiers a mood sets (shared: copy it for an order, which complyWith may edit). */
function tierTemplate(rules: RuleFile, side: Side, mood: 'hawk' | 'dove'): Record<string, ExportTier> {
  let byKey = tierCache.get(rules);
  if (!byKey) {
    byKey = {};
    for (const sd of ['us', 'china'] as const) for (const m of ['hawk', 'dove'] as const) byKey[sd + m] = computeTiers(rules, sd, m);
    tierCache.set(rules, byKey);
  }
  return byKey[side === 'us' ? (mood === 'hawk' ? 'ushawk' : 'usdove') : mood === 'hawk' ? 'chinahawk' : 'chinadove'];
}

function computeTiers(rules: RuleFile, side: Side, mood: 'hawk' | 'dove'): Record<string, ExportTier> {
  const tiers: Record<string, ExportTier> = {};
  for (const r of rules.regions) {
    const rival = r.alignment !== 'tier2' && r.alignment !== side;
    if (mood === 'hawk') tiers[r.id] = rival ? 'embargo' : r.alignment === 'tier2' ? 'licensed' : 'open';
    // doves loosen controls on the hubs but leave the rival's own tier as they found it
    else tiers[r.id] = r.alignment === side ? 'open' : r.alignment === 'tier2' ? LOOSER[r.exportTier] : r.exportTier;
  }
  return tiers;
}

function moodOrder(rules: RuleFile, state: MatchState, b: BotRole, mood: 'hawk' | 'dove'): Order {
  const holds = b.holds;
  const order: Order = { spend: splitByWeights(rules, state, b, mood) };
  if (holds.exportTiers) order.exportTiers = { ...(mood === 'hawk' ? b.hawkTiers : b.doveTiers) };
  if (holds.globalLicensing) order.globalLicensing = mood === 'hawk';
  // hawks release open weights for reach; doves keep the policy they found
  if (holds.openWeights) order.openWeights = mood === 'hawk' ? true : state.openWeights;
  if (holds.hubCompliance) order.hubCompliance = mood === 'hawk' ? 0.2 : 0.9;
  return order;
}

/** The lead as this role's side believes it: its own capability exact, the rival's as an estimate. */
export function believedLead(rules: RuleFile, state: MatchState, side: Side): number {
  const est = estimatedCapability(rules, state, side);
  const own = (side === 'us' ? state.sides.us : state.sides.china).capability;
  return side === 'us' ? own - est : est - own;
}

/** Hawkish when its side is losing ground, dovish when comfortable. */
function opportunistMood(rules: RuleFile, state: MatchState, side: Side): 'hawk' | 'dove' {
  const lead = believedLead(rules, state, side);
  const [lo] = rules.model.safeguards.sweetSpot;
  return side === 'us' ? (lead < lo ? 'hawk' : 'dove') : (lead > lo / 2 ? 'hawk' : 'dove');
}

function randomOrder(rules: RuleFile, state: MatchState, b: BotRole, rng: Rng): Order {
  const holds = b.holds;
  const budget = budgetOf(rules, state, b.role) * rng.next();
  const levers = b.role.levers;
  // the same draws, sum and split as map, reduce and forEach made, without their closures
  const w = new Array<number>(levers.length);
  for (let i = 0; i < levers.length; i++) w[i] = rng.next();
  let sum = 0;
  for (let i = 0; i < levers.length; i++) sum += w[i];
  const total = sum || 1;
  const amounts = scratch(levers.length);
  for (let i = 0; i < levers.length; i++) amounts[i] = (budget * w[i]) / total;
  const order: Order = { spend: b.spend.make(amounts) };
  if (holds.exportTiers) {
    // each region's draw in rule order, made into a record keyed in that order
    const regions = rules.regions;
    const drawn = TIER_DRAWS;
    for (let k = 0; k < regions.length; k++) drawn[k] = TIERS[Math.floor(rng.next() * 3)];
    order.exportTiers = b.regions.make(drawn);
  }
  if (holds.globalLicensing) order.globalLicensing = rng.next() < 0.5;
  if (holds.openWeights) order.openWeights = rng.next() < 0.5;
  if (holds.hubCompliance) order.hubCompliance = rng.next();
  return order;
}

const TIERS = ['open', 'licensed', 'embargo'] as const;
// one order's drawn tiers by region position (scratch)
const TIER_DRAWS: ExportTier[] = [];

/** Keeps an order inside the bindings of the agreements its role is part of. */
export function complyWith(rules: RuleFile, state: MatchState, roleId: string, order: Order): Order {
  if (!state.agreements.length) return order;
  for (const a of state.agreements) {
    const p = ruleIndex(rules).proposal[a.proposalId]!;
    for (const b of p.binds) {
      if (b.role !== roleId) continue;
      if (b.lever && order.spend[b.lever] !== undefined) {
        if (b.atMost !== undefined) order.spend[b.lever] = Math.min(order.spend[b.lever], b.atMost);
        if (b.atLeast !== undefined && order.spend[b.lever] < b.atLeast) {
          const need = b.atLeast - order.spend[b.lever];
          // take the money from the biggest other lever
          let biggest = '';
          for (const k in order.spend) if (k !== b.lever && (!biggest || order.spend[k] > order.spend[biggest])) biggest = k;
          if (biggest) order.spend[biggest] = Math.max(0, order.spend[biggest] - need);
          order.spend[b.lever] = b.atLeast;
        }
      }
      if (b.setting === 'exportTiers' && b.region && order.exportTiers) order.exportTiers[b.region] = b.value as ExportTier;
      if (b.setting === 'globalLicensing' && typeof b.value === 'boolean') order.globalLicensing = b.value;
      if (b.setting === 'openWeights' && typeof b.value === 'boolean') order.openWeights = b.value;
    }
  }
  return order;
}

/** A personality's answer to each dilemma put to its role: hawks and doves lean their way, the status quo takes the default. */
function answerDilemmas(rules: RuleFile, state: MatchState, b: BotRole, personality: Personality, order: Order, rng: Rng): Order {
  if (!state.dilemmas.length) return order;
  const roleId = b.role.id;
  const side = b.side;
  const cards = ruleIndex(rules).card;
  for (const d of state.dilemmas) {
    if (d.role !== roleId) continue;
    const card = cards[d.cardId];
    if (!card?.dilemma) continue;
    const { options } = card.dilemma;
    const mood = personality === 'opportunist' ? opportunistMood(rules, state, side) : personality;
    let pick = card.dilemma.default;
    if (mood === 'hawk' || mood === 'dove') {
      // options.find without the closure
      for (let i = 0; i < options.length; i++) if (options[i].stance === mood) { pick = options[i].id; break; }
    }
    else if (mood === 'random') pick = options[Math.floor(rng.next() * options.length)].id;
    (order.dilemmas ??= {})[d.cardId] = pick;
  }
  return order;
}

export function botOrder(rules: RuleFile, state: MatchState, roleId: string, personality: Personality, rng: Rng): Order {
  return botOrderOf(rules, state, botRole(rules, roleId), personality, rng);
}

/** botOrder for the role of a record from botRolesOf. */
export function botOrderOf(rules: RuleFile, state: MatchState, b: BotRole, personality: Personality, rng: Rng): Order {
  // a planner answers its dilemmas itself, by looking ahead
  if (isPlanner(personality)) return moodlessOrder(rules, state, b, personality, rng);
  const order = moodlessOrder(rules, state, b, personality, rng);
  return state.dilemmas.length ? answerDilemmas(rules, state, b, personality, order, rng) : order;
}

function moodlessOrder(rules: RuleFile, state: MatchState, b: BotRole, personality: Personality, rng: Rng): Order {
  const roleId = b.role.id;
  switch (personality) {
    case 'status-quo': return complyWith(rules, state, roleId, statusQuoOf(rules, state, b.role, b.holds, b.spend));
    case 'hawk': return moodOrder(rules, state, b, 'hawk');
    case 'dove': return complyWith(rules, state, roleId, moodOrder(rules, state, b, 'dove'));
    case 'opportunist': {
      const mood = opportunistMood(rules, state, b.side);
      const order = moodOrder(rules, state, b, mood);
      return mood === 'dove' ? complyWith(rules, state, roleId, order) : order;
    }
    case 'random': return randomOrder(rules, state, b, rng);
    case 'planner-easy': case 'planner': case 'planner-hard': return planner.order(rules, state, roleId, personality, rng, styleOrder);
  }
}

/** A scripted style's order, as the planner imagines it for itself and for everyone else. */
const styleOrder = (rules: RuleFile, state: MatchState, roleId: string, style: Style): Order => botOrder(rules, state, roleId, style, rngFor(state.seed, state.turn, STREAM.bots));

/** Whether this personality accepts a proposal made to its role. */
export function botAccepts(rules: RuleFile, state: MatchState, roleId: string, personality: Personality, rng: Rng): boolean {
  if (personality === 'dove') return true;
  if (personality === 'opportunist') return opportunistMood(rules, state, ruleIndex(rules).role[roleId]!.side) === 'dove';
  if (personality === 'random') return rng.next() < 0.5;
  if (isPlanner(personality)) return planner.accepts(rules, state, roleId, personality, rng, styleOrder);
  return false;
}

const NONE: RuleIndex['offers'][string] = [];

type Closable = { all: RuleIndex['offers'][string]; safety: RuleIndex['offers'][string] };
const closableCache = new WeakMap<RuleFile, Record<string, Closable>>();
/** A bot makes only deals it can close in one exchange: none that would wait on a third role's ratification (and, apart, the safety ones). */
function closable(rules: RuleFile, roleId: string): Closable {
  let byRole = closableCache.get(rules);
  if (!byRole) {
    // null-prototype, as the rule index: a role id never finds Object's own properties
    byRole = Object.create(null) as Record<string, Closable>;
    const offers = ruleIndex(rules).offers;
    for (const r of rules.roles) {
      const all = (offers[r.id] ?? NONE).filter((o) => !o.needsRatification);
      byRole[r.id] = { all, safety: all.filter((o) => o.safety) };
    }
    closableCache.set(rules, byRole);
  }
  return byRole[roleId] ?? NO_DEALS;
}

/** botProposals for the role of a record from botRolesOf. */
export function botProposalsOf(rules: RuleFile, state: MatchState, b: BotRole, personality: Personality): RuleIndex['offers'][string] {
  if (personality === 'dove') return b.closable.all;
  if (personality !== 'opportunist') return isPlanner(personality) ? botProposals(rules, state, b.role.id, personality) : NONE;
  if (opportunistMood(rules, state, b.side) !== 'dove') return NONE;
  return b.closable.safety;
}

const NO_DEALS: Closable = { all: NONE, safety: NONE };

/** Proposals a personality makes this quarter, with their addressees: doves seek every deal, opportunists only safety ones. */
export function botProposals(rules: RuleFile, state: MatchState, roleId: string, personality: Personality): RuleIndex['offers'][string] {
  if (personality === 'dove') return closable(rules, roleId).all;
  if (isPlanner(personality)) return planner.proposals(rules, state, roleId, personality, rngFor(state.seed, state.turn, STREAM.bots, 4242), styleOrder);
  if (personality !== 'opportunist') return NONE;
  const side = ruleIndex(rules).role[roleId]!.side;
  if (opportunistMood(rules, state, side) !== 'dove') return NONE;
  return closable(rules, roleId).safety;
}
