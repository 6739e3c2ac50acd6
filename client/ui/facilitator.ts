// The facilitator's dashboard: the join code, every team's status, the controls the server offers, people, all chat.
import { h, text, toast, uid, announce } from './dom.ts';
import { aiBadge } from './ai-badge.ts';
import { StatusBar, teamState } from './status-bar.ts';
import { joinCard } from './join-card.ts';
import { ClassPanel } from './facilitator-class.ts';
import { money, months, pct } from './format.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { SubScreen } from './screen.ts';
import type { Snapshot } from '../net/types.ts';
import type { ClientPayload } from '../../shared/protocol/messages.ts';

/** Where a team's order would come from if the quarter resolved now, in words. */
const RESOLVES = { submitted: 'its submitted order', draft: 'its saved draft (not submitted yet)', bot: 'the bot\'s order', previous: 'last quarter\'s order (nothing saved)' } as const;
/** Where it came from last quarter. */
const LAST_RESOLVED = { submitted: 'submitted by the deadline', draft: 'its draft, submitted by rule at the deadline', bot: 'played by the bot', previous: 'nothing saved: last quarter\'s order kept' } as const;

export class FacilitatorScreen implements SubScreen {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private status: StatusBar;
  private controls: HTMLElement;
  private teams: HTMLElement;
  private people: HTMLElement;
  private truth: HTMLElement;
  private chatList: HTMLElement;
  private lobbyBox: HTMLElement;
  private keys: Record<string, string> = {};
  private classPanel: ClassPanel;
  /** people ticked in the people table, to move several at once */
  private selected = new Set<string>();

  constructor(ctx: MatchContext) {
    this.ctx = ctx;
    this.status = new StatusBar({ rules: ctx.rules, who: h('div', { class: 'who' }, h('h1', { class: 'who-role' }, 'Facilitator'), h('span', { class: 'who-name' }, ctx.code)) });
    this.controls = h('section', { class: 'panel controls', 'aria-label': 'Match controls' });
    this.teams = h('section', { class: 'fac-teams', 'aria-label': 'Teams' });
    this.people = h('section', { class: 'panel people-panel', 'aria-labelledby': 'people-title' });
    this.classPanel = new ClassPanel(ctx);
    this.truth = h('section', { class: 'panel truth', 'aria-label': 'True numbers (only you see these)' });
    this.chatList = h('ol', { class: 'chat-list', 'aria-live': 'polite', 'aria-label': 'All chat', tabindex: 0 });
    const chatTo = h('select', { id: uid('fchat') }, h('option', { value: 'all' }, 'Everyone'), ctx.rules.roles.map((r) => h('option', { value: r.id }, r.name)));
    const chatInput = h('input', { maxLength: 500, placeholder: 'Message…', 'aria-label': 'Message', autocomplete: 'off' });
    const chatForm = h('form', { class: 'chat-form', onsubmit: async (e: Event) => {
      e.preventDefault();
      if (!chatInput.value.trim()) return;
      const r = await ctx.ctrl.chat(chatTo.value, chatInput.value);
      if (r.ok) chatInput.value = ''; else toast(r.message ?? 'Not sent', 'error');
    } }, h('label', { for: chatTo.id }, 'To'), chatTo, chatInput, h('button', { type: 'submit' }, 'Send'));
    const key = ctx.facilitatorKey ?? '';
    this.lobbyBox = h('section', { class: 'panel fac-join' },
      joinCard(ctx.code),
      h('p', null, h('a', { class: 'button', href: `/projector/${ctx.code}`, target: '_blank', rel: 'noopener' }, 'Open the projector view ↗'),
        ' Put it on the class screen: it shows only public numbers.'),
      h('p', null, h('a', { class: 'button', href: `/debrief/${ctx.code}`, target: '_blank', rel: 'noopener', id: 'open-debrief-live' }, 'Debrief so far ↗'),
        ' Replays every decision for you alone while the class plays; fork from any quarter.'),
      h('details', null, h('summary', null, 'Facilitator link for another device'),
        h('p', { class: 'hint' }, 'Anyone with this link controls the class. Do not show it on the projector.'),
        h('input', { readOnly: true, value: `${location.origin}/facilitate/${ctx.code}#key=${key}`, 'aria-label': 'Facilitator link', class: 'wide' })));
    this.el = h('div', { class: 'facilitator-screen' },
      this.status.el,
      h('div', { class: 'fac-grid' },
        h('div', { class: 'fac-main' }, this.controls, this.teams, this.classPanel.el, this.truth),
        h('div', { class: 'fac-side' }, this.lobbyBox, this.people,
          h('section', { class: 'panel fac-chat', 'aria-label': 'All chat' }, h('h2', null, 'All chat'), this.chatList, chatForm))));
  }

