// The lobby: who is here, the teams, ready states, and the code to invite others.
import { h, text } from './dom.ts';
import { aiBadge } from './ai-badge.ts';
import { joinCard } from './join-card.ts';
import { howToPlay } from './title.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { SubScreen } from './screen.ts';
import type { Snapshot } from '../net/types.ts';

export class LobbyScreen implements SubScreen {
  readonly el: HTMLElement;
  private teams: HTMLElement;
  private me: HTMLElement;
  private readyBtn: HTMLButtonElement;
  private waiting: HTMLElement;
  private ctx: MatchContext;

  constructor(ctx: MatchContext) {
    this.ctx = ctx;
    this.teams = h('div', { class: 'lobby-teams' });
    this.me = h('p', { class: 'lede' });
    this.waiting = h('p', { class: 'waiting', role: 'status' });
    this.readyBtn = h('button', { class: 'primary big', type: 'button', onclick: () => this.toggleReady() }, 'We are ready');
    this.el = h('div', { class: 'screen lobby-screen' },
      h('h1', null, 'Lobby'),
      this.me,
      h('div', { class: 'lobby-grid' },
        h('div', null, h('h2', null, 'Teams'), this.teams, h('div', { class: 'lobby-actions' }, this.readyBtn, this.waiting)),
        h('div', null, joinCard(ctx.code), howToPlay())));
  }

  private async toggleReady() {
    const seat = this.ctx.ctrl.snapshot?.roles.find((r) => r.id === this.ctx.role);
    this.readyBtn.disabled = true;
    await this.ctx.ctrl.setReady(!seat?.ready);
    this.readyBtn.disabled = false;
  }

  update(s: Snapshot): void {
    const mine = this.ctx.role;
    const role = s.roles.find((r) => r.id === mine);
    const rule = this.ctx.rules.roles.find((r) => r.id === mine);
    // names are unique in a match: this person's entry in the people list
    const waits = s.people.find((p) => p.name === this.ctx.name)?.waiting;
    text(this.me, role ? `${this.ctx.name}, you are on the ${role.name} team. ${rule?.blurb ?? ''}`
      : waits === 'approval' ? `${this.ctx.name}, your teacher lets each student in: please wait, you join a team as soon as they do.`
        : waits === 'queue' ? `${this.ctx.name}, every team is full: you are in the queue (number ${s.people.filter((p) => p.waiting === 'queue').findIndex((p) => p.name === this.ctx.name) + 1}) and take the next seat that opens.`
          : `${this.ctx.name}, you are watching; the facilitator can move you into a team.`);
    this.teams.replaceChildren(...s.roles.map((r) => {
      const people = s.people.filter((p) => p.role === r.id);
      return h('section', { class: `team-card side-${r.side} ${r.id === mine ? 'mine' : ''}`, 'aria-label': r.name },
        h('h3', null, h('span', { class: `side-tag side-${r.side}` }, r.side === 'us' ? 'US' : 'CN'), ' ', r.name,
          r.ready ? h('span', { class: 'badge ok' }, '✓ ready') : null),
        r.seats === 0 ? h('p', { class: 'hint' }, `⚙ A bot plays this team (${r.botPersonality})`)
          : h('ul', { class: 'people' }, people.length ? people.map((p) => h('li', null, p.connected ? '● ' : '○ ', p.name, aiBadge(p), p.connected ? '' : ' (away)'))
            : h('li', { class: 'hint' }, `Nobody yet — ${r.seats} seat${r.seats === 1 ? '' : 's'}; a bot plays it if it stays empty`)));
    }));
    const online = s.mode === 'online';
    this.readyBtn.hidden = !online || !role;
    if (role) this.readyBtn.textContent = role.ready ? 'Not ready yet' : 'We are ready';
    this.readyBtn.setAttribute('aria-pressed', String(!!role?.ready));
    text(this.waiting, online
      ? 'The match starts when every team with a player is ready. Empty teams are played by bots.'
      : 'Waiting for your teacher to start the session…');
  }
}
