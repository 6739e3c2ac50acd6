// The world map: a dark night map of Natural Earth countries, the rule file's regions coloured by
// alignment and export tier, chip flows as light streaks, data-centre markers sized by compute, and
// the lead needle against the sweet-spot band.
//
// Cost per frame is kept small: everything still is drawn once per show()/resize with Canvas 2D into
// one texture (anti-aliased, hatched, labelled); a frame only redraws the moving streaks, and the
// needle and markers while they move to new values.
import Phaser from 'phaser';
import worldJson from '../../assets/map/world.json';
import type { RuleFile, Side } from '../../shared/rules/schema.ts';
import type { PublicWorld, RoleView, Estimate } from '../../shared/engine/views.ts';
import { decodeAsset, projectLonLat, shapeContains, type MapAsset, type Shape } from '../map/asset.ts';
import { computeMapModel, type MapModel, type Flow, type Marker } from '../map/model.ts';
import { fitMap, toCanvas, toMap, flowArc, arcPoint, flowWidth, smugglingWidth, computeRadius, adoptionRadius, NO_INSETS, placeLabels, type Fit, type Insets, type Arc, type Box } from '../map/layout.ts';
import {
  drawBase, drawFlowPaths, drawRegionLabels, drawLegend, legendHeight, measureRegionLabel, drawGaugeFrame, gaugeX, haloText, FONT,
  type RegionShapes, type PlacedFlow, type PlacedLabel, type GaugeBox,
} from '../map/draw.ts';
import { COLORS, ALIGNMENT_COLOR, hexToInt, rgba, fmtChips, fmtMonths } from '../map/style.ts';

export interface MapShowInput {
  rules: RuleFile;
  world: PublicWorld;
  view: RoleView | null;
  side: Side | null;
  projector: boolean;
}

/** What the pointer is over: a region of the rule file (id) and the country under it. */
export interface RegionPick { id: string; name: string; iso: string; country: string }

export const MAP_EVENTS = { hover: 'region-hover', select: 'region-select' } as const;

const asset = worldJson as unknown as MapAsset;
const TEXTURE_KEY = 'map-still';
const COMET_KEY = 'map-comet';
const COMET_W = 64, COMET_H = 16;

let current: MapScene | null = null;

/** The region id under canvas point (x, y) of the running MapScene, or null over sea, unaligned land or no map. */
export function regionAt(x: number, y: number): string | null {
  return current?.regionAt(x, y)?.id ?? null;
}

interface Comet { phase: number }
interface LiveFlow { key: string; flow: Flow; arc: Arc; width: number; comets: Comet[]; sprites: Phaser.GameObjects.Image[]; alpha: number; target: number; color: number; speed: number }
interface Tweened { from: number; to: number }
interface LiveMarker { marker: Marker; x: number; y: number; value: Tweened; low: Tweened; high: Tweened }

const TWEEN_MS = 1400;
const ease = (t: number) => 1 - Math.pow(1 - Math.min(1, Math.max(0, t)), 3);
const lerp = (a: Tweened, t: number) => a.from + (a.to - a.from) * ease(t);

export class MapScene extends Phaser.Scene {
  static readonly KEY = 'map';
  private shapes: Shape[] = decodeAsset(asset);
  private byIso = new Map<string, Shape[]>();
  private shown: MapShowInput | null = null;
  private model: MapModel | null = null;
  private insets: Insets = NO_INSETS;
  private showLegend = true;
  private fit: Fit = fitMap(asset.width, asset.height, 1366, 768);
  private u = 1;
  /** text scale: larger on the projector */
  private ut = 1;
  /** scale of the key and the gauge */
  private pu = 1;
  /** key and gauge under the map (tall, narrow canvases) */
  private stacked = false;
  private ready = false;

  private canvasTex?: Phaser.Textures.CanvasTexture;
  private hoverG?: Phaser.GameObjects.Graphics;
  /** the still map and the hover outline as DOM canvases under a transparent game canvas (fast path) */
  private underlay: HTMLCanvasElement | null = null;
  private hoverLayer: HTMLCanvasElement | null = null;
  /** offscreen copy of the still map without markers and needle, so their tweens redraw only those */
  private stillCache: HTMLCanvasElement | null = null;

