// Where chips come from: the US-aligned supply, legal imports by tier, domestic fabs and the grey market.
import type { RuleFile, Side, RegionRule } from '../rules/schema.ts';
import { ruleIndex } from './ruleIndex.ts';
import type { MatchState, TurnEvent, FabBatch, RegionState } from './state.ts';
import { sideOf, regionList, tierRuleOf } from './state.ts';
import type { Rng } from './rng.ts';
import { fmtCount as fmtChips, say } from './format.ts';

/** What a side adds to its fleet this quarter. Prices are $B per million chips; chips in H100e. */
export interface Acquisition {
  chips: number;
  domesticChips: number;
  powerNeedGW: number;
  /** $B paid for chips that arrived (and the power to run them) */
  cost: number;
  /** $B of chip spend that found nothing to buy (returned to the budget) */
  unspent: number;
}

export const newAcquisition = (): Acquisition => ({ chips: 0, domesticChips: 0, powerNeedGW: 0, cost: 0, unspent: 0 });

// Math.pow with a one-entry memory per trend, in a typed array (no boxed numbers): a quarter asks each trend's power
// several times; a zero base is never kept (its sign matters)
const POW = new Float64Array([NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
const US_PRICE = 0, US_POWER = 3, DOMESTIC_PRICE = 6;
function trendPow(slot: number, base: number, exponent: number): number {
  if (base !== POW[slot] || exponent !== POW[slot + 1] || base === 0) { POW[slot] = base; POW[slot + 1] = exponent; POW[slot + 2] = Math.pow(base, exponent); }
  return POW[slot + 2];
}
const usPriceTrendPow = (base: number, exponent: number) => trendPow(US_PRICE, base, exponent);
const usPowerTrendPow = (base: number, exponent: number) => trendPow(US_POWER, base, exponent);
const domesticPriceTrendPow = (base: number, exponent: number) => trendPow(DOMESTIC_PRICE, base, exponent);

export const usChipPrice = (rules: RuleFile, turn: number) => rules.model.chips.usPrice * usPriceTrendPow(rules.model.chips.usPriceTrend, turn);
export const usPowerPerChip = (rules: RuleFile, turn: number) => rules.model.chips.usPowerPerChip * usPowerTrendPow(rules.model.chips.usPowerTrend, turn);
export const domesticChipPrice = (rules: RuleFile, turn: number) => rules.model.chips.domesticPrice * domesticPriceTrendPow(rules.model.chips.domesticPriceTrend, turn);

function add(acq: Acquisition, rules: RuleFile, side: Side, h100e: number, kwPerH100e: number, price: number, domestic: boolean) {
  const needGW = (h100e * kwPerH100e) / 1e6;
  acq.chips += h100e;
  if (domestic) acq.domesticChips += h100e;
  acq.powerNeedGW += needGW;
  const pp = rules.model.chips.powerPrice;
  acq.cost += price + needGW * (side === 'us' ? pp.us : pp.china);
}

// the channels of one purchase, in scratch arrays reused across calls (resolution is synchronous): a purchase made four small objects and an array
let CAP = new Float64Array(8), PERF = new Float64Array(8), PRICE = new Float64Array(8), KW = new Float64Array(8), KEY = new Float64Array(8);
let DOMESTIC = new Uint8Array(8);
const ORDER: number[] = [];

// the comparator the channel objects were sorted with, on their positions: the same comparisons give the same order
const byKey = (a: number, b: number) => KEY[a] - KEY[b];

function addChannel(n: number, cap: number, perf: number, price: number, kw: number, domestic: boolean): number {
  if (n === CAP.length) {
    const grow = (a: Float64Array) => { const b = new Float64Array(2 * n); b.set(a); return b; };
    CAP = grow(CAP); PERF = grow(PERF); PRICE = grow(PRICE); KW = grow(KW); KEY = grow(KEY);
    const d = new Uint8Array(2 * n); d.set(DOMESTIC); DOMESTIC = d;
  }
  CAP[n] = cap; PERF[n] = perf; PRICE[n] = price; KW[n] = kw; DOMESTIC[n] = domestic ? 1 : 0; KEY[n] = 0;
  ORDER[n] = n;
  return n + 1;
}

/** The side's own purchases ('chips' levers): cheapest effective H100e first, each channel capped. */
export function buyChips(rules: RuleFile, state: MatchState, side: Side, spend: number, acq: Acquisition): void {
  if (spend <= 0) return;
  const m = rules.model.chips;
  const t = state.turn;
  const kw = usPowerPerChip(rules, t);
  let n = 0;
  if (side === 'us') {
    let production = 0;
    for (const r of rules.regions) if (r.alignment === 'us') production += r.chipProduction;
    n = addChannel(n, production / usPriceTrendPow(m.usPriceTrend, t), 1, usChipPrice(rules, t), kw, false);
  } else {
    const regions = regionList(rules, state);
    for (let k = 0; k < rules.regions.length; k++) {
      const r = rules.regions[k];
      if (r.alignment !== side || r.chipImports <= 0) continue;
      const tier = tierRuleOf(rules, regions[k].tier);
      if (tier.importShare <= 0 || tier.chipPerformance <= 0) continue;
      n = addChannel(n, r.chipImports * tier.importShare, tier.chipPerformance, usChipPrice(rules, t) * m.importMarkup, kw, false);
    }
    n = addChannel(n, m.domesticSupply, m.domesticPerformance, domesticChipPrice(rules, t), kw * m.domesticPowerFactor, true);
    // (this branch is China's)
    const powerPrice = m.powerPrice.china;
    // each channel's cost per effective H100e, worked out once, then compared as the sort's comparator did
    for (let c = 0; c < n; c++) KEY[c] = PRICE[c] / PERF[c] + KW[c] * powerPrice;
  }
  if (n === 2) {
    // what the sort does with two: the second goes first when the comparator puts it before (setting .length costs a runtime call)
    if (byKey(ORDER[1], ORDER[0]) < 0) { ORDER[0] = 1; ORDER[1] = 0; }
  } else if (n > 2) {
    // a stable insertion sort on the same comparator: the keys are finite, so it gives the order Array.prototype.sort
    // (stable) gives, without its call into the runtime for a handful of channels
    for (let i = 1; i < n; i++) {
      const x = ORDER[i];
      let j = i - 1;
      while (j >= 0 && byKey(ORDER[j], x) > 0) { ORDER[j + 1] = ORDER[j]; j--; }
      ORDER[j + 1] = x;
    }
  }
  let left = spend;
  for (let k = 0; k < n; k++) {
    if (left <= 0) break;
    const c = ORDER[k];
    const chips = Math.min(CAP[c], (left / PRICE[c]) * 1e6);
    const paid = (chips * PRICE[c]) / 1e6;
    left -= paid;
    add(acq, rules, side, chips * PERF[c], KW[c], paid, DOMESTIC[c] === 1);
  }
  acq.unspent += Math.max(0, left);
}

/** Domestic fabs: money now, half-H100 chips after the lag, cheaper as yields improve. */
export function runFabs(rules: RuleFile, state: MatchState, side: Side, spend: number, acq: Acquisition, events: TurnEvent[]): void {
  const m = rules.model.chips;
  const s = sideOf(state, side);
  const kw = usPowerPerChip(rules, state.turn) * m.domesticPowerFactor;
  // the batches that arrive are marked by their count, and the pipeline is compacted in place (the state owns it: every
  // copy of a state copies its pipeline): no array of arrivals, no filtered copy
  const pipe = s.fabPipeline;
  const had = pipe.length;
  let arrived = 0;
  for (let k = 0; k < had; k++) if (--pipe[k].turnsLeft <= 0) arrived++;
  let now: FabBatch | null = null;
  if (spend > 0) {
    const chips = (spend / (domesticChipPrice(rules, state.turn) * s.fabPriceFactor)) * 1e6;
    const batch = { turnsLeft: m.fabLag, chips: chips * m.domesticPerformance, cost: spend };
    if (m.fabLag === 0) now = batch;
    else pipe.push(batch);
    s.fabPriceFactor = Math.max(m.fabPriceFloor, s.fabPriceFactor * (1 - m.fabLearning * spend));
  }
  if (arrived === 0 && now === null) return;
  // the arrivals in pipeline order, then this quarter's batch when there is no lag: the same sums in the same order
  let total = 0;
  let kept = 0;
  for (let k = 0; k < pipe.length; k++) {
    const b = pipe[k];
    if (k < had && b.turnsLeft <= 0) {
      add(acq, rules, side, b.chips, kw, b.cost, true);
      total += b.chips;
    }
    if (b.turnsLeft > 0) pipe[kept++] = b;
  }
  if (kept < pipe.length) pipe.length = kept;
  if (now !== null) {
    add(acq, rules, side, now.chips, kw, now.cost, true);
    total += now.chips;
  }
  if (say.news) events.push({ kind: 'fabs', title: 'Domestic fab output', text: say.texts ? `Domestic fabs delivered about ${fmtChips(total)} H100e of new chips.` : '', visibleTo: side });
}

/** The chance a shipment through this hub is seized, from the other side's enforcement and the hub's compliance. */
export function seizureChance(rules: RuleFile, state: MatchState, hubId: string, enforcementSpend: number, enforcerIntelError = rules.model.intelligence.baseError): number {
  return seizureChanceAt(rules, state, state.regions[hubId].compliance, enforcementSpend, enforcerIntelError);
}

function seizureChanceAt(rules: RuleFile, state: MatchState, compliance: number, enforcementSpend: number, enforcerIntelError: number): number {
  const m = rules.model.smuggling;
  const i = rules.model.intelligence;
  // sharper intelligence names shipments: 0 at the base error, 1 at the floor
  const sharp = i.baseError > i.minError ? Math.min(1, Math.max(0, (i.baseError - enforcerIntelError) / (i.baseError - i.minError))) : 0;
  const p = m.seizureBase + (m.enforcementMax * enforcementSpend) / (enforcementSpend + m.enforcementHalfSpend)
    + (state.globalLicensing ? m.globalLicensingBonus : 0) + m.complianceWeight * compliance + m.intelligenceBonus * sharp;
  return Math.min(0.95, Math.max(0, p));
}

/** How many chips smugglers could divert through each Tier-2 hub this quarter. */
export function hubCapacities(rules: RuleFile, state: MatchState): { id: string; name: string; cap: number }[] {
  const out = [];
  for (const r of rules.regions) {
    if (r.alignment !== 'tier2') continue;
    const cap = hubCapacity(rules, state, r);
    if (cap > 0) out.push({ id: r.id, name: r.name, cap });
  }
  return out;
}

function hubCapacity(rules: RuleFile, state: MatchState, r: RegionRule, reg: RegionState = state.regions[r.id]): number {
  const tier = tierRuleOf(rules, reg.tier);
  return r.chipImports * tier.importShare * tier.divertibleShare * (1 - reg.compliance) / usPriceTrendPow(rules.model.chips.usPriceTrend, state.turn);
}

let HUB_CAP = new Float64Array(8);

/** End-use checks and outreach paid by enforcement slowly bring Tier-2 hubs into compliance. */
export function pressHubs(rules: RuleFile, state: MatchState, enforcementSpend: number): void {
  if (enforcementSpend <= 0) return;
  const gain = rules.model.smuggling.complianceGainPerBillion * enforcementSpend;
  const regions = regionList(rules, state);
  for (let k = 0; k < rules.regions.length; k++) {
    if (rules.regions[k].alignment !== 'tier2') continue;
    const reg = regions[k];
    reg.compliance = Math.min(1, reg.compliance + gain * (1 - reg.compliance));
  }
}

/** Grey-market procurement: chips bought through hubs in shipments, each seized or not. */
export function smuggle(rules: RuleFile, state: MatchState, side: Side, spend: number, enforcementSpend: number,
  acq: Acquisition, rng: Rng, events: TurnEvent[]): void {
  if (spend <= 0) return;
  const m = rules.model.smuggling;
  // hubCapacities into scratch arrays: the same capacities, summed in the same order
  const index = ruleIndex(rules);
  const hubs = index.hubs;
  const regions = regionList(rules, state);
  if (HUB_CAP.length < hubs.length) HUB_CAP = new Float64Array(hubs.length);
  const caps = HUB_CAP;
  let totalCap = 0;
  for (let k = 0; k < hubs.length; k++) {
    caps[k] = hubCapacity(rules, state, hubs[k], regions[index.hubAt[k]]);
    if (caps[k] > 0) totalCap += caps[k];
  }
  const price = usChipPrice(rules, state.turn) * m.markup;
  const wanted = (spend / price) * 1e6;
  const volume = Math.min(totalCap, wanted);
  const paid = (volume * price) / 1e6;
  acq.unspent += spend - paid;
  if (volume <= 0) return;
  const kw = usPowerPerChip(rules, state.turn);
  const s = sideOf(state, side);
  const enforcerIntelError = (side === 'us' ? state.sides.china : state.sides.us).intelError;
  let delivered = 0, seized = 0, seizedShipments = 0;
  let seizedAt = '';
  for (let k = 0; k < hubs.length; k++) {
    if (!(caps[k] > 0)) continue;
    const h = hubs[k];
    const hubVolume = (volume * caps[k]) / totalCap;
    const shipments = Math.max(1, Math.min(m.maxShipmentsPerHub, Math.ceil(hubVolume / m.shipmentSize)));
    const size = hubVolume / shipments;
    const p = seizureChanceAt(rules, state, regions[index.hubAt[k]].compliance, enforcementSpend, enforcerIntelError);
    let hubSeized = 0;
    for (let i = 0; i < shipments; i++) {
      if (rng.next() < p) { hubSeized += size; seizedShipments++; } else delivered += size;
    }
    if (hubSeized > 0 && say.texts) seizedAt = seizedAt ? `${seizedAt} and ${h.name}` : h.name;
    seized += hubSeized;
  }
  s.smuggledChips += delivered;
  s.seizedChips += seized;
  // the chips that got through carry the whole bill, seized ones included
  add(acq, rules, side, delivered, kw, paid, false);
  if (say.news) events.push({ kind: 'smuggling', title: 'Grey-market deliveries', text: !say.texts ? '' : `About ${fmtChips(delivered)} smuggled chips reached your data centres; ${fmtChips(seized)} were seized.`, visibleTo: side });
  if (seized > 0) {
    if (say.news) events.push({
      kind: 'seizure', title: 'Smuggled chips seized',
      text: !say.texts ? '' : `Enforcement agents seized ${seizedShipments} shipment${seizedShipments > 1 ? 's' : ''} of controlled chips (about ${fmtChips(seized)}) in ${seizedAt}.`,
      visibleTo: 'all',
    });
  }
}
