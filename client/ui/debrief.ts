// The debrief screen: the decisions that mattered, said vs did, belief vs truth, prompts per team, forks and branches.
import { h, svg, fill } from './dom.ts';
import { beliefChart, branchesChart, branchColor, oddsChart, oddsLegend } from '../charts/debrief.ts';
import { CHART_COLORS } from '../charts/svg.ts';
import { DebriefCtrl, beliefSeries, forkQuarters, type LoadedDebrief } from '../app/debrief.ts';
import { debriefApi, type Comparison } from '../net/debrief.ts';
import type { Screen } from './screen.ts';

const mo = (x: number) => `${x.toFixed(1)} mo`;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

export class DebriefScreen implements Screen {
  readonly el: HTMLElement;
  readonly title = 'Debrief';
  private ctrl: DebriefCtrl;
  private body = h('div', { class: 'debrief-body' });
  private branches = h('section', { class: 'panel branches no-print', 'aria-labelledby': 'branches-title' });
  private status = h('p', { class: 'hint', role: 'status' });
  private odds = h('section', { class: 'panel odds', 'aria-labelledby': 'odds-title' });

  constructor(code: string) {
    this.ctrl = new DebriefCtrl(code);
    this.el = h('div', { class: 'screen debrief-screen' }, this.body);
    fill(this.body, h('p', { class: 'hint' }, 'Replaying the match for the debrief…'));
    void this.ctrl.load().then(() => this.render());
  }

  private render(): void {
    const d = this.ctrl.report;
    if (!d) {
      fill(this.body, h('h1', null, 'No debrief yet'), h('p', { class: 'error' }, this.ctrl.error ?? 'The debrief could not be loaded.'),
        h('a', { class: 'button', href: `/${this.ctrl.credentials.key ? 'facilitate' : 'join'}/${this.ctrl.code}`, dataset: { nav: '' } }, 'Back to the match'));
      return;
    }
    fill(this.body,
      this.header(d),
      this.decisions(d),
      this.saidDid(d),
      this.belief(d),
      this.odds,
      this.prompts(d),
      this.forkPanel(d),
      this.branches,
      h('p', { class: 'row no-print' },
        h('button', { type: 'button', onclick: () => window.print() }, 'Print the handout'),
        d.finished || this.ctrl.credentials.key ? h('a', { class: 'button', href: debriefApi.classReportUrl(d.code, this.ctrl.credentials), download: `${d.code}-class-report.csv` }, '⬇ Class report (CSV)') : null,
        h('a', { class: 'button', href: `/${this.ctrl.credentials.key ? 'facilitate' : 'join'}/${d.code}`, dataset: { nav: '' } }, 'Back to the match')));
    this.renderBranches(this.ctrl.comparison);
    void this.loadOdds();
  }

  /** The odds curve takes longer (a few hundred re-runs per quarter): it follows the report. */
  private async loadOdds(): Promise<void> {
    fill(this.odds, h('h2', { id: 'odds-title' }, 'Turning points: the odds as the match went on'), h('p', { class: 'hint' }, 'Re-running the rest of the match with the bots from each quarter…'));
    try {
      const curve = await this.ctrl.loadOdds();
      const chart = oddsChart(curve);
      fill(this.odds, h('h2', { id: 'odds-title' }, 'Turning points: the odds as the match went on'),
        h('p', { class: 'hint' }, `From each quarter, the rest of the match re-run ${curve.seeds} times by the bots with new dice: each ending's share.`),
        chart ? svg(chart) : null,
        chart ? h('ul', { class: 'odds-legend' }, oddsLegend(curve).map((e) => h('li', null, h('span', { class: 'swatch', style: `background:${e.color}` }), ' ', e.title))) : null,
        curve.turningPoints.length ? h('ol', { class: 'turning-points' }, curve.turningPoints.map((t) => h('li', { dataset: { turn: String(t.turn) } }, t.sentence))) : null);
    } catch (err) {
      fill(this.odds, h('h2', { id: 'odds-title' }, 'Turning points'), h('p', { class: 'hint' }, `The odds could not be computed: ${(err as Error).message}`));
    }
  }

  private header(d: LoadedDebrief): HTMLElement {
    const a = d.report.actual;
    const from = d.forkedFrom;
    return h('header', { class: 'debrief-hero' },
      h('p', { class: 'eyebrow' }, `Debrief · ${d.code}${from ? ` · forked from ${from.match} at quarter ${from.quarter + 1}` : ''}`),
      h('h1', null, a.ending ? a.ending.title : 'The match so far'),
      h('p', { class: 'lede' }, `${d.finished ? 'Final' : 'Current'} lead ${signed(a.lead)} months (US minus China) after ${a.quarters} quarter${a.quarters === 1 ? '' : 's'}. `,
        d.roles.map((r) => `${r.name} ${a.scores[r.id] ?? '–'}`).join(' · ')));
  }

