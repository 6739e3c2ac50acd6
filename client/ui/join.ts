// The join form: a display name and, optionally, the team to join.
import { h } from './dom.ts';
import type { MatchInfo } from '../net/api.ts';

export function joinForm(info: MatchInfo, join: (name: string, role: string | undefined) => Promise<void>): HTMLElement {
  const name = h('input', { id: 'join-name', name: 'name', required: true, maxLength: 24, autocomplete: 'nickname', placeholder: 'e.g. Ada', 'aria-describedby': 'join-name-help' });
  const error = h('div', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary big' }, 'Join the match');
  const open = info.roles.filter((r) => r.seats > 0);
  const choices = h('fieldset', { class: 'role-choice' },
    h('legend', null, 'Team'),
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'role', value: '', checked: true }), h('span', null, h('strong', null, 'Any team'), h('small', null, 'You go where a seat is free'))),
    open.map((r) => h('label', { class: `choice side-${r.side}` },
      h('input', { type: 'radio', name: 'role', value: r.id }),
      h('span', null, h('span', { class: `side-tag side-${r.side}` }, r.side === 'us' ? 'US' : 'CN'), ' ', h('strong', null, r.name),
        h('small', null, `${r.seats} seat${r.seats === 1 ? '' : 's'}`)))),
    info.roles.some((r) => r.seats === 0) ? h('p', { class: 'hint' }, `Played by bots: ${info.roles.filter((r) => r.seats === 0).map((r) => r.name).join(', ')}.`) : null);

  const form = h('form', {
    class: 'card join-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      error.textContent = '';
      const n = name.value.replace(/\s+/g, ' ').trim();
      if (!n) { error.textContent = 'Type the name your team-mates will see.'; name.focus(); return; }
      const role = (form.querySelector('input[name=role]:checked') as HTMLInputElement | null)?.value || undefined;
      button.disabled = true;
      button.textContent = 'Joining…';
      try {
        await join(n, role);
      } catch (err) {
        error.textContent = (err as Error).message;
        button.disabled = false;
        button.textContent = 'Join the match';
      }
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'join-name' }, 'Your name'), name, h('small', { id: 'join-name-help' }, 'Shown to your team and on the projector. Up to 24 characters.')),
  choices, button, error);

  setTimeout(() => name.focus(), 0);
  return h('div', { class: 'screen narrow join-screen' },
    h('nav', { class: 'crumbs' }, h('a', { href: '/', dataset: { nav: '' } }, '← The 2028 Window')),
    h('h1', null, `Join ${info.title}`),
    h('p', { class: 'lede' }, 'Code ', h('strong', { class: 'code' }, info.code), info.mode === 'class' ? ' · class session' : ' · online match', info.phase !== 'lobby' ? ' · already under way: you join straight in' : ''),
    form);
}
