// Diplomacy: agreements in force, proposals waiting for an answer, proposals to make, and chat channels.
import { h, fill, toast, uid } from './dom.ts';
import type { MatchContext } from '../app/match-ctrl.ts';
import type { Snapshot, TeamDocs, ChatMessage } from '../net/types.ts';

export class DiplomacyPanel {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private roleId: string;
  private deals: HTMLElement;
  private chatList: HTMLElement;
  private channel: HTMLSelectElement;
  private input: HTMLInputElement;
  private dealsKey = '';
  private chatKey = '';

  constructor(ctx: MatchContext, roleId: string) {
    this.ctx = ctx;
    this.roleId = roleId;
    this.deals = h('div', { class: 'deals' });
    // scrolls on its own: focusable so keyboard users can scroll it
    this.chatList = h('ol', { class: 'chat-list', 'aria-live': 'polite', 'aria-label': 'Messages', tabindex: 0 });
    const channelId = uid('channel');
    this.channel = h('select', { id: channelId });
    this.input = h('input', { id: uid('chat'), maxLength: 500, placeholder: 'Write a message…', autocomplete: 'off', 'aria-label': 'Message' });
    const form = h('form', { class: 'chat-form', onsubmit: (e: Event) => { e.preventDefault(); void this.sendChat(); } },
      h('label', { for: channelId }, 'To'), this.channel, this.input, h('button', { type: 'submit' }, 'Send'));
    this.el = h('div', { class: 'diplomacy' }, this.deals, h('section', { class: 'chat', 'aria-label': 'Chat' }, h('h3', null, 'Chat'), this.chatList, form));
  }

