// The event and incident feed: newest quarter first, each item with a symbol and a word for its kind.
import { h } from './dom.ts';
import type { FeedEvent, RuleFile } from '../net/types.ts';
import { quarterLabel } from '../../shared/engine/state.ts';

export const KIND: Record<string, [string, string]> = {
  seizure: ['⊘', 'Seizure'], incident: ['⚠', 'Incident'], event: ['✦', 'News'], agreement: ['⇄', 'Diplomacy'],
  distillation: ['⚗', 'Distillation'], fabs: ['⚒', 'Fabs'], smuggling: ['▣', 'Smuggling'], ending: ['■', 'Ending'], policy: ['⚖', 'Policy'],
};

/** `turns`: the match's quarters now (the facilitator may add or drop some after the rule file set them). */
export function feedList(rules: RuleFile, events: FeedEvent[], options: { limit?: number; large?: boolean; turns?: number } = {}): HTMLElement {
  const turns = options.turns || rules.calendar.turns;
  if (!events.length) return h('p', { class: 'hint' }, 'Nothing has happened yet. Events, seizures and incidents appear here as the quarters resolve.');
  const byTurn = new Map<number, FeedEvent[]>();
  for (const e of events) (byTurn.get(e.turn) ?? byTurn.set(e.turn, []).get(e.turn)!).push(e);
  const quarters = [...byTurn.keys()].sort((a, b) => b - a);
  let left = options.limit ?? Infinity;
  const groups: HTMLElement[] = [];
  for (const t of quarters) {
    if (left <= 0) break;
    const items = byTurn.get(t)!.slice().reverse().slice(0, left);
    left -= items.length;
    groups.push(h('section', { class: 'feed-quarter' },
      h('h3', null, quarterLabel(rules, Math.min(t, turns - 1))),
      h('ul', { class: 'feed' }, items.map((e) => {
        const [sym, word] = KIND[e.kind] ?? ['•', e.kind];
        return h('li', { class: `feed-item kind-${e.kind} ${e.title.startsWith('Major') || e.title.startsWith('Catastrophic') ? 'severe' : ''}` },
          h('span', { class: 'sym', 'aria-hidden': 'true' }, sym),
          h('div', null, h('p', { class: 'feed-title' }, h('span', { class: 'kind' }, word), ' ', e.title, e.visibleTo !== 'all' ? h('span', { class: 'badge' }, 'our side only') : null),
            options.large ? null : h('p', { class: 'feed-text' }, e.text)));
      }))));
  }
  return h('div', { class: 'feed-list' }, groups);
}
