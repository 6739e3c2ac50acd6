// The outcome: the 2028 scenario, its narrative, the charts, each role's score, the debrief's turning points, exports.
import { h } from './dom.ts';
import { MapView } from './map-view.ts';
import { renderOutcomeCharts } from './charts.ts';
import { months, pct } from './format.ts';
import { KIND } from './feed.ts';
import { turningPoints, type OutcomeData } from '../app/outcome.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { SubScreen } from './screen.ts';
import type { TimelinePoint, RuleFile } from '../net/types.ts';

function narrative(rules: RuleFile, tl: TimelinePoint[] | null, data: OutcomeData): string[] {
  if (!tl || tl.length < 2) return [];
  const a = tl[0], b = tl[tl.length - 1];
  const lines = [
    `The US began ${months(a.lead)} ahead and ended ${b.lead >= 0 ? `${months(b.lead)} ahead` : `${months(-b.lead)} behind`} after ${tl.length - 1} quarters.`,
    `US capability went from ${months(a.capability.us)} to ${months(b.capability.us)}; China's from ${months(a.capability.china)} to ${months(b.capability.china)}.`,
    `Safeguards: the US refused ${pct(b.safeguards.us)} of malicious requests at the end (from ${pct(a.safeguards.us)}), China ${pct(b.safeguards.china)} (from ${pct(a.safeguards.china)}).`,
  ];
  const inc = b.incidents;
  lines.push(inc.minor + inc.major + inc.catastrophic === 0 ? 'No misuse incident happened.' : `Misuse incidents: ${inc.minor} minor, ${inc.major} major, ${inc.catastrophic} catastrophic.`);
  const cards = data.events.filter((e) => e.kind === 'event').map((e) => e.title);
  if (cards.length) lines.push(`In the news: ${cards.slice(0, 5).join('; ')}${cards.length > 5 ? '…' : ''}.`);
  if (data.endReason) lines.push(`The match ended early: ${data.endReason}.`);
  void rules;
  return lines;
}

export class OutcomeScreen implements SubScreen {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private data: OutcomeData | null = null;
  private map: MapView | null = null;
  private body: HTMLElement;

  constructor(ctx: MatchContext) {
    this.ctx = ctx;
    this.body = h('div', { class: 'outcome-body' });
    this.el = h('div', { class: 'screen outcome-screen' }, this.body);
  }

  update(): void { /* the outcome does not follow the room */ }

  /** Draws the controller's outcome again when it changed (the full record completes the debrief). */
  refresh(): void {
    const data = this.ctx.ctrl.outcome;
    if (!data || data === this.data) return;
    this.data = data;
    this.render();
  }

  private render(): void {
    const { rules, code } = this.ctx;
    const d = this.data!;
    const ending = d.ending;
    const tl = d.timeline;
    // one map for the screen's life: the debrief re-renders when the full record arrives
    const mapBox = h('div', { class: 'outcome-map' });
    if (d.world) {
      this.map ??= new MapView({ label: 'The world in 2028' });
      mapBox.append(this.map.el);
      this.map.show({ rules, world: d.world, view: null, side: null, projector: false });
    }
    const charts = h('div', { class: 'outcome-charts-host' });
    if (tl) renderOutcomeCharts(charts, tl, rules.model.safeguards.sweetSpot);
    const endingRule = rules.endings.find((e) => e.id === ending?.id);
    const scores = ending?.scores ?? {};
    const tps = tl ? turningPoints(tl) : [];
    this.body.replaceChildren(
      h('header', { class: 'outcome-hero' },
        h('p', { class: 'eyebrow' }, `${rules.name} · ${code} · the world in 2028`),
        h('h1', null, ending?.title ?? 'The match is over'),
        h('p', { class: 'lede' }, ending?.text ?? endingRule?.text ?? '')),
      h('div', { class: 'outcome-grid' },
        h('div', null, mapBox,
          h('section', { class: 'panel narrative' }, h('h2', null, 'What happened'), h('ul', null, narrative(rules, tl, d).map((l) => h('li', null, l))))),
        h('section', { class: 'panel scores', 'aria-labelledby': 'scores-title' },
          h('h2', { id: 'scores-title' }, 'Scores'),
          h('ol', { class: 'score-list' }, rules.roles.map((r) => {
            const v = Math.round(scores[r.id] ?? 0);
            return h('li', { class: `side-${r.side}`, dataset: { role: r.id } },
              h('div', { class: 'score-head' }, h('span', { class: `side-tag side-${r.side}` }, r.side === 'us' ? 'US' : 'CN'), h('strong', null, r.name), h('span', { class: 'score-num' }, `${v} / 100`)),
              h('div', { class: 'score-track', 'aria-hidden': 'true' }, h('span', { class: 'score-bar', style: `width:${v}%` })),
              h('small', null, 'Scored on: ', r.objectives.map((o) => o.label).join(' · ')));
          })))),
      h('section', { class: 'panel debrief', 'aria-labelledby': 'debrief-title' },
        h('h2', { id: 'debrief-title' }, 'Debrief: the turning points'),
        tps.length ? h('ol', { class: 'turning-points' }, tps.map((tp) => {
          const q = tp.turn - 1;
          const evs = d.events.filter((e) => e.turn === q && e.kind !== 'ending');
          const decs = d.decisions.filter((x) => x.turn === q);
          return h('li', null,
            h('h3', null, `${tp.label}: lead ${tp.leadChange >= 0 ? '▲' : '▼'} ${months(Math.abs(tp.leadChange))}${tp.incidents.length ? ` · ${tp.incidents.join(', ')}` : ''}`),
            decs.length ? h('p', null, h('strong', null, 'Decisions: '), decs.map((x) => x.text).join('; '), '.') : null,
            evs.length ? h('ul', null, evs.slice(0, 5).map((e) => h('li', null, `${KIND[e.kind]?.[0] ?? '•'} ${e.title}: ${e.text}`))) : null);
        })) : h('p', { class: 'hint' }, 'No quarter was played to the end.'),
        h('p', { class: 'hint' }, 'Questions for the class: which decision would you take back? Did anyone break an agreement, and did it pay?')),
      h('section', { class: 'panel charts-panel', 'aria-labelledby': 'charts-title' }, h('h2', { id: 'charts-title' }, 'Over time'), charts),
      h('section', { class: 'panel exports', 'aria-labelledby': 'export-title' },
        h('h2', { id: 'export-title' }, 'The record'),
        h('div', { class: 'row' },
          h('a', { class: 'button', href: this.ctx.ctrl.exportUrl('record'), download: `${code}-record.json` }, '⬇ Match record (JSON)'),
          h('a', { class: 'button', href: this.ctx.ctrl.exportUrl('timeline.csv'), download: `${code}-timeline.csv` }, '⬇ Timeline (CSV)'),
          h('a', { class: 'button', href: this.ctx.ctrl.exportUrl('decisions.csv'), download: `${code}-decisions.csv` }, '⬇ Decisions (CSV)'),
          h('a', { class: 'button primary', href: `/debrief/${code}`, dataset: { nav: '' }, id: 'open-debrief' }, 'Open the debrief'),
          h('a', { class: 'button', href: '/', dataset: { nav: '' } }, 'Back to the start'))));
  }

  destroy(): void { this.map?.destroy(); }
}
