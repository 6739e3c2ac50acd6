// The page of one match: renders its controller (client/app/match-ctrl.ts): the banner, the in-between states, and the screen for the phase.
import { h, text, announce, toast } from './dom.ts';
import { joinForm } from './join.ts';
import { LobbyScreen } from './lobby.ts';
import { MatchScreen } from './match.ts';
import { painterModule } from './map-view.ts';
import { PHASE_NAME } from './format.ts';
import { MatchCtrl, type PageKind, type Page, type Notice, type MatchContext } from '../app/match-ctrl.ts';
import type { Screen, SubScreen } from './screen.ts';

type MakeScreen = (ctx: MatchContext) => SubScreen;
/** Screens a team member's visit does not open come as chunks of their own, fetched when first needed. */
const LATER: Record<string, () => Promise<MakeScreen>> = {
  outcome: async () => { const { OutcomeScreen } = await import('./outcome.ts'); return (ctx) => new OutcomeScreen(ctx); },
  projector: async () => { const { ProjectorScreen } = await import('./projector.ts'); return (ctx) => new ProjectorScreen(ctx); },
  facilitator: async () => { const { FacilitatorScreen } = await import('./facilitator.ts'); return (ctx) => new FacilitatorScreen(ctx); },
};
const loaded = new Map<string, MakeScreen>();
const fetching = new Map<string, Promise<unknown>>();

export class MatchPage implements Screen {
  readonly el: HTMLElement;
  readonly title: string;
  readonly ctrl: MatchCtrl;
  private body: HTMLElement;
  /** the element drawn for the current page, to draw it again only when the page changes */
  private shown: { key: string; screen: SubScreen | null } | null = null;
  private destroyed = false;
  private waitingFor = new Set<string>();

  constructor(code: string, kind: PageKind) {
    // a facilitator link carries the key after '#': the controller keeps it, the address bar drops it
    const keyFromLink = kind === 'facilitator' ? new URLSearchParams(location.hash.slice(1)).get('key') : null;
    if (keyFromLink) history.replaceState(null, '', location.pathname);
    this.ctrl = new MatchCtrl(code, kind, { keyFromLink });
    // the map's code comes down while the page connects, so the map can be drawn as soon as the match screen is
    if (kind !== 'facilitator') painterModule().catch(() => {});
    // a projector's or facilitator's screen is its own chunk: fetched while the page connects
    if (kind !== 'player') this.fetchScreen(kind);
    const c = this.ctrl.code;
    this.title = `${kind === 'projector' ? 'Projector' : kind === 'facilitator' ? 'Facilitator' : 'Match'} ${c}`;
    this.body = h('div', { class: 'match-app' });
    this.el = h('div', { class: `screen-host page-${kind}` }, this.body);
    this.ctrl.onRedraw.on(() => this.redraw());
    this.ctrl.onNotice.on((n) => notify(n));
    this.redraw();
    void this.ctrl.start();
  }

  private redraw(): void {
    const ctrl = this.ctrl;
    this.renderBanner();
    let page = ctrl.page;
    if (page.kind === 'screen' && LATER[page.key] && !loaded.has(page.key)) {
      this.fetchScreen(page.key);
      page = { kind: 'loading', message: 'Loading the screen…' };
    }
    const key = page.kind === 'screen' ? `screen:${page.key}` : page.kind === 'loading' ? `loading:${page.message}` : page.kind;
    let changed = false;
    if (this.shown?.key !== key) {
      this.shown?.screen?.destroy?.();
      const screen = page.kind === 'screen' ? this.screenFor(page.key) : null;
      this.body.replaceChildren(page.kind === 'screen' ? screen!.el : this.stateEl(page));
      changed = this.shown !== null;
      this.shown = { key, screen };
      if (page.kind === 'screen') performance.mark(`w2028:screen-${page.key}`);
    }
    const snap = ctrl.snapshot;
    if (snap) this.shown.screen?.update(snap);
    this.shown.screen?.refresh?.();
    // where the match is, for assistive tech styling hooks and for the end-to-end tests to wait on
    if (page.kind === 'screen' && page.key === 'outcome' && ctrl.outcomeFromRecord) document.body.dataset.phase = 'ended';
    else if (page.kind === 'screen' && snap) {
      document.body.dataset.phase = snap.phase;
      document.body.dataset.turn = String(snap.turn);
      document.body.dataset.paused = String(snap.paused);
    }
    // the screen changed under the keyboard (e.g. to the outcome after the last Submit): focus its heading, not the page
    // top; once the screen holds its data (focusing lays the page out: once, not again after the update)
    if (changed && (!document.activeElement || document.activeElement === document.body)) focusHeading(this.body);
  }

