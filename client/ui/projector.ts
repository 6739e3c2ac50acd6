// The projector view for the class screen: the join code in the lobby, then the public map and headlines, large.
// It joins as a spectator, so it only ever receives public numbers.
import { h, text } from './dom.ts';
import { nameWithBadge } from './ai-badge.ts';
import { StatusBar } from './status-bar.ts';
import { MapView } from './map-view.ts';
import { joinCard } from './join-card.ts';
import { feedList } from './feed.ts';
import { leadGauge } from './intel.ts';
import { renderTimeline } from './charts.ts';
import { pct } from './format.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { SubScreen } from './screen.ts';
import type { Snapshot } from '../net/types.ts';

export class ProjectorScreen implements SubScreen {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private status: StatusBar;
  private lobby: HTMLElement;
  private game: HTMLElement;
  private lobbyTeams: HTMLElement;
  private map: MapView | null = null;
  private headlines: HTMLElement;
  private facts: HTMLElement;
  private timeline: HTMLElement;
  private seen: unknown = null;

  constructor(ctx: MatchContext) {
    this.ctx = ctx;
    this.status = new StatusBar({ large: true, rules: ctx.rules, who: h('div', { class: 'who' }, h('h1', { class: 'who-role' }, ctx.rules.name)) });
    this.lobbyTeams = h('div', { class: 'lobby-teams large' });
    this.lobby = h('div', { class: 'projector-lobby' },
      h('p', { class: 'projector-title' }, ctx.rules.name),
      joinCard(ctx.code, { large: true }),
      this.lobbyTeams);
    this.headlines = h('section', { class: 'headlines', 'aria-label': 'Headlines' });
    this.facts = h('section', { class: 'public-facts', 'aria-label': 'Public facts' });
    this.timeline = h('div', { class: 'timeline-strip large' });
    this.game = h('div', { class: 'projector-game', hidden: true },
      h('div', { class: 'projector-map' }),
      h('aside', { class: 'projector-side' }, this.facts, this.headlines));
    this.el = h('div', { class: 'projector-screen' }, this.status.el, this.lobby, this.game, h('footer', { class: 'projector-foot' }, `Join: ${location.host}/join/${ctx.code}`));
  }

  update(s: Snapshot): void {
    this.status.update(s);
    const inLobby = s.phase === 'lobby';
    this.lobby.hidden = !inLobby;
    this.game.hidden = inLobby;
    if (inLobby) {
      const key = JSON.stringify([s.roles, s.people]);
      if (this.lobbyTeams.dataset.key !== key) {
        this.lobbyTeams.dataset.key = key;
        this.lobbyTeams.replaceChildren(...s.roles.map((r) => h('section', { class: `team-card side-${r.side}` },
          h('h2', null, h('span', { class: `side-tag side-${r.side}` }, r.side === 'us' ? 'US' : 'CN'), ' ', r.name),
          r.seats === 0 ? h('p', null, '⚙ bot') : h('p', { class: 'names' }, s.people.filter((p) => p.role === r.id).map(nameWithBadge).join(', ') || 'nobody yet'))));
      }
      return;
    }
    if (!this.map) {
      this.map = new MapView({ projector: true, label: 'Public world map' });
      this.game.querySelector('.projector-map')!.append(this.map.el, this.timeline);
    }
    const pub = s.publicDoc;
    if (!pub || pub === this.seen) return;
    this.seen = pub;
    const world = pub.view.world;
    this.map.show({ rules: this.ctx.rules, world, view: null, side: null, projector: true });
    renderTimeline(this.timeline, pub.view.timeline, { turns: s.turns, band: this.ctx.rules.model.safeguards.sweetSpot, side: null, large: true, title: 'Lead as the press reports it' });
    const title = (id: string) => this.ctx.rules.proposals.find((p) => p.id === id)?.title ?? id;
    this.facts.replaceChildren(
      leadGauge(world.pressLead, this.ctx.rules.model.safeguards.sweetSpot, 'US lead as the press reports it'),
      h('dl', { class: 'facts' },
        h('dt', null, 'Incidents'), h('dd', null, `${world.incidents.minor} minor · ${world.incidents.major} major · ${world.incidents.catastrophic} catastrophic`),
        h('dt', null, 'Adoption of AI'), h('dd', null, `US ${pct(world.adoption.us)} · China ${pct(world.adoption.china)}`),
        h('dt', null, 'Agreements'), h('dd', null, world.agreements.length ? world.agreements.map((a) => `⇄ ${title(a.proposalId)}`).join(' · ') : 'none'),
        h('dt', null, 'Policies'), h('dd', null, `Global licensing ${world.globalLicensing ? 'on' : 'off'} · open weights ${world.openWeights ? 'on' : 'off'}`)));
    this.headlines.replaceChildren(h('h2', null, 'Headlines'), feedList(this.ctx.rules, pub.events, { limit: 6, large: true, turns: s.turns }));
    text(this.headlines.querySelector('h2')!, 'Headlines');
  }

  destroy(): void {
    this.status.destroy();
    this.map?.destroy();
  }
}
