// Paths of the single-page client and the screen each one shows; the server sends index.html for all of them.
// The title and match pages' code comes with the entry (most visits are a match link: one file, no second round trip);
// the set-up and debrief screens are chunks of their own, loaded when their address is opened.
import { h } from './dom.ts';
import { MatchPage } from './match-page.ts';
import { titleScreen } from './title.ts';
import type { Nav, Screen } from './screen.ts';

const CODE = '([A-Za-z][A-Za-z-]{4,10})';
/** a match page: /join|play|projector|facilitate/<code> */
const MATCH_PATH = new RegExp(`^/(join|play|projector|facilitate)/${CODE}/?$`);
const DEBRIEF_PATH = new RegExp(`^/debrief/${CODE}/?$`);
const MATCH_KIND = { join: 'player', play: 'player', projector: 'projector', facilitate: 'facilitator' } as const;

export function startApp(root: HTMLElement): void {
  let current: Screen | null = null;
  /** the address being rendered: a screen whose code arrives after the next navigation is dropped */
  let rendering = 0;

  const nav: Nav = (path, options = {}) => {
    if (options.replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
    void render();
  };

  async function screenFor(path: string, params: URLSearchParams): Promise<Screen> {
    let m: RegExpExecArray | null;
    if (path === '/' || path === '/index.html') return titleScreen(nav);
    if (path === '/setup') return (await import('./setup.ts')).setupScreen(nav, params.get('mode') === 'online' ? 'online' : 'class');
    if ((m = MATCH_PATH.exec(path))) return new MatchPage(m[2], MATCH_KIND[m[1] as keyof typeof MATCH_KIND]);
    if ((m = DEBRIEF_PATH.exec(path))) return new (await import('./debrief.ts')).DebriefScreen(m[1].toUpperCase().replace(/[^A-Z]/g, ''));
    return {
      el: h('div', { class: 'screen narrow' }, h('h1', null, 'Nothing here'),
        h('p', null, 'This address is not a page of the game.'), h('a', { class: 'button primary', href: '/', dataset: { nav: '' } }, 'Go to the start')),
      title: 'Not found',
    };
  }

  async function render() {
    const id = ++rendering;
    current?.destroy?.();
    current = null;
    let next: Screen;
    try {
      next = await screenFor(location.pathname, new URLSearchParams(location.search));
    } catch (err) {
      // a chunk that did not load (a new version deployed meanwhile, the connection dropped)
      next = { el: h('div', { class: 'screen narrow' }, h('h1', null, 'The page could not load'), h('p', null, (err as Error).message),
        h('a', { class: 'button primary', href: location.pathname }, 'Try again')), title: 'Not loaded' };
    }
    if (id !== rendering) { next.destroy?.(); return; }
    current = next;
    root.replaceChildren(current.el);
    document.title = current.title ? `${current.title} · The 2028 Window` : 'The 2028 Window';
    window.scrollTo(0, 0);
  }

  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a[data-nav]') as HTMLAnchorElement | null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    nav(a.getAttribute('href')!);
  });
  void render();
}
