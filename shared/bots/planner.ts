// The planning bot: it rebuilds the world from its own role's view (estimates, not the truth), plays
// a handful of candidate plans forward with the real engine on dice of its own, and picks the plan
// that serves its role's objectives best. Deterministic: every choice comes from the seeded rng.
import type { RuleFile, Side } from '../rules/schema.ts';
import type { MatchState, Order, Orders, SideState } from '../engine/state.ts';
import { availableBudget, cloneState, initialState } from '../engine/setup.ts';
import { resolveTurnInPlace } from '../engine/resolve.ts';
import { objectiveScore, refsOf } from '../engine/endings.ts';
import { incidentRisk } from '../engine/safety.ts';
import { readRef } from '../engine/stats.ts';
import { consentAllInPlace, proposeQuietly, respondQuietly } from '../engine/diplomacy.ts';
import { roleView, type RoleView } from '../engine/views.ts';
import { stateFromView } from '../engine/from-view.ts';
import { ruleIndex, type RuleIndex } from '../engine/ruleIndex.ts';
import { createRng, mixSeed, type Rng } from '../engine/rng.ts';

/** The scripted styles a planner weighs as whole plans, and assumes of everyone else. */
export const STYLES = ['status-quo', 'hawk', 'dove', 'opportunist'] as const;
export type Style = (typeof STYLES)[number];

/** How a style orders for a role in a state: given by the personalities, so this file needs none of them. */
export type StyleOrder = (rules: RuleFile, state: MatchState, roleId: string, style: Style) => Order;

interface Level {
  /** quarters played forward (at most to the end of the match) */
  horizon: number;
  /** futures per plan, each on its own dice and its own draw of the rival from the estimates */
  samples: number;
  /** shares of the budget moved into one lever, as extra plans (none: only the styles) */
  shifts: number[];
  /** also try a second lever pushed on top of the winning one */
  stack: boolean;
  /** sd of the noise (score points) added to each plan's value: how often an easy bot misjudges */
  noise: number;
  /** how many standard errors of its gain over the status quo a plan is marked down: a plan whose
   *  futures vary more is not chosen for its luck (the winner's curse among noisy candidates) */
  caution: number;
}

export const PLANNER_LEVELS = {
  'planner-easy': { horizon: 4, samples: 2, shifts: [0.15], stack: false, noise: 1, caution: 0.5 },
  planner: { horizon: 10, samples: 4, shifts: [0.15, 0.35], stack: true, noise: 0, caution: 2 },
  'planner-hard': { horizon: 10, samples: 12, shifts: [0.15, 0.35], stack: true, noise: 0, caution: 2 },
} as const satisfies Record<string, Level>;
export type PlannerName = keyof typeof PLANNER_LEVELS;
export const PLANNERS = Object.keys(PLANNER_LEVELS) as PlannerName[];

export function isPlanner(name: string): name is PlannerName {
  // PLANNER_LEVELS' keys spelt out: every bot's every order asks this, and three compares beat a property lookup by name
  return name === 'planner' || name === 'planner-easy' || name === 'planner-hard';
}

/** A plan: this role's order in any state it reaches. */
type Plan = (state: MatchState) => Order;

/** A role's score as the engine computes it at the end, without the rounding (plans differ by fractions). */
export function ownScore(rules: RuleFile, state: MatchState, roleId: string): number {
  const role = ruleIndex(rules).role[roleId]!;
  let sum = 0, weights = 0;
  const refs = refsOf(role.objectives);
  for (let i = 0; i < role.objectives.length; i++) {
    const o = role.objectives[i];
    const v = readRef(rules, state, refs[i]);
    sum += o.weight * objectiveScore(o, typeof v === 'number' ? v : v ? 1 : 0);
    weights += o.weight;
  }
  return weights > 0 ? (100 * sum) / weights : 0;
}

/** The same order with `share` of the budget moved into one lever, the others cut in proportion. */
export function shiftInto(order: Order, lever: string, budget: number, share: number): Order {
  const spend: Record<string, number> = {};
  let total = 0;
  for (const k in order.spend) total += order.spend[k];
  const move = Math.min(total, budget * share);
  const keep = total > 0 ? (total - move) / total : 0;
  for (const k in order.spend) spend[k] = order.spend[k] * keep;
  spend[lever] = (spend[lever] ?? 0) + move;
  return { ...order, spend, exportTiers: order.exportTiers && { ...order.exportTiers } };
}

