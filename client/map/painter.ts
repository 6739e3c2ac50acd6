// The still world map on plain 2D canvases, without Phaser: countries, regions, flow paths, key, lead gauge and
// labels, with the markers and the needle moving to new values. It draws as soon as the map's data arrives (Phaser,
// about 1 MB of code, only adds the moving streaks later), and it is crisp at any device pixel ratio.
import worldJson from '../../assets/map/world.json';
import type { RuleFile, Side } from '../../shared/rules/schema.ts';
import type { PublicWorld, RoleView } from '../../shared/engine/views.ts';
import { decodeAsset, projectLonLat, shapeContains, type MapAsset, type Shape } from './asset.ts';
import { computeMapModel, type MapModel, type Marker } from './model.ts';
import { fitMap, toCanvas, toMap, computeRadius, adoptionRadius, mapLayout, NO_INSETS, type Box, type Fit, type Insets, type MapLayout, type GaugeBox } from './layout.ts';
import { drawBase, drawFlowPaths, drawRegionLabels, drawLegend, drawGaugeFrame, gaugeX, haloText, type RegionShapes } from './draw.ts';
import { COLORS, ALIGNMENT_COLOR, rgba, fmtMonths } from './style.ts';
import { FONT, markerText, canvasMeasure, gaugeValueFont } from './labels.ts';

export interface MapShowInput {
  rules: RuleFile;
  world: PublicWorld;
  view: RoleView | null;
  side: Side | null;
  projector: boolean;
}

/** What the pointer is over: a region of the rule file (id) and the country under it. */
export interface RegionPick { id: string; name: string; iso: string; country: string }

export const MAP_ASSET = worldJson as unknown as MapAsset;

interface Tweened { from: number; to: number }
interface LiveMarker { marker: Marker; x: number; y: number; value: Tweened; low: Tweened; high: Tweened }

const TWEEN_MS = 1400;
const ease = (t: number) => 1 - Math.pow(1 - Math.min(1, Math.max(0, t)), 3);
const lerp = (a: Tweened, t: number) => a.from + (a.to - a.from) * ease(t);

export class MapPainter {
  readonly shapes: Shape[] = decodeAsset(MAP_ASSET);
  private byIso = new Map<string, Shape[]>();
  private box: HTMLElement;
  /** the map with markers and needle, the hover outline, and an offscreen copy of the map without markers and needle */
  private still: HTMLCanvasElement;
  private hoverLayer: HTMLCanvasElement;
  private cache: HTMLCanvasElement;
  private shown: MapShowInput | null = null;
  private model: MapModel | null = null;
  private regionShapes: RegionShapes[] = [];
  private insets: Insets = NO_INSETS;
  private showLegend = true;
  private reserved: Box[] = [];
  /** the current layout (null until the first draw), for the streaks drawn over it and for tests */
  layout: MapLayout | null = null;
  private fit: Fit = fitMap(MAP_ASSET.width, MAP_ASSET.height, 1366, 768);
  private w = 0;
  private h = 0;
  private dpr = 1;
  private markers: LiveMarker[] = [];
  private lead: { value: Tweened; low: Tweened; high: Tweened } | null = null;
  private gauge: (GaugeBox & { trackY: number; th: number }) | null = null;
  private tweenStart = 0;
  private moving = false;
  private frame = 0;
  private hovered: string | null = null;
  private listeners: ((layout: MapLayout) => void)[] = [];
  private drawn = false;
  private later = 0;
  private retry = 0;
  private labelled = false;

  constructor(box: HTMLElement) {
    this.box = box;
    for (const s of this.shapes) {
      if (!s.iso) continue;
      const list = this.byIso.get(s.iso) ?? [];
      list.push(s);
      this.byIso.set(s.iso, list);
    }
    performance.mark('w2028:map-decoded');
    const make = (cls: string) => {
      const c = document.createElement('canvas');
      c.className = cls;
      c.setAttribute('aria-hidden', 'true');
      c.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;';
      return c;
    };
    this.still = make('map-still');
    this.hoverLayer = make('map-hover');
    this.hoverLayer.style.display = 'none';
    this.cache = document.createElement('canvas');
    box.append(this.still, this.hoverLayer);
  }

  /** Called with each new layout (a new size, new data). */
  onLayout(fn: (layout: MapLayout) => void): void {
    this.listeners.push(fn);
  }

  /** (Re)draws the map for one viewer; markers and needle move from where they are to the new values. */
  show(input: MapShowInput): void {
    this.shown = input;
    this.model = computeMapModel(input);
    this.regionShapes = this.model.regions.map((r) => ({
      id: r.id, name: r.name, alignment: r.alignment, tier: r.tier,
      shapes: r.countries.flatMap((c) => this.byIso.get(c) ?? []),
    }));
    this.relayout(true);
  }

