// Hosts the world map in a DOM box: the still map drawn at once (client/map/painter.ts), the streaks by Phaser (loaded
// once the page is idle), and a text list of the regions for screen readers and tests.
import { h, text } from './dom.ts';
import type { RuleFile, PublicWorld, RoleView, Side } from '../net/types.ts';

export interface MapInput { rules: RuleFile; world: PublicWorld; view: RoleView | null; side: Side | null; projector: boolean }

interface PainterLike {
  show(input: MapInput): void; setLegend(visible: boolean): void; resize(): boolean; destroy(): void;
  setReserved(boxes: { x: number; y: number; w: number; h: number }[]): void;
  regionAt(x: number, y: number): { id: string } | null; setHover(id: string | null): void;
}
interface SceneLike { attach(painter: PainterLike): void; sys: { isActive(): boolean }; events: { once(ev: string, fn: () => void): void } }
interface GameLike { destroy(removeCanvas: boolean): void; canvas: HTMLCanvasElement; scene: { scenes: SceneLike[] }; loop: { sleep(): void; wake(): void; running: boolean } }

/**
 * The map animates only on change: after a change (new data, a resize) the streaks run for a few seconds, then the
 * render loop sleeps and the last frame stays on screen, so an open tab left alone costs next to no CPU. With reduced
 * motion it sleeps as soon as the change has been drawn.
 */
const reducedMotion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
const SETTLE_MS = 2000;
const ANIMATE_MS = 6000;

const TIER_WORD = { open: 'open', licensed: 'licensed (downgraded chips)', embargo: 'embargo' } as const;
const ALIGN_WORD = { us: 'US-aligned', china: 'China-aligned', tier2: 'Tier-2 hub' } as const;

/** Runs `fn` when the page is idle, or after `ms` at the latest. */
export function whenIdle(fn: () => void, ms: number): void {
  if ('requestIdleCallback' in window) requestIdleCallback(fn, { timeout: ms }); else setTimeout(fn, 0);
}

/** The still map's code (small), fetched once, as soon as a screen with a map is on its way. */
let painterLoad: Promise<typeof import('../map/painter.ts')> | null = null;
export const painterModule = () => (painterLoad ??= import('../map/painter.ts'));

export class MapView {
  readonly el: HTMLElement;
  private canvasBox: HTMLElement;
  private list: HTMLElement;
  private status: HTMLElement;
  private painter: PainterLike | null = null;
  private game: GameLike | null = null;
  private pending: MapInput | null = null;
  private destroyed = false;
  private listKey = '';
  private sleepTimer = 0;
  private resize: ResizeObserver | null = null;