  private decisions(d: LoadedDebrief): HTMLElement {
    const top = d.report.top;
    return h('section', { class: 'panel decisions', 'aria-labelledby': 'decisions-title' },
      h('h2', { id: 'decisions-title' }, 'The decisions that mattered most'),
      h('p', { class: 'hint' }, 'Each decision replayed with the team\'s previous order (or the status quo) in its place: every other order and the same dice kept.'),
      top.length ? h('ol', { class: 'top-decisions' }, top.map((c) => h('li', { dataset: { role: c.role, turn: String(c.turn) } },
        h('span', { class: `side-tag side-${c.side}` }, c.side === 'us' ? 'US' : 'CN'), ' ', c.sentence,
        this.ctrl.canFork() ? h('button', { type: 'button', class: 'small no-print fork-here', onclick: () => void this.fork(c.turn) }, `Fork from ${c.quarter}`) : null)))
        : h('p', null, 'No decision changed the outcome measurably.'),
      h('details', { class: 'per-team', open: true }, h('summary', null, 'Each team\'s two biggest'),
        h('table', { class: 'debrief-table' },
          h('thead', null, h('tr', null, h('th', null, 'Team'), h('th', null, 'Quarter'), h('th', null, 'Decision'), h('th', null, 'Lead to its side'), h('th', null, 'Ending without it'))),
          h('tbody', null, d.roles.flatMap((r) => (d.report.topByRole[r.id] ?? []).map((c) => h('tr', null,
            h('td', null, r.name), h('td', null, c.quarter), h('td', null, c.change), h('td', null, `${signed(c.sideGain)} mo`), h('td', null, c.endingChanged ? c.outcome.ending?.title ?? '' : 'same'))))))));
  }

  private saidDid(d: LoadedDebrief): HTMLElement {
    const { agreements, proposals } = d.saidVsDid;
    const name = (id: string) => d.roles.find((r) => r.id === id)?.name ?? id;
    const counts = { accepted: 0, rejected: 0, lapsed: 0, pending: 0 };
    for (const p of proposals) counts[p.answer]++;
    return h('section', { class: 'panel said-did', 'aria-labelledby': 'said-title' },
      h('h2', { id: 'said-title' }, 'Said vs did'),
      h('p', null, `${proposals.length} proposal${proposals.length === 1 ? '' : 's'}: ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.lapsed} left unanswered.`),
      agreements.length ? h('table', { class: 'debrief-table' },
        h('thead', null, h('tr', null, h('th', null, 'Agreement'), h('th', null, 'Between'), h('th', null, 'Promised'), h('th', null, 'What happened'))),
        h('tbody', null, agreements.map((a) => h('tr', { class: a.broken ? 'broken' : '' },
          h('td', null, `${a.title} (${a.acceptedQuarter})`),
          h('td', null, `${name(a.proposer)} → ${name(a.accepter)}`),
          h('td', null, a.commitments.map((c) => `${name(c.role)}: ${c.text}`).join('; ') || '—'),
          h('td', null, a.broken ? a.broken.sentence : a.outcome === 'completed' ? `Kept for all ${a.heldQuarters} quarters.` : `In force (${a.heldQuarters} quarter${a.heldQuarters === 1 ? '' : 's'} so far).`)))))
        : h('p', { class: 'hint' }, 'No agreement was accepted.'));
  }

  private belief(d: LoadedDebrief): HTMLElement {
    const charts = h('div', { class: 'belief-charts' });
    for (const side of ['us', 'china'] as const) {
      const chart = beliefChart(beliefSeries(d, side), side === 'us' ? CHART_COLORS.us : CHART_COLORS.china);
      if (chart) charts.append(svg(chart));
    }
    const caps = d.belief.points.filter((p) => p.stat === 'capability');
    const quarters = [...new Set(caps.map((p) => p.quarter))];
    const cell = (q: string, side: 'us' | 'china') => {
      const p = caps.find((x) => x.quarter === q && x.side === side);
      return p ? h('td', { class: p.inBand ? '' : 'outside' }, `${mo(p.value)} (${p.low.toFixed(0)}–${p.high.toFixed(0)}) vs ${mo(p.truth)}`) : h('td', null, '');
    };
    return h('section', { class: 'panel belief', 'aria-labelledby': 'belief-title' },
      h('h2', { id: 'belief-title' }, 'What each side believed, and the truth'),
      h('p', null, d.belief.summary.map((s) => `${s.side === 'us' ? d.sides.us : d.sides.china}: the truth inside its band ${s.inBand} of ${s.of} quarters, off by ${s.meanErrorMonths.toFixed(1)} months on average.`).join(' ')),
      charts,
      h('table', { class: 'debrief-table belief-table' },
        h('thead', null, h('tr', null, h('th', null, 'Quarter'), h('th', null, `${d.sides.us} on ${d.sides.china}`), h('th', null, `${d.sides.china} on ${d.sides.us}`))),
        h('tbody', null, quarters.map((q) => h('tr', null, h('td', null, q), cell(q, 'us'), cell(q, 'china'))))));
  }

