// The map's layout (client/map/layout.ts mapLayout): a pure function of canvas size and what is shown; everything on the canvas, nothing on top of anything else.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultRules } from '../helpers/rules.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurnInPlace } from '../../shared/engine/resolve.ts';
import { botNegotiation, botOrders } from '../../shared/sim/botMatch.ts';
import { roleView, publicView } from '../../shared/engine/views.ts';
import type { MatchState } from '../../shared/engine/state.ts';
import { computeMapModel, type MapInput, type MapModel } from '../../client/map/model.ts';
import { mapLayout, NO_INSETS, type MapLayoutInput, type Box } from '../../client/map/layout.ts';
import { legendSize, legendLabels, regionLabelSize, type Measure } from '../../client/map/labels.ts';
import { projectLonLat, type MapAsset } from '../../client/map/asset.ts';

const rules = defaultRules();
const asset = JSON.parse(readFileSync(fileURLToPath(new URL('../../assets/map/world.json', import.meta.url)), 'utf8')) as MapAsset;

/** A stand-in for canvas text metrics: each character 0.56 of the font's pixel size (close to system-ui). */
const measure: Measure = (text, font) => text.length * 0.56 * Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);

function playedState(turns: number, personality: string): MatchState {
  const state = initialState(rules, 7);
  const seating = Object.fromEntries(rules.roles.map((x) => [x.id, personality])) as Record<string, 'status-quo'>;
  for (let t = 0; t < turns; t++) {
    botNegotiation(rules, state, seating);
    resolveTurnInPlace(rules, state, botOrders(rules, state, seating));
  }
  return state;
}

function modelFor(state: MatchState, who: 'us' | 'china' | 'projector'): { model: MapModel; input: MapInput } {
  let input: MapInput;
  if (who === 'projector') input = { rules, world: publicView(rules, state).world, view: null, side: null, projector: true };
  else {
    const view = roleView(rules, state, rules.roles.find((x) => x.side === who)!.id);
    input = { rules, world: view.world, view, side: who, projector: false };
  }
  return { model: computeMapModel(input), input };
}

