// The inverse of the role view: a MatchState a team can resolve, built only from what its role sees.
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState, SideState } from './state.ts';
import type { RoleView } from './views.ts';
import { otherSide } from './state.ts';
import { availableBudget } from './setup.ts';
import { ruleIndex } from './ruleIndex.ts';

/**
 * The state the server would resolve, as far as `view`'s role can know it: its own side exact (so
 * `roleView` of the result gives the same own numbers and budget back, and `checkOrder` agrees with
 * the server), the rival's hidden numbers replaced by this role's estimates, the rival's last orders
 * unknown (the engine falls back to the status quo), and what no view carries (event cards drawn,
 * the rival's fab pipeline, the risk modifier) at its neutral value.
 */
/** `seed` sets the dice of futures resolved from the result: the looker's own number, never the match's (that would be knowing its noise). */
export function stateFromView(rules: RuleFile, view: RoleView, seed = 1): MatchState {
  const side = view.side;
  const rivalSide = otherSide(side);
  const mpd = rules.model.capability.monthsPerDoubling;
  const own = view.own;
  // models do not unlearn: the largest compute this side reached shows in its own timeline
  const ownPeak = Math.max(own.effectiveCompute, ...view.timeline.map((p) => p.effectiveCompute[side] ?? 0));
  const r = view.rival;
  const rivalPeak = Math.max(r.effectiveCompute.value, ...view.timeline.map((p) => p.effectiveCompute[rivalSide] ?? 0));
  const ownSide: SideState = {
    chips: own.chips, domesticChips: exactProduct(own.chips, own.domesticShare), powerGW: own.powerGW, powerNeedGW: own.powerNeedGW,
    peakCompute: ownPeak, effectiveCompute: own.effectiveCompute,
    algorithmicMonths: own.capability - own.distilledMonths - mpd * Math.log2(Math.max(1, ownPeak)),
    capability: own.capability, distilledMonths: own.distilledMonths, safeguards: own.safeguards, adoption: own.adoption,
    computeCost: own.computeCost, fabPipeline: own.fabPipeline.map((b) => ({ ...b })), fabPriceFactor: 1,
    smuggledChips: own.smuggledChips, seizedChips: own.seizedChips, intelError: own.intelError,
    brokenAgreements: view.world.brokenAgreements[side], lastDistillation: { ...own.lastDistillation },
  };
  const rivalCompute = r.effectiveCompute.value;
  const rivalChips = Math.max(r.chips.value, 1);
  const rivalShare = rules.model.start[rivalSide].domesticShare;
  const rival: SideState = {
    chips: rivalChips, domesticChips: rivalChips * rivalShare, powerGW: r.powerGW.value,
    // a fleet estimated larger than its effective compute is short of power in proportion
    powerNeedGW: rivalCompute > 0 && rivalChips > rivalCompute ? r.powerGW.value * (rivalChips / rivalCompute) : r.powerGW.value,
    peakCompute: rivalPeak, effectiveCompute: rivalCompute,
    algorithmicMonths: r.capability.value - mpd * Math.log2(Math.max(1, rivalPeak)),
    capability: r.capability.value, distilledMonths: 0, safeguards: r.safeguards.value, adoption: r.adoption,
    computeCost: r.computeCost.value, fabPipeline: [], fabPriceFactor: 1, smuggledChips: 0,
    // the world's count of seized chips is public: what is not ours is theirs
    seizedChips: Math.max(0, view.world.seizedChips - own.seizedChips),
    intelError: rules.model.intelligence.baseError, brokenAgreements: view.world.brokenAgreements[rivalSide],
    lastDistillation: { accounts: 0, exchangesMillions: 0, detectedShare: 0, gainMonths: 0 },
  };
  const turn = view.world.turn;
  const roles: MatchState['roles'] = {};
  for (const role of rules.roles) {
    roles[role.id] = { bank: 0, lastOrder: role.side === side ? view.sideOrders[role.id] ?? null : null };
  }
  const state: MatchState = {
    seed: seed >>> 0, turn, finished: view.world.finished,
    sides: { [side]: ownSide, [rivalSide]: rival } as MatchState['sides'],
    regions: Object.fromEntries(Object.entries(view.world.regions).map(([k, v]) => [k, { ...v }])),
    globalLicensing: view.world.globalLicensing, openWeights: view.world.openWeights, roles,
    agreements: view.world.agreements.map((a) => ({ ...a })), pending: view.world.pending.map((p) => ({ ...p })),
    nextProposalKey: 1 + Math.max(0, ...view.world.pending.map((p) => p.key)),
    // at least as long as the safety agreements in force have held (an earlier, expired one is not in the view)
    agreementTurns: Math.max(0, ...view.world.agreements.filter((a) => ruleIndex(rules).proposal[a.proposalId]?.safetyAgreement).map((a) => a.heldTurns)),
    incidents: { ...view.world.incidents }, drawnEvents: [], riskModifier: 0, timeline: [], ending: view.world.ending,
    trust: view.world.trust, brokenTreaties: view.world.brokenTreaties, tension: view.world.tension,
    // the dilemmas put to this role wait for its next order; the rival's are unknown
    dilemmas: view.dilemmas.map((d) => ({ cardId: d.cardId, role: view.roleId, turn: turn - 1 })),
  };
  roles[view.roleId].bank = bankFor(rules, state, view.roleId, view.budget);
  return state;
}

/** The carried-over money that makes `availableBudget` give exactly `budget` back (floating point included). */
function bankFor(rules: RuleFile, state: MatchState, roleId: string, budget: number): number {
  const role = ruleIndex(rules).role[roleId];
  if (!role) throw new Error(`no role ${roleId}`);
  const fresh = role.budget.perTurn * Math.pow(role.budget.growth, state.turn);
  let bank = budget - fresh;
  for (let i = 0; i < 4; i++) {
    state.roles[roleId].bank = bank;
    const got = availableBudget(rules, state, roleId);
    if (got === budget) break;
    bank += budget - got;
  }
  return bank;
}

/** chips · share, or a neighbouring float, such that (chips · share) / chips is `share` again: the view's domestic share comes back exact. */
function exactProduct(chips: number, share: number): number {
  const x = chips * share;
  if (!(chips > 0) || x / chips === share) return x;
  for (const steps of [1, -1, 2, -2]) {
    const y = neighbour(x, steps);
    if (y / chips === share) return y;
  }
  return x;
}

/** The float `steps` representable numbers away from a positive finite x. */
function neighbour(x: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + BigInt(steps));
  return view.getFloat64(0);
}