  private screenFor(key: string): SubScreen {
    const ctx = this.ctrl.context();
    const later = loaded.get(key);
    if (later) return later(ctx);
    if (key.startsWith('match') || key === 'watching') return new MatchScreen(ctx);
    return new LobbyScreen(ctx);
  }

  /** Fetches a screen's chunk (once for all pages), then draws this page again. */
  private fetchScreen(key: string): void {
    let load = fetching.get(key);
    if (!load) {
      load = LATER[key]().then((make) => { loaded.set(key, make); });
      load.catch((err: Error) => toast(`The screen could not load (${err.message}). Reload the page to try again.`, 'error'));
      fetching.set(key, load);
    }
    if (this.waitingFor.has(key)) return;
    this.waitingFor.add(key);
    load.then(() => { if (!this.destroyed) this.redraw(); }, () => {});
  }

  /** The in-between pages: loading, the join form, refusals. */
  private stateEl(page: Exclude<Page, { kind: 'screen' }>): HTMLElement {
    const code = this.ctrl.code;
    const narrow = (...children: (HTMLElement | string)[]) => h('div', { class: 'screen narrow' }, ...children);
    const home = (label = 'Back to the start') => h('a', { class: 'button primary', href: '/', dataset: { nav: '' } }, label);
    const joinAgain = () => h('a', { class: 'button primary', href: `/join/${code}`, dataset: { nav: '' }, onclick: () => this.ctrl.forgetSeat() }, 'Join again');
    switch (page.kind) {
      case 'loading': return loading(page.message);
      case 'unavailable': return narrow(h('h1', null, page.missing ? `No match ${code}` : 'The match could not be loaded'),
        h('p', null, page.missing ? 'Check the code: six letters, shown on the board or in the invitation.' : page.message), home());
      case 'key-needed': return narrow(h('h1', null, 'Facilitator key needed'),
        h('p', null, 'This browser does not hold the facilitator key of this class. Open the facilitator link from the browser that created the session.'),
        h('a', { class: 'button', href: `/projector/${code}`, dataset: { nav: '' } }, 'Open the projector view instead'));
      case 'join-form': return joinForm(page.info, (name, role) => this.ctrl.join(name, role));
      case 'join-failed': return narrow(h('h1', null, 'Could not join'), h('p', null, page.message), joinAgain());
      case 'removed': return narrow(h('h1', null, 'You were removed from this match'), h('a', { class: 'button', href: '/', dataset: { nav: '' } }, 'Back to the start'));
      case 'refused': return narrow(h('h1', null, 'Could not get back in'), h('p', null, page.message),
        h('a', { class: 'button primary', href: `/join/${code}`, dataset: { nav: '' } }, 'Join again'));
      case 'over': return narrow(h('h1', null, 'This match is over'), h('p', null, page.message));
    }
  }

  private renderBanner(): void {
    const banner = document.getElementById('banner');
    if (!banner) return;
    const { status, attempts } = this.ctrl.connection;
    if (status === 'reconnecting') {
      banner.hidden = false;
      banner.className = 'banner banner-warn';
      text(banner, `⚠ Connection lost — reconnecting to your seat${attempts > 1 ? ` (attempt ${attempts})` : ''}… Your team's work is safe on the server.`);
    } else if (status === 'removed') {
      banner.hidden = false;
      banner.className = 'banner banner-error';
      text(banner, 'The facilitator removed you from this match.');
    } else {
      banner.hidden = true;
      banner.textContent = '';
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.shown?.screen?.destroy?.();
    this.ctrl.destroy();
    const banner = document.getElementById('banner');
    if (banner) banner.hidden = true;
    delete document.body.dataset.phase;
    delete document.body.dataset.turn;
    delete document.body.dataset.paused;
  }
}

/** A notice from the controller, as a toast or a screen-reader announcement. */
function notify(n: Notice): void {
  if (n.kind === 'phase') announce(`${n.quarter}: ${PHASE_NAME[n.phase] ?? n.phase}`);
  else if (n.kind === 'announce') announce(n.message);
  else {
    toast(n.message, n.tone, n.details);
    if (n.announce) announce(n.message);
  }
}

export function loading(message: string): HTMLElement {
  return h('div', { class: 'screen narrow loading-screen', role: 'status' }, h('span', { class: 'spinner big', 'aria-hidden': 'true' }), h('p', null, message));
}

/** Moves focus to the first heading of a new screen (made focusable for this), so keyboard users stay on the page. */
function focusHeading(box: HTMLElement): void {
  // a screen still loading its content has no heading yet: the main region holds focus meanwhile
  const heading = box.querySelector<HTMLElement>('h1, h2') ?? box.closest<HTMLElement>('main[tabindex]');
  if (!heading) return;
  if (heading.tabIndex < 0) heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}