  constructor(options: { projector?: boolean; label?: string } = {}) {
    this.canvasBox = h('div', { class: 'map-canvas', 'aria-hidden': 'true' });
    this.status = h('div', { class: 'map-loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading the world map…');
    this.list = h('ul', { class: 'map-regions', 'aria-label': 'Regions and export tiers' });
    this.el = h('section', { class: `map ${options.projector ? 'map-projector' : ''}`, 'aria-label': options.label ?? 'World map' },
      this.canvasBox, this.status, h('details', { class: 'map-legend' }, h('summary', null, 'Regions'), this.list));
    // The still map (a small chunk, plain 2D canvas) is fetched at once and drawn just after the panels are painted;
    // Phaser (about 1 MB of code to compile) only adds the moving streaks, once the page is idle.
    const painter = painterModule();
    // right after the frame that shows the panels (the orders are editable before the map is drawn)
    requestAnimationFrame(() => setTimeout(() => { if (!this.destroyed) void this.paint(painter); }, 0));
  }

  private async paint(module: Promise<typeof import('../map/painter.ts')>): Promise<void> {
    try {
      const { MapPainter } = await module;
      if (this.destroyed) return;
      performance.mark('w2028:map-painter');
      const painter = new MapPainter(this.canvasBox) as PainterLike;
      this.painter = painter;
      (window as unknown as { __mapPainter?: unknown }).__mapPainter = painter;
      this.fitLegend();
      this.reserveControls(painter);
      if (this.pending) painter.show(this.pending); else painter.resize();
      this.status.remove();
      this.el.dataset.ready = 'true';
      performance.mark('w2028:map-shown');
      this.canvasBox.addEventListener('pointermove', (e) => {
        const r = this.canvasBox.getBoundingClientRect();
        const id = painter.regionAt(e.clientX - r.left, e.clientY - r.top)?.id ?? null;
        painter.setHover(id);
        this.canvasBox.style.cursor = id ? 'pointer' : '';
      });
      this.canvasBox.addEventListener('pointerleave', () => painter.setHover(null));
      this.resize = new ResizeObserver(() => { this.fitLegend(); this.reserveControls(painter); if (painter.resize()) this.wake(); });
      this.resize.observe(this.canvasBox);
      whenIdle(() => { if (!this.destroyed) void this.boot(painter); }, 500);
    } catch (err) {
      text(this.status, `The map could not load (${(err as Error).message}). Everything else still works.`);
    }
  }

  /** The streaks: Phaser on a transparent canvas over the still map. Without it (no WebGL, a failed load) the map stays still. */
  private async boot(painter: PainterLike): Promise<void> {
    try {
      const [{ default: Phaser }, { MapScene }] = await Promise.all([import('phaser'), import('../scenes/MapScene.ts')]);
      if (this.destroyed) return;
      performance.mark('w2028:map-code');
      const box = this.canvasBox;
      const game = new Phaser.Game({
        type: Phaser.AUTO,
        parent: box,
        transparent: true,
        scale: { mode: Phaser.Scale.RESIZE, width: box.clientWidth || 800, height: box.clientHeight || 400 },
        scene: [MapScene],
        banner: false,
        audio: { noAudio: true },
        // nothing reads the streaks' pixels back (the still map is its own 2D canvas): no need to keep the buffer
        render: { antialias: true, preserveDrawingBuffer: false },
      });
      game.canvas.style.cssText += ';position:absolute;left:0;top:0;';
      this.game = game as unknown as GameLike;
      (window as unknown as { __mapGame?: unknown }).__mapGame = game;
      game.events.once('ready', () => {
        if (this.destroyed) return;
        const scene = (game as unknown as GameLike).scene.scenes[0];
        const attach = () => { if (!this.destroyed) { scene.attach(painter); performance.mark('w2028:map-streaks'); this.wake(); } };
        if (scene.sys.isActive()) attach(); else scene.events.once('create', attach);
      });
    } catch {
      // the still map is all there is
    }
  }

  show(input: MapInput): void {
    this.pending = input;
    this.painter?.show(input);
    this.wake();
    this.renderList(input);
  }

  /** The closed "Regions" list sits over the map's corner: the map draws nothing under it. */
  private reserveControls(painter: PainterLike): void {
    const details = this.el.querySelector<HTMLElement>('.map-legend');
    if (!details || details.hasAttribute('open')) return;
    const box = this.canvasBox.getBoundingClientRect(), r = details.getBoundingClientRect();
    if (!r.width) return;
    painter.setReserved([{ x: r.left - box.left - 4, y: r.top - box.top - 4, w: r.width + 8, h: r.height + 8 }]);
  }

  private legendShown: boolean | null = null;
  /** On a small map (a phone) the in-map key would cover the map: the page's region list stands in for it. */
  private fitLegend(): void {
    const show = this.canvasBox.clientWidth >= 640 && this.canvasBox.clientHeight >= 300;
    if (!this.painter || show === this.legendShown) return;
    this.legendShown = show;
    this.painter.setLegend(show);
  }

  /** Runs the render loop for a while after a change, then lets it sleep. */
  private wake(): void {
    const game = this.game;
    if (!game) return;
    if (!game.loop.running) game.loop.wake();
    clearTimeout(this.sleepTimer);
    this.sleepTimer = window.setTimeout(() => { if (!this.destroyed) game.loop.sleep(); }, reducedMotion?.matches ? SETTLE_MS : ANIMATE_MS);
  }

  private renderList(input: MapInput): void {
    const key = JSON.stringify(input.world.regions);
    if (key === this.listKey) return;
    this.listKey = key;
    this.list.replaceChildren(...input.rules.regions.map((r) => {
      const st = input.world.regions[r.id];
      return h('li', { dataset: { region: r.id } }, h('strong', null, r.name), ` — ${ALIGN_WORD[r.alignment]}, exports ${st ? TIER_WORD[st.tier] : '?'}`,
        r.alignment === 'tier2' && st ? `, compliance ${Math.round(st.compliance * 100)}%` : '');
    }));
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.sleepTimer);
    this.resize?.disconnect();
    this.painter?.destroy();
    this.game?.destroy(true);
    this.game = null;
  }
}