  /** Keeps the map clear of DOM panels: the map fits inside the canvas less these pixels. */
  setInsets(insets: Partial<Insets>): void {
    this.insets = { ...NO_INSETS, ...insets };
    this.relayout();
  }

  /** Shows or hides the map key (e.g. when the page shows its own). */
  setLegend(visible: boolean): void {
    if (visible === this.showLegend) return;
    this.showLegend = visible;
    this.relayout();
  }

  /** Keeps what is drawn clear of the page's own controls over the map (boxes in the map's pixels). */
  setReserved(boxes: Box[]): void {
    const same = boxes.length === this.reserved.length && boxes.every((b, i) => JSON.stringify(b) === JSON.stringify(this.reserved[i]));
    if (same) return;
    this.reserved = boxes;
    if (this.layout) this.relayout();
  }

  /** Follows the box's size and the screen's pixel ratio; true when they changed (and the map was drawn again). */
  resize(): boolean {
    const w = Math.max(2, Math.round(this.box.clientWidth)), h = Math.max(2, Math.round(this.box.clientHeight));
    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    if (w === this.w && h === this.h && dpr === this.dpr) return false;
    this.relayout();
    return true;
  }

  /** The rule-file region under point (x, y) of the box, or null. */
  regionAt(x: number, y: number): RegionPick | null {
    const [mx, my] = toMap(this.fit, x, y);
    const slop = 4 / this.fit.scale; // a few pixels around tiny countries
    for (const r of this.regionShapes) {
      for (const s of r.shapes) {
        const small = s.area * this.fit.scale * this.fit.scale < 60;
        if (shapeContains(s, mx, my) || (small && Math.abs(mx - (s.box[0] + s.box[2]) / 2) < slop + (s.box[2] - s.box[0]) / 2
          && Math.abs(my - (s.box[1] + s.box[3]) / 2) < slop + (s.box[3] - s.box[1]) / 2)) {
          return { id: r.id, name: r.name, iso: s.iso, country: s.name };
        }
      }
    }
    return null;
  }

  /** Box position of a [lon, lat] point, for overlays that point at the map. */
  project(lon: number, lat: number): [number, number] {
    const [x, y] = projectLonLat(MAP_ASSET, lon, lat);
    return toCanvas(this.fit, x, y);
  }

  /** Outlines one region (null: none). */
  setHover(id: string | null): void {
    if (id === this.hovered) return;
    this.hovered = id;
    this.drawHover();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.cancelLater();
    cancelAnimationFrame(this.retry);
    this.still.remove();
    this.hoverLayer.remove();
    this.listeners = [];
  }

  private cancelLater(): void {
    if (typeof cancelIdleCallback === 'function') cancelIdleCallback(this.later); else clearTimeout(this.later);
  }

  private drawHover(): void {
    const r = this.regionShapes.find((x) => x.id === this.hovered);
    const c = this.hoverLayer;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    // an empty layer still costs compositing: hide it
    c.style.display = r ? '' : 'none';
    if (!r) return;
    const { scale: s, ox, oy } = this.fit;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.beginPath();
    for (const sh of r.shapes) {
      for (const ring of sh.rings) {
        ctx.moveTo(ox + s * ring[0], oy + s * ring[1]);
        for (let i = 2; i < ring.length; i += 2) ctx.lineTo(ox + s * ring[i], oy + s * ring[i + 1]);
        ctx.closePath();
      }
    }
    ctx.fillStyle = 'rgba(255,255,255,0.08)';
    ctx.fill('evenodd');
    ctx.strokeStyle = 'rgba(255,255,255,0.95)';
    ctx.lineWidth = Math.max(1.5, 2.2 * (this.layout?.u ?? 1));
    ctx.lineJoin = 'round';
    ctx.stroke();
  }