  private async control(payload: ClientPayload<'control'>, done?: string): Promise<void> {
    const r = await this.ctx.ctrl.control(payload);
    if (!r.ok) toast(r.message ?? 'Refused', 'error', r.details);
    else if (done) { toast(done, 'ok'); announce(done); }
  }

  update(s: Snapshot): void {
    this.status.update(s);
    this.lobbyBox.classList.toggle('compact', s.phase !== 'lobby');
    this.renderControls(s);
    this.classPanel.update(s);
    this.renderTeams(s);
    this.renderPeople(s);
    this.renderTruth(s);
    this.renderChat(s);
  }

  private renderControls(s: Snapshot): void {
    const key = JSON.stringify([s.phase, s.paused, s.phaseEndsAt > 0 || s.phaseRemaining > 0]);
    if (this.keys.controls === key) return;
    this.keys.controls = key;
    const inQuarter = ['briefing', 'negotiation', 'orders'].includes(s.phase);
    const events = this.ctx.rules.events;
    const inject = h('select', { id: uid('inject') }, events.map((e) => h('option', { value: e.id }, e.title)));
    const btn = (label: string, payload: ClientPayload<'control'>, opts: { primary?: boolean; disabled?: boolean; done?: string; confirm?: string } = {}) =>
      h('button', { type: 'button', class: opts.primary ? 'primary' : '', disabled: !!opts.disabled, dataset: { action: String(payload.action) },
        onclick: () => { if (opts.confirm && !confirm(opts.confirm)) return; void this.control(payload, opts.done); } }, label);
    const rows: HTMLElement[] = [];
    if (s.phase === 'lobby') {
      rows.push(h('p', null, 'Students join with the code. Teams left empty are played by bots. Start when everyone is in.'),
        h('div', { class: 'row' }, btn('▶ Start the session', { action: 'start' }, { primary: true, done: 'The session started.' })));
    } else if (s.phase !== 'ended') {
      rows.push(h('div', { class: 'row' },
        s.paused ? btn('▶ Resume', { action: 'resume' }, { primary: true, done: 'Resumed.' }) : btn('❚❚ Pause', { action: 'pause' }, { done: 'Paused: timers stopped.' }),
        btn('+1 min', { action: 'extend', seconds: 60 }, { disabled: !(s.phaseEndsAt > 0 || s.phaseRemaining > 0), done: 'One more minute.' }),
        btn('▶▶ Next phase', { action: 'skipPhase' }),
        btn('↯ Resolve the quarter now', { action: 'resolveNow' }, { disabled: !inQuarter }),
        btn('■ End the match', { action: 'end' }, { confirm: 'End the match now? Scores are given for the world as it is.' })),
      h('div', { class: 'row' }, h('label', { for: inject.id }, 'Inject an event'), inject,
        h('button', { type: 'button', onclick: () => this.control({ action: 'inject', cardId: inject.value }, 'Event injected: it shows in everyone\'s news.') }, 'Inject')));
    }
    this.controls.replaceChildren(h('h2', null, 'Controls'), ...rows);
  }

