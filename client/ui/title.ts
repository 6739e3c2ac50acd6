// The title screen: run a class, join with a code, play online (quick play or with friends), how to play.
import { h, toast } from './dom.ts';
import { api, type ApiError, normaliseCode } from '../net/api.ts';
import type { Nav, Screen } from './screen.ts';

export function titleScreen(nav: Nav): Screen {
  const codeInput = h('input', {
    id: 'join-code', name: 'code', class: 'code-input', autocomplete: 'off', autocapitalize: 'characters', spellcheck: false,
    maxLength: 9, placeholder: 'ABCDEF', required: true, 'aria-describedby': 'join-code-help',
  });
  const joinError = h('p', { class: 'form-error', role: 'alert', id: 'join-error' });
  const joinForm = h('form', {
    class: 'card', 'aria-labelledby': 'join-title',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const code = normaliseCode(codeInput.value);
      joinError.textContent = '';
      if (code.length !== 6) { joinError.textContent = 'A join code has six letters, like GUDVYU.'; codeInput.focus(); return; }
      try {
        await api.match(code);
        nav(`/join/${code}`);
      } catch (err) {
        joinError.textContent = (err as ApiError).status === 404 ? `No match has the code ${code}. Check the letters on the board.` : (err as Error).message;
      }
    },
  },
  h('h2', { id: 'join-title' }, 'Join with a code'),
  h('label', { for: 'join-code' }, 'Join code'),
  h('p', { id: 'join-code-help', class: 'hint' }, 'Six letters from your teacher or friend. Capitals or not, dashes are fine.'),
  h('div', { class: 'row' }, codeInput, h('button', { type: 'submit', class: 'primary' }, 'Join')),
  joinError);

  const quickBtn = h('button', {
    class: 'primary', type: 'button',
    onclick: async () => {
      quickBtn.disabled = true;
      quickBtn.textContent = 'Finding a match…';
      try {
        const { code } = await api.quickPlay();
        nav(`/join/${code}`);
      } catch (err) {
        toast((err as Error).message, 'error');
        quickBtn.disabled = false;
        quickBtn.textContent = 'Quick play';
      }
    },
  }, 'Quick play');

  const openList = h('ul', { class: 'open-matches', 'aria-live': 'polite' });
  void api.publicMatches().then((list) => {
    if (!list.length) { openList.append(h('li', { class: 'hint' }, 'No public match is waiting right now: quick play starts one.')); return; }
    for (const m of list.slice(0, 5)) {
      openList.append(h('li', null, h('a', { href: `/join/${m.code}`, dataset: { nav: '' } }, `${m.title} · ${m.code}`), ` — ${m.openSeats} open seat${m.openSeats === 1 ? '' : 's'}, ${m.phase}`));
    }
  }).catch(() => undefined);

  const el = h('div', { class: 'screen title-screen' },
    h('header', { class: 'hero' },
      h('p', { class: 'eyebrow' }, 'A policy strategy game · 2026–2028'),
      h('h1', null, 'The 2028 Window'),
      h('p', { class: 'lede' }, 'The United States and China race for frontier AI. Ten quarters of chips, export controls, enforcement and safety decide which world arrives in 2028.')),
    h('div', { class: 'cards' },
      h('section', { class: 'card', 'aria-labelledby': 'class-title' },
        h('h2', { id: 'class-title' }, 'Run a class session'),
        h('p', null, 'For teachers: 4–30 students in teams, a projector view, timers you control, and a debrief at the end.'),
        h('a', { class: 'button primary', href: '/setup?mode=class', dataset: { nav: '' } }, 'Set up a class')),
      joinForm,
      h('section', { class: 'card', 'aria-labelledby': 'online-title' },
        h('h2', { id: 'online-title' }, 'Play online'),
        h('p', null, '2–6 players; bots take the empty seats. Drop out and come back to the same seat.'),
        h('div', { class: 'row' }, quickBtn, h('a', { class: 'button', href: '/setup?mode=online', dataset: { nav: '' } }, 'Private match with friends')),
        openList)),
    howToPlay());
  return { el, title: 'The 2028 Window' };
}

export function howToPlay(): HTMLElement {
  return h('details', { class: 'card how-to' },
    h('summary', null, h('h2', null, 'How to play')),
    h('ol', null,
      h('li', null, h('strong', null, 'Four teams: '), 'US Government, US Frontier Lab, China Government, Chinese Lab. Several people can share a team; a bot plays any empty one.'),
      h('li', null, h('strong', null, 'Each quarter '), '(Q3 2026 to Q4 2028) has a briefing, a negotiation, orders and a report.'),
      h('li', null, h('strong', null, 'Orders: '), 'split your budget ($B) across your levers: compute, export controls, enforcement, safety. Your whole team edits one shared draft; any member submits it.'),
      h('li', null, h('strong', null, 'Fog of war: '), 'you see your own side exactly and the rival only as estimates with error bars. Intelligence spending narrows them.'),
      h('li', null, h('strong', null, 'Diplomacy: '), 'chat with other teams and make formal proposals (joint safety evaluations, chip deals…). Breaking an agreement is public.'),
      h('li', null, h('strong', null, 'The end: '), 'after Q4 2028 the world lands in a scenario: catastrophe, cooperative governance, a democratic lead, a contested race or an authoritarian catch-up. Each team gets a score from its own goals.')),
    h('p', { class: 'hint' }, 'A US lead of 12–24 months is the "sweet spot": enough to talk safety from strength. Neck and neck, labs cut corners.'));
}