  private flows: LiveFlow[] = [];
  private markers: LiveMarker[] = [];
  private lead: { value: Tweened; low: Tweened; high: Tweened; source: string } | null = null;
  private gauge: (GaugeBox & { trackY: number; th: number }) | null = null;
  private tweenStart = 0;
  private moving = false;
  private hovered: string | null = null;
  /** regions of the rule file by id, with the pickable shapes of their countries */
  private regionShapes: RegionShapes[] = [];

  constructor() {
    super({ key: MapScene.KEY });
    for (const s of this.shapes) {
      if (!s.iso) continue;
      const list = this.byIso.get(s.iso) ?? [];
      list.push(s);
      this.byIso.set(s.iso, list);
    }
  }

  create(): void {
    current = this;
    const { width, height } = this.scale;
    const gameCanvas = this.game.canvas;
    if (this.game.config.transparent && gameCanvas?.parentElement) {
      // Fast path: the still map is a plain 2D canvas under the transparent game canvas, so the
      // browser composites it and WebGL only draws what moves (a full-screen textured quad costs
      // software renderers like SwiftShader most of a frame).
      const make = (cls: string) => {
        const c = document.createElement('canvas');
        c.className = cls;
        c.setAttribute('aria-hidden', 'true');
        c.style.cssText = 'position:absolute;pointer-events:none;';
        gameCanvas.parentElement!.insertBefore(c, gameCanvas);
        return c;
      };
      const parent = gameCanvas.parentElement;
      if (getComputedStyle(parent).position === 'static') parent.style.position = 'relative';
      if (getComputedStyle(gameCanvas).position === 'static') gameCanvas.style.position = 'relative';
      this.underlay = make('map-still');
      this.hoverLayer = make('map-hover');
      this.stillCache = document.createElement('canvas');
    } else {
      this.cameras.main.setBackgroundColor(COLORS.ocean);
      this.canvasTex = this.textures.exists(TEXTURE_KEY)
        ? (this.textures.get(TEXTURE_KEY) as Phaser.Textures.CanvasTexture)
        : this.textures.createCanvas(TEXTURE_KEY, width, height)!;
      this.add.image(0, 0, TEXTURE_KEY).setOrigin(0, 0);
      this.hoverG = this.add.graphics();
    }
    if (!this.textures.exists(COMET_KEY)) makeCometTexture(this.textures.createCanvas(COMET_KEY, COMET_W, COMET_H)!);
    this.ready = true;

    this.scale.on(Phaser.Scale.Events.RESIZE, this.onResize, this);
    this.input.on(Phaser.Input.Events.POINTER_MOVE, (p: Phaser.Input.Pointer) => this.setHover(this.regionAt(p.x, p.y)));
    this.input.on(Phaser.Input.Events.POINTER_DOWN, (p: Phaser.Input.Pointer) => {
      const pick = this.regionAt(p.x, p.y);
      this.events.emit(MAP_EVENTS.select, pick);
    });
    const showLayers = (on: boolean) => {
      if (this.underlay) this.underlay.style.display = on ? '' : 'none';
      if (this.hoverLayer) this.hoverLayer.style.display = on && this.hovered ? '' : 'none';
    };
    this.events.on(Phaser.Scenes.Events.SLEEP, () => showLayers(false));
    this.events.on(Phaser.Scenes.Events.WAKE, () => showLayers(true));
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.scale.off(Phaser.Scale.Events.RESIZE, this.onResize, this);
      this.ready = false;
      this.flows = [];
      this.markers = [];
      for (const c of [this.underlay, this.hoverLayer]) c?.remove();
      this.underlay = this.hoverLayer = this.stillCache = null;
      if (current === this) current = null;
    });
    this.relayout();
  }

  /** (Re)renders the map for one viewer. Safe to call before the scene has started. */
  show(input: MapShowInput): void {
    this.shown = input;
    this.model = computeMapModel(input);
    this.regionShapes = this.model.regions.map((r) => ({
      id: r.id, name: r.name, alignment: r.alignment, tier: r.tier,
      shapes: r.countries.flatMap((c) => this.byIso.get(c) ?? []),
    }));
    if (this.ready) this.relayout(true);
  }

  /** Keeps the map clear of DOM panels: the map fits inside the canvas less these pixels. */
  setInsets(insets: Partial<Insets>): void {
    this.insets = { ...NO_INSETS, ...insets };
    if (this.ready) this.relayout();
  }

  /** Hides the map key (e.g. when the page shows its own). */
  setLegend(visible: boolean): void {
    this.showLegend = visible;
    if (this.ready) this.relayout();
  }

  /** The rule-file region under canvas point (x, y), or null. */
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

  /** Canvas position of a [lon, lat] point, for DOM overlays that point at the map. */
  project(lon: number, lat: number): [number, number] {
    const [x, y] = projectLonLat(asset, lon, lat);
    return toCanvas(this.fit, x, y);
  }

  private onResize(): void {
    this.relayout();
  }

  private setHover(pick: RegionPick | null): void {
    const id = pick?.id ?? null;
    if (id === this.hovered) return;
    this.hovered = id;
    this.drawHover();
    this.events.emit(MAP_EVENTS.hover, pick);
    this.input.manager.canvas.style.cursor = id ? 'pointer' : '';
  }

  private drawHover(): void {
    const r = this.regionShapes.find((x) => x.id === this.hovered);
    const { scale: s, ox, oy } = this.fit;
    const width = Math.max(1.5, 2.2 * this.u);
    if (this.hoverLayer) {
      const ctx = this.hoverLayer.getContext('2d')!;
      ctx.clearRect(0, 0, this.hoverLayer.width, this.hoverLayer.height);
      // an empty layer still costs compositing every frame: hide it
      this.hoverLayer.style.display = r ? '' : 'none';
      if (!r) return;
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
      ctx.lineWidth = width;
      ctx.lineJoin = 'round';
      ctx.stroke();
      return;
    }
    const g = this.hoverG;
    if (!g) return;
    g.clear();
    if (!r) return;
    g.lineStyle(width, 0xffffff, 0.9);
    for (const sh of r.shapes) {
      for (const ring of sh.rings) {
        g.beginPath();
        g.moveTo(ox + s * ring[0], oy + s * ring[1]);
        for (let i = 2; i < ring.length; i += 2) g.lineTo(ox + s * ring[i], oy + s * ring[i + 1]);
        g.closePath();
        g.strokePath();
      }
    }
  }

  /** Puts the DOM layers exactly under the game canvas, at its size. */
  private placeLayers(w: number, h: number): void {
    const gc = this.game.canvas;
    for (const c of [this.underlay, this.hoverLayer, this.stillCache]) {
      if (!c) continue;
      if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
      c.style.left = `${gc.offsetLeft}px`;
      c.style.top = `${gc.offsetTop}px`;
      c.style.width = gc.style.width || `${w}px`;
      c.style.height = gc.style.height || `${h}px`;
    }
  }

  /** Size-dependent layout and the still layer; with `data` the markers and needle move to the new values. */
  private relayout(data = false): void {
    if (!this.canvasTex && !this.underlay) return;
    const w = Math.max(2, Math.round(this.scale.width)), h = Math.max(2, Math.round(this.scale.height));
    if (this.canvasTex && (this.canvasTex.width !== w || this.canvasTex.height !== h)) this.canvasTex.setSize(w, h);
    this.placeLayers(w, h);
    this.fit = fitMap(asset.width, asset.height, w, h, this.insets);
    this.u = Math.max(0.6, Math.min(2.6, this.fit.width / 1366));
    // panels (key, gauge) stay readable on small canvases; on a tall narrow one they go under the map
    this.pu = Math.max(0.85, Math.min(1.8, w / 1366));
    const panels = (86 + 17 * 11 + 10 + 24) * this.pu;
    this.stacked = h - this.insets.bottom - this.insets.top - this.fit.height >= panels && this.fit.width < 900;
    if (this.stacked) this.fit = { ...this.fit, oy: this.insets.top + 6 };
    const ctx = this.stillCache ? this.stillCache.getContext('2d')! : this.canvasTex!.context;
    ctx.clearRect(0, 0, w, h);
    drawBase(ctx, w, h, asset, this.fit, this.shapes, this.regionShapes, this.u);
    if (this.model) this.layoutData(ctx, data);
    if (this.stillCache) this.drawLive(this.progress());
    this.canvasTex?.refresh();
    this.drawHover();
  }

  private anchorPx(regionId: string): [number, number] | null {
    const r = this.model?.regions.find((x) => x.id === regionId);
    if (!r) return null;
    const [x, y] = projectLonLat(asset, r.anchor[0], r.anchor[1]);
    return toCanvas(this.fit, x, y);
  }

  private layoutData(ctx: CanvasRenderingContext2D, data: boolean): void {
    const model = this.model!;
    const input = this.shown!;
    const u = this.u;

    // flows: paths into the still texture, streaks kept alive across shows so changes animate
    const max = Math.max(1, ...model.flows.map((f) => f.amount.value));
    const placed: PlacedFlow[] = [];
    const next: LiveFlow[] = [];
    for (const flow of model.flows) {
      if (flow.kind !== 'smuggling' && flow.amount.value < max * 0.03) continue; // a trickle only clutters
      const a = this.anchorPx(flow.from), b = this.anchorPx(flow.to);
      if (!a || !b) continue;
      const arc = flowArc(a, b, 0, this.fit.oy + 8 * u);
      const width = (flow.kind === 'smuggling' ? smugglingWidth(flow.amount.value) * 0.8 : flowWidth(flow.amount.value)) * u;
      placed.push({ flow, arc, width });
      const key = `${flow.kind}:${flow.from}>${flow.to}`;
      const old = this.flows.find((f) => f.key === key);
      // 1–3 streaks by size: each sprite costs a software renderer a little, so the whole map stays near 25
      const unit = flow.kind === 'smuggling' ? 10000 : 200000;
      const n = 1 + (flow.amount.value >= unit ? 1 : 0) + (flow.amount.value >= 4 * unit ? 1 : 0);
      const comets = old && old.comets.length === n ? old.comets : Array.from({ length: n }, (_, i) => ({ phase: i / n }));
      const color = hexToInt(flow.kind === 'smuggling' ? COLORS.smuggling : COLORS.chips);
      const sprites = old?.sprites ?? [];
      while (sprites.length > n) sprites.pop()!.destroy();
      while (sprites.length < n) sprites.push(this.add.image(0, 0, COMET_KEY).setOrigin(1, 0.5).setBlendMode(Phaser.BlendModes.ADD).setVisible(false));
      for (const sp of sprites) sp.setTint(color);
      next.push({ key, flow, arc, width, comets, sprites, alpha: old?.alpha ?? 0, target: flow.amount.value > 0 ? 1 : 0, color, speed: 150 * u });
    }
    for (const old of this.flows) {
      if (next.some((f) => f.key === old.key)) continue;
      if (old.alpha > 0.02) next.push({ ...old, target: 0 }); else for (const sp of old.sprites) sp.destroy();
    }
    this.flows = next;
    drawFlowPaths(ctx, placed, u);

    const ut = input.projector ? u * 1.25 : u;
    this.ut = ut;
    const H = this.scale.height;

    // the map key, bottom right, and the lead gauge, bottom left over the South Pacific
    const obstacles: Box[] = [];
    const smuggling = model.flows.some((f) => f.kind === 'smuggling') ? (input.side === 'us' ? 'estimate' : 'own') : 'none';
    const legendOpt = { smuggling, markers: model.markers[0]?.kind ?? 'adoption' } as const;
    const lead = model.lead;
    const pu = this.pu;
    let gw = Math.min(440 * pu, this.fit.width * 0.32);
    const gh = 86 * pu;
    const min = Math.min(-12, Math.floor(lead.value.low / 6) * 6), maxM = Math.max(36, Math.ceil(lead.value.high / 6) * 6);
    let gx = this.fit.ox + 6 * pu, gy = Math.min(H - gh - 6 * pu, this.fit.oy + this.fit.height - gh);
    if (this.stacked) {
      gx = this.insets.left + 6 * pu;
      gw = Math.min(440 * pu, this.scale.width - this.insets.left - this.insets.right - 12 * pu);
      gy = this.fit.oy + this.fit.height + 10 * pu;
    }
    if (this.showLegend) {
      // over the open Pacific above the gauge, or under it when stacked
      const lh = legendHeight(pu, legendOpt);
      const ly = this.stacked ? gy + gh + 8 * pu : Math.max(this.fit.oy + this.fit.height * 0.42, gy - lh - 8 * pu);
      const { w } = drawLegend(ctx, gx, ly, pu, legendOpt);
      obstacles.push({ x: gx, y: ly, w, h: lh });
    }
    const g: GaugeBox = { x: gx, y: gy, w: gw, h: gh, min, max: maxM };
    const note = lead.source === 'press' ? 'press estimate · grey bar = range'
      : lead.source === 'final' ? 'final: true numbers' : 'our intelligence · grey bar = range';
    const { trackY, th } = drawGaugeFrame(ctx, g, lead.band, 'US LEAD OVER CHINA, months', note, pu);
    this.gauge = { ...g, trackY, th };
    obstacles.push(g);

    // markers: circle and counter below it (obstacles for the labels)
    const markerFont = `600 ${Math.round(12.5 * ut)}px ${FONT}`;
    ctx.font = markerFont;
    const markerPlaces = new Map<Marker, { x: number; y: number; r: number }>();
    for (const m of model.markers) {
      const p = this.anchorPx(m.region);
      if (!p) continue;
      const r = this.markerRadius(m.kind, Math.max(m.value.value, m.value.high));
      markerPlaces.set(m, { x: p[0], y: p[1], r });
      const lines = markerText(m, m.value.value, m.value.low, m.value.high).split('\n');
      const tw = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 8 * ut;
      obstacles.push({ x: p[0] - r, y: p[1] - r, w: 2 * r, h: 2 * r });
      obstacles.push({ x: p[0] - tw / 2, y: p[1] + r + 3 * u, w: tw, h: lines.length * 16 * ut + 4 * ut });
    }

    // region labels near their anchors, above the marker where a side's labs are, clear of everything else
    const wanted = model.regions.map((r) => {
      const p = this.anchorPx(r.id) ?? [0, 0];
      const size = measureRegionLabel(ctx, r.name, r.tier, ut);
      const m = [...markerPlaces.entries()].find(([mk]) => mk.region === r.id)?.[1];
      return { r, x: p[0], y: m ? m.y - m.r - size.h / 2 - 2 * u : p[1], ...size };
    });
    const at = placeLabels(wanted, obstacles, { x: 0, y: 0, w: this.scale.width, h: H }, 3 * u);
    const labels: PlacedLabel[] = wanted.map((l, i) => ({ id: l.r.id, name: l.r.name, alignment: l.r.alignment, tier: l.r.tier, x: at[i][0], y: at[i][1] }));
    drawRegionLabels(ctx, labels, u, ut);

    // the grey market in numbers: the US estimate with its range, or China's own shipments
    const grey = placed.filter((p) => p.flow.kind === 'smuggling');
    if (grey.length) {
      const sum = (k: 'value' | 'low' | 'high') => grey.reduce((a, p) => a + p.flow.amount[k], 0);
      const est = grey[0].flow.estimated;
      const title = est ? 'Suspected smuggling via hubs' : 'Our grey-market shipments';
      const line = est ? `~${fmtChips(sum('value'))} H100e/quarter (${fmtChips(sum('low'))}–${fmtChips(sum('high'))})` : `${fmtChips(sum('value'))} H100e last quarter`;
      const f1 = `700 ${Math.round(11.5 * ut)}px ${FONT}`, f2 = `${Math.round(11.5 * ut)}px ${FONT}`;
      ctx.font = f1; const w1 = ctx.measureText(title).width;
      ctx.font = f2; const w2 = ctx.measureText(line).width;
      // under the hubs, over the ocean south of them
      const mx = grey.reduce((a, p) => a + p.arc.a[0], 0) / grey.length;
      const my = Math.max(...grey.map((p) => p.arc.a[1])) + 40 * u;
      const placedBoxes = [...obstacles, ...labels.map((l, i) => ({ x: l.x - wanted[i].w / 2, y: l.y - wanted[i].h / 2, w: wanted[i].w, h: wanted[i].h }))];
      const lw = Math.max(w1, w2) + 8 * ut, lh = 32 * ut;
      const [lx, ly] = placeLabels([{ x: mx, y: my, w: lw, h: lh }], placedBoxes, { x: 0, y: 0, w: this.scale.width, h: H }, 3 * u)[0];
      haloText(ctx, title, lx, ly - 8 * ut, f1, '#ff8a4c', u);
      haloText(ctx, line, lx, ly + 8 * ut, f2, COLORS.text, u);
    }

    // markers and needle: move from what is on screen to the new values (a still window: no tween)
    const animate = data && !!this.stillCache;
    const fresh = (v: number, old?: Tweened) => ({ from: animate && old ? lerp(old, this.progress()) : v, to: v });
    const nextMarkers: LiveMarker[] = [];
    for (const m of model.markers) {
      const p = this.anchorPx(m.region);
      if (!p) continue;
      const old = this.markers.find((x) => x.marker.side === m.side && x.marker.kind === m.kind);
      nextMarkers.push({
        marker: m, x: p[0], y: p[1],
        value: data ? fresh(m.value.value, old?.value) : (old?.value ?? fresh(m.value.value)),
        low: data ? fresh(m.value.low, old?.low) : (old?.low ?? fresh(m.value.low)),
        high: data ? fresh(m.value.high, old?.high) : (old?.high ?? fresh(m.value.high)),
      });
    }
    this.markers = nextMarkers;
    const ol = this.lead;
    this.lead = {
      value: data ? fresh(lead.value.value, ol?.value) : (ol?.value ?? fresh(lead.value.value)),
      low: data ? fresh(lead.value.low, ol?.low) : (ol?.low ?? fresh(lead.value.low)),
      high: data ? fresh(lead.value.high, ol?.high) : (ol?.high ?? fresh(lead.value.high)),
      source: lead.source,
    };
    if (animate) { this.tweenStart = this.time.now; this.moving = true; }
    if (!this.stillCache) { this.moving = false; this.drawLiveInto(ctx, 1); }
  }

  private progress(): number {
    return this.moving ? Math.min(1, (this.time.now - this.tweenStart) / TWEEN_MS) : 1;
  }

  private markerRadius(kind: Marker['kind'], v: number): number {
    return (kind === 'compute' ? computeRadius(v) : adoptionRadius(v)) * this.u;
  }

  /** The still map with markers and needle at tween progress t (DOM path). */
  private drawLive(t: number): void {
    const c = this.underlay, cache = this.stillCache;
    if (!c || !cache) return;
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.drawImage(cache, 0, 0);
    this.drawLiveInto(ctx, t);
  }

  /** Markers (with their counters) and the lead needle at tween progress t. */
  private drawLiveInto(ctx: CanvasRenderingContext2D, t: number): void {
    const u = this.u, ut = this.ut;
    ctx.save();
    for (const lm of this.markers) {
      const m = lm.marker;
      const color = ALIGNMENT_COLOR[m.side];
      const v = lerp(lm.value, t), lo = lerp(lm.low, t), hi = lerp(lm.high, t);
      const r = this.markerRadius(m.kind, v);
      ctx.beginPath(); ctx.arc(lm.x, lm.y, r, 0, Math.PI * 2);
      ctx.fillStyle = rgba(color, 0.28); ctx.fill();
      ctx.strokeStyle = color; ctx.lineWidth = 2 * u; ctx.stroke();
      if (m.estimated) {
        // the estimate's range: a thin inner ring at the low end, a dashed ring at the high end
        ctx.lineWidth = 1.3 * u; ctx.strokeStyle = rgba(color, 0.85);
        ctx.beginPath(); ctx.arc(lm.x, lm.y, this.markerRadius(m.kind, lo), 0, Math.PI * 2); ctx.stroke();
        ctx.setLineDash([4 * u, 3 * u]);
        ctx.beginPath(); ctx.arc(lm.x, lm.y, this.markerRadius(m.kind, hi), 0, Math.PI * 2); ctx.stroke();
        ctx.setLineDash([]);
      }
      // a small core: the labs and data centres themselves
      ctx.fillStyle = '#ffffff';
      ctx.beginPath(); ctx.arc(lm.x, lm.y, 2.6 * u, 0, Math.PI * 2); ctx.fill();
      const rh = this.markerRadius(m.kind, m.estimated ? hi : v);
      markerText(m, v, lo, hi).split('\n').forEach((line, i) => {
        haloText(ctx, line, lm.x, lm.y + rh + 11 * ut + i * 16 * ut, `${i ? '' : '600 '}${Math.round(12.5 * ut)}px ${FONT}`, i ? COLORS.textDim : COLORS.text, u);
      });
    }
    if (this.lead && this.gauge) {
      const gb = this.gauge;
      const v = lerp(this.lead.value, t), lo = lerp(this.lead.low, t), hi = lerp(this.lead.high, t);
      const th = gb.th;
      const u = this.pu;
      if (hi - lo > 0.05) {
        ctx.fillStyle = 'rgba(255,255,255,0.28)';
        ctx.fillRect(gaugeX(gb, lo), gb.trackY - th / 2 - 2 * u, Math.max(2, gaugeX(gb, hi) - gaugeX(gb, lo)), th + 4 * u);
      }
      const x = gaugeX(gb, v);
      ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 3 * u;
      ctx.beginPath(); ctx.moveTo(x, gb.trackY - th / 2 - 6 * u); ctx.lineTo(x, gb.trackY + th / 2 + 2 * u); ctx.stroke();
      ctx.fillStyle = '#ffffff';
      ctx.beginPath(); ctx.moveTo(x - 6 * u, gb.trackY - th / 2 - 12 * u); ctx.lineTo(x + 6 * u, gb.trackY - th / 2 - 12 * u); ctx.lineTo(x, gb.trackY - th / 2 - 4 * u); ctx.closePath(); ctx.fill();
      const band = this.model!.lead.band;
      const inBand = v >= band[0] && v <= band[1];
      haloText(ctx, v >= 0 ? `US +${fmtMonths(v)} mo` : `China +${fmtMonths(-v)} mo`, gb.x + gb.w - 12 * u, gb.y + 20 * u,
        `700 ${Math.round(24 * u)}px ${FONT}`, inBand ? '#7fe0c4' : COLORS.text, u, 'right');
    }
    ctx.restore();
  }

  update(_time: number, delta: number): void {
    if (!this.ready) return;
    const dt = Math.min(0.1, delta / 1000);
    const u = this.u;
    let alive = false;
    for (const f of this.flows) {
      f.alpha += Math.sign(f.target - f.alpha) * Math.min(Math.abs(f.target - f.alpha), dt * 1.5);
      const on = f.alpha > 0.01;
      alive ||= on || f.target > 0;
      const step = (f.speed * dt) / Math.max(40, f.arc.length);
      const tailPx = Math.min(0.35 * f.arc.length, 56 * u);
      const thick = Math.max(2.2, f.width * 1.3);
      f.comets.forEach((c, i) => {
        c.phase = (c.phase + step) % 1;
        const sp = f.sprites[i];
        if (!sp) return;
        if (!on) { sp.setVisible(false); return; }
        const [x, y] = arcPoint(f.arc, c.phase);
        const [bx, by] = arcPoint(f.arc, Math.max(0, c.phase - 0.01));
        // fade in at the source and out at the destination so streaks do not pop
        const edge = Math.min(1, c.phase / 0.08, (1 - c.phase) / 0.08);
        sp.setVisible(true).setPosition(x, y).setRotation(Math.atan2(y - by, x - bx))
          .setScale(tailPx / COMET_W, thick / COMET_H).setAlpha(f.alpha * edge * (f.flow.kind === 'smuggling' ? 1 : 0.9));
      });
    }
    if (!alive) {
      for (const f of this.flows) for (const sp of f.sprites) sp.destroy();
      this.flows = [];
    }
    if (this.moving) {
      const t = this.progress();
      this.drawLive(t);
      if (t >= 1) this.moving = false;
    }
  }
}

