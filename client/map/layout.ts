// Where things go on the canvas: the map fitted into the free area, anchors, the arcs flows follow, and the whole
// map's layout (key, gauge, markers, labels) as one pure function of the canvas size and what is shown.
import type { MapModel, Flow, Marker } from './model.ts';
import type { Alignment } from './style.ts';
import { fmtChips } from './style.ts';
import { FONT, markerFont, markerText, regionLabelSize, legendSize, gaugeWords, gaugeFonts, gaugeValueFont, GAUGE_WIDEST, type Measure, type LegendOptions } from './labels.ts';
import type { ExportTier, Side } from '../../shared/rules/schema.ts';

export interface Insets { top: number; right: number; bottom: number; left: number }
export const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 };

/** Map units → canvas pixels: x' = ox + s·x, y' = oy + s·y. */
export interface Fit { scale: number; ox: number; oy: number; width: number; height: number }

/** Fits a map of mapW × mapH units into a canvas of w × h pixels, inside the insets, centred. */
export function fitMap(mapW: number, mapH: number, w: number, h: number, insets: Insets = NO_INSETS): Fit {
  const aw = Math.max(1, w - insets.left - insets.right);
  const ah = Math.max(1, h - insets.top - insets.bottom);
  const scale = Math.min(aw / mapW, ah / mapH);
  return {
    scale,
    ox: insets.left + (aw - mapW * scale) / 2,
    oy: insets.top + (ah - mapH * scale) / 2,
    width: mapW * scale,
    height: mapH * scale,
  };
}

export function toCanvas(fit: Fit, x: number, y: number): [number, number] {
  return [fit.ox + fit.scale * x, fit.oy + fit.scale * y];
}

export function toMap(fit: Fit, x: number, y: number): [number, number] {
  return [(x - fit.ox) / fit.scale, (y - fit.oy) / fit.scale];
}

/** A quadratic Bézier from a to b through control c. */
export interface Arc { a: [number, number]; c: [number, number]; b: [number, number]; length: number }

/**
 * The arc a flow follows: bowed to the north (as great circles between northern hemisphere
 * points are), more for longer flows, and a little to one side when `lane` separates flows
 * that share both ends.
 */
export function flowArc(a: [number, number], b: [number, number], lane = 0, minY = 0): Arc {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const d = Math.hypot(dx, dy) || 1;
  // unit normal pointing "up" (negative y)
  let nx = -dy / d, ny = dx / d;
  if (ny > 0) { nx = -nx; ny = -ny; }
  const bow = d * 0.22 + lane * 10;
  const mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
  const c: [number, number] = [mx + nx * bow, Math.max(minY, my + ny * bow)];
  return { a, b, c, length: arcLength(a, c, b) };
}

export function arcPoint(arc: Arc, t: number): [number, number] {
  const u = 1 - t;
  return [
    u * u * arc.a[0] + 2 * u * t * arc.c[0] + t * t * arc.b[0],
    u * u * arc.a[1] + 2 * u * t * arc.c[1] + t * t * arc.b[1],
  ];
}

function arcLength(a: [number, number], c: [number, number], b: [number, number]): number {
  let len = 0, px = a[0], py = a[1];
  for (let i = 1; i <= 16; i++) {
    const t = i / 16, u = 1 - t;
    const x = u * u * a[0] + 2 * u * t * c[0] + t * t * b[0];
    const y = u * u * a[1] + 2 * u * t * c[1] + t * t * b[1];
    len += Math.hypot(x - px, y - py);
    px = x; py = y;
  }
  return len;
}

/** Stroke width (px at a 1366 px map) for a flow of `amount` H100e a quarter: logarithmic, 1–7 px. */
export function flowWidth(amount: number): number {
  if (amount <= 0) return 0;
  return Math.min(7, Math.max(1, 1 + 1.5 * Math.log10(Math.max(1, amount / 5000))));
}

/** Grey-market flows are small next to the legal trade but matter most: their own scale, 1.5–7 px. */
export function smugglingWidth(amount: number): number {
  if (amount <= 0) return 0;
  return Math.min(7, Math.max(1.5, 2 + 2 * Math.log10(Math.max(1, amount / 3000))));
}

/** Marker radius (px at a 1366 px map) for effective compute in H100e: logarithmic, readable from 10k to 100M. */
export function computeRadius(h100e: number): number {
  if (!(h100e > 0)) return 6;
  return Math.min(44, Math.max(6, 6 + 7.5 * Math.log10(h100e / 1e4)));
}

