// What the map shows for one viewer, as plain data: chip flows, data-centre markers and the lead.
// Pure functions of the rule file and the viewer's view, so tests can prove what each seat sees:
// the projector input yields no smuggling flow and no number of either side that is not public.
import type { RuleFile, RegionRule, Side, ExportTier } from '../../shared/rules/schema.ts';
import type { PublicWorld, RoleView, Estimate } from '../../shared/engine/views.ts';
import type { Alignment } from './style.ts';

export interface MapInput {
  rules: RuleFile;
  world: PublicWorld;
  view: RoleView | null;
  side: Side | null;
  projector: boolean;
}

export type FlowKind = 'supply' | 'legal' | 'smuggling';

export interface Flow {
  from: string;
  to: string;
  kind: FlowKind;
  /** H100e a quarter; an estimate when `estimated` (its low/high are the uncertainty) */
  amount: Estimate;
  estimated: boolean;
  /** whose number it is: 'rules' for public policy capacity, 'own' for the viewer's own, 'estimate' for intelligence */
  source: 'rules' | 'own' | 'estimate';
  label: string;
}

export interface Marker {
  region: string;
  side: Side;
  /** 'compute': effective training compute (H100e); 'adoption': public share of the world on this side's AI */
  kind: 'compute' | 'adoption';
  value: Estimate;
  estimated: boolean;
  label: string;
}

export interface LeadReading {
  value: Estimate;
  /** who says so: the press (projector) or the viewer's own intelligence */
  source: 'press' | 'intel' | 'final';
  band: [number, number];
}

export interface MapModel {
  regions: { id: string; name: string; alignment: Alignment; tier: ExportTier; compliance: number; countries: string[]; anchor: [number, number] }[];
  flows: Flow[];
  markers: Marker[];
  lead: LeadReading;
}

const exact = (v: number): Estimate => ({ value: v, low: v, high: v });

/** The region that hosts a side's labs and data centres: the one holding USA / CHN, else the first of that alignment. */
export function homeRegion(rules: RuleFile, side: Side): RegionRule | undefined {
  const code = side === 'us' ? 'USA' : 'CHN';
  return rules.regions.find((r) => r.alignment === side && r.countries.includes(code)) ?? rules.regions.find((r) => r.alignment === side);
}

/** ISO alpha-3 code → region id, for colouring and pointer look-ups. */
export function regionIndex(rules: RuleFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules.regions) for (const c of r.countries) if (!out.has(c)) out.set(c, r.id);
  return out;
}

function tierOf(input: MapInput, r: RegionRule): ExportTier {
  return input.world.regions[r.id]?.tier ?? r.exportTier;
}

/** The factor the engine grows US-aligned supply and hub imports by (cheaper chips each quarter). */
function supplyGrowth(rules: RuleFile, turn: number): number {
  return 1 / rules.model.chips.usPriceTrend ** turn;
}

/** H100e smugglers could divert through each hub this quarter: the engine's hubCapacities, from public facts only. */
export function hubCapacities(rules: RuleFile, world: PublicWorld): { id: string; cap: number }[] {
  const out = [];
  for (const r of rules.regions) {
    if (r.alignment !== 'tier2') continue;
    const reg = world.regions[r.id] ?? { tier: r.exportTier, compliance: r.compliance };
    const t = rules.model.exportTiers[reg.tier];
    const cap = r.chipImports * t.importShare * t.divertibleShare * (1 - reg.compliance) * supplyGrowth(rules, world.turn);
    if (cap > 0) out.push({ id: r.id, cap });
  }
  return out;
}

function greyMarketSpend(rules: RuleFile, view: RoleView | null, mode: 'own' | 'baseline', turn: number): number {
  let spend = 0;
  for (const role of rules.roles) {
    if (role.side !== 'china') continue;
    const grey = role.levers.filter((l) => l.effect === 'greyMarket');
    if (!grey.length) continue;
    if (mode === 'own') {
      const order = view?.sideOrders[role.id];
      if (order) for (const l of grey) spend += order.spend[l.id] ?? 0;
    } else {
      // the US analysts' baseline: China keeps spending its 2026 split of a growing budget
      const budget = role.budget.perTurn * role.budget.growth ** turn;
      for (const l of grey) spend += budget * l.statusQuo;
    }
  }
  return spend;
}

