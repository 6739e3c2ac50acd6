// The planning bot: it rebuilds the world from its own role's view (estimates, not the truth), plays
// a handful of candidate plans forward with the real engine on dice of its own, and picks the plan
// that serves its role's objectives best. Deterministic: every choice comes from the seeded rng.
import type { RuleFile, Side } from '../rules/schema.ts';
import type { MatchState, Order, Orders } from '../engine/state.ts';
import { availableBudget, cloneState } from '../engine/setup.ts';
import { resolveTurnInPlace } from '../engine/resolve.ts';
import { objectiveScore } from '../engine/endings.ts';
import { readStat } from '../engine/stats.ts';
import { proposeInPlace, respondInPlace } from '../engine/diplomacy.ts';
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
  /** also try the best style with the best lever shift on top */
  refine: boolean;
  /** sd of the noise (score points) added to each plan's value: how often an easy bot misjudges */
  noise: number;
  /** how many standard errors of its gain over the status quo a plan is marked down: a plan whose
   *  futures vary more is not chosen for its luck (the winner's curse among noisy candidates) */
  caution: number;
}

export const PLANNER_LEVELS = {
  'planner-easy': { horizon: 3, samples: 3, shifts: [], refine: false, noise: 1, caution: 0.5 },
  planner: { horizon: 10, samples: 6, shifts: [0.15], refine: false, noise: 0, caution: 2 },
  'planner-hard': { horizon: 10, samples: 12, shifts: [0.15, 0.35], refine: true, noise: 0, caution: 2 },
} as const satisfies Record<string, Level>;
export type PlannerName = keyof typeof PLANNER_LEVELS;
export const PLANNERS = Object.keys(PLANNER_LEVELS) as PlannerName[];

export function isPlanner(name: string): name is PlannerName {
  return Object.hasOwn(PLANNER_LEVELS, name);
}

/** A plan: this role's order in any state it reaches. */
type Plan = (state: MatchState) => Order;

