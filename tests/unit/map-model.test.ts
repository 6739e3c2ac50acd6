// What the map shows each seat: flows, markers, lead; styles; label placement.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurnInPlace } from '../../shared/engine/resolve.ts';
import { botNegotiation, botOrders } from '../../shared/sim/botMatch.ts';
import { roleView, publicView } from '../../shared/engine/views.ts';
import type { MatchState } from '../../shared/engine/state.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import { computeMapModel, regionIndex, homeRegion, hubCapacities as mapHubCapacities, type MapInput } from '../../client/map/model.ts';
import { hubCapacities as engineHubCapacities } from '../../shared/engine/chips.ts';
import { TIER_STYLE, OKABE_ITO, ALIGNMENT_COLOR, COLORS, tierStyle, fmtChips } from '../../client/map/style.ts';
import { placeLabels, flowArc, arcPoint, computeRadius } from '../../client/map/layout.ts';

const rules = defaultRules();

function playedState(turns: number, personality = 'status-quo', r: RuleFile = rules): MatchState {
  const state = initialState(r, 7);
  const seating = Object.fromEntries(r.roles.map((x) => [x.id, personality])) as Record<string, 'status-quo'>;
  for (let t = 0; t < turns; t++) {
    botNegotiation(r, state, seating);
    resolveTurnInPlace(r, state, botOrders(r, state, seating));
  }
  return state;
}

function inputFor(state: MatchState, who: 'us' | 'china' | 'projector', r: RuleFile = rules): MapInput {
  if (who === 'projector') return { rules: r, world: publicView(r, state).world, view: null, side: null, projector: true };
  const view = roleView(r, state, r.roles.find((x) => x.side === who)!.id);
  return { rules: r, world: view.world, view, side: who, projector: false };
}

describe('map model: who sees what', () => {
  const state = playedState(3);

  it('the projector gets no smuggling flow and no number of either side beyond public facts', () => {
    const input = inputFor(state, 'projector');
    const model = computeMapModel(input);
    expect(model.flows.some((f) => f.kind === 'smuggling')).toBe(false);
    expect(model.flows.every((f) => f.source === 'rules')).toBe(true);
    expect(model.markers.map((m) => m.kind)).toEqual(['adoption', 'adoption']);
    for (const m of model.markers) expect(m.value.value).toBe(input.world.adoption[m.side]);
    expect(model.lead.source).toBe('press');
    expect(model.lead.value).toEqual(input.world.pressLead);
    // none of the hidden numbers appears anywhere in what the projector map is given to draw
    const text = JSON.stringify(model);
    const hidden = [state.sides.us.effectiveCompute, state.sides.china.effectiveCompute, state.sides.us.chips, state.sides.china.chips,
      state.sides.us.capability - state.sides.china.capability, state.sides.china.smuggledChips];
    for (const h of hidden) expect(text).not.toContain(String(h));
  });

  it('a projector flag wins even when a role view is passed by mistake', () => {
    const model = computeMapModel({ ...inputFor(state, 'us'), projector: true });
    expect(model.flows.some((f) => f.kind === 'smuggling')).toBe(false);
    expect(model.markers.every((m) => m.kind === 'adoption')).toBe(true);
  });

  it('the US side sees smuggling through tier-2 hubs only as its estimate, with a range', () => {
    const input = inputFor(state, 'us');
    const model = computeMapModel(input);
    const smuggling = model.flows.filter((f) => f.kind === 'smuggling');
    expect(smuggling.length).toBeGreaterThan(0);
    const tier2 = new Set(rules.regions.filter((r) => r.alignment === 'tier2').map((r) => r.id));
    for (const f of smuggling) {
      expect(tier2.has(f.from)).toBe(true);
      expect(f.to).toBe(homeRegion(rules, 'china')!.id);
      expect(f.estimated).toBe(true);
      expect(f.source).toBe('estimate');
      expect(f.amount.low).toBeLessThan(f.amount.value);
      expect(f.amount.high).toBeGreaterThan(f.amount.value);
    }
    // own compute exact, the rival's from the estimate
    const us = model.markers.find((m) => m.side === 'us')!;
    const cn = model.markers.find((m) => m.side === 'china')!;
    expect(us).toMatchObject({ kind: 'compute', estimated: false });
    expect(us.value.value).toBe(input.view!.own.effectiveCompute);
    expect(cn).toMatchObject({ kind: 'compute', estimated: true });
    expect(cn.value).toEqual(input.view!.rival.effectiveCompute);
    expect(cn.value.value).not.toBe(state.sides.china.effectiveCompute);
    expect(model.lead).toMatchObject({ source: 'intel', value: input.view!.lead });
  });

  it('the US estimate never exceeds what the hubs can divert', () => {
    const model = computeMapModel(inputFor(state, 'us'));
    const caps = new Map(mapHubCapacities(rules, inputFor(state, 'us').world).map((h) => [h.id, h.cap]));
    for (const f of model.flows.filter((x) => x.kind === 'smuggling')) expect(f.amount.high).toBeLessThanOrEqual(caps.get(f.from)! + 1e-9);
  });

  it('China sees its own shipments as exact numbers from its last grey-market spend', () => {
    const model = computeMapModel(inputFor(state, 'china'));
    const smuggling = model.flows.filter((f) => f.kind === 'smuggling');
    expect(smuggling.length).toBeGreaterThan(0);
    for (const f of smuggling) {
      expect(f).toMatchObject({ estimated: false, source: 'own' });
      expect(f.amount.low).toBe(f.amount.value);
      expect(f.amount.high).toBe(f.amount.value);
    }
    expect(model.markers.find((m) => m.side === 'china')).toMatchObject({ kind: 'compute', estimated: false });
    expect(model.markers.find((m) => m.side === 'us')).toMatchObject({ kind: 'compute', estimated: true });
  });

  it('hub capacities match the engine', () => {
    const fromEngine = engineHubCapacities(rules, state).map((h) => ({ id: h.id, cap: h.cap }));
    const fromMap = mapHubCapacities(rules, publicView(rules, state).world);
    expect(fromMap.map((h) => h.id)).toEqual(fromEngine.map((h) => h.id));
    fromMap.forEach((h, i) => expect(h.cap).toBeCloseTo(fromEngine[i].cap, 6));
  });
});

