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
import { fitMap, toCanvas, toMap, arcPoint, computeRadius, adoptionRadius, mapLayout, NO_INSETS, type Fit, type Insets, type Arc, type MapLayout, type GaugeBox } from '../map/layout.ts';
import {
  drawBase, drawFlowPaths, drawRegionLabels, drawLegend, drawGaugeFrame, gaugeX, haloText,
  type RegionShapes,
} from '../map/draw.ts';
import { COLORS, ALIGNMENT_COLOR, hexToInt, rgba, fmtMonths } from '../map/style.ts';
import { FONT, markerText, canvasMeasure } from '../map/labels.ts';

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
    const ctx = this.stillCache ? this.stillCache.getContext('2d')! : this.canvasTex!.context;
    const layout = mapLayout({
      width: w, height: h, insets: this.insets,
      map: { width: asset.width, height: asset.height, project: (lon, lat) => projectLonLat(asset, lon, lat) },
      model: this.model, side: this.shown?.side ?? null, projector: !!this.shown?.projector, showLegend: this.showLegend,
      measure: canvasMeasure(ctx),
    });
    this.fit = layout.fit;
    this.u = layout.u;
    this.pu = layout.pu;
    this.ut = layout.ut;
    ctx.clearRect(0, 0, w, h);
    drawBase(ctx, w, h, asset, this.fit, this.shapes, this.regionShapes, this.u);
    if (this.model) this.drawData(ctx, layout, data);
    if (this.stillCache) this.drawLive(this.progress());
    this.canvasTex?.refresh();
    this.drawHover();
  }

  /** Draws the laid-out still parts, and keeps the moving ones (streaks, markers, needle) in step with them. */
  private drawData(ctx: CanvasRenderingContext2D, layout: MapLayout, data: boolean): void {
    const model = this.model!;
    const u = layout.u;

    // flows: paths into the still texture, streaks kept alive across shows so changes animate
    const next: LiveFlow[] = [];
    for (const { flow, arc, width } of layout.flows) {
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
    drawFlowPaths(ctx, layout.flows, u);

    const lead = model.lead;
    if (layout.legend) drawLegend(ctx, layout.legend.x, layout.legend.y, layout.pu, layout.legend.options, layout.legend.columns);
    const g = layout.gauge!;
    const note = lead.source === 'press' ? 'press estimate · grey bar = range'
      : lead.source === 'final' ? 'final: true numbers' : 'our intelligence · grey bar = range';
    const { trackY, th } = drawGaugeFrame(ctx, g, lead.band, 'US LEAD OVER CHINA, months', note, layout.pu);
    this.gauge = { ...g, trackY, th };
    drawRegionLabels(ctx, layout.labels, u, layout.ut);
    if (layout.grey) {
      const { title, line, x, y, titleFont, lineFont } = layout.grey;
      haloText(ctx, title, x, y - 8 * layout.ut, titleFont, '#ff8a4c', u);
      haloText(ctx, line, x, y + 8 * layout.ut, lineFont, COLORS.text, u);
    }

    // markers and needle: move from what is on screen to the new values (a still window: no tween)
    const animate = data && !!this.stillCache;
    const fresh = (v: number, old?: Tweened) => ({ from: animate && old ? lerp(old, this.progress()) : v, to: v });
    const nextMarkers: LiveMarker[] = [];
    for (const { marker: m, x, y } of layout.markers) {
      const old = this.markers.find((o) => o.marker.side === m.side && o.marker.kind === m.kind);
      nextMarkers.push({
        marker: m, x, y,
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


export type { Estimate };