/** A role's score as the engine computes it at the end, without the rounding (plans differ by fractions). */
export function ownScore(rules: RuleFile, state: MatchState, roleId: string): number {
  const role = ruleIndex(rules).role[roleId]!;
  let sum = 0, weights = 0;
  for (const o of role.objectives) {
    const v = readStat(rules, state, o.stat);
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
 * The rival's capability as a planner believes it: each quarter's estimate has fresh noise, and the
 * start is public (the rule file), so a straight line from the known start through every estimate so
 * far is steadier than the latest estimate alone. Returns the belief now and its sd.
 */
export function believedRivalCapability(rules: RuleFile, view: RoleView): { value: number; sd: number } {
  const rival: Side = view.side === 'us' ? 'china' : 'us';
  const c = view.rival.capability;
  const sd = (c.high - c.low) / 4;
  const t = view.world.turn;
  if (t === 0 || view.world.finished) return { value: c.value, sd };
  const c0 = ruleIndex(rules).startCapability[rival];
  let num = 0, den = 0;
  for (const p of view.timeline) {
    if (p.turn <= 0 || p.turn > t) continue;
    num += p.turn * (p.capability[rival] - c0);
    den += p.turn * p.turn;
  }
  if (den === 0) return { value: c.value, sd };
  const slope = num / den;
  return { value: c0 + slope * t, sd: (sd * t) / Math.sqrt(den) };
}

/** The futures a planner imagines: the world of its view on its own dice, the rival's capability drawn from its belief. */
function futures(rules: RuleFile, view: RoleView, n: number, rng: Rng): Future[] {
  const out: Future[] = [];
  const rival: Side = view.side === 'us' ? 'china' : 'us';
  const belief = believedRivalCapability(rules, view);
  for (let k = 0; k < n; k++) {
    const start = stateFromView(rules, view, Math.floor(rng.next() * 4294967296));
    // the first future is the central belief; the others spread over what the role believes possible
    start.sides[rival].capability = belief.value + (k > 0 ? belief.sd * rng.normal() : 0);
    out.push({ start });
  }
  return out;
}

/** Plays a plan forward from a future for `horizon` quarters, everyone else on `others`, and scores it. */
function playOut(rules: RuleFile, f: Future, roleId: string, plan: Plan, horizon: number, others: StyleOrder, firstOrder?: Order): number {
  const s = cloneState(f.start);
  for (let q = 0; q < horizon && !s.finished; q++) {
    const orders: Orders = {};
    for (const r of rules.roles) orders[r.id] = r.id === roleId ? (q === 0 && firstOrder ? firstOrder : plan(s)) : others(rules, s, r.id, 'status-quo');
    resolveTurnInPlace(rules, s, orders, futureDice(s.seed, s.turn));
  }
  return ownScore(rules, s, roleId);
}

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

/** The order a planner gives for its role this quarter, from its role's view alone. */
export function plannerOrder(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): Order {
  const level: Level = PLANNER_LEVELS[name];
  const roleId = view.roleId;
  const role = ruleIndex(rules).role[roleId]!;
  const fs = futures(rules, view, level.samples, rng);
  const horizon = Math.min(level.horizon, rules.calendar.turns - view.world.turn);

  const plans: { label: string; plan: Plan }[] = STYLES.map((style) => ({ label: style, plan: (s: MatchState) => styleOrder(rules, s, roleId, style) }));
  for (const share of level.shifts) {
    for (const l of role.levers) {
      plans.push({ label: `status-quo+${l.id}@${share}`, plan: (s) => shiftInto(styleOrder(rules, s, roleId, 'status-quo'), l.id, availableBudget(rules, s, roleId), share) });
    }
  }
  // every plan is played on the same futures; it is judged by its gain over the status quo there
  const sqPlan = plans[0].plan;
  const sqValues = fs.map((f) => playOut(rules, f, roleId, sqPlan, horizon, styleOrder));
  const judge = (plan: Plan): number => {
    const gains = fs.map((f, k) => playOut(rules, f, roleId, plan, horizon, styleOrder) - sqValues[k]);
    const m = mean(gains);
    const se = gains.length > 1 ? Math.sqrt(gains.reduce((a, g) => a + (g - m) ** 2, 0) / (gains.length - 1) / gains.length) : 0;
    return m - level.caution * se + (level.noise ? level.noise * rng.normal() : 0);
  };
  const scored = plans.map((p, i) => ({ ...p, value: i === 0 ? 0 : judge(p.plan) }));

  if (level.refine) {
    const bestStyle = scored.slice(0, STYLES.length).reduce((a, b) => (b.value > a.value ? b : a));
    const bestShift = scored.slice(STYLES.length).reduce((a, b) => (b.value > a.value ? b : a), scored[0]);
    const lever = /\+(.+)@/.exec(bestShift.label)?.[1];
    const share = Number(/@(.+)$/.exec(bestShift.label)?.[1] ?? 0);
    if (lever && bestStyle.label !== 'status-quo') {
      const style = bestStyle.label as Style;
      const plan: Plan = (s) => shiftInto(styleOrder(rules, s, roleId, style), lever, availableBudget(rules, s, roleId), share);
      scored.push({ label: `${style}+${lever}@${share}`, plan, value: judge(plan) });
    }
  }
  // the status quo is plan 0 with value 0: a planner moves only when a plan's cautious gain is positive
  let best = scored[0];
  for (const p of scored) if (p.value > best.value + 1e-9) best = p;

  return best.plan(fs[0].start);
}

/** The proposal waiting for this role's answer that a planner weighs (the newest one made to it). */
function waitingFor(view: RoleView) {
  const mine = view.world.pending.filter((p) => p.to === view.roleId);
  return mine[mine.length - 1];
}

/** Whether a planner accepts the newest proposal made to its role: if its futures score better with the agreement. */
export function plannerAccepts(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): boolean {
  const pending = waitingFor(view);
  if (!pending) return false;
  const level: Level = PLANNER_LEVELS[name];
  const horizon = Math.min(level.horizon, rules.calendar.turns - view.world.turn);
  const sq: Plan = (s) => styleOrder(rules, s, view.roleId, 'status-quo');
  let gain = 0;
  for (const f of futures(rules, view, level.samples, rng)) {
    const yes = { start: cloneState(f.start) };
    const no = { start: cloneState(f.start) };
    if (!respondInPlace(rules, yes.start, pending.key, view.roleId, true).ok) return false;
    respondInPlace(rules, no.start, pending.key, view.roleId, false);
    gain += playOut(rules, yes, view.roleId, sq, horizon, styleOrder) - playOut(rules, no, view.roleId, sq, horizon, styleOrder);
  }
  return gain / level.samples + (level.noise ? level.noise * rng.normal() : 0) > 0;
}

const NONE: RuleIndex['offers'][string] = [];

/** The proposals a planner makes: those whose agreement (if accepted) would raise its own futures' score by a point or more. */
export function plannerProposals(rules: RuleFile, view: RoleView, name: PlannerName, rng: Rng, styleOrder: StyleOrder): typeof NONE {
  // like the scripted bots, only deals it can close in one exchange (none waiting on a third role's ratification)
  const offers = (ruleIndex(rules).offers[view.roleId] ?? NONE).filter((o) => !o.needsRatification);
  if (!offers.length) return NONE;
  const level: Level = PLANNER_LEVELS[name];
  const horizon = Math.min(level.horizon, rules.calendar.turns - view.world.turn);
  const sq: Plan = (s) => styleOrder(rules, s, view.roleId, 'status-quo');
  const fs = futures(rules, view, level.samples, rng);
  const base = mean(fs.map((f) => playOut(rules, f, view.roleId, sq, horizon, styleOrder)));
  const out: typeof NONE = [];
  for (const offer of offers) {
    if (view.world.agreements.some((a) => a.proposalId === offer.proposalId)) continue;
    const withIt: number[] = [];
    for (const f of fs) {
      const s = cloneState(f.start);
      if (!proposeInPlace(rules, s, offer.proposalId, view.roleId, offer.to).ok) break;
      respondInPlace(rules, s, s.pending[s.pending.length - 1].key, offer.to, true);
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