interface Future {
  /** the imagined world this future starts from */
  start: MatchState;
}

/**
 * What a planner expects of the rival before any estimate: the rule file is public, so it plays the
 * match from the start with every role on the status quo (a few seeds, averaged) and reads the
 * rival's numbers quarter by quarter. Worked out once per rule file.
 */
const priorCache = new WeakMap<RuleFile, Record<Side, SideState[]>>();
const PRIOR_SEEDS = 4;
function priorPath(rules: RuleFile, styleOrder: StyleOrder): Record<Side, SideState[]> {
  const found = priorCache.get(rules);
  if (found) return found;
  const runs: MatchState[][] = [];
  // quiet futures: no catastrophe ends the path early (a prior is an expectation, not a story)
  const calm: RuleFile = { ...rules, model: { ...rules.model, incidents: { ...rules.model.incidents, catastropheFromTurn: rules.calendar.turns + 1 } } };
  for (let seed = 1; runs.length < PRIOR_SEEDS && seed < 50; seed++) {
    const s = initialState(calm, seed);
    const path = [cloneState(s)];
    while (!s.finished) {
      const orders: Orders = {};
      for (const r of rules.roles) orders[r.id] = styleOrder(calm, s, r.id, 'status-quo');
      resolveTurnInPlace(calm, s, orders);
      path.push(cloneState(s));
    }
    runs.push(path);
  }
  const out = { us: [] as SideState[], china: [] as SideState[] };
  for (const side of ['us', 'china'] as const) {
    for (let t = 0; t <= rules.calendar.turns; t++) {
      const at = runs.map((p) => p[Math.min(t, p.length - 1)].sides[side]);
      const avg: SideState = { ...at[0], fabPipeline: at[0].fabPipeline.map((b) => ({ ...b })), lastDistillation: { ...at[0].lastDistillation } };
      for (const k of ['capability', 'safeguards', 'distilledMonths', 'adoption'] as const) avg[k] = mean(at.map((x) => x[k]));
      for (const k of ['chips', 'effectiveCompute', 'peakCompute', 'powerGW', 'powerNeedGW', 'computeCost', 'domesticChips'] as const) {
        avg[k] = Math.exp(mean(at.map((x) => Math.log(Math.max(1e-9, x[k])))));
      }
      out[side].push(avg);
    }
  }
  priorCache.set(rules, out);
  return out;
}

/** How far (1 sd, per quarter) a planner thinks the rival may stray from the status-quo path: months, points, log-factor. */
const STRAY = { capability: 0.6, safeguards: 0.03, log: 0.06 } as const;

export interface Belief { value: number; sd: number }

/**
 * One of the rival's numbers as a planner believes it at turn t: the status-quo path from the public
 * start, plus a drift that grows with time, fitted to every estimate so far (each has fresh noise).
 * With no estimate yet it is the path itself; the more estimates, the more they count.
 */
function believe(prior: (k: number) => number, t: number, stray: number, noise: number, estimates: { turn: number; value: number }[]): Belief {
  if (t <= 0) return { value: prior(0), sd: 0 };
  let precision = 1 / (stray * stray), num = 0;
  const w = 1 / Math.max(1e-12, noise * noise);
  for (const e of estimates) {
    if (e.turn <= 0 || e.turn > t) continue;
    precision += e.turn * e.turn * w;
    num += e.turn * (e.value - prior(e.turn)) * w;
  }
  const drift = num / precision;
  return { value: prior(t) + drift * t, sd: t / Math.sqrt(precision) };
}

export interface RivalBelief {
  capability: Belief; safeguards: Belief;
  /** multiplicative: value and sd of the log */
  chips: Belief; effectiveCompute: Belief; powerGW: Belief; computeCost: Belief;
}

