// The outcome: the 2028 scenario, its narrative, the charts, each role's score, the debrief's turning points, exports.
import { h } from './dom.ts';
import { MapView } from './map-view.ts';
import { renderOutcomeCharts } from './charts.ts';
import { months, pct } from './format.ts';
import { KIND } from './feed.ts';
import { api } from '../net/api.ts';
import { quarterLabel } from '../../shared/engine/state.ts';
import type { MatchContext, SubScreen } from '../app/match-app.ts';
import type { Snapshot, TimelinePoint, FeedEvent, RuleFile, PublicWorld, MatchRecord, MatchState } from '../app/types.ts';

export interface OutcomeData {
  code: string;
  ending: { id: string; title: string; text: string; scores: Record<string, number> } | null;
  endReason: string | null;
  /** true numbers of both sides, quarter by quarter (null when only the press's view is known) */
  timeline: TimelinePoint[] | null;
  events: FeedEvent[];
  world: PublicWorld | null;
  /** settings changes per quarter, from the full record */
  decisions: { turn: number; text: string }[];
}

export function outcomeFromSnapshot(ctx: MatchContext, s: Snapshot): OutcomeData {
  const pub = s.publicDoc;
  const role = ctx.role;
  const team = role ? s.teams[role] : undefined;
  return {
    code: ctx.code,
    ending: pub?.view.world.ending ?? null,
    endReason: null,
    timeline: pub?.view.finalTimeline ?? s.desk?.state?.timeline ?? null,
    events: team?.feed ?? pub?.events ?? [],
    world: pub?.view.world ?? null,
    decisions: [],
  };
}

function worldFromState(rules: RuleFile, st: MatchState): PublicWorld {
  const lead = st.sides.us.capability - st.sides.china.capability;
  return {
    turn: st.turn, turns: rules.calendar.turns, quarter: quarterLabel(rules, Math.min(st.turn, rules.calendar.turns - 1)), finished: st.finished,
    regions: st.regions, globalLicensing: st.globalLicensing, openWeights: st.openWeights, incidents: st.incidents, agreements: st.agreements,
    pending: st.pending, adoption: { us: st.sides.us.adoption, china: st.sides.china.adoption },
    seizedChips: st.sides.us.seizedChips + st.sides.china.seizedChips,
    brokenAgreements: { us: st.sides.us.brokenAgreements, china: st.sides.china.brokenAgreements },
    trust: st.trust, brokenTreaties: st.brokenTreaties, tension: st.tension,
    pressLead: { value: lead, low: lead, high: lead }, ending: st.ending,
  };
}

function decisionsOf(rules: RuleFile, record: MatchRecord): OutcomeData['decisions'] {
  if (!record.full) return [];
  const name = (id: string) => rules.roles.find((r) => r.id === id)?.name ?? id;
  const region = (id?: string) => rules.regions.find((r) => r.id === id)?.name ?? id;
  return record.turns.flatMap((t) => t.settingsChanges.map((c) => ({
    turn: t.turn,
    text: c.setting === 'exportTier' ? `${name(c.role)} moved ${region(c.region)} from ${c.from} to ${c.to}`
      : `${name(c.role)} turned ${c.setting === 'globalLicensing' ? 'global licensing' : c.setting === 'openWeights' ? 'open weights' : 'hub compliance'} ${c.to === true ? 'on' : c.to === false ? 'off' : String(c.to)}`,
  })));
}

export function outcomeFromRecord(rules: RuleFile, record: MatchRecord): OutcomeData {
  const events: FeedEvent[] = record.turns.flatMap((t) => t.events.map((e) => ({ ...e, turn: t.turn })));
  return {
    code: record.code,
    ending: record.ending,
    endReason: record.endReason,
    timeline: record.full ? record.timeline : record.view.finalTimeline,
    events,
    world: record.full ? worldFromState(rules, record.state) : record.view.world,
    decisions: decisionsOf(rules, record),
  };
}

interface TurningPoint { turn: number; label: string; leadChange: number; incidents: string[]; why: number }

/** The quarters that moved the lead or the risk most: the debrief's talking points. */
export function turningPoints(timeline: TimelinePoint[], count = 4): TurningPoint[] {
  if (timeline.length < 2) return [];
  const deltas = timeline.slice(1).map((p, i) => p.lead - timeline[i].lead);
  const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  const points: TurningPoint[] = timeline.slice(1).map((p, i) => {
    const prev = timeline[i];
    const inc: string[] = [];
    const dMinor = p.incidents.minor - prev.incidents.minor, dMajor = p.incidents.major - prev.incidents.major, dCat = p.incidents.catastrophic - prev.incidents.catastrophic;
    if (dCat) inc.push(`${dCat} catastrophic incident`);
    if (dMajor) inc.push(`${dMajor} major incident${dMajor > 1 ? 's' : ''}`);
    if (dMinor) inc.push(`${dMinor} minor incident${dMinor > 1 ? 's' : ''}`);
    const sg = Math.abs(p.safeguards.us - prev.safeguards.us) + Math.abs(p.safeguards.china - prev.safeguards.china);
    return { turn: p.turn, label: p.label, leadChange: deltas[i], incidents: inc, why: Math.abs(deltas[i] - mean) + dCat * 20 + dMajor * 4 + dMinor + sg * 10 };
  });
  return points.sort((a, b) => b.why - a.why).slice(0, count).sort((a, b) => a.turn - b.turn);
}

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
  private data: OutcomeData;
  private map: MapView | null = null;
  private body: HTMLElement;

  constructor(ctx: MatchContext, data: OutcomeData) {
    this.ctx = ctx;
    this.data = data;
    this.body = h('div', { class: 'outcome-body' });
    this.el = h('div', { class: 'screen outcome-screen' }, this.body);
    this.render();
    // the full record (every order and decision) is open to everyone once the match is over: enrich the debrief
    void api.record(ctx.code, ctx.facilitatorKey).then((record) => {
      if (!record.full) return;
      const fresh = outcomeFromRecord(ctx.rules, record);
      this.data = { ...this.data, timeline: this.data.timeline ?? fresh.timeline, decisions: fresh.decisions, endReason: fresh.endReason, ending: this.data.ending ?? fresh.ending, events: this.data.events.length ? this.data.events : fresh.events };
      this.render();
    }).catch(() => undefined);
  }

  update(_s: Snapshot): void { /* the outcome does not change */ }

  private render(): void {
    const { rules, code } = this.ctx;
    const d = this.data;
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
    const key = this.ctx.facilitatorKey;
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
          h('a', { class: 'button', href: api.exportUrl(code, 'record', key), download: `${code}-record.json` }, '⬇ Match record (JSON)'),
          h('a', { class: 'button', href: api.exportUrl(code, 'timeline.csv', key), download: `${code}-timeline.csv` }, '⬇ Timeline (CSV)'),
          h('a', { class: 'button', href: api.exportUrl(code, 'decisions.csv', key), download: `${code}-decisions.csv` }, '⬇ Decisions (CSV)'),
          h('a', { class: 'button', href: '/', dataset: { nav: '' } }, 'Back to the start'))));
  }

  destroy(): void { this.map?.destroy(); }
}
