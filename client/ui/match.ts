// The match screen of a team member: map, timeline, intel / news / diplomacy tabs, and the team's orders.
import { h, text } from './dom.ts';
import { StatusBar } from './status-bar.ts';
import { MapView } from './map-view.ts';
import { AllocationPanel } from './allocation.ts';
import { intelPanel } from './intel.ts';
import { goalsPanel } from './goals.ts';
import { feedList } from './feed.ts';
import { DiplomacyPanel } from './diplomacy.ts';
import { Tabs } from './tabs.ts';
import { renderTimeline } from './charts.ts';
import { quarterReport } from './quarter-report.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { SubScreen } from './screen.ts';
import type { Snapshot, TeamDocs } from '../net/types.ts';

export class MatchScreen implements SubScreen {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private status: StatusBar;
  private map: MapView;
  private timeline: HTMLElement;
  private tabs: Tabs;
  private alloc: AllocationPanel | null = null;
  private diplomacy: DiplomacyPanel | null = null;
  private report: HTMLElement;
  private pausedNote: HTMLElement;
  private roleId: string | null;
  private headerSize: ResizeObserver;
  private stripSize: ResizeObserver;
  private timelineWidth = 0;
  private drawTimeline: (() => void) | null = null;
  private seen = { view: null as unknown, feed: null as unknown, timeline: null as unknown, feedCount: 0, phase: '' };

  constructor(ctx: MatchContext) {
    this.ctx = ctx;
    this.roleId = ctx.role;
    const role = ctx.rules.roles.find((r) => r.id === this.roleId);
    const who = h('div', { class: 'who' },
      role ? h('span', { class: `side-tag side-${role.side}` }, role.side === 'us' ? 'US' : 'CN') : null,
      h('h1', { class: 'who-role' }, role?.name ?? 'Watching'), h('span', { class: 'who-name' }, ctx.name),
      // phones: the chat is far down the page; this keeps it one tap away (hidden on wider screens, where the tabs show)
      role ? h('button', { type: 'button', class: 'chat-jump small', onclick: () => this.openChat() }, 'Chat') : null);
    this.status = new StatusBar({ who, rules: ctx.rules });
    this.map = new MapView({ label: 'World map: export tiers, chip flows and compute' });
    this.timeline = h('div', { class: 'timeline-strip', 'aria-label': 'Lead over time' });
    this.tabs = new Tabs(role ? [['intel', 'Intel'], ['news', 'News'], ['diplomacy', 'Diplomacy']] : [['news', 'News']], 'Match information');
    this.report = h('section', { class: 'panel report-card', 'aria-label': 'Quarter report', hidden: true });
    this.pausedNote = h('div', { class: 'paused-note', role: 'status', hidden: true }, '❚❚ The facilitator paused the match. You can keep reading and drafting.');
    if (role) {
      if (ctx.ctrl.draft) this.alloc = new AllocationPanel(ctx.ctrl.draft);
      this.diplomacy = new DiplomacyPanel(ctx, role.id);
      this.tabs.panels.diplomacy.append(this.diplomacy.el);
    }
    this.el = h('div', { class: `match-screen ${role ? `side-${role.side}` : 'watching'}` },
      this.status.el, this.pausedNote,
      h('div', { class: 'match-main' },
        h('div', { class: 'match-left' }, this.map.el, this.timeline, this.tabs.el),
        h('aside', { class: 'match-right', 'aria-label': 'Your team' }, this.report, this.alloc?.el ?? h('section', { class: 'panel' },
          h('h2', null, 'You are watching'), h('p', null, 'You hold no seat in a team. The facilitator can move you into one.')))));
    // the phone layout's sticky bars sit under the sticky header, whatever its height
    this.headerSize = new ResizeObserver(() => this.el.style.setProperty('--status-h', `${this.status.el.offsetHeight}px`));
    this.headerSize.observe(this.status.el);
    // the lead chart is drawn at the strip's width once the strip is laid out, and again when its width changes
    // (reading the width in the first update would lay the whole screen out in the middle of building it)
    this.stripSize = new ResizeObserver(() => {
      const w = this.timeline.clientWidth;
      if (!w || w === this.timelineWidth) return;
      this.timelineWidth = w;
      this.drawTimeline?.();
    });
    this.stripSize.observe(this.timeline);
  }