  private prompts(d: LoadedDebrief): HTMLElement {
    return h('section', { class: 'panel prompts', 'aria-labelledby': 'prompts-title' },
      h('h2', { id: 'prompts-title' }, 'For discussion'),
      h('div', { class: 'prompt-grid' }, d.roles.map((r) => h('div', { class: `prompt-card side-${r.side}`, dataset: { role: r.id } },
        h('h3', null, r.name), h('ul', null, (d.prompts[r.id] ?? []).map((p) => h('li', null, p)))))));
  }

  private forkPanel(d: LoadedDebrief): HTMLElement | null {
    if (!this.ctrl.canFork()) return null;
    const options = forkQuarters(d);
    const top = d.report.top[0];
    const select = h('select', { id: 'fork-quarter', 'aria-label': 'Quarter to fork from' }, options.map((o) => h('option', { value: String(o.turn), selected: top ? o.turn === top.turn : false }, `Quarter ${o.turn + 1}: ${o.quarter}`)));
    return h('section', { class: 'panel fork no-print', 'aria-labelledby': 'fork-title' },
      h('h2', { id: 'fork-title' }, 'Rewind and fork'),
      h('p', { class: 'hint' }, 'A new match with the same rules and dice, the history up to that quarter replayed; seats open (bots play the empty ones).'),
      h('div', { class: 'row' }, select, h('button', { type: 'button', class: 'primary', id: 'fork-button', onclick: () => void this.fork(Number(select.value)) }, 'Fork from this quarter')),
      this.status);
  }

  private async fork(turn: number): Promise<void> {
    this.status.textContent = 'Forking…';
    try {
      const f = await this.ctrl.fork(turn);
      // a class fork is run from its dashboard (same key); an online fork is joined like any match
      fill(this.status, `Fork ${f.code} made from quarter ${turn + 1}. `,
        f.facilitatorKey ? h('a', { class: 'button primary', href: `/facilitate/${f.code}`, dataset: { nav: '' }, id: 'open-fork' }, `Run ${f.code}`) : null, ' ',
        h('a', { class: f.facilitatorKey ? 'button' : 'button primary', href: `/join/${f.code}`, dataset: { nav: '' }, id: f.facilitatorKey ? undefined : 'open-fork' }, 'Join it as a player'));
      this.renderBranches(this.ctrl.comparison);
    } catch (err) {
      this.status.textContent = `The fork failed: ${(err as Error).message}`;
    }
  }

  private renderBranches(c: Comparison | null): void {
    if (!c || c.branches.length < 2) { fill(this.branches, h('h2', { id: 'branches-title' }, 'Branches'), h('p', { class: 'hint' }, 'No fork of this match yet.')); return; }
    const visible = c.branches.filter((b) => b.visible);
    const chart = branchesChart(visible.map((b) => ({ code: b.code, lead: b.lead })));
    fill(this.branches,
      h('h2', { id: 'branches-title' }, 'Branches side by side'),
      chart ? svg(chart) : null,
      h('table', { class: 'debrief-table branches-table' },
        h('thead', null, h('tr', null, h('th', null, 'Branch'), h('th', null, 'From'), h('th', null, 'Quarters'), h('th', null, 'Ending'), h('th', null, 'Lead'), h('th', null, 'First different orders'))),
        h('tbody', null, c.branches.map((b, i) => h('tr', { dataset: { branch: b.code } },
          h('td', null, h('span', { class: 'swatch', style: `background:${branchColor(i)}` }), ' ', h('a', { href: `/debrief/${b.code}`, dataset: { nav: '' } }, b.code)),
          h('td', null, b.forkedFrom ? `${b.forkedFrom.match}, quarter ${b.forkedFrom.quarter + 1}` : 'the original'),
          h('td', null, b.outcome ? String(b.outcome.quarters) : '–'),
          h('td', null, b.outcome?.ending?.title ?? (b.finished ? '' : 'being played')),
          h('td', null, b.outcome ? `${signed(b.outcome.lead)} mo` : 'hidden'),
          h('td', null, b.divergence ? `${b.divergence.quarter}: ${b.divergence.differences.map((x) => `${x.roleName}: ${x.change}`).join('; ')}` : i === 0 ? '' : 'none yet'))))));
  }
}