/** A streak: a tail fading in to a bright, round head at the right; tinted per flow. */
function makeCometTexture(tex: Phaser.Textures.CanvasTexture): void {
  const ctx = tex.context;
  const g = ctx.createLinearGradient(0, 0, COMET_W, 0);
  g.addColorStop(0, 'rgba(255,255,255,0)');
  g.addColorStop(0.75, 'rgba(255,255,255,0.55)');
  g.addColorStop(1, 'rgba(255,255,255,1)');
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.moveTo(0, COMET_H / 2);
  ctx.lineTo(COMET_W - COMET_H / 2, COMET_H * 0.18);
  ctx.arc(COMET_W - COMET_H / 2, COMET_H / 2, COMET_H * 0.32, -Math.PI / 2, Math.PI / 2);
  ctx.lineTo(COMET_W - COMET_H / 2, COMET_H * 0.82);
  ctx.closePath();
  ctx.fill();
  tex.refresh();
}

function markerText(m: Marker, v: number, lo: number, hi: number): string {
  const who = m.side === 'us' ? 'US' : 'China';
  if (m.kind === 'adoption') return `${who}: ${Math.round(v * 100)}% of world on its AI`;
  if (m.estimated) return `${who} compute ~${fmtChips(v)} H100e\nestimate ${fmtChips(lo)}–${fmtChips(hi)}`;
  return `${who} compute ${fmtChips(v)} H100e`;
}

export type { Estimate };