/** Everything a planner believes of the rival's hidden numbers, from its view and the public rule file. */
export function believedRival(rules: RuleFile, view: RoleView, styleOrder: StyleOrder): RivalBelief {
  const rival: Side = view.side === 'us' ? 'china' : 'us';
  const path = priorPath(rules, styleOrder)[rival];
  const at = (k: number) => path[Math.min(path.length - 1, Math.max(0, k))];
  const t = view.world.turn;
  const err = view.own.intelError;
  const i = rules.model.intelligence;
  const now = (stat: 'chips' | 'powerGW' | 'computeCost') => [{ turn: t, value: Math.log(Math.max(1e-9, view.rival[stat].value)) }];
  const series = (pick: (p: RoleView['timeline'][number]) => number) => view.timeline.map((p) => ({ turn: p.turn, value: pick(p) }));
  const logOf = (stat: 'chips' | 'effectiveCompute' | 'powerGW' | 'computeCost') => (k: number) => Math.log(Math.max(1e-9, at(k)[stat]));
  return {
    capability: believe((k) => at(k).capability, t, STRAY.capability, err * i.capabilityErrorMonths, series((p) => p.capability[rival])),
    safeguards: believe((k) => at(k).safeguards, t, STRAY.safeguards, err * i.safeguardsError, series((p) => p.safeguards[rival])),
    effectiveCompute: believe(logOf('effectiveCompute'), t, STRAY.log, err, series((p) => Math.log(Math.max(1e-9, p.effectiveCompute[rival])))),
    chips: believe(logOf('chips'), t, STRAY.log, err, now('chips')),
    powerGW: believe(logOf('powerGW'), t, STRAY.log, err, now('powerGW')),
    computeCost: believe(logOf('computeCost'), t, STRAY.log, err, now('computeCost')),
  };
}

/** The rival's capability as a planner believes it (see believedRival). */
export function believedRivalCapability(rules: RuleFile, view: RoleView, styleOrder: StyleOrder): Belief {
  return believedRival(rules, view, styleOrder).capability;
}

/** The futures a planner imagines: the world of its view on its own dice, the rival as it believes it, its capability drawn from that belief. */
function futures(rules: RuleFile, view: RoleView, n: number, rng: Rng, styleOrder: StyleOrder): Future[] {
  const out: Future[] = [];
  const rival: Side = view.side === 'us' ? 'china' : 'us';
  const b = believedRival(rules, view, styleOrder);
  const path = priorPath(rules, styleOrder)[rival];
  const p = path[Math.min(path.length - 1, view.world.turn)];
  const mpd = rules.model.capability.monthsPerDoubling;
  for (let k = 0; k < n; k++) {
    const start = stateFromView(rules, view, Math.floor(rng.next() * 4294967296));
    const r = start.sides[rival];
    const chips = Math.exp(b.chips.value), compute = Math.exp(b.effectiveCompute.value);
    r.chips = chips;
    r.domesticChips = p.chips > 0 ? chips * (p.domesticChips / p.chips) : 0;
    r.powerGW = Math.exp(b.powerGW.value);
    r.powerNeedGW = p.chips > 0 ? p.powerNeedGW * (chips / p.chips) : r.powerNeedGW;
    r.effectiveCompute = compute;
    r.peakCompute = Math.max(compute, p.effectiveCompute > 0 ? compute * (p.peakCompute / p.effectiveCompute) : compute);
    r.computeCost = Math.exp(b.computeCost.value);
    r.safeguards = Math.min(1, Math.max(0, b.safeguards.value));
    r.distilledMonths = p.distilledMonths;
    r.fabPipeline = p.fabPipeline.map((x) => ({ ...x }));
    r.smuggledChips = p.smuggledChips;
    // the first future is the central belief; the others spread over what the role believes possible
    r.capability = b.capability.value + (k > 0 ? b.capability.sd * rng.normal() : 0);
    r.algorithmicMonths = r.capability - r.distilledMonths - mpd * Math.log2(Math.max(1, r.peakCompute));
    out.push({ start });
  }
  return out;
}

/**
 * The rules a planner imagines with: the same, except that a catastrophe is never drawn but weighed
 * (see playOut). A drawn catastrophe is a rare coin flip that would swamp every comparison of a few
 * futures; its chance, quarter by quarter, is what a plan actually changes.
 */
const imaginedCache = new WeakMap<RuleFile, RuleFile>();
function imagined(rules: RuleFile): RuleFile {
  let found = imaginedCache.get(rules);
  if (!found) {
    found = { ...rules, model: { ...rules.model, incidents: { ...rules.model.incidents, catastropheFromTurn: rules.calendar.turns + 1 } } };
    imaginedCache.set(rules, found);
    imaginedCache.set(found, found);
    realRules.set(found, rules);
  }
  return found;
}

/**
 * Plays a plan forward from a future for `horizon` quarters, everyone else on the status quo, and
 * scores it as the expected score: each quarter's chance of a catastrophe (the engine's risk after
 * the quarter, the escalation track's share included) ends the match there with that quarter's
 * score, the rest of the chance goes on.
 */