/** Marker radius for an adoption share 0..1 (area in proportion to the share). */
export function adoptionRadius(share: number): number {
  return 6 + 30 * Math.sqrt(Math.max(0, Math.min(1, share)));
}

export interface Box { x: number; y: number; w: number; h: number }

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Places labels (centred boxes of w × h) near their anchors without covering each other or the
 * obstacles: tries the anchor itself, then below, above, right and left of it, further out each
 * round; a label that fits nowhere stays on its anchor. Returns each label's centre.
 */
export function placeLabels(labels: { x: number; y: number; w: number; h: number }[], obstacles: Box[], bounds: Box, gap = 4): [number, number][] {
  return place(labels, obstacles, bounds, gap, 3).map((p, i) => p ?? [labels[i].x, labels[i].y]);
}

/** Like placeLabels, looking further out, but a label that fits nowhere is left out (null): never text over text. */
export function placeLabelsOrDrop(labels: { x: number; y: number; w: number; h: number }[], obstacles: Box[], bounds: Box, gap = 4): ([number, number] | null)[] {
  return place(labels, obstacles, bounds, gap, 5);
}

function place(labels: { x: number; y: number; w: number; h: number }[], obstacles: Box[], bounds: Box, gap: number, rounds: number): ([number, number] | null)[] {
  const placed: Box[] = [...obstacles];
  return labels.map((l) => {
    const candidates: [number, number][] = [[0, 0]];
    for (let k = 1; k <= rounds; k++) {
      const dy = (l.h / 2 + gap) * k, dx = (l.w / 2 + gap) * k;
      candidates.push([0, dy], [0, -dy], [dx, 0], [-dx, 0], [dx * 0.7, dy], [-dx * 0.7, dy], [dx * 0.7, -dy], [-dx * 0.7, -dy]);
    }
    for (const [dx, dy] of candidates) {
      const box = { x: l.x + dx - l.w / 2, y: l.y + dy - l.h / 2, w: l.w, h: l.h };
      if (box.x < bounds.x || box.y < bounds.y || box.x + box.w > bounds.x + bounds.w || box.y + box.h > bounds.y + bounds.h) continue;
      if (placed.some((p) => overlaps(p, box))) continue;
      placed.push(box);
      return [l.x + dx, l.y + dy];
    }
    if (rounds <= 3) placed.push({ x: l.x - l.w / 2, y: l.y - l.h / 2, w: l.w, h: l.h });
    return null;
  });
}

// ---- the whole map: where every still part goes for one canvas size and one viewer ----

export interface PlacedFlow { flow: Flow; arc: Arc; width: number }
export interface PlacedLabel { id: string; name: string; alignment: Alignment; tier: ExportTier; x: number; y: number; /** its size, centred on (x, y) */ w: number; h: number }
export interface GaugeBox { x: number; y: number; w: number; h: number; min: number; max: number; /** where the title and note start (below the reading when they do not fit beside it) */ textTop: number }
export interface PlacedMarker { marker: Marker; x: number; y: number; r: number }

export interface MapLayoutInput {
  /** canvas size in px */
  width: number;
  height: number;
  insets: Insets;
  /** the map's size in its own units, and where a [lon, lat] falls in them */
  map: { width: number; height: number; project: (lon: number, lat: number) => [number, number] };
  /** what to show (null: the bare map) */
  model: MapModel | null;
  /** the viewer's side, for the key's words on smuggling */
  side: Side | null;
  /** larger text for the class screen */
  projector: boolean;
  showLegend: boolean;
  measure: Measure;
  /** boxes the page puts over the canvas (its own controls): nothing is drawn under them */
  reserved?: Box[];
}

export interface MapLayout {
  fit: Fit;
  /** scale of strokes and markers (1 at a 1366 px map) */
  u: number;
  /** scale of the panels (key, gauge) */
  pu: number;
  /** scale of text */
  ut: number;
  /** a tall narrow canvas: the key and gauge go under the map */
  stacked: boolean;
  flows: PlacedFlow[];
  legend: { x: number; y: number; w: number; h: number; options: LegendOptions; columns: number } | null;
  gauge: GaugeBox | null;
  /** inside the gauge: its title, its note and the reading (right-aligned in its box), which never overlap */
  gaugeTitle: Box | null;
  gaugeNote: Box | null;
  gaugeValue: Box | null;
  markers: PlacedMarker[];
  labels: PlacedLabel[];
  /** the grey market's total, under the hubs */
  grey: { title: string; line: string; x: number; y: number; titleFont: string; lineFont: string; w: number; h: number } | null;
}

/** A flow smaller than this share of the largest legal one only clutters (smuggling always shows). */
const TRICKLE = 0.03;