  /** Shows the diplomacy tab and puts the cursor in the chat's message box. */
  private openChat(): void {
    if (!this.diplomacy) return;
    this.tabs.select('diplomacy');
    const input = this.diplomacy.el.querySelector<HTMLInputElement>('.chat-form input');
    input?.scrollIntoView({ block: 'center' });
    input?.focus({ preventScroll: true });
  }

  update(s: Snapshot): void {
    this.status.update(s);
    this.pausedNote.hidden = !s.paused;
    const team: TeamDocs | undefined = this.roleId ? s.teams[this.roleId] : undefined;
    const view = team?.view ?? null;
    const world = view?.world ?? s.publicDoc?.view.world;
    if (world && (view ?? s.publicDoc) !== this.seen.view) {
      this.seen.view = view ?? s.publicDoc;
      this.map.show({ rules: this.ctx.rules, world, view, side: view?.side ?? null, projector: false });
      // the team's goals and a running estimate of its score, from the first briefing on
      if (view) this.tabs.panels.intel.replaceChildren(goalsPanel(this.ctx.rules, view), intelPanel(this.ctx.rules, view));
    }
    const points = view?.timeline ?? s.publicDoc?.view.timeline;
    if (points && points !== this.seen.timeline) {
      this.seen.timeline = points;
      const options = { turns: s.turns, band: this.ctx.rules.model.safeguards.sweetSpot, side: view?.side ?? null };
      this.drawTimeline = () => renderTimeline(this.timeline, points, { ...options, boxWidth: this.timelineWidth });
      if (this.timelineWidth) this.drawTimeline();
    }
    const feed = team?.feed ?? s.publicDoc?.events ?? [];
    if (feed !== this.seen.feed) {
      const fresh = feed.length - this.seen.feedCount;
      this.seen.feed = feed;
      this.tabs.panels.news.replaceChildren(feedList(this.ctx.rules, feed, { turns: s.turns }));
      if (this.seen.feedCount && fresh > 0 && this.tabs.current !== 'news') this.tabs.badge('news', `${fresh} new`);
      this.seen.feedCount = feed.length;
    }
    if (team && this.diplomacy) {
      this.diplomacy.update(s, team);
      const forUs = team.view?.world.pending.filter((p) => p.to === this.roleId).length ?? 0;
      if (this.tabs.current !== 'diplomacy') this.tabs.badge('diplomacy', forUs ? `${forUs} to answer` : '');
    }
    if (s.phase !== this.seen.phase) {
      this.seen.phase = s.phase;
      if (s.phase === 'report') this.tabs.select('news');
      if (s.phase === 'negotiation' && this.diplomacy) this.tabs.select('diplomacy');
    }
    this.renderReport(s, team);
  }

  /** In the report phase: what changed over the quarter just played, in a few lines. */
  private renderReport(s: Snapshot, team: TeamDocs | undefined): void {
    const view = team?.view;
    if (s.phase !== 'report' || !view || view.timeline.length < 2) { this.report.hidden = true; return; }
    this.report.hidden = false;
    const tl = view.timeline;
    const b = tl[tl.length - 1];
    const key = `${b.turn}`;
    if (this.report.dataset.key === key) return;
    this.report.dataset.key = key;
    const events = (team.feed ?? []).filter((e) => e.turn === b.turn - 1);
    const rivalName = this.ctx.rules.sides[view.side === 'us' ? 'china' : 'us'].name;
    // what really changed (our side, exact) apart from what our estimate of the rival changed (client/ui/quarter-report.ts)
    this.report.replaceChildren(
      h('h2', null, `Report: ${b.label}`),
      h('ul', { class: 'report-lines' },
        quarterReport(view, rivalName).map((l) => h('li', { class: `report-${l.kind}` }, l.text)),
        h('li', null, `${events.length} event${events.length === 1 ? '' : 's'} this quarter — see News.`)));
    text(this.report.querySelector('h2')!, `Report: ${b.label}`);
  }

  destroy(): void {
    this.status.destroy();
    this.headerSize.disconnect();
    this.stripSize.disconnect();
    this.map.destroy();
    this.alloc?.destroy();
  }
}