  /** Size-dependent layout and the still layer; with `data` the markers and needle move to the new values. */
  private relayout(data = false): void {
    // a box moved within one task (the page re-rendering around the map) reads 0 × 0 for that moment, and no resize
    // follows: draw on the next frame instead (then, if it is really hidden, when it is resized)
    if (!this.box.isConnected || !this.box.clientWidth) {
      cancelAnimationFrame(this.retry);
      this.retry = requestAnimationFrame(() => { if (this.box.isConnected && this.box.clientWidth) this.relayout(data); });
      return;
    }
    const w = Math.max(2, Math.round(this.box.clientWidth)), h = Math.max(2, Math.round(this.box.clientHeight));
    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    this.w = w; this.h = h; this.dpr = dpr;
    this.cancelLater();
    // backing stores at device pixels, shown at CSS pixels: sharp on high-density screens
    for (const c of [this.still, this.hoverLayer, this.cache]) {
      const bw = Math.round(w * dpr), bh = Math.round(h * dpr);
      if (c.width !== bw || c.height !== bh) { c.width = bw; c.height = bh; }
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
    const ctx = this.cache.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const input = {
      width: w, height: h, insets: this.insets,
      map: { width: MAP_ASSET.width, height: MAP_ASSET.height, project: (lon: number, lat: number) => projectLonLat(MAP_ASSET, lon, lat) },
      model: this.model, side: this.shown?.side ?? null, projector: !!this.shown?.projector, showLegend: this.showLegend,
      measure: canvasMeasure(ctx), reserved: this.reserved,
    };
    // The first draw comes in two steps, so the page stays responsive and the world shows at once: the countries and
    // regions (the fit does not depend on the data), then in the next task the labels, key, gauge and markers.
    const staged = !this.drawn && !!this.model;
    const layout = mapLayout(staged ? { ...input, model: null } : input);
    this.fit = layout.fit;
    ctx.clearRect(0, 0, w, h);
    drawBase(ctx, w, h, MAP_ASSET, this.fit, this.shapes, this.regionShapes, layout.u);
    if (staged) {
      performance.mark('w2028:map-base');
      this.layout = null;
      this.drawn = true;
      this.drawLive(1);
      // in idle time, so what else is queued goes first (within 200 ms)
      const next = () => this.drawDataLayer(mapLayout(input), data);
      this.later = typeof requestIdleCallback === 'function' ? requestIdleCallback(next, { timeout: 200 }) : (setTimeout(next, 0) as unknown as number);
      return;
    }
    this.drawDataLayer(layout, data);
  }

  /** The data over the drawn base: into the cache, then on screen with markers and needle. */
  private drawDataLayer(layout: MapLayout, data: boolean): void {
    const ctx = this.cache.getContext('2d')!;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    this.layout = layout;
    if (this.model) this.drawData(ctx, layout, data);
    this.drawn ||= !!this.model;
    this.drawLive(this.progress());
    this.drawHover();
    for (const fn of this.listeners) fn(layout);
    if (this.moving) this.animate();
    if (!this.labelled) { this.labelled = true; performance.mark('w2028:map-labels'); }
  }

  /** The laid-out still parts, and the markers and needle set to move to their new values. */
  private drawData(ctx: CanvasRenderingContext2D, layout: MapLayout, data: boolean): void {
    const model = this.model!;
    const { u, pu } = layout;
    drawFlowPaths(ctx, layout.flows, u);
    const lead = model.lead;
    if (layout.legend) drawLegend(ctx, layout.legend.x, layout.legend.y, pu, layout.legend.options, layout.legend.columns);
    const g = layout.gauge!;
    const note = lead.source === 'press' ? 'press estimate · grey bar = range'
      : lead.source === 'final' ? 'final: true numbers' : 'our intelligence · grey bar = range';
    const { trackY, th } = drawGaugeFrame(ctx, g, lead.band, 'US LEAD OVER CHINA, months', note, pu);
    this.gauge = { ...g, trackY, th };
    drawRegionLabels(ctx, layout.labels, u, layout.ut);
    if (layout.grey) {
      const { title, line, x, y, titleFont, lineFont } = layout.grey;
      haloText(ctx, title, x, y - 8 * layout.ut, titleFont, '#ff8a4c', u);
      haloText(ctx, line, x, y + 8 * layout.ut, lineFont, COLORS.text, u);
    }

    // markers and needle: from what is on screen to the new values (a first draw or a resize: no tween)
    const animate = data && this.markers.length > 0;
    const now = this.progress();
    const fresh = (v: number, old?: Tweened) => ({ from: animate && old ? lerp(old, now) : v, to: v });
    const keep = (v: number, old?: Tweened) => (data ? fresh(v, old) : (old ?? fresh(v)));
    this.markers = layout.markers.map(({ marker: m, x, y }) => {
      const old = this.markers.find((o) => o.marker.side === m.side && o.marker.kind === m.kind);
      return { marker: m, x, y, value: keep(m.value.value, old?.value), low: keep(m.value.low, old?.low), high: keep(m.value.high, old?.high) };
    });
    const ol = this.lead;
    this.lead = { value: keep(lead.value.value, ol?.value), low: keep(lead.value.low, ol?.low), high: keep(lead.value.high, ol?.high) };
    if (animate && !reducedMotion()) { this.tweenStart = performance.now(); this.moving = true; } else if (data) this.moving = false;
    if (!this.moving) for (const m of this.markers) { m.value.from = m.value.to; m.low.from = m.low.to; m.high.from = m.high.to; }
  }

  private progress(): number {
    return this.moving ? Math.min(1, (performance.now() - this.tweenStart) / TWEEN_MS) : 1;
  }

  /** Redraws markers and needle each frame while they move, then stops. */
  private animate(): void {
    cancelAnimationFrame(this.frame);
    const step = () => {
      const t = this.progress();
      this.drawLive(t);
      if (t >= 1) this.moving = false; else this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private markerRadius(kind: Marker['kind'], v: number, u: number): number {
    return (kind === 'compute' ? computeRadius(v) : adoptionRadius(v)) * u;
  }

  /** The still map with markers and needle at tween progress t. */
  private drawLive(t: number): void {
    const c = this.still;
    const ctx = c.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.drawImage(this.cache, 0, 0);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (this.model && this.layout) this.drawLiveInto(ctx, t, this.layout);
  }

  /** Markers (with their counters) and the lead needle at tween progress t. */
  private drawLiveInto(ctx: CanvasRenderingContext2D, t: number, layout: MapLayout): void {
    const { u, ut } = layout;
    ctx.save();
    for (const lm of this.markers) {
      const m = lm.marker;
      const color = ALIGNMENT_COLOR[m.side];
      const v = lerp(lm.value, t), lo = lerp(lm.low, t), hi = lerp(lm.high, t);
      const r = this.markerRadius(m.kind, v, u);
      ctx.beginPath(); ctx.arc(lm.x, lm.y, r, 0, Math.PI * 2);
      ctx.fillStyle = rgba(color, 0.28); ctx.fill();
      ctx.strokeStyle = color; ctx.lineWidth = 2 * u; ctx.stroke();
      if (m.estimated) {
        // the estimate's range: a thin inner ring at the low end, a dashed ring at the high end
        ctx.lineWidth = 1.3 * u; ctx.strokeStyle = rgba(color, 0.85);
        ctx.beginPath(); ctx.arc(lm.x, lm.y, this.markerRadius(m.kind, lo, u), 0, Math.PI * 2); ctx.stroke();
        ctx.setLineDash([4 * u, 3 * u]);
        ctx.beginPath(); ctx.arc(lm.x, lm.y, this.markerRadius(m.kind, hi, u), 0, Math.PI * 2); ctx.stroke();
        ctx.setLineDash([]);
      }
      // a small core: the labs and data centres themselves
      ctx.fillStyle = '#ffffff';
      ctx.beginPath(); ctx.arc(lm.x, lm.y, 2.6 * u, 0, Math.PI * 2); ctx.fill();
      const rh = this.markerRadius(m.kind, m.estimated ? hi : v, u);
      markerText(m, v, lo, hi).split('\n').forEach((line, i) => {
        haloText(ctx, line, lm.x, lm.y + rh + 11 * ut + i * 16 * ut, `${i ? '' : '600 '}${Math.round(12.5 * ut)}px ${FONT}`, i ? COLORS.textDim : COLORS.text, u);
      });
    }
    if (this.lead && this.gauge && layout.gaugeValue) {
      const gb = this.gauge;
      const v = lerp(this.lead.value, t), lo = lerp(this.lead.low, t), hi = lerp(this.lead.high, t);
      const th = gb.th;
      const pu = layout.pu;
      if (hi - lo > 0.05) {
        ctx.fillStyle = 'rgba(255,255,255,0.28)';
        ctx.fillRect(gaugeX(gb, lo), gb.trackY - th / 2 - 2 * pu, Math.max(2, gaugeX(gb, hi) - gaugeX(gb, lo)), th + 4 * pu);
      }
      const x = gaugeX(gb, v);
      ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 3 * pu;
      ctx.beginPath(); ctx.moveTo(x, gb.trackY - th / 2 - 6 * pu); ctx.lineTo(x, gb.trackY + th / 2 + 2 * pu); ctx.stroke();
      ctx.fillStyle = '#ffffff';
      ctx.beginPath(); ctx.moveTo(x - 6 * pu, gb.trackY - th / 2 - 12 * pu); ctx.lineTo(x + 6 * pu, gb.trackY - th / 2 - 12 * pu); ctx.lineTo(x, gb.trackY - th / 2 - 4 * pu); ctx.closePath(); ctx.fill();
      const band = this.model!.lead.band;
      const inBand = v >= band[0] && v <= band[1];
      const vb = layout.gaugeValue;
      haloText(ctx, v >= 0 ? `US +${fmtMonths(v)} mo` : `China +${fmtMonths(-v)} mo`, vb.x + vb.w, vb.y + vb.h / 2,
        gaugeValueFont(pu), inBand ? '#7fe0c4' : COLORS.text, pu, 'right');
    }
    ctx.restore();
  }
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
