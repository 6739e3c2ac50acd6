// Paths of the single-page client and the screen each one shows; the server sends index.html for all of them.
import { h } from './dom.ts';
import { titleScreen } from './title.ts';
import { setupScreen } from './setup.ts';
import { MatchPage } from './match-page.ts';
import { DebriefScreen } from './debrief.ts';
import type { Nav, Screen } from './screen.ts';

const CODE = '([A-Za-z][A-Za-z-]{4,10})';

export function startApp(root: HTMLElement): void {
  let current: Screen | null = null;

  const nav: Nav = (path, options = {}) => {
    if (options.replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
    render();
  };

  function screenFor(path: string, params: URLSearchParams): Screen {
    let m: RegExpExecArray | null;
    if (path === '/' || path === '/index.html') return titleScreen(nav);
    if (path === '/setup') return setupScreen(nav, params.get('mode') === 'online' ? 'online' : 'class');
    if ((m = new RegExp(`^/(?:join|play)/${CODE}/?$`).exec(path))) return new MatchPage(m[1], 'player');
    if ((m = new RegExp(`^/projector/${CODE}/?$`).exec(path))) return new MatchPage(m[1], 'projector');
    if ((m = new RegExp(`^/facilitate/${CODE}/?$`).exec(path))) return new MatchPage(m[1], 'facilitator');
    if ((m = new RegExp(`^/debrief/${CODE}/?$`).exec(path))) return new DebriefScreen(m[1].toUpperCase().replace(/[^A-Z]/g, ''));
    return {
      el: h('div', { class: 'screen narrow' }, h('h1', null, 'Nothing here'),
        h('p', null, 'This address is not a page of the game.'), h('a', { class: 'button primary', href: '/', dataset: { nav: '' } }, 'Go to the start')),
      title: 'Not found',
    };
  }

  function render() {
    current?.destroy?.();
    current = screenFor(location.pathname, new URLSearchParams(location.search));
    root.replaceChildren(current.el);
    document.title = current.title ? `${current.title} · The 2028 Window` : 'The 2028 Window';
    window.scrollTo(0, 0);
  }

  window.addEventListener('popstate', render);
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a[data-nav]') as HTMLAnchorElement | null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    nav(a.getAttribute('href')!);
  });
  render();
}
