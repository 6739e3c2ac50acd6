// Hosts the Phaser map (loaded on demand) in a DOM box, plus a text list of the regions for screen readers and tests.
import { h, text } from './dom.ts';
import type { RuleFile, PublicWorld, RoleView, Side } from '../net/types.ts';

export interface MapInput { rules: RuleFile; world: PublicWorld; view: RoleView | null; side: Side | null; projector: boolean }

interface SceneLike { show(input: MapInput): void; setLegend?(visible: boolean): void; sys: { isActive(): boolean }; events: { once(ev: string, fn: () => void): void } }
interface GameLike { destroy(removeCanvas: boolean): void; scene: { scenes: SceneLike[] }; loop: { sleep(): void; wake(): void; running: boolean } }

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

export class MapView {
  readonly el: HTMLElement;
  private canvasBox: HTMLElement;
  private list: HTMLElement;
  private status: HTMLElement;
  private game: GameLike | null = null;
  private scene: SceneLike | null = null;
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
    // the map (Phaser: about 1 MB of code to compile) starts once the panels are on screen and usable
    const start = () => { if (!this.destroyed) void this.boot(); };
    requestAnimationFrame(() => setTimeout(() => ('requestIdleCallback' in window ? requestIdleCallback(start, { timeout: 300 }) : start()), 0));
  }

  private async boot(): Promise<void> {
    try {
      const [{ default: Phaser }, { MapScene }] = await Promise.all([import('phaser'), import('../scenes/MapScene.ts')]);
      if (this.destroyed) return;
      performance.mark('w2028:map-code');
      const box = this.canvasBox;
      const game = new Phaser.Game({
        type: Phaser.AUTO,
        parent: box,
        backgroundColor: '#0a111b',
        // the scene draws the still map on a 2D canvas under a transparent game canvas (far cheaper in software GL)
        transparent: true,
        scale: { mode: Phaser.Scale.RESIZE, width: box.clientWidth || 800, height: box.clientHeight || 400 },
        scene: [MapScene],
        banner: false,
        audio: { noAudio: true },
        render: { antialias: true, preserveDrawingBuffer: true },
      });
      this.game = game as unknown as GameLike;
      this.resize = new ResizeObserver(() => { this.fitLegend(); this.wake(); });
      this.resize.observe(box);
      (window as unknown as { __mapGame?: unknown }).__mapGame = game;
      game.events.once('ready', () => {
        if (this.destroyed) return;
        const scene = (game as unknown as GameLike).scene.scenes[0];
        const ready = () => {
          if (this.destroyed) return;
          this.scene = scene;
          performance.mark('w2028:map-scene');
          this.status.remove();
          this.el.dataset.ready = 'true';
          this.fitLegend();
          if (this.pending) scene.show(this.pending);
          performance.mark('w2028:map-shown');
          this.wake();
        };
        if (scene.sys.isActive()) ready(); else scene.events.once('create', ready);
      });
    } catch (err) {
      text(this.status, `The map could not load (${(err as Error).message}). Everything else still works.`);
    }
  }

  show(input: MapInput): void {
    this.pending = input;
    this.wake();
    this.scene?.show(input);
    this.renderList(input);
  }

  private legendShown: boolean | null = null;
  /** On a small map (a phone) the in-map key would cover the map: the page's region list stands in for it. */
  private fitLegend(): void {
    const show = this.canvasBox.clientWidth >= 640 && this.canvasBox.clientHeight >= 300;
    if (!this.scene || show === this.legendShown) return;
    this.legendShown = show;
    this.scene.setLegend?.(show);
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
    this.game?.destroy(true);
    this.game = null;
  }
}