  update(s: Snapshot, team: TeamDocs): void {
    const view = team.view;
    if (!view) return;
    const rules = this.ctx.rules;
    const world = view.world;
    const editable = ['briefing', 'negotiation', 'orders'].includes(s.phase);
    const dk = JSON.stringify([world.agreements, world.pending, s.phase, world.turn]);
    if (dk !== this.dealsKey) {
      this.dealsKey = dk;
      const roleName = (id: string) => rules.roles.find((r) => r.id === id)?.name ?? id;
      const title = (id: string) => rules.proposals.find((p) => p.id === id)?.title ?? id;
      const toMe = world.pending.filter((p) => p.to === this.roleId);
      const fromUs = world.pending.filter((p) => p.from === this.roleId);
      const mine = rules.proposals.filter((p) => p.proposers.includes(this.roleId));
      const me = rules.roles.find((r) => r.id === this.roleId)!;
      const targets = rules.roles.filter((r) => r.side !== me.side);
      const propSel = h('select', { id: uid('proposal') }, mine.map((p) => h('option', { value: p.id }, p.title)));
      const toSel = h('select', { id: uid('to') }, targets.map((r) => h('option', { value: r.id }, r.name)));
      const propText = h('p', { class: 'hint' });
      const showText = () => {
        const p = mine.find((x) => x.id === propSel.value);
        propText.textContent = p ? `${p.text} Lasts ${p.turns} quarters.${p.needsSweetSpot ? ' Only while the US lead is in the 12–24 month sweet spot.' : ''}` : '';
      };
      propSel.addEventListener('change', showText);
      showText();
      fill(this.deals,
        h('section', null, h('h3', null, 'Agreements in force'),
          world.agreements.length ? h('ul', { class: 'agreements' }, world.agreements.map((a) => h('li', null, '⇄ ', h('strong', null, title(a.proposalId)),
            ` — ${roleName(a.proposer)} and ${roleName(a.accepter)}, `,
            // not in force until every role it binds (and each government it needs) has agreed
            a.awaiting?.length ? `waiting for ${a.awaiting.map(roleName).join(' and ')} to agree` : `${a.turnsLeft} quarter${a.turnsLeft === 1 ? '' : 's'} left`)))
            : h('p', { class: 'hint' }, 'None.')),
        toMe.length ? h('section', { class: 'pending-for-us' }, h('h3', null, 'Proposals to you'),
          h('ul', null, toMe.map((p) => {
            const rule = rules.proposals.find((x) => x.id === p.proposalId);
            const binds = rule?.binds.some((b) => b.role === this.roleId);
            return h('li', { class: 'proposal' }, h('p', null, h('strong', null, title(p.proposalId)), ` from ${roleName(p.from)}`,
              p.ratify ? (binds ? ' — it binds your team, so it holds only if you agree' : ' — your government must ratify it') : ''), h('p', { class: 'hint' }, rule?.text ?? ''),
              h('div', { class: 'row' },
                h('button', { type: 'button', class: 'primary', onclick: () => this.respond(p.key, true) }, 'Accept'),
                h('button', { type: 'button', onclick: () => this.respond(p.key, false) }, 'Reject')));
          }))) : null,
        fromUs.length ? h('section', null, h('h3', null, 'Waiting for an answer'),
          h('ul', null, fromUs.map((p) => h('li', null, `… ${title(p.proposalId)} to ${roleName(p.to)}`)))) : null,
        mine.length ? h('section', { class: 'make-proposal' }, h('h3', null, 'Make a proposal'),
          h('div', { class: 'field' }, h('label', { for: propSel.id }, 'Proposal'), propSel), propText,
          h('div', { class: 'field' }, h('label', { for: toSel.id }, 'To'), toSel),
          h('button', { type: 'button', disabled: !editable, onclick: () => this.propose(propSel.value, toSel.value) }, 'Propose'),
          editable ? null : h('p', { class: 'hint' }, 'Proposals are made during a quarter\'s briefing, negotiation or orders.'))
          : h('p', { class: 'hint' }, 'Your role makes no formal proposals, but it can answer them and chat.'));
    }
    const channels: [string, string][] = [['all', 'Everyone (public)'], ['team', 'My team only'], ...rules.roles.filter((r) => r.id !== this.roleId).map((r) => [r.id, r.name] as [string, string]),
      ...(s.mode === 'class' ? [['facilitator', 'The facilitator'] as [string, string]] : [])];
    if (this.channel.options.length !== channels.length) this.channel.replaceChildren(...channels.map(([v, l]) => h('option', { value: v }, l)));
    const chat: ChatMessage[] = [...team.chat, ...(s.publicDoc?.chat ?? [])].filter((m, i, all) => all.findIndex((x) => x.at === m.at && x.from === m.from && x.text === m.text) === i)
      .sort((a, b) => a.at.localeCompare(b.at));
    const ck = JSON.stringify(chat.map((m) => [m.at, m.from, m.text]));
    if (ck !== this.chatKey) {
      this.chatKey = ck;
      const names = Object.fromEntries(rules.roles.map((r) => [r.id, r.name]));
      this.chatList.replaceChildren(...(chat.length ? chat.slice(-80).map((m) => h('li', { class: m.fromRole === this.roleId ? 'ours' : '' },
        h('span', { class: 'who' }, `${m.fromName}${m.fromRole ? ` (${names[m.fromRole] ?? m.fromRole})` : ''}`), ' → ', h('span', { class: 'to' }, m.to === 'all' ? 'everyone' : m.to === 'team' ? 'team' : names[m.to] ?? m.to), ': ', m.text))
        : [h('li', { class: 'hint' }, 'No messages yet.')]));
      this.chatList.scrollTop = this.chatList.scrollHeight;
    }
  }

  private async propose(proposalId: string, to: string) {
    const r = await this.ctx.ctrl.propose(proposalId, to);
    if (r.ok) toast('Proposal sent.', 'ok'); else toast(r.message ?? 'The proposal was refused', 'error', r.details);
  }

  private async respond(key: number, accept: boolean) {
    const r = await this.ctx.ctrl.respond(key, accept);
    if (!r.ok) toast(r.message ?? 'Refused', 'error', r.details);
  }

  private async sendChat() {
    const text = this.input.value.trim();
    if (!text) return;
    const r = await this.ctx.ctrl.chat(this.channel.value, text);
    if (r.ok) this.input.value = ''; else toast(r.message ?? 'Not sent', 'error', r.details);
  }
}