function smugglingFlows(input: MapInput, china: RegionRule): Flow[] {
  const { rules, world, view, side } = input;
  if (input.projector || !view || !side) return [];
  const hubs = hubCapacities(rules, world);
  const total = hubs.reduce((a, h) => a + h.cap, 0);
  if (total <= 0) return [];
  const lastTurn = Math.max(0, world.turn - 1);
  const price = rules.model.chips.usPrice * rules.model.chips.usPriceTrend ** lastTurn * rules.model.smuggling.markup;
  const flows: Flow[] = [];
  if (side === 'china') {
    // China's own numbers: what its grey-market spend bought last quarter, split as the engine splits it
    const spend = greyMarketSpend(rules, view, 'own', lastTurn);
    const volume = Math.min(total, (spend / price) * 1e6);
    for (const h of hubs) {
      const v = (volume * h.cap) / total;
      flows.push({ from: h.id, to: china.id, kind: 'smuggling', amount: exact(v), estimated: false, source: 'own', label: 'grey-market shipments' });
    }
  } else {
    // the US estimate: China's baseline spend, bounded by what each hub can divert, blurred by the intel error
    const spend = greyMarketSpend(rules, view, 'baseline', world.turn);
    const volume = Math.min(total, (spend / price) * 1e6);
    const err = Math.max(0.05, view.own.intelError);
    for (const h of hubs) {
      const v = (volume * h.cap) / total;
      flows.push({
        from: h.id, to: china.id, kind: 'smuggling', estimated: true, source: 'estimate', label: 'suspected smuggling',
        amount: { value: v, low: v * Math.exp(-2 * err), high: Math.min(h.cap, v * Math.exp(2 * err)) },
      });
    }
  }
  return flows;
}

/** Legal flows are policy facts every seat knows: capacities from the rule file and the current export tiers. */
function legalFlows(input: MapInput): Flow[] {
  const { rules, world } = input;
  const g = supplyGrowth(rules, world.turn);
  const producers = rules.regions.filter((r) => r.alignment === 'us' && r.chipProduction > 0);
  const production = producers.reduce((a, r) => a + r.chipProduction, 0);
  if (production <= 0) return [];
  const usHome = homeRegion(rules, 'us');
  const flows: Flow[] = [];
  // a destination's amount comes from the producers other than itself, in proportion to their output
  const spread = (to: RegionRule, amount: number, kind: FlowKind, label: string) => {
    const from = producers.filter((p) => p.id !== to.id);
    const sum = from.reduce((a, p) => a + p.chipProduction, 0);
    for (const p of from) {
      const v = (amount * p.chipProduction) / sum;
      if (v > 0) flows.push({ from: p.id, to: to.id, kind, amount: exact(v), estimated: false, source: 'rules', label });
    }
  };
  for (const r of rules.regions) {
    const tier = rules.model.exportTiers[tierOf(input, r)];
    if (r.id === usHome?.id) {
      // the US labs buy the allied fabs' output
      const fromOthers = producers.filter((p) => p.id !== r.id).reduce((a, p) => a + p.chipProduction, 0);
      spread(r, fromOthers * g, 'supply', 'chips for US labs');
    } else if (r.alignment === 'us' && r.chipImports > 0) {
      spread(r, r.chipImports * tier.importShare * g, 'supply', 'allied imports');
    } else if (r.alignment === 'tier2' && r.chipImports > 0 && tier.importShare > 0) {
      spread(r, r.chipImports * tier.importShare * g, 'supply', `exports (${tierOf(input, r)})`);
    } else if (r.alignment === 'china' && r.chipImports > 0 && tier.importShare > 0 && tier.chipPerformance > 0) {
      // legal sales to the rival, downgraded chips counted in H100e
      spread(r, r.chipImports * tier.importShare * tier.chipPerformance, 'legal', `legal sales (${tierOf(input, r)})`);
    }
  }
  return flows;
}

function markers(input: MapInput): Marker[] {
  const { rules, world, view, side } = input;
  const out: Marker[] = [];
  for (const s of ['us', 'china'] as const) {
    const home = homeRegion(rules, s);
    if (!home) continue;
    const name = rules.sides[s].name;
    if (input.projector || !view || !side) {
      // the projector shows only public facts: the share of the world building on each side's AI
      out.push({ region: home.id, side: s, kind: 'adoption', value: exact(world.adoption[s]), estimated: false, label: `${name}: adoption` });
    } else if (s === side) {
      out.push({ region: home.id, side: s, kind: 'compute', value: exact(view.own.effectiveCompute), estimated: false, label: `${name}: our compute` });
    } else {
      out.push({ region: home.id, side: s, kind: 'compute', value: { ...view.rival.effectiveCompute }, estimated: true, label: `${name}: compute (estimate)` });
    }
  }
  return out;
}

function lead(input: MapInput): LeadReading {
  const band = input.rules.model.safeguards.sweetSpot;
  // once the match is over the public lead is the true one, for every seat
  if (input.world.finished) return { value: { ...input.world.pressLead }, source: 'final', band };
  if (input.projector || !input.view) return { value: { ...input.world.pressLead }, source: 'press', band };
  return { value: { ...input.view.lead }, source: 'intel', band };
}

export function computeMapModel(input: MapInput): MapModel {
  const { rules, world } = input;
  const regions = rules.regions.map((r) => ({
    id: r.id, name: r.name, alignment: r.alignment as Alignment, tier: tierOf(input, r),
    compliance: world.regions[r.id]?.compliance ?? r.compliance, countries: [...r.countries], anchor: r.anchor as [number, number],
  }));
  const china = homeRegion(rules, 'china');
  const flows = legalFlows(input);
  if (china) flows.push(...smugglingFlows(input, china));
  return { regions, flows, markers: markers(input), lead: lead(input) };
}