function layoutInput(model: MapModel | null, over: Partial<MapLayoutInput> = {}): MapLayoutInput {
  return {
    width: 1366, height: 768, insets: NO_INSETS,
    map: { width: asset.width, height: asset.height, project: (lon, lat) => projectLonLat(asset, lon, lat) },
    model, side: null, projector: false, showLegend: true, measure, ...over,
  };
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w - 0.01 && b.x < a.x + a.w - 0.01 && a.y < b.y + b.h - 0.01 && b.y < a.y + a.h - 0.01;
const inside = (a: Box, bounds: Box) => a.x >= bounds.x - 0.01 && a.y >= bounds.y - 0.01 && a.x + a.w <= bounds.x + bounds.w + 0.01 && a.y + a.h <= bounds.y + bounds.h + 0.01;

const hawks = playedState(4, 'hawk');

describe('mapLayout', () => {
  it('is pure: the same input gives the same layout, and the model is left as it was', () => {
    const { model, input } = modelFor(hawks, 'us');
    const before = JSON.stringify(model);
    const a = mapLayout(layoutInput(model, { side: input.side }));
    const b = mapLayout(layoutInput(model, { side: input.side }));
    expect(b).toEqual(a);
    expect(JSON.stringify(model)).toBe(before);
  });

  it('fits the map inside the insets, centred in the free area', () => {
    const insets = { top: 60, right: 300, bottom: 20, left: 10 };
    const { fit } = mapLayout(layoutInput(null, { insets }));
    expect(fit.ox).toBeGreaterThanOrEqual(insets.left - 1e-9);
    expect(fit.oy).toBeGreaterThanOrEqual(insets.top - 1e-9);
    expect(fit.ox + fit.width).toBeLessThanOrEqual(1366 - insets.right + 1e-9);
    expect(fit.oy + fit.height).toBeLessThanOrEqual(768 - insets.bottom + 1e-9);
    const spareX = 1366 - insets.left - insets.right - fit.width, spareY = 768 - insets.top - insets.bottom - fit.height;
    expect(Math.min(spareX, spareY)).toBeCloseTo(0, 6);
    expect(fit.ox - insets.left).toBeCloseTo(spareX / 2, 6);
  });

  it('lays out nothing but the map when there is nothing to show', () => {
    const l = mapLayout(layoutInput(null));
    expect([l.flows, l.markers, l.labels]).toEqual([[], [], []]);
    expect([l.legend, l.gauge, l.grey]).toEqual([null, null, null]);
  });

  for (const who of ['us', 'china', 'projector'] as const) {
    it(`keeps every part on the canvas, labels clear of each other and of the key, gauge and markers (${who})`, () => {
      const { model, input } = modelFor(hawks, who);
      const l = mapLayout(layoutInput(model, { side: input.side, projector: input.projector }));
      const canvas = { x: 0, y: 0, w: 1366, h: 768 };
      expect(l.gauge && inside(l.gauge, canvas)).toBe(true);
      expect(l.legend && inside(l.legend, canvas)).toBe(true);
      expect(overlap(l.legend!, l.gauge!)).toBe(false);
      const boxes = l.labels.map((p) => {
        const s = regionLabelSize(measure, p.name, p.tier, l.ut);
        return { id: p.id, x: p.x - s.w / 2, y: p.y - s.h / 2, w: s.w, h: s.h };
      });
      expect(boxes.length).toBe(rules.regions.length);
      for (const b of boxes) {
        expect(inside(b, canvas), b.id).toBe(true);
        expect(overlap(b, l.legend!), `${b.id} over the key`).toBe(false);
        expect(overlap(b, l.gauge!), `${b.id} over the gauge`).toBe(false);
        for (const m of l.markers) expect(overlap(b, { x: m.x - m.r, y: m.y - m.r, w: 2 * m.r, h: 2 * m.r }), `${b.id} over a marker`).toBe(false);
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        expect(overlap(boxes[i], boxes[j]), `${boxes[i].id} and ${boxes[j].id}`).toBe(false);
      }
    });
  }

  it('draws no trickle: a legal flow under 3% of the largest is left out, smuggling never', () => {
    const { model, input } = modelFor(hawks, 'china');
    const l = mapLayout(layoutInput(model, { side: input.side }));
    const max = Math.max(...model.flows.map((f) => f.amount.value));
    const shown = new Set(l.flows.map((p) => p.flow));
    for (const f of model.flows) {
      if (f.kind === 'smuggling') expect(shown.has(f)).toBe(true);
      else expect(shown.has(f)).toBe(f.amount.value >= max * 0.03);
    }
    for (const p of l.flows) expect(p.width).toBeGreaterThan(0);
  });

  it('says what the grey market is worth, in the viewer\'s words: China its own shipments, the US its estimate', () => {
    const china = modelFor(hawks, 'china'), us = modelFor(hawks, 'us');
    const lc = mapLayout(layoutInput(china.model, { side: 'china' }));
    const lu = mapLayout(layoutInput(us.model, { side: 'us' }));
    if (china.model.flows.some((f) => f.kind === 'smuggling')) expect(lc.grey?.title).toBe('Our grey-market shipments');
    if (us.model.flows.some((f) => f.kind === 'smuggling')) {
      expect(lu.grey?.title).toBe('Suspected smuggling via hubs');
      expect(lu.legend?.options.smuggling).toBe('estimate');
    }
    const projector = modelFor(hawks, 'projector');
    expect(mapLayout(layoutInput(projector.model, { projector: true })).grey).toBeNull();
  });

  it('puts the key and the gauge under the map on a tall, narrow canvas', () => {
    const { model } = modelFor(hawks, 'us');
    const l = mapLayout(layoutInput(model, { width: 420, height: 900, side: 'us' }));
    expect(l.stacked).toBe(true);
    expect(l.gauge!.y).toBeGreaterThanOrEqual(l.fit.oy + l.fit.height);
    expect(l.legend!.y).toBeGreaterThanOrEqual(l.gauge!.y + l.gauge!.h);
    const wide = mapLayout(layoutInput(model, { side: 'us' }));
    expect(wide.stacked).toBe(false);
  });

  it('never slides the key under the lead gauge on a short map (the match screen\'s 960 × 355): it takes two columns', () => {
    const { model } = modelFor(hawks, 'us');
    for (const [width, height] of [[960, 355], [1366, 768], [800, 300], [1200, 420]]) {
      const l = mapLayout(layoutInput(model, { width, height, side: 'us' }));
      const canvas = { x: 0, y: 0, w: width, h: height };
      expect(overlap(l.legend!, l.gauge!), `${width}×${height}`).toBe(false);
      expect(inside(l.legend!, canvas), `${width}×${height}`).toBe(true);
    }
    expect(mapLayout(layoutInput(model, { width: 960, height: 355, side: 'us' })).legend!.columns).toBe(2);
    expect(mapLayout(layoutInput(model, { side: 'us' })).legend!.columns).toBe(1);
  });

  it('sets text larger on the projector and leaves the key out when the page shows its own', () => {
    const { model } = modelFor(hawks, 'projector');
    const p = mapLayout(layoutInput(model, { projector: true }));
    expect(p.ut).toBeCloseTo(p.u * 1.25, 9);
    const noKey = mapLayout(layoutInput(model, { projector: true, showLegend: false }));
    expect(noKey.legend).toBeNull();
    expect(noKey.gauge).toEqual(p.gauge);
  });

  it('sizes the key by its longest row', () => {
    const opt = { smuggling: 'estimate', markers: 'compute' } as const;
    const size = legendSize(measure, 1, opt);
    const longest = Math.max(...legendLabels(opt).map((t) => measure(t, '11px x')));
    expect(size.w).toBeCloseTo(10 + 22 + 8 + longest + 12, 9);
    expect(legendLabels(opt)).toHaveLength(9);
    expect(legendLabels({ smuggling: 'none', markers: 'adoption' })).toHaveLength(8);
    const two = legendSize(measure, 1, opt, 2);
    expect(two.h).toBe(17 * 6 + 10);
    expect(two.w).toBeLessThan(2 * size.w);
    expect(two.w).toBeGreaterThan(size.w);
  });

  it('places a side\'s marker on its home region and its label above it', () => {
    const { model } = modelFor(hawks, 'us');
    const l = mapLayout(layoutInput(model, { side: 'us' }));
    for (const m of l.markers) {
      const [x, y] = projectLonLat(asset, ...model.regions.find((r) => r.id === m.marker.region)!.anchor);
      expect(m.x).toBeCloseTo(l.fit.ox + l.fit.scale * x, 9);
      expect(m.y).toBeCloseTo(l.fit.oy + l.fit.scale * y, 9);
      const label = l.labels.find((x) => x.id === m.marker.region)!;
      expect(label.y).toBeLessThan(m.y);
    }
  });
});

describe('mapLayout at every screen size (issue 13: overlays never overlap or clip)', () => {
  // the map's box at 390×844 (phone), 1366×768 (laptop, short), 1920×1080 (desktop) and on the projector
  const sizes: [string, number, number, boolean][] = [
    ['phone 390×844', 390, 354, false], ['laptop 1366×768', 960, 355, false], ['laptop, wide map', 1366, 768, false],
    ['desktop 1920×1080', 1240, 560, false], ['projector 1920×1080', 1920, 900, true], ['projector 1366×768', 1366, 600, true],
    ['very short', 800, 240, false],
  ];
  for (const [name, width, height, projector] of sizes) {
    for (const who of projector ? ['projector'] as const : ['us', 'china'] as const) {
      it(`${name} (${who}): the gauge's reading, title and note apart and inside it; key, gauge and labels apart and on the canvas`, () => {
        const { model, input } = modelFor(hawks, who);
        const l = mapLayout(layoutInput(model, { width, height, side: input.side, projector }));
        const canvas = { x: 0, y: 0, w: width, h: height };
        const g = l.gauge!;
        expect(inside(g, canvas), 'gauge on the canvas').toBe(true);
        const parts = { value: l.gaugeValue!, title: l.gaugeTitle!, note: l.gaugeNote! };
        for (const [k, b] of Object.entries(parts)) expect(inside(b, g), `${k} inside the gauge`).toBe(true);
        expect(overlap(parts.value, parts.title), 'reading over the title').toBe(false);
        expect(overlap(parts.value, parts.note), 'reading over the note').toBe(false);
        expect(overlap(parts.title, parts.note)).toBe(false);
        if (l.legend) {
          expect(inside(l.legend, canvas), 'key on the canvas').toBe(true);
          expect(overlap(l.legend, g), 'key over the gauge').toBe(false);
        }
        const boxes = l.labels.map((p) => ({ id: p.id, x: p.x - p.w / 2, y: p.y - p.h / 2, w: p.w, h: p.h }));
        if (l.grey) boxes.push({ id: 'grey market', x: l.grey.x - l.grey.w / 2, y: l.grey.y - l.grey.h / 2, w: l.grey.w, h: l.grey.h });
        for (const b of boxes) {
          expect(inside(b, canvas), `${b.id} on the canvas`).toBe(true);
          expect(overlap(b, g), `${b.id} over the gauge`).toBe(false);
          if (l.legend) expect(overlap(b, l.legend), `${b.id} over the key`).toBe(false);
        }
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j]), `${boxes[i].id} over ${boxes[j].id}`).toBe(false);
      });
    }
  }

  it('puts the gauge under a phone\'s map (no key there: the page lists the regions)', () => {
    const { model } = modelFor(hawks, 'us');
    const l = mapLayout(layoutInput(model, { width: 390, height: 354, side: 'us', showLegend: false }));
    expect(l.stacked).toBe(true);
    expect(l.gauge!.y).toBeGreaterThanOrEqual(l.fit.oy + l.fit.height);
  });

  it('keeps the reading beside the title where the gauge is wide, and gives it its own row where it is not', () => {
    const { model } = modelFor(hawks, 'us');
    const wide = mapLayout(layoutInput(model, { width: 1920, height: 1080, side: 'us' }));
    expect(wide.gauge!.textTop).toBe(0);
    const narrow = mapLayout(layoutInput(model, { width: 960, height: 355, side: 'us' }));
    expect(narrow.gauge!.textTop).toBeGreaterThan(0);
    expect(narrow.gaugeValue!.y + narrow.gaugeValue!.h).toBeLessThanOrEqual(narrow.gaugeTitle!.y + 0.01);
  });
});
