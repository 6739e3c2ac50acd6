// The team's allocation panel: every lever with its budget share, help and last quarter's value, the shared
// team draft (live), settings, a running total that refuses over-budget plans, submit/take back, and a forecast.
import { h, text, uid, toast, announce } from './dom.ts';
import { money, pct, months, compute } from './format.ts';
import { checkDraft, forecast, type Forecast } from '../app/forecast.ts';
import type { MatchContext } from '../app/match-app.ts';
import type { Snapshot, Order, TeamDocs, RuleFile } from '../app/types.ts';

type RoleRule = RuleFile['roles'][number];
type View = NonNullable<TeamDocs['view']>;

const CATEGORY = { compute: 'Compute', exportControls: 'Export controls', enforcement: 'Enforcement', safety: 'Safety' } as const;
const TIERS = ['open', 'licensed', 'embargo'] as const;
const EDIT_PHASES = ['briefing', 'negotiation', 'orders'];

const round2 = (x: number) => Math.round(x * 100) / 100;
/** JSON with sorted keys, so an order echoed by the server compares equal to the one sent. */
function canon(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
const sameOrder = (a: Order | null, b: Order | null) => canon(a) === canon(b);

interface LeverRow { id: string; number: HTMLInputElement; range: HTMLInputElement; last: HTMLElement; share: HTMLElement; bar: HTMLElement }

export class AllocationPanel {
  readonly el: HTMLElement;
  private ctx: MatchContext;
  private role: RoleRule;
  private body: HTMLElement;
  private header: HTMLElement;
  private totalEl: HTMLElement;
  private totalBar: HTMLElement;
  private budgetMsg: HTMLElement;
  private draftBy: HTMLElement;
  private actions: HTMLElement;
  private forecastEl: HTMLElement;
  private rows = new Map<string, LeverRow>();
  private settingsEls: { tiers: Map<string, HTMLSelectElement>; licensing?: HTMLInputElement; openWeights?: HTMLInputElement; hub?: HTMLInputElement } = { tiers: new Map() };
  private quarterKey = '';
  private local: Order = { spend: {} };
  private serverDraft: Order | null = null;
  private view: View | null = null;
  private team: TeamDocs | null = null;
  private snap: Snapshot | null = null;
  private sendTimer = 0;
  /** an edit here is waiting to be shared: a team-mate's older draft must not overwrite it */
  private sendPending = false;
  private forecastTimer = 0;
  private busy = false;
  private lastSent: string = '';

  constructor(ctx: MatchContext, roleId: string) {
    this.ctx = ctx;
    this.role = ctx.rules.roles.find((r) => r.id === roleId)!;
    this.header = h('div', { class: 'alloc-head' });
    this.body = h('div', { class: 'levers' });
    this.totalEl = h('div', { class: 'total', 'aria-live': 'polite' });
    this.totalBar = h('div', { class: 'total-bar' });
    this.budgetMsg = h('div', { class: 'budget-msg', role: 'alert', id: uid('budget-msg') });
    this.draftBy = h('p', { class: 'draft-by hint', 'aria-live': 'polite' });
    this.actions = h('div', { class: 'alloc-actions' });
    this.forecastEl = h('section', { class: 'forecast', 'aria-label': 'Forecast', 'aria-live': 'off' });
    this.el = h('section', { class: 'panel allocation', 'aria-labelledby': 'alloc-title' },
      h('h2', { id: 'alloc-title' }, 'Your orders'),
      this.header, this.actions,
      h('div', { class: 'total-box' }, this.totalEl, h('div', { class: 'total-track', 'aria-hidden': 'true' }, this.totalBar), this.budgetMsg),
      this.draftBy,
      h('div', { class: 'quick' },
        h('button', { type: 'button', class: 'small', onclick: () => this.applyPreset('last') }, 'Repeat last quarter'),
        h('button', { type: 'button', class: 'small', onclick: () => this.applyPreset('statusQuo') }, '2026 split'),
        h('button', { type: 'button', class: 'small', onclick: () => this.applyPreset('clear') }, 'Clear')),
      this.body, this.forecastEl);
  }

  private get editable(): boolean {
    const s = this.snap;
    return !!s && EDIT_PHASES.includes(s.phase) && !this.team?.submitted;
  }

  update(s: Snapshot, team: TeamDocs): void {
    this.snap = s;
    this.team = team;
    const view = team.view;
    if (!view) return;
    this.view = view;
    const key = `${view.world.turn}`;
    if (key !== this.quarterKey) {
      this.quarterKey = key;
      this.local = team.draft ? clone(team.draft) : this.defaultOrder(view);
      this.serverDraft = team.draft;
      this.lastSent = '';
      this.build(view);
    } else if (!sameOrder(team.draft, this.serverDraft)) {
      // a team-mate changed the shared draft (or ours came back): take it, except where someone is typing here
      this.serverDraft = team.draft;
      if (team.draft && canon(team.draft) !== this.lastSent && !this.sendPending) {
        this.local = clone(team.draft);
        this.syncInputs(true);
      }
    }
    text(this.header, `${this.role.name}: budget ${money(view.budget)} this quarter (${view.world.quarter}). Unspent money: ${pct(this.role.budget.carryOver)} carries over.`);
    this.renderDraftState();
    this.renderActions();
    this.setDisabled(!this.editable);
    this.renderTotal();
  }

  /** Whether the team's shared draft is this screen's plan, in words (saving, saved, or whose it is). */
  private renderDraftState(): void {
    const team = this.team;
    if (!team) return;
    let words: string;
    if (team.submitted) words = `Submitted${team.draftBy ? ` by ${team.draftBy}` : ''}. Take it back to change it.`;
    else if (this.overBudget() > 0) words = 'Not saved: over budget.';
    else if (this.editable && (this.sendPending || (this.lastSent && canon(team.draft) !== canon(this.local)))) words = 'Saving your changes for the team…';
    else if (team.draftBy) words = `Team draft saved ✓ (last edited by ${team.draftBy}). Everyone on your team sees it.`;
    else words = 'Nobody on your team has saved a draft yet: changes you make are shared with your team.';
    text(this.draftBy, words);
  }

  private defaultOrder(view: View): Order {
    const last = view.lastOrder;
    if (last) return this.fit(clone(last), view.budget);
    return this.statusQuo(view);
  }

  private statusQuo(view: View): Order {
    const spend: Record<string, number> = {};
    for (const l of this.role.levers) spend[l.id] = round2(view.budget * l.statusQuo);
    return { spend, ...this.currentSettings(view) };
  }

  private currentSettings(view: View): Partial<Order> {
    const out: Partial<Order> = {};
    if (this.role.settings.includes('exportTiers')) out.exportTiers = Object.fromEntries(Object.entries(view.world.regions).map(([k, v]) => [k, v.tier]));
    if (this.role.settings.includes('globalLicensing')) out.globalLicensing = view.world.globalLicensing;
    if (this.role.settings.includes('openWeights')) out.openWeights = view.world.openWeights;
    return out;
  }

  /** Scales spending down to the budget (a repeated order may no longer fit). */
  private fit(order: Order, budget: number): Order {
    const total = Object.values(order.spend).reduce((a, b) => a + b, 0);
    if (total > budget) for (const k of Object.keys(order.spend)) order.spend[k] = Math.floor((order.spend[k] * budget / total) * 100) / 100;
    else for (const k of Object.keys(order.spend)) order.spend[k] = round2(order.spend[k]);
    return order;
  }

  private build(view: View): void {
    this.rows.clear();
    this.settingsEls = { tiers: new Map() };
    const leverEls = this.role.levers.map((l) => {
      const id = uid(`lever-${l.id}`);
      const helpId = `${id}-help`;
      const number = h('input', { id, type: 'number', min: 0, step: 0.1, inputMode: 'decimal', class: 'lever-number', 'aria-describedby': `${helpId} ${this.budgetMsg.id}`, dataset: { lever: l.id } });
      const range = h('input', { type: 'range', min: 0, max: String(round2(view.budget)), step: 0.05, class: 'lever-range', 'aria-label': `${l.name}, $B`, 'aria-describedby': helpId, dataset: { lever: l.id } });
      const last = h('span', { class: 'last' });
      const share = h('span', { class: 'share' });
      const bar = h('span', { class: 'share-bar', 'aria-hidden': 'true' });
      number.addEventListener('input', () => this.setLever(l.id, Number(number.value), 'number'));
      number.addEventListener('change', () => this.setLever(l.id, Number(number.value), 'number', true));
      range.addEventListener('input', () => this.setLever(l.id, Number(range.value), 'range'));
      this.rows.set(l.id, { id: l.id, number, range, last, share, bar });
      return h('div', { class: `lever cat-${l.category}`, dataset: { lever: l.id } },
        h('div', { class: 'lever-top' },
          h('label', { for: id }, l.name),
          h('span', { class: 'cat-tag' }, CATEGORY[l.category]),
          h('span', { class: 'money-input' }, h('span', { 'aria-hidden': 'true' }, '$'), number, h('span', { 'aria-hidden': 'true' }, 'B'))),
        range,
        h('div', { class: 'lever-meta' }, share, h('span', { class: 'share-track', 'aria-hidden': 'true' }, bar), last),
        h('p', { class: 'help', id: helpId }, l.help));
    });
    const settings = this.buildSettings(view);
    this.body.replaceChildren(...leverEls, settings ?? '', this.buildDilemmas(view) ?? '');
    this.syncInputs(false);
  }

  private buildSettings(view: View): HTMLElement | null {
    const holds = this.role.settings;
    if (!holds.length) return null;
    const box = h('fieldset', { class: 'settings' }, h('legend', null, 'Policies'));
    if (holds.includes('exportTiers')) {
      const regions = [...this.ctx.rules.regions].sort((a, b) => (a.alignment === 'us' ? 1 : 0) - (b.alignment === 'us' ? 1 : 0));
      box.append(h('p', { class: 'hint' }, 'Export tier for US-aligned chips: open (free), licensed (downgraded chips, about half), embargo (none). Tier-2 hubs are where smugglers divert chips.'));
      const grid = h('div', { class: 'tier-grid' });
      for (const r of regions) {
        const id = uid(`tier-${r.id}`);
        const sel = h('select', { id, dataset: { region: r.id } }, TIERS.map((t) => h('option', { value: t }, t)));
        sel.addEventListener('change', () => { this.local.exportTiers = { ...(this.local.exportTiers ?? {}), [r.id]: sel.value as typeof TIERS[number] }; this.changed(true); });
        this.settingsEls.tiers.set(r.id, sel);
        grid.append(h('label', { for: id }, r.name, h('small', null, r.alignment === 'tier2' ? ' · Tier-2 hub' : r.alignment === 'china' ? ' · China-aligned' : ' · US-aligned')), sel);
      }
      box.append(grid);
    }
    if (holds.includes('globalLicensing')) {
      const cb = h('input', { type: 'checkbox', id: uid('licensing') });
      cb.addEventListener('change', () => { this.local.globalLicensing = cb.checked; this.changed(true); });
      this.settingsEls.licensing = cb;
      box.append(h('label', { class: 'check', for: cb.id }, cb, ' Global licensing: licences for advanced chips worldwide (more smuggled shipments seized)'));
    }
    if (holds.includes('openWeights')) {
      const cb = h('input', { type: 'checkbox', id: uid('openweights') });
      cb.addEventListener('change', () => { this.local.openWeights = cb.checked; this.changed(true); });
      this.settingsEls.openWeights = cb;
      box.append(h('label', { class: 'check', for: cb.id }, cb, ' Release models as open weights (adoption rises, and so does the risk of incidents)'));
    }
    if (holds.includes('hubCompliance')) {
      const r = h('input', { type: 'range', min: 0, max: 1, step: 0.05, id: uid('hub') });
      r.addEventListener('input', () => { this.local.hubCompliance = Number(r.value); this.changed(false); });
      this.settingsEls.hub = r;
      box.append(h('label', { for: r.id }, 'Hub compliance (share of transshipment business refused)'), r);
    }
    void view;
    return box;
  }

  /** The dilemmas put to this role: one choice each, answered in this order (the card's default if left alone). */
  private buildDilemmas(view: View): HTMLElement | null {
    if (!view.dilemmas?.length) return null;
    const box = h('fieldset', { class: 'settings dilemmas' }, h('legend', null, 'Decisions'));
    for (const d of view.dilemmas) {
      const name = uid(`dilemma-${d.cardId}`);
      box.append(h('p', null, h('strong', null, d.title), ' ', d.text));
      for (const o of d.options) {
        const radio = h('input', { type: 'radio', name, id: `${name}-${o.id}`, value: o.id });
        radio.checked = (this.local.dilemmas?.[d.cardId] ?? d.default) === o.id;
        radio.addEventListener('change', () => { this.local.dilemmas = { ...(this.local.dilemmas ?? {}), [d.cardId]: o.id }; this.changed(true); });
        box.append(h('label', { class: 'check', for: radio.id }, radio, ` ${o.label}${o.id === d.default ? ' (if you do not choose)' : ''}`));
      }
    }
    return box;
  }

  /** Puts the local draft into the inputs; `remote` skips the field someone here is typing in. */
  private syncInputs(remote: boolean): void {
    const view = this.view!;
    const active = document.activeElement;
    for (const [id, row] of this.rows) {
      const v = this.local.spend[id] ?? 0;
      if (!(remote && active === row.number)) {
        if (Number(row.number.value) !== v || row.number.value === '') row.number.value = String(round2(v));
      }
      if (!(remote && active === row.range)) row.range.value = String(Math.min(v, Number(row.range.max)));
      const last = view.lastOrder?.spend[id];
      text(row.last, last === undefined ? 'first quarter' : `last quarter ${money(last)}`);
    }
    const tiers = this.local.exportTiers ?? {};
    for (const [region, sel] of this.settingsEls.tiers) sel.value = tiers[region] ?? view.world.regions[region]?.tier ?? 'open';
    if (this.settingsEls.licensing) this.settingsEls.licensing.checked = this.local.globalLicensing ?? view.world.globalLicensing;
    if (this.settingsEls.openWeights) this.settingsEls.openWeights.checked = this.local.openWeights ?? view.world.openWeights;
    if (this.settingsEls.hub) this.settingsEls.hub.value = String(this.local.hubCompliance ?? 0.5);
    this.renderTotal();
    this.scheduleForecast();
  }

  private setLever(id: string, value: number, from: 'number' | 'range', commit = false): void {
    if (!Number.isFinite(value) || value < 0) value = 0;
    this.local.spend = { ...this.local.spend, [id]: round2(value) };
    const row = this.rows.get(id)!;
    if (from === 'range') row.number.value = String(round2(value));
    else row.range.value = String(Math.min(value, Number(row.range.max)));
    this.changed(commit);
  }

  private applyPreset(kind: 'last' | 'statusQuo' | 'clear'): void {
    if (!this.view || !this.editable) return;
    const view = this.view;
    if (kind === 'last') this.local = view.lastOrder ? this.fit(clone(view.lastOrder), view.budget) : this.statusQuo(view);
    else if (kind === 'statusQuo') this.local = this.statusQuo(view);
    else this.local = { ...this.local, spend: Object.fromEntries(this.role.levers.map((l) => [l.id, 0])) };
    this.syncInputs(false);
    this.changed(true);
  }

  private total(): number {
    return this.role.levers.reduce((a, l) => a + (this.local.spend[l.id] ?? 0), 0);
  }

  private overBudget(): number {
    return this.view ? round2(this.total() - this.view.budget) : 0;
  }

  private renderTotal(): void {
    const view = this.view;
    if (!view) return;
    const total = this.total();
    const over = this.overBudget();
    text(this.totalEl, `Spent ${money(total)} of ${money(view.budget)}${over > 0 ? '' : ` · ${money(Math.max(0, view.budget - total))} unspent`}`);
    this.totalBar.style.width = `${Math.min(100, (total / Math.max(0.01, view.budget)) * 100)}%`;
    this.totalBar.classList.toggle('over', over > 0);
    this.el.classList.toggle('is-over', over > 0);
    text(this.budgetMsg, over > 0
      ? `⚠ Over budget by ${money(over)}: this plan spends ${money(total)} but your team has ${money(view.budget)} this quarter. Lower a lever before it can be saved or submitted.`
      : '');
    for (const [id, row] of this.rows) {
      const v = this.local.spend[id] ?? 0;
      text(row.share, `${pct(total > 0 ? v / Math.max(total, view.budget) : 0)} of budget`);
      row.bar.style.width = `${Math.min(100, (v / Math.max(0.01, view.budget)) * 100)}%`;
      row.number.setAttribute('aria-invalid', String(over > 0));
    }
    this.renderActions();
  }

  /** After each edit: check locally, then share the draft with the team (debounced), unless over budget. */
  private changed(now: boolean): void {
    this.renderTotal();
    queueMicrotask(() => this.renderDraftState());
    this.scheduleForecast();
    clearTimeout(this.sendTimer);
    this.sendPending = false;
    if (!this.editable || this.overBudget() > 0) return;
    this.sendPending = true;
    this.sendTimer = window.setTimeout(() => { this.sendPending = false; this.sendDraft(); }, now ? 50 : 350);
  }

  private sendDraft(): void {
    if (!this.view || !this.editable || this.overBudget() > 0) return;
    const check = checkDraft(this.ctx.rules, this.view, this.local);
    if (!check.ok) { text(this.budgetMsg, `⚠ ${check.errors.join(' ')}`); return; }
    const payload = canon(this.local);
    if (payload === this.lastSent) return;
    this.lastSent = payload;
    this.ctx.session.send('draft', { order: this.local });
  }

  private renderActions(): void {
    const s = this.snap;
    const team = this.team;
    if (!s || !team) return;
    const over = this.overBudget() > 0;
    const seat = s.roles.find((r) => r.id === this.role.id);
    const key = `${s.phase}|${!!team.submitted}|${over}|${seat?.ready}|${this.busy}|${s.paused}`;
    if (this.actions.dataset.key === key) return;
    this.actions.dataset.key = key;
    const btns: HTMLElement[] = [];
    if (s.phase === 'orders') {
      if (team.submitted) {
        btns.push(h('p', { class: 'submitted-note' }, '✓ Your team\'s order is in.'),
          h('button', { type: 'button', class: 'big', disabled: this.busy, onclick: () => this.unsubmit() }, 'Take back to edit'));
      } else {
        btns.push(h('button', { type: 'button', class: 'primary big', disabled: over || this.busy, 'aria-describedby': this.budgetMsg.id, onclick: () => this.submit() }, over ? 'Over budget: cannot submit' : 'Submit our order'));
      }
    } else if (['briefing', 'negotiation', 'report'].includes(s.phase)) {
      const ready = !!seat?.ready;
      const label = s.phase === 'report' ? 'Next quarter' : s.phase === 'briefing' ? 'Done reading: to negotiation' : 'Done talking: to orders';
      btns.push(h('button', { type: 'button', class: ready ? 'big' : 'primary big', 'aria-pressed': String(ready), disabled: this.busy, onclick: () => this.ready(!ready) }, ready ? '✓ Ready — waiting for the others (undo)' : label));
      if (s.phase !== 'report') btns.push(h('p', { class: 'hint' }, 'Orders open in the Orders phase; you can draft now.'));
    }
    this.actions.replaceChildren(...btns);
  }

  private async submit(): Promise<void> {
    if (!this.view) return;
    const over = this.overBudget();
    if (over > 0) { toast(`Over budget by ${money(over)}.`, 'error'); return; }
    const check = checkDraft(this.ctx.rules, this.view, this.local);
    if (!check.ok) { toast('The order is not valid', 'error', check.errors); return; }
    this.busy = true;
    this.renderActions();
    clearTimeout(this.sendTimer);
    const r = await this.ctx.session.act('submit', { order: this.local });
    this.busy = false;
    this.actions.dataset.key = '';
    this.renderActions();
    if (!r.ok) toast(r.message ?? 'The order was refused', 'error', r.details);
    else {
      announce('Order submitted.');
      if (r.warnings?.length) toast('Submitted, with a warning', 'info', r.warnings);
    }
  }

  private async unsubmit(): Promise<void> {
    this.busy = true;
    this.renderActions();
    const r = await this.ctx.session.act('unsubmit', {});
    this.busy = false;
    this.actions.dataset.key = '';
    this.renderActions();
    if (!r.ok) toast(r.message ?? 'Could not take it back', 'error');
  }

  private async ready(ready: boolean): Promise<void> {
    this.busy = true;
    this.renderActions();
    const r = await this.ctx.session.act('ready', { ready });
    this.busy = false;
    this.actions.dataset.key = '';
    this.renderActions();
    if (!r.ok) toast(r.message ?? 'Refused', 'error');
  }

  private setDisabled(disabled: boolean): void {
    this.el.classList.toggle('locked', disabled);
    for (const input of this.body.querySelectorAll('input, select')) (input as HTMLInputElement).disabled = disabled;
    for (const b of this.el.querySelectorAll('.quick button')) (b as HTMLButtonElement).disabled = disabled;
  }

  private scheduleForecast(): void {
    clearTimeout(this.forecastTimer);
    this.forecastTimer = window.setTimeout(() => this.renderForecast(), 200);
  }

  private renderForecast(): void {
    const view = this.view;
    if (!view || view.world.finished) { this.forecastEl.replaceChildren(); return; }
    if (this.overBudget() > 0) {
      this.forecastEl.replaceChildren(h('h3', null, 'Forecast'), h('p', { class: 'hint' }, 'No forecast for an over-budget plan.'));
      return;
    }
    let f: Forecast | null = null;
    try { f = forecast(this.ctx.rules, view, this.local); } catch (err) {
      this.forecastEl.replaceChildren(h('h3', null, 'Forecast'), h('p', { class: 'hint' }, `The forecast could not run: ${(err as Error).message}`));
      return;
    }
    if (!f) return;
    const side = view.side;
    const leadWord = side === 'us' ? 'US lead' : 'US lead (negative: China ahead)';
    const row = (label: string, value: string, range: string, delta: number, fmt: (x: number) => string, betterUp: boolean | null) => {
      // a change too small to show in the row's unit is no change
      const same = fmt(Math.abs(delta)) === fmt(0);
      const sign = same ? '=' : delta > 0 ? '▲' : '▼';
      const good = betterUp === null || same ? '' : (delta > 0) === betterUp ? 'good' : 'bad';
      return h('tr', null, h('th', { scope: 'row' }, label), h('td', null, value, h('small', null, range)),
        h('td', { class: `delta ${good}` }, same ? '= same' : `${sign} ${fmt(Math.abs(delta))}`));
    };
    const m1 = (x: number) => months(x);
    this.forecastEl.replaceChildren(
      h('h3', null, `Forecast for the end of ${f.quarter}`),
      h('p', { class: 'hint' }, `The game's engine run ${f.runs} times on what your team knows: the other side's numbers are your estimates and their orders are unknown. Compared with repeating last quarter's order.`),
      h('table', { class: 'forecast-table' },
        h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'With this plan (range)'), h('th', null, 'vs. repeat'))),
        h('tbody', null,
          row(leadWord, months(f.lead.value), ` ${months(f.lead.low)} – ${months(f.lead.high)}`, f.lead.value - f.baseline.lead, m1, side === 'us'),
          row('Our capability', months(f.capability.value), ` ${months(f.capability.low)} – ${months(f.capability.high)}`, f.capability.value - f.baseline.capability, m1, true),
          row('Our effective compute', compute(f.effectiveCompute.value), '', f.effectiveCompute.value - f.baseline.effectiveCompute, compute, true),
          row('Our safeguards', pct(f.safeguards.value), ` ${pct(f.safeguards.low)} – ${pct(f.safeguards.high)}`, f.safeguards.value - f.baseline.safeguards, pct, true),
          row('Our adoption', pct(f.adoption.value), '', f.adoption.value - f.baseline.adoption, pct, true),
          row('Incident chance next quarter', pct(f.risk.value), '', f.risk.value - f.baseline.risk, pct, false))));
  }

  destroy(): void {
    clearTimeout(this.sendTimer);
    clearTimeout(this.forecastTimer);
  }
}

function clone<T>(x: T): T { return JSON.parse(JSON.stringify(x)) as T; }