function playOut(rules: RuleFile, f: Future, roleId: string, plan: Plan, horizon: number, others: StyleOrder): number {
  const real = realRules.get(rules) ?? rules;
  const inc = real.model.incidents;
  const s = cloneState(f.start);
  let alive = 1, expected = 0;
  for (let q = 0; q < horizon && !s.finished; q++) {
    const orders: Orders = {};
    for (const r of rules.roles) orders[r.id] = r.id === roleId ? plan(s) : others(rules, s, r.id, 'status-quo');
    // an imagined quarter is read only for its numbers: no sentences, no events but the cards', no chart points
    resolveTurnInPlace(rules, s, orders, futureDice(s.seed, s.turn), false, false, false, false);
    if (s.turn >= inc.catastropheFromTurn && s.incidents.catastrophic === 0) {
      const p = Math.min(0.95, incidentRisk(real, s) + s.tension * real.model.tension.risk) * inc.catastrophicShare;
      if (p > 0) {
        s.incidents.catastrophic = 1;
        expected += alive * p * ownScore(real, s, roleId);
        s.incidents.catastrophic = 0;
        alive *= 1 - p;
      }
    }
  }
  return expected + alive * ownScore(real, s, roleId);
}
const realRules = new WeakMap<RuleFile, RuleFile>();

/**
 * A quarter's dice for an imagined future. Normal draws (research and distillation luck) come from a
 * stream of their own, and each normal draw starts a fresh uniform stream: a plan that changes how
 * many uniform draws happen early in the quarter (each smuggled shipment is one) then meets the same
 * event cards and incidents later in it as the status quo does. Two plans meet the same luck, and
 * their difference is the plan's, not the dice's.
 */
