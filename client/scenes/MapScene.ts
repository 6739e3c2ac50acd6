// The moving part of the world map: chip flows as light streaks running along their paths, drawn by Phaser on a
// transparent canvas over the still map (client/map/painter.ts draws everything else, before Phaser has loaded).
// The streaks follow the painter's layout; the render loop runs only for a while after a change (client/ui/map-view.ts).
import Phaser from 'phaser';
import type { MapPainter } from '../map/painter.ts';
import type { MapLayout, Arc } from '../map/layout.ts';
import { arcPoint } from '../map/layout.ts';
import type { Flow } from '../map/model.ts';
import { COLORS, hexToInt } from '../map/style.ts';

const COMET_KEY = 'map-comet';
const COMET_W = 64, COMET_H = 16;

interface Comet { phase: number }
interface LiveFlow { key: string; flow: Flow; arc: Arc; width: number; comets: Comet[]; sprites: Phaser.GameObjects.Image[]; alpha: number; target: number; speed: number }

export class MapScene extends Phaser.Scene {
  static readonly KEY = 'map';
  private painter: MapPainter | null = null;
  private ready = false;
  private flows: LiveFlow[] = [];
  private u = 1;

  constructor() {
    super({ key: MapScene.KEY });
  }

  /** Streaks over this painter's map, following its layout from now on. */
  attach(painter: MapPainter): void {
    this.painter = painter;
    painter.onLayout((layout) => { if (this.ready) this.placeFlows(layout); });
    if (this.ready && painter.layout) this.placeFlows(painter.layout);
  }

  create(): void {
    if (!this.textures.exists(COMET_KEY)) makeCometTexture(this.textures.createCanvas(COMET_KEY, COMET_W, COMET_H)!);
    this.ready = true;
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => { this.ready = false; this.flows = []; });
    if (this.painter?.layout) this.placeFlows(this.painter.layout);
  }

  /** Streaks kept alive across layouts so changes fade in and out. */
  private placeFlows(layout: MapLayout): void {
    const u = layout.u;
    this.u = u;
    const next: LiveFlow[] = [];
    for (const { flow, arc, width } of layout.flows) {
      const key = `${flow.kind}:${flow.from}>${flow.to}`;
      const old = this.flows.find((f) => f.key === key);
      // 1–3 streaks by size: each sprite costs a software renderer a little
      const unit = flow.kind === 'smuggling' ? 10000 : 200000;
      const n = 1 + (flow.amount.value >= unit ? 1 : 0) + (flow.amount.value >= 4 * unit ? 1 : 0);
      const comets = old && old.comets.length === n ? old.comets : Array.from({ length: n }, (_, i) => ({ phase: i / n }));
      const color = hexToInt(flow.kind === 'smuggling' ? COLORS.smuggling : COLORS.chips);
      const sprites = old?.sprites ?? [];
      while (sprites.length > n) sprites.pop()!.destroy();
      while (sprites.length < n) sprites.push(this.add.image(0, 0, COMET_KEY).setOrigin(1, 0.5).setBlendMode(Phaser.BlendModes.ADD).setVisible(false));
      for (const sp of sprites) sp.setTint(color);
      next.push({ key, flow, arc, width, comets, sprites, alpha: old?.alpha ?? 0, target: flow.amount.value > 0 ? 1 : 0, speed: 150 * u });
    }
    for (const old of this.flows) {
      if (next.some((f) => f.key === old.key)) continue;
      if (old.alpha > 0.02) next.push({ ...old, target: 0 }); else for (const sp of old.sprites) sp.destroy();
    }
    this.flows = next;
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

