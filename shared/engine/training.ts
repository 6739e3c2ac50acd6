// From chips to capability: the fleet, power limits, the scaling law, research and distillation.
import type { RuleFile, Side } from '../rules/schema.ts';
import type { MatchState, SideState, TurnEvent } from './state.ts';
import type { Acquisition } from './chips.ts';
import type { Rng } from './rng.ts';
import { fmtCount, fmt1, say } from './format.ts';

/** Adds this quarter's chips to the fleet, retires old ones and applies the power limit. */
export function updateFleet(rules: RuleFile, s: SideState, side: Side, acq: Acquisition, powerSpend: number): void {
  const m = rules.model;
  const keep = 1 - m.capability.depreciation;
  s.chips = s.chips * keep + acq.chips;
  s.domesticChips = s.domesticChips * keep + acq.domesticChips;
  s.powerNeedGW = s.powerNeedGW * keep + acq.powerNeedGW;
  s.powerGW += (side === 'us' ? m.chips.powerGrowth.us : m.chips.powerGrowth.china) + powerSpend / (side === 'us' ? m.chips.powerPrice.us : m.chips.powerPrice.china);
  if (acq.chips > 0) s.computeCost = (acq.cost / acq.chips) * 1e6;
  const powerLimit = s.powerNeedGW > 0 ? Math.min(1, s.powerGW / s.powerNeedGW) : 1;
  s.effectiveCompute = s.chips * powerLimit;
}

/** Research gives diminishing extra algorithmic months on top of the side's steady progress. */
export function researchMonths(rules: RuleFile, spend: number): number {
  const c = rules.model.capability;
  return spend > 0 ? (c.researchMonthsMax * spend) / (spend + c.researchHalfSpend) : 0;
}

/**
 * Technology acquisition: the trailing side's intelligence spend copies some of the leader's know-how;
 * the leader's own intelligence (its error, 1 sd) catches some of it.
 */
export function catchUpMonths(rules: RuleFile, spend: number, behind: boolean, leaderIntelError = rules.model.intelligence.baseError): number {
  const c = rules.model.capability;
  const i = rules.model.intelligence;
  if (!behind || spend <= 0) return 0;
  const sharp = i.baseError > i.minError ? Math.min(1, Math.max(0, (i.baseError - leaderIntelError) / (i.baseError - i.minError))) : 0;
  return ((c.catchUpMonthsMax * spend) / (spend + c.catchUpHalfSpend)) * (1 - c.counterIntelligence * sharp);
}

/**
 * Capability follows the log of the compute in use (chips lost, retired or without power cut it),
 * plus algorithmic progress, which is never lost.
 */
export function train(rules: RuleFile, s: SideState, side: Side, researchSpend: number, rng: Rng, extraMonths = 0): number {
  const c = rules.model.capability;
  let gain = Math.max(0, (side === 'us' ? c.algorithmicMonthsPerTurn.us : c.algorithmicMonthsPerTurn.china) + researchMonths(rules, researchSpend) + c.algorithmicNoise * rng.normal()) + extraMonths;
  s.algorithmicMonths += gain;
  if (s.effectiveCompute > 0 && s.peakCompute > 0) gain += c.monthsPerDoubling * Math.log2(s.effectiveCompute / s.peakCompute);
  s.peakCompute = s.effectiveCompute;
  s.capability += gain;
  return gain;
}

/** Share of fake accounts the target side's detection catches. */
export function detectionShare(rules: RuleFile, antiDistillationSpend: number): number {
  const d = rules.model.distillation;
  const x = Math.max(0, antiDistillationSpend);
  return Math.min(1, d.detectionBase + (d.detectionMax * x) / (x + d.detectionHalfSpend));
}

/** Months of gap that this many undetected exchanges close: a share of the gap, so never past the leader. */
export function distillationGain(rules: RuleFile, gapMonths: number, undetectedMillions: number): number {
  const d = rules.model.distillation;
  if (gapMonths <= 0 || undetectedMillions <= 0) return 0;
  return gapMonths * d.maxGapShare * (1 - Math.exp(-undetectedMillions / d.exchangeScaleMillions));
}

/** A fake-account campaign against the leader's models; the gain arrives without safeguards. */
export function distill(rules: RuleFile, state: MatchState, side: Side, spend: number, targetAntiDistillation: number,
  rng: Rng, events: TurnEvent[]): void {
  const s = side === 'us' ? state.sides.us : state.sides.china;
  const target = side === 'us' ? state.sides.china : state.sides.us;
  const d = rules.model.distillation;
  if (spend <= 0) {
    s.lastDistillation = { accounts: 0, exchangesMillions: 0, detectedShare: 0, gainMonths: 0 };
    return;
  }
  const accounts = (spend / d.accountPrice) * 1e6;
  const exchangesMillions = (accounts * d.exchangesPerAccount) / 1e6;
  const caught = detectionShare(rules, targetAntiDistillation);
  // large campaigns stand out; a little luck either way
  const undetectedShare = Math.max(0, ((1 - caught) / (1 + accounts / d.campaignSizeScale)) * (1 + 0.15 * rng.normal()));
  const gap = target.capability - s.capability;
  // a copied skill has to be trained into one's own models: little compute, little gain
  const computeFactor = d.computeHalf > 0 ? s.effectiveCompute / (s.effectiveCompute + d.computeHalf) : 1;
  const gain = distillationGain(rules, gap, exchangesMillions * undetectedShare) * computeFactor;
  s.capability += gain;
  s.distilledMonths += gain;
  s.safeguards = Math.max(0, s.safeguards - d.safeguardLossPerMonth * gain);
  s.lastDistillation = { accounts, exchangesMillions, detectedShare: 1 - undetectedShare, gainMonths: gain };
  const otherSide: Side = side === 'us' ? 'china' : 'us';
  if (say.news) events.push({
    kind: 'distillation', title: 'Distillation campaign',
    text: !say.texts ? '' : `Your ${fmtCount(accounts)} fake accounts ran ${fmt1(exchangesMillions)} million exchanges; the campaign closed about ${fmt1(gain)} months of the gap.`,
    visibleTo: side,
  });
  if (caught > 0) {
    if (say.news) events.push({
      kind: 'distillation', title: 'Fake accounts detected',
      text: !say.texts ? '' : `Detection shut down about ${fmtCount(accounts * (1 - undetectedShare))} accounts that were extracting your models' skills.`,
      visibleTo: otherSide,
    });
  }
}
