// The goals panel: what the team is scored on, how, and a running estimate of its score (client/app/goals.ts).
import { h } from './dom.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { RoleView } from '../../shared/engine/views.ts';
import { goalEstimate } from '../app/goals.ts';

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(2));

export function goalsPanel(rules: RuleFile, view: RoleView): HTMLElement {
  const g = goalEstimate(rules, view);
  return h('section', { class: 'goals', 'aria-labelledby': 'goals-title' },
    h('h2', { id: 'goals-title' }, 'Your goals'),
    h('p', { class: 'goal-estimate' }, `If the match ended now you would score about ${g.total}/100 (by your own numbers and your estimates of the rival).`),
    h('table', { class: 'goals-table' },
      h('thead', null, h('tr', null, h('th', null, 'Goal'), h('th', null, 'How it is scored'), h('th', null, 'Now'), h('th', null, 'Points'))),
      h('tbody', null, g.lines.map((l) => h('tr', null, h('td', null, l.label), h('td', null, `${l.stat}: ${l.how}`), h('td', null, fmt(l.value)), h('td', null, `${Math.round(l.now)} of ${Math.round(l.points)}`))))),
    g.catastropheCap !== null ? h('p', { class: 'hint' }, `A catastrophe ends the match at once and caps every role's score at ${g.catastropheCap}, whatever its goals say.`) : null);
}
