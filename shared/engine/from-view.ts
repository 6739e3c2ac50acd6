// The inverse of the role view: a plausible full match state built only from what one role sees, so
// a bot (or a forecast) can look ahead with the real engine without reading the hidden truth.
import type { RuleFile, Side } from '../rules/schema.ts';
import type { MatchState, SideState, TimelinePoint } from './state.ts';
import { otherSide } from './state.ts';
import { initialState } from './setup.ts';
import type { RoleView } from './views.ts';
import { ruleIndex } from './ruleIndex.ts';

/**
 * A state consistent with `view`: the viewer's side exactly as it knows it, the rival side at the
 * view's central estimates, the public world as published. What no view tells (the rival's fab
 * pipeline and chip mix, other roles' savings, cards already drawn, hidden risk) takes its starting
 * value from the rule file. `seed` sets the dice of any future resolved from this state: pass the
 * looker's own seeded number, never the match's (that would be knowing the future).
 */
export function stateFromView(rules: RuleFile, view: RoleView, seed: number): MatchState {
  const state = initialState(rules, seed);
  const side = view.side;
  const rival = otherSide(side);
  const w = view.world;
  state.turn = w.turn;
  state.finished = w.finished;
  state.ending = w.ending;
  for (const id in w.regions) if (state.regions[id]) state.regions[id] = { ...w.regions[id] };
  state.globalLicensing = w.globalLicensing;
  state.openWeights = w.openWeights;
  state.incidents = { ...w.incidents };
  state.agreements = w.agreements.map((a) => ({ ...a }));
  state.pending = w.pending.map((p) => ({ ...p }));
  state.nextProposalKey = Math.max(1, ...w.pending.map((p) => p.key + 1));
  state.agreementTurns = Math.max(0, ...w.agreements.map((a) => a.heldTurns));

  const mpd = rules.model.capability.monthsPerDoubling;
  // the best compute each side reached so far: the view's history of it, exact for one's own side
  const peak = (s: Side, now: number) => Math.max(rules.model.start[s].chips, now, ...view.timeline.map((p) => p.effectiveCompute[s]));

  const o = view.own;
  const mine: SideState = state.sides[side];
  mine.chips = o.chips;
  mine.domesticChips = o.chips * o.domesticShare;
  mine.powerGW = o.powerGW;
  mine.powerNeedGW = o.powerNeedGW;
  mine.effectiveCompute = o.effectiveCompute;
  mine.peakCompute = peak(side, o.effectiveCompute);
  mine.capability = o.capability;
  mine.distilledMonths = o.distilledMonths;
  mine.algorithmicMonths = o.capability - mpd * Math.log2(mine.peakCompute) - o.distilledMonths;
  mine.safeguards = o.safeguards;
  mine.adoption = o.adoption;
  mine.computeCost = o.computeCost;
  mine.smuggledChips = o.smuggledChips;
  mine.seizedChips = o.seizedChips;
  mine.fabPipeline = o.fabPipeline.map((b) => ({ ...b }));
  mine.intelError = o.intelError;
  mine.brokenAgreements = w.brokenAgreements[side];
  mine.lastDistillation = { ...o.lastDistillation };

  const r = view.rival;
  const theirs: SideState = state.sides[rival];
  const start = rules.model.start[rival];
  const c = rules.model.chips;
  theirs.chips = r.chips.value;
  // the rival's chip mix is unknown: assume the mix it started with
  theirs.domesticChips = r.chips.value * start.domesticShare;
  theirs.powerGW = r.powerGW.value;
  theirs.powerNeedGW = ((theirs.chips - theirs.domesticChips) * c.usPowerPerChip + theirs.domesticChips * c.usPowerPerChip * c.domesticPowerFactor) / 1e6;
  theirs.effectiveCompute = r.effectiveCompute.value;
  // not the largest of the noisy past estimates: that maximum is biased upwards, and a rival whose
  // best-ever compute is overstated would seem to stop improving until its fleet caught up
  theirs.peakCompute = Math.max(r.effectiveCompute.value, 1);
  theirs.capability = r.capability.value;
  theirs.distilledMonths = 0;
  theirs.algorithmicMonths = r.capability.value - mpd * Math.log2(theirs.peakCompute);
  theirs.safeguards = r.safeguards.value;
  theirs.adoption = r.adoption;
  theirs.computeCost = r.computeCost.value;
  theirs.brokenAgreements = w.brokenAgreements[rival];

  const index = ruleIndex(rules);
  for (const role of rules.roles) {
    const rs = state.roles[role.id];
    if (role.id === view.roleId) {
      const fresh = role.budget.perTurn * Math.pow(role.budget.growth, state.turn);
      rs.bank = Math.max(0, view.budget - fresh);
    }
    if (index.role[role.id].side === side) rs.lastOrder = view.sideOrders[role.id] ?? null;
  }

  state.timeline = view.timeline.map((p): TimelinePoint => ({
    turn: p.turn, label: p.label, lead: p.lead,
    capability: { ...p.capability }, safeguards: { ...p.safeguards }, effectiveCompute: { ...p.effectiveCompute },
    // chip counts and prices of the past are not in a view; the present ones stand in for them
    chips: { [side]: mine.chips, [rival]: theirs.chips } as Record<Side, number>,
    computeCost: { [side]: mine.computeCost, [rival]: theirs.computeCost } as Record<Side, number>,
    adoption: { ...p.adoption }, incidents: { ...p.incidents },
  }));
  return state;
}