function futureDice(seed: number, turn: number): Rng {
  const normal = createRng(mixSeed(seed, turn, 2));
  let phase = 0;
  let uniform = createRng(mixSeed(seed, turn, 1, phase));
  return {
    next: () => uniform.next(),
    normal: () => {
      phase++;
      uniform = createRng(mixSeed(seed, turn, 1, phase));
      return normal.normal();
    },
  };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** One candidate plan: whose spending split, whose settings, an optional lever shift, an optional settings flip, and answers to the open dilemmas. */
export interface PlanChoice {
  spend: Style;
  settings: Style;
  shift?: { lever: string; share: number };
  /** a second lever pushed on top of the first */
  also?: { lever: string; share: number };
  openWeights?: boolean;
  /** card id -> option id, for the dilemmas put to the role now */
  answers: Record<string, string>;
}

export function describeChoice(c: PlanChoice): string {
  let label = c.spend === c.settings ? c.spend : `${c.spend} spending, ${c.settings} settings`;
  if (c.shift) label += ` +${c.shift.share * 100}% on ${c.shift.lever}`;
  if (c.also) label += ` +${c.also.share * 100}% on ${c.also.lever}`;
  if (c.openWeights !== undefined) label += ` open weights ${c.openWeights ? 'on' : 'off'}`;
  const answers = Object.entries(c.answers).map(([card, option]) => `${card}=${option}`);
  return answers.length ? `${label}; ${answers.join(', ')}` : label;
}

/** The plan a choice stands for: its role's order in any state it reaches. */
export function planOf(rules: RuleFile, roleId: string, c: PlanChoice, styleOrder: StyleOrder): Plan {
  const holds = ruleIndex(rules).holds[roleId];
  return (s) => {
    let order = styleOrder(rules, s, roleId, c.spend);
    if (c.settings !== c.spend) {
      const t = styleOrder(rules, s, roleId, c.settings);
      order = { ...order };
      if (holds.exportTiers) order.exportTiers = t.exportTiers && { ...t.exportTiers };
      if (holds.globalLicensing) order.globalLicensing = t.globalLicensing;
      if (holds.openWeights) order.openWeights = t.openWeights;
      if (holds.hubCompliance) order.hubCompliance = t.hubCompliance;
    }
    if (c.shift) order = shiftInto(order, c.shift.lever, availableBudget(rules, s, roleId), c.shift.share);
    if (c.also) order = shiftInto(order, c.also.lever, availableBudget(rules, s, roleId), c.also.share);
    if (c.openWeights !== undefined && holds.openWeights) order = { ...order, openWeights: c.openWeights };
    for (const d of s.dilemmas) {
      const pick = d.role === roleId ? c.answers[d.cardId] : undefined;
      if (pick !== undefined) order = { ...order, dilemmas: { ...order.dilemmas, [d.cardId]: pick } };
    }
    return order;
  };
}

/** What a planner decided this quarter: the choice, its order, and how each candidate it weighed scored. */
export interface PlannerDecision {
  choice: PlanChoice;
  order: Order;
  weighed: { label: string; value: number }[];
}

/**
 * The planner's search, one question at a time on the same futures (each candidate judged by its
 * cautious gain over the status quo there): how to answer each dilemma put to the role, whose
 * spending split, whose settings (export tiers, licensing, open weights), then one lever pushed.
 * A later question keeps the earlier answers; the status quo stands unless something beats it.
 */
export function plannerDecision(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): PlannerDecision {
  rules = imagined(rules);
  const level: Level = PLANNER_LEVELS[name];
  const roleId = view.roleId;
  const index = ruleIndex(rules);
  const role = index.role[roleId]!;
  const holds = index.holds[roleId];
  const fs = futures(rules, view, level.samples, rng, styleOrder);
  const horizon = Math.min(level.horizon, rules.calendar.turns - view.world.turn);

  const sqChoice: PlanChoice = { spend: 'status-quo', settings: 'status-quo', answers: {} };
  const sqValues = fs.map((f) => playOut(rules, f, roleId, planOf(rules, roleId, sqChoice, styleOrder), horizon, styleOrder));
  const weighed: PlannerDecision['weighed'] = [{ label: describeChoice(sqChoice), value: 0 }];
  const judge = (c: PlanChoice): number => {
    const plan = planOf(rules, roleId, c, styleOrder);
    const gains = fs.map((f, k) => playOut(rules, f, roleId, plan, horizon, styleOrder) - sqValues[k]);
    const m = mean(gains);
    const se = gains.length > 1 ? Math.sqrt(gains.reduce((a, g) => a + (g - m) ** 2, 0) / (gains.length - 1) / gains.length) : 0;
    const value = m - level.caution * se + (level.noise ? level.noise * rng.normal() : 0);
    weighed.push({ label: describeChoice(c), value });
    return value;
  };
  let best = sqChoice;
  let bestValue = 0;
  const consider = (c: PlanChoice): number => {
    const v = judge(c);
    if (v > bestValue + 1e-9) { best = c; bestValue = v; }
    return v;
  };

  // the dilemmas first: an answer is a choice of its own, whatever the spending
  for (const d of view.dilemmas) {
    const card = index.card[d.cardId]?.dilemma;
    if (!card) continue;
    const base = best;
    for (const o of card.options) if (o.id !== card.default) consider({ ...base, answers: { ...base.answers, [d.cardId]: o.id } });
    if (best === base) best = { ...base, answers: { ...base.answers, [d.cardId]: card.default } };
  }
  const answered = best;
  const styled: { c: PlanChoice; v: number }[] = [{ c: answered, v: 0 }];
  for (const style of STYLES) {
    if (style === 'status-quo') continue;
    const c = { ...answered, spend: style, settings: style };
    styled.push({ c, v: consider(c) });
  }
  // the runner-up among the styles also gets a lever pushed: a style a shade worse than the best may be the better base
  styled.sort((a, b) => b.v - a.v);
  const second = styled[1]?.c;
  if (holds.exportTiers || holds.globalLicensing || holds.hubCompliance) {
    // the opportunist's settings are the hawk's or the dove's
    const base = best;
    for (const style of ['status-quo', 'hawk', 'dove'] as const) if (style !== base.settings) consider({ ...base, settings: style });
  }
  if (holds.openWeights) {
    const base = best;
    for (const on of [true, false]) if (on !== view.world.openWeights) consider({ ...base, openWeights: on });
  }
  // one lever pushed by the first share, on the best plan and on the runner-up; the larger shares only on the lever that won
  if (level.shifts.length) {
    const [first, ...more] = level.shifts;
    const bases = second && second !== best ? [best, second] : [best];
    let top: { c: PlanChoice; v: number } | null = null;
    for (const base of bases) for (const l of role.levers) {
      const c = { ...base, shift: { lever: l.id, share: first } };
      const v = consider(c);
      if (!top || v > top.v) top = { c, v };
    }
    for (const share of more) if (top) consider({ ...top.c, shift: { lever: top.c.shift!.lever, share } });
    // and, when a push won, a second lever pushed on top of it
    if (level.stack && best.shift) {
      const base = best;
      for (const l of role.levers) if (l.id !== base.shift!.lever) consider({ ...base, also: { lever: l.id, share: first } });
    }
  }
  return { choice: best, order: planOf(rules, roleId, best, styleOrder)(fs[0].start), weighed };
}

/** The order a planner gives for its role this quarter, from its role's view alone. */
export function plannerOrder(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): Order {
  return plannerDecision(rules, view, name, rng, styleOrder).order;
}

/** The proposal waiting for this role's answer that a planner weighs (the newest one made to it). */
function waitingFor(view: RoleView) {
  const mine = view.world.pending.filter((p) => p.to === view.roleId);
  return mine[mine.length - 1];
}

/** Whether a planner accepts the newest proposal made to its role: if its futures score better with the agreement. */
export function plannerAccepts(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): boolean {
  rules = imagined(rules);
  const pending = waitingFor(view);
  if (!pending) return false;
  const level: Level = PLANNER_LEVELS[name];
  const horizon = Math.min(level.horizon, rules.calendar.turns - view.world.turn);
  const sq: Plan = (s) => styleOrder(rules, s, view.roleId, 'status-quo');
  let gain = 0;
  for (const f of futures(rules, view, level.samples, rng, styleOrder)) {
    const yes = { start: cloneState(f.start) };
    const no = { start: cloneState(f.start) };
    if (!respondQuietly(rules, yes.start, pending.key, view.roleId, true)) return false;
    // in the future it imagines, the roles a deal binds agree to it too (else it would be worth nothing to weigh)
    if (!pending.ratify) consentAllInPlace(rules, yes.start, pending.proposalId);
    respondQuietly(rules, no.start, pending.key, view.roleId, false);
    gain += playOut(rules, yes, view.roleId, sq, horizon, styleOrder) - playOut(rules, no, view.roleId, sq, horizon, styleOrder);
  }
  return gain / level.samples + (level.noise ? level.noise * rng.normal() : 0) > 0;
}

const NONE: RuleIndex['offers'][string] = [];

/** The proposals a planner makes: those whose agreement (if accepted) would raise its own futures' score by a point or more. */
export function plannerProposals(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): typeof NONE {
  rules = imagined(rules);
  // like the scripted bots, only deals it can close in one exchange (none waiting on a third role's ratification)
  const offers = (ruleIndex(rules).offers[view.roleId] ?? NONE).filter((o) => !o.needsRatification);
  if (!offers.length) return NONE;
  const level: Level = PLANNER_LEVELS[name];
  const horizon = Math.min(level.horizon, rules.calendar.turns - view.world.turn);
  const sq: Plan = (s) => styleOrder(rules, s, view.roleId, 'status-quo');
  const fs = futures(rules, view, level.samples, rng, styleOrder);
  const base = mean(fs.map((f) => playOut(rules, f, view.roleId, sq, horizon, styleOrder)));
  const out: typeof NONE = [];
  for (const offer of offers) {
    if (view.world.agreements.some((a) => a.proposalId === offer.proposalId)) continue;
    const withIt: number[] = [];
    for (const f of fs) {
      const s = cloneState(f.start);
      const made = proposeQuietly(rules, s, offer.proposalId, view.roleId, offer.to);
      if (!made) break;
      respondQuietly(rules, s, made.key, offer.to, true);
      consentAllInPlace(rules, s, offer.proposalId);
      withIt.push(playOut(rules, { start: s }, view.roleId, sq, horizon, styleOrder));
    }
    if (withIt.length === fs.length && mean(withIt) >= base + 1) out.push(offer);
  }
  return out;
}

/** The planner's hooks as the personalities call them: from the true state, only through the role's view. */
export const planner = {
  order: (rules: RuleFile, state: MatchState, roleId: string, name: PlannerName, rng: Rng, styleOrder: StyleOrder): Order =>
    plannerOrder(rules, roleView(rules, state, roleId), name, rng, styleOrder),
  accepts: (rules: RuleFile, state: MatchState, roleId: string, name: PlannerName, rng: Rng, styleOrder: StyleOrder): boolean =>
    plannerAccepts(rules, roleView(rules, state, roleId), name, rng, styleOrder),
  proposals: (rules: RuleFile, state: MatchState, roleId: string, name: PlannerName, rng: Rng, styleOrder: StyleOrder) =>
    plannerProposals(rules, roleView(rules, state, roleId), name, rng, styleOrder),
};