/**
 * Where everything still goes: the map fitted to the canvas, flow arcs and widths, the key and the
 * lead gauge, marker circles, region labels clear of all of them, and the grey market's note.
 * Pure: the same input gives the same layout (text is measured through `measure`).
 */
export function mapLayout(input: MapLayoutInput): MapLayout {
  const { width: w, height: h, insets, map, model, measure } = input;
  let fit = fitMap(map.width, map.height, w, h, insets);
  const u = Math.max(0.6, Math.min(2.6, fit.width / 1366));
  // panels (key, gauge) stay readable on small canvases (and from the back of the room); on a tall narrow one they go under the map
  const pu = Math.max(0.85, Math.min(1.8, w / 1366)) * (input.projector ? 1.2 : 1);
  const panels = (86 + 30 + (input.showLegend ? 17 * 11 + 10 : 0) + 24) * pu;
  const stacked = h - insets.bottom - insets.top - fit.height >= panels && fit.width < 900;
  if (stacked) fit = { ...fit, oy: insets.top + 6 };
  const ut = input.projector ? u * 1.25 : u;
  const out: MapLayout = { fit, u, pu, ut, stacked, flows: [], legend: null, gauge: null, gaugeTitle: null, gaugeNote: null, gaugeValue: null, markers: [], labels: [], grey: null };
  if (!model) return out;

  const anchors = new Map(model.regions.map((r) => [r.id, toCanvas(fit, ...map.project(r.anchor[0], r.anchor[1]))]));
  const max = Math.max(1, ...model.flows.map((f) => f.amount.value));
  for (const flow of model.flows) {
    if (flow.kind !== 'smuggling' && flow.amount.value < max * TRICKLE) continue;
    const a = anchors.get(flow.from), b = anchors.get(flow.to);
    if (!a || !b) continue;
    const arc = flowArc(a, b, 0, fit.oy + 8 * u);
    const width = (flow.kind === 'smuggling' ? smugglingWidth(flow.amount.value) * 0.8 : flowWidth(flow.amount.value)) * u;
    out.flows.push({ flow, arc, width });
  }

  // the map key, bottom left above the lead gauge, over the open Pacific (or both under the map when stacked)
  const obstacles: Box[] = [...(input.reserved ?? [])];
  const smuggling = model.flows.some((f) => f.kind === 'smuggling') ? (input.side === 'us' ? 'estimate' : 'own') : 'none';
  const options: LegendOptions = { smuggling, markers: model.markers[0]?.kind ?? 'adoption' };
  const lead = model.lead;
  let gw = Math.min(440 * pu, fit.width * 0.32);
  if (stacked) gw = Math.min(440 * pu, w - insets.left - insets.right - 12 * pu);
  // the reading sits right of the title and note when both fit on those rows, else on a row of its own above them
  const words = gaugeWords(lead.source), gf = gaugeFonts(pu);
  const textW = Math.max(measure(words.title, gf.title), measure(words.note, gf.note));
  const valueW = measure(GAUGE_WIDEST, gaugeValueFont(pu));
  gw = Math.max(gw, Math.min(textW + 24 * pu, w - 12 * pu));
  const beside = 12 * pu + textW + 12 * pu + valueW + 12 * pu <= gw;
  const textTop = beside ? 0 : 30 * pu;
  const gh = 86 * pu + textTop;
  const min = Math.min(-12, Math.floor(lead.value.low / 6) * 6), maxM = Math.max(36, Math.ceil(lead.value.high / 6) * 6);
  let gx = fit.ox + 6 * pu, gy = Math.min(h - gh - 6 * pu, fit.oy + fit.height - gh);
  if (stacked) {
    gx = insets.left + 6 * pu;
    gy = fit.oy + fit.height + 10 * pu;
  }
  gy = Math.max(0, gy);
  if (input.showLegend) {
    // one column where there is room between the lower part of the map and the gauge; on a short map two
    // (or three) columns, so that the key never slides under the gauge
    const floor = fit.oy + fit.height * 0.42;
    let columns = 1;
    let size = legendSize(measure, pu, options, columns);
    while (!stacked && columns < 3 && gy - size.h - 8 * pu < floor) size = legendSize(measure, pu, options, ++columns);
    let lx = gx, ly = stacked ? gy + gh + 8 * pu : Math.max(fit.oy, gy - size.h - 8 * pu);
    // still no room above the gauge (a very short map): beside it, or no key at all (the page's region list stands in)
    if (!stacked && ly + size.h > gy - 4 * pu) { lx = gx + gw + 8 * pu; ly = Math.max(0, gy + gh - size.h); }
    const fits = lx + size.w <= w && ly + size.h <= h && (stacked || lx > gx || ly + size.h <= gy - 4 * pu);
    if (fits) {
      out.legend = { x: lx, y: ly, ...size, options, columns };
      obstacles.push({ x: lx, y: ly, w: size.w, h: size.h });
    }
  }
  out.gauge = { x: gx, y: gy, w: gw, h: gh, min, max: maxM, textTop };
  obstacles.push(out.gauge);
  const vh = 26 * pu;
  out.gaugeValue = { x: gx + gw - 12 * pu - valueW, y: gy + (beside ? 7 * pu : 6 * pu), w: valueW, h: vh };
  out.gaugeTitle = { x: gx + 12 * pu, y: gy + textTop + 8 * pu, w: measure(words.title, gf.title), h: 14 * pu };
  out.gaugeNote = { x: gx + 12 * pu, y: gy + textTop + 24 * pu, w: measure(words.note, gf.note), h: 12 * pu };

  // markers: circle and counter below it (obstacles for the labels)
  const font = markerFont(ut);
  for (const m of model.markers) {
    const p = anchors.get(m.region);
    if (!p) continue;
    const v = Math.max(m.value.value, m.value.high);
    const r = (m.kind === 'compute' ? computeRadius(v) : adoptionRadius(v)) * u;
    out.markers.push({ marker: m, x: p[0], y: p[1], r });
    const lines = markerText(m, m.value.value, m.value.low, m.value.high).split('\n');
    const tw = Math.max(...lines.map((l) => measure(l, font))) + 8 * ut;
    obstacles.push({ x: p[0] - r, y: p[1] - r, w: 2 * r, h: 2 * r });
    obstacles.push({ x: p[0] - tw / 2, y: p[1] + r + 3 * u, w: tw, h: lines.length * 16 * ut + 4 * ut });
  }

  // region labels near their anchors, above the marker where a side's labs are, clear of everything else
  const bounds = { x: 0, y: 0, w, h };
  const wanted = model.regions.map((r) => {
    const p = anchors.get(r.id) ?? [0, 0];
    const size = regionLabelSize(measure, r.name, r.tier, ut);
    const m = out.markers.find((x) => x.marker.region === r.id);
    return { r, x: p[0], y: m ? m.y - m.r - size.h / 2 - 2 * u : p[1], ...size };
  });
  // a label with no free place is left out (a phone's small map): the page's region list names every region
  const at = placeLabelsOrDrop(wanted, obstacles, bounds, 3 * u);
  const kept = wanted.flatMap((l, i) => { const p = at[i]; return p ? [{ l, p }] : []; });
  out.labels = kept.map(({ l, p }) => ({ id: l.r.id, name: l.r.name, alignment: l.r.alignment, tier: l.r.tier, x: p[0], y: p[1], w: l.w, h: l.h }));

  // the grey market in numbers: the US estimate with its range, or China's own shipments
  const grey = out.flows.filter((p) => p.flow.kind === 'smuggling');
  if (grey.length) {
    const sum = (k: 'value' | 'low' | 'high') => grey.reduce((a, p) => a + p.flow.amount[k], 0);
    const est = grey[0].flow.estimated;
    const title = est ? 'Suspected smuggling via hubs' : 'Our grey-market shipments';
    const line = est ? `~${fmtChips(sum('value'))} H100e/quarter (${fmtChips(sum('low'))}–${fmtChips(sum('high'))})` : `${fmtChips(sum('value'))} H100e last quarter`;
    const titleFont = `700 ${Math.round(11.5 * ut)}px ${FONT}`, lineFont = `${Math.round(11.5 * ut)}px ${FONT}`;
    // under the hubs, over the ocean south of them
    const mx = grey.reduce((a, p) => a + p.arc.a[0], 0) / grey.length;
    const my = Math.max(...grey.map((p) => p.arc.a[1])) + 40 * u;
    const taken = [...obstacles, ...out.labels.map((l) => ({ x: l.x - l.w / 2, y: l.y - l.h / 2, w: l.w, h: l.h }))];
    const lw = Math.max(measure(title, titleFont), measure(line, lineFont)) + 8 * ut, lh = 32 * ut;
    const at = placeLabelsOrDrop([{ x: mx, y: my, w: lw, h: lh }], taken, bounds, 3 * u)[0];
    if (at) out.grey = { title, line, x: at[0], y: at[1], titleFont, lineFont, w: lw, h: lh };
  }
  return out;
}