  private renderTeams(s: Snapshot): void {
    const desk = s.desk;
    const key = JSON.stringify([s.roles, desk?.teams, s.phase]);
    if (this.keys.teams === key) return;
    this.keys.teams = key;
    this.teams.replaceChildren(...s.roles.map((r) => {
      const st = teamState(r, s.phase);
      const t = desk?.teams[r.id];
      const draft = t?.submitted ?? t?.draft;
      const spent = draft ? Object.values(draft.spend).reduce((a, b) => a + b, 0) : null;
      const forced = !!t?.botForced;
      return h('article', { class: `panel team-status side-${r.side} ${st.done ? 'done' : ''}`, dataset: { role: r.id } },
        h('h3', null, h('span', { class: `side-tag side-${r.side}` }, r.side === 'us' ? 'US' : 'CN'), ' ', r.name),
        h('p', { class: 'state' }, h('span', { 'aria-hidden': 'true' }, st.symbol, ' '), st.words),
        h('p', null, `${r.connected} of ${r.people} connected${r.seats ? ` · ${r.seats} seats` : ' · bot seat'}`),
        h('p', null, t?.submitted ? `Submitted (${money(spent ?? 0)})` : t?.draft ? `Draft ${money(spent ?? 0)}${t.draftBy ? '' : ''}` : 'No draft yet'),
        t?.lead ? h('p', { class: 'team-lead' }, `Lead: ${s.people.find((p) => p.id === t.lead)?.name ?? '?'}`) : null,
        t && (s.phase === 'briefing' || s.phase === 'negotiation' || s.phase === 'orders') ? h('p', { class: `resolves-as resolves-${t.resolvesAs}` }, `At the deadline: ${RESOLVES[t.resolvesAs]}`) : null,
        t?.lastResolvedAs ? h('p', { class: `last-resolved resolves-${t.lastResolvedAs}` }, `Last quarter: ${LAST_RESOLVED[t.lastResolvedAs]}`) : null,
        r.seats > 0 ? h('button', { type: 'button', class: 'small', onclick: () => this.control({ action: 'botSeat', role: r.id, bot: !forced }, forced ? `${r.name} is back with its people.` : `A bot plays ${r.name} now.`) },
          forced ? 'Give back to the team' : '⚙ Bot takes over') : null);
    }));
  }

  private renderPeople(s: Snapshot): void {
    const deskPeople = new Map((s.desk?.people ?? []).map((p) => [p.id, p]));
    const key = JSON.stringify([s.people, Object.values(s.desk?.teams ?? {}).map((t) => t.lead), [...deskPeople.values()].map((p) => [p.muted, p.waiting])]);
    if (this.keys.people === key) return;
    this.keys.people = key;
    const roles = this.ctx.rules.roles;
    for (const id of this.selected) if (!s.people.some((p) => p.id === id)) this.selected.delete(id);
    const moveTo = h('select', { id: uid('move-to'), 'aria-label': 'Move the ticked people to' }, h('option', { value: '' }, 'watching'), roles.map((r) => h('option', { value: r.id }, r.name)));
    const moveMany = h('form', { class: 'row move-many', onsubmit: async (e: Event) => {
      e.preventDefault();
      const ids = [...this.selected];
      if (!ids.length) { toast('Tick the people to move first.', 'error'); return; }
      let moved = 0;
      for (const id of ids) if ((await this.ctx.ctrl.control({ action: 'move', personId: id, role: moveTo.value || null })).ok) moved++;
      this.selected.clear();
      toast(`${moved} of ${ids.length} moved.`, moved === ids.length ? 'ok' : 'error');
    } }, h('label', { for: moveTo.id }, 'Move the ticked people to'), moveTo, h('button', { type: 'submit' }, 'Move'));
    this.people.replaceChildren(h('h2', { id: 'people-title' }, `People (${s.people.length})`),
      ...(s.people.length ? [moveMany] : []),
      s.people.length ? h('table', { class: 'people-table' },
        h('thead', null, h('tr', null, h('th', null, h('span', { class: 'visually-hidden' }, 'Tick')), h('th', null, 'Name'), h('th', null, 'Team'), h('th', null, 'Status'), h('th', null, 'Actions'))),
        h('tbody', null, s.people.map((p) => {
          const tick = h('input', { type: 'checkbox', 'aria-label': `Tick ${p.name}`, checked: this.selected.has(p.id), onchange: () => { if (tick.checked) this.selected.add(p.id); else this.selected.delete(p.id); } });
          const muted = !!deskPeople.get(p.id)?.muted;
          const waits = p.waiting === 'approval' ? ' · waiting to be let in' : p.waiting === 'queue' ? ' · in the queue' : '';
          const sel = h('select', { 'aria-label': `Move ${p.name} to`, onchange: () => this.control({ action: 'move', personId: p.id, role: sel.value || null }, `${p.name} moved.`) },
            h('option', { value: '' }, 'watching'), roles.map((r) => h('option', { value: r.id, selected: r.id === p.role }, r.name)));
          const leads = !!p.role && s.desk?.teams[p.role]?.lead === p.id;
          const mute = h('button', { type: 'button', class: 'small', 'aria-pressed': String(muted), onclick: () => void this.control({ action: 'mute', personId: p.id, muted: !muted }, muted ? `${p.name} may chat again.` : `${p.name} is muted.`) }, muted ? 'Unmute' : 'Mute');
          return h('tr', { dataset: { person: p.id } }, h('td', null, tick), h('td', null, p.name, aiBadge(p), leads ? ' (lead)' : '', muted ? ' (muted)' : ''), h('td', null, sel), h('td', null, p.connected ? '● online' : '○ away', waits),
            h('td', null, p.role && !leads ? h('button', { type: 'button', class: 'small', onclick: () => void this.ctx.ctrl.makeLead(p.id).then((r) => { if (!r.ok) toast(r.message ?? 'Refused', 'error'); else toast(`${p.name} leads the team.`, 'ok'); }) }, 'Make lead') : null, ' ', h('button', { type: 'button', class: 'small danger', onclick: () => { if (confirm(`Remove ${p.name} from the match?`)) void this.control({ action: 'remove', personId: p.id }, `${p.name} removed.`); } }, 'Remove'), ' ', mute));
        }))) : h('p', { class: 'hint' }, 'Nobody has joined yet.'));
  }