describe('map model: the end of the match', () => {
  it('shows every seat the true final lead', () => {
    const state = playedState(rules.calendar.turns);
    expect(state.finished).toBe(true);
    const truth = state.sides.us.capability - state.sides.china.capability;
    for (const who of ['us', 'china', 'projector'] as const) {
      const lead = computeMapModel(inputFor(state, who)).lead;
      expect(lead.source).toBe('final');
      expect(lead.value.value).toBeCloseTo(truth, 9);
    }
  });
});

describe('map model: legal flows follow export tiers', () => {
  it('no legal chips reach China under embargo; they appear when its tier is licensed', () => {
    const state = playedState(1);
    const embargo = computeMapModel(inputFor(state, 'projector'));
    const china = homeRegion(rules, 'china')!.id;
    expect(embargo.flows.some((f) => f.to === china)).toBe(false);
    state.regions[china].tier = 'licensed';
    const licensed = computeMapModel(inputFor(state, 'projector'));
    const legal = licensed.flows.filter((f) => f.to === china);
    expect(legal.length).toBeGreaterThan(0);
    expect(legal.every((f) => f.kind === 'legal' && !f.estimated)).toBe(true);
    const china0 = rules.regions.find((r) => r.id === china)!;
    const t = rules.model.exportTiers.licensed;
    expect(legal.reduce((a, f) => a + f.amount.value, 0)).toBeCloseTo(china0.chipImports * t.importShare * t.chipPerformance, 6);
  });

  it('chips flow from US-aligned producers to the US labs, allies and open hubs; an embargoed hub gets none', () => {
    const state = playedState(0);
    const producers = new Set(rules.regions.filter((r) => r.alignment === 'us' && r.chipProduction > 0).map((r) => r.id));
    let model = computeMapModel(inputFor(state, 'projector'));
    expect(model.flows.every((f) => f.kind === 'smuggling' || producers.has(f.from))).toBe(true);
    expect(model.flows.some((f) => f.to === homeRegion(rules, 'us')!.id)).toBe(true);
    expect(model.flows.some((f) => f.to === 'gulf')).toBe(true);
    state.regions.gulf.tier = 'embargo';
    model = computeMapModel(inputFor(state, 'projector'));
    expect(model.flows.some((f) => f.to === 'gulf')).toBe(false);
    expect(model.regions.find((r) => r.id === 'gulf')!.tier).toBe('embargo');
  });
});

describe('map styles', () => {
  it('uses only Okabe–Ito colours for the sides, hubs, smuggling and the band', () => {
    const palette = new Set<string>(Object.values(OKABE_ITO));
    for (const c of [...Object.values(ALIGNMENT_COLOR), COLORS.smuggling, COLORS.band]) expect(palette.has(c)).toBe(true);
    expect(new Set(Object.values(ALIGNMENT_COLOR)).size).toBe(3);
  });

  it('tells each tier apart without colour: its own hatch, outline and label', () => {
    const tiers = ['open', 'licensed', 'embargo'] as const;
    const sig = tiers.map((t) => { const s = tierStyle(t); return `${s.hatch}|${s.outline.width}|${s.outline.dash.join(',')}`; });
    expect(new Set(sig).size).toBe(3);
    expect(new Set(tiers.map((t) => TIER_STYLE[t].label)).size).toBe(3);
    expect(new Set(tiers.map((t) => TIER_STYLE[t].glyph)).size).toBe(3);
  });

  it('indexes regions by ISO code', () => {
    const idx = regionIndex(rules);
    expect(idx.get('USA')).toBe('usa');
    expect(idx.get('TWN')).toBe('eastAsiaAllies');
    expect(idx.get('SGP')).toBe('seAsia');
    expect(idx.get('BRA')).toBeUndefined();
  });

  it('formats chip counts for the map', () => {
    expect(fmtChips(950)).toBe('950');
    expect(fmtChips(12_345)).toBe('12k');
    expect(fmtChips(1_400_000)).toBe('1.4M');
    expect(fmtChips(1_000_000)).toBe('1M');
  });
});

describe('map layout', () => {
  it('places labels without overlaps when there is room', () => {
    const labels = [0, 1, 2, 3].map(() => ({ x: 100, y: 100, w: 60, h: 24 }));
    const at = placeLabels(labels, [{ x: 90, y: 90, w: 20, h: 20 }], { x: 0, y: 0, w: 400, h: 400 });
    const boxes = at.map(([x, y]) => ({ x: x - 30, y: y - 12, w: 60, h: 24 }));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).toBe(false);
    }
  });

  it('bows flow arcs north and ends them at their anchors', () => {
    const arc = flowArc([100, 300], [900, 300]);
    expect(arcPoint(arc, 0)).toEqual([100, 300]);
    expect(arcPoint(arc, 1)).toEqual([900, 300]);
    expect(arcPoint(arc, 0.5)[1]).toBeLessThan(300);
  });

  it('sizes compute markers by order of magnitude', () => {
    expect(computeRadius(1e7)).toBeGreaterThan(computeRadius(1e6));
    expect(computeRadius(1e6)).toBeGreaterThan(computeRadius(1e5));
    expect(computeRadius(1e12)).toBeLessThanOrEqual(44);
  });
});