  private renderTruth(s: Snapshot): void {
    const st = s.desk?.state;
    if (!st || s.phase === 'lobby') { this.truth.hidden = true; return; }
    this.truth.hidden = false;
    const key = `${st.turn}/${st.sides.us.capability}`;
    if (this.keys.truth === key) return;
    this.keys.truth = key;
    const lead = st.sides.us.capability - st.sides.china.capability;
    this.truth.replaceChildren(h('h2', null, 'True numbers (only you see these)'),
      h('table', { class: 'truth-table' },
        h('thead', null, h('tr', null, h('th', null, h('span', { class: 'visually-hidden' }, 'Measure')), h('th', null, 'US'), h('th', null, 'China'))),
        h('tbody', null,
          h('tr', null, h('th', null, 'Capability'), h('td', null, months(st.sides.us.capability)), h('td', null, months(st.sides.china.capability))),
          h('tr', null, h('th', null, 'Safeguards'), h('td', null, pct(st.sides.us.safeguards)), h('td', null, pct(st.sides.china.safeguards))),
          h('tr', null, h('th', null, 'Adoption'), h('td', null, pct(st.sides.us.adoption)), h('td', null, pct(st.sides.china.adoption))))),
      h('p', null, `Lead ${months(lead, true)} · incidents ${st.incidents.minor}/${st.incidents.major}/${st.incidents.catastrophic} (minor/major/catastrophic)`));
  }

  private renderChat(s: Snapshot): void {
    const chat = s.desk?.chat ?? [];
    const key = `${chat.length}`;
    if (this.keys.chat === key) return;
    this.keys.chat = key;
    const names = Object.fromEntries(this.ctx.rules.roles.map((r) => [r.id, r.name]));
    this.chatList.replaceChildren(...(chat.length ? chat.slice(-100).map((m) => h('li', null,
      h('span', { class: 'who' }, `${m.fromName}${m.fromRole ? ` (${names[m.fromRole] ?? m.fromRole})` : ''}`), ' → ', m.to === 'all' ? 'everyone' : names[m.to] ?? m.to, ': ', m.text))
      : [h('li', { class: 'hint' }, 'No chat yet.')]));
    this.chatList.scrollTop = this.chatList.scrollHeight;
    void text;
  }

  destroy(): void { this.status.destroy(); this.classPanel.destroy(); }
}
