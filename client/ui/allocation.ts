// The team's allocation panel, a view of the team's draft (client/app/team-draft.ts): every lever with its budget share,
// help and last quarter's value, settings, a running total that refuses over-budget plans, submit/take back, the forecast.
import { SETTINGS } from '../../shared/rules/settings.ts';
import { h, fill, text, uid } from './dom.ts';
import { money, pct, months, compute } from './format.ts';
import type { TeamDraft, DraftChange, DraftView as View, Tier } from '../app/team-draft.ts';

const CATEGORY = { compute: 'Compute', exportControls: 'Export controls', enforcement: 'Enforcement', safety: 'Safety' } as const;
const TIERS = ['open', 'licensed', 'embargo'] as const;

const round2 = (x: number) => Math.round(x * 100) / 100;

interface LeverRow { id: string; number: HTMLInputElement; range: HTMLInputElement; last: HTMLElement; share: HTMLElement; bar: HTMLElement }

export class AllocationPanel {
  readonly el: HTMLElement;
  private draft: TeamDraft;
  private role: TeamDraft['role'];
  private body: HTMLElement;
  private header: HTMLElement;
  private totalEl: HTMLElement;
  private totalBar: HTMLElement;
  private budgetMsg: HTMLElement;
  private draftBy: HTMLElement;
  private teamBox: HTMLElement;
  private actions: HTMLElement;
  private forecastEl: HTMLElement;
  private rows = new Map<string, LeverRow>();
  private settingsEls: { tiers: Map<string, HTMLSelectElement>; licensing?: HTMLInputElement; openWeights?: HTMLInputElement; hub?: HTMLInputElement } = { tiers: new Map() };
  private readonly dilemmaEls = new Map<string, { radios: HTMLInputElement[]; fallback: string }>();
  private off: () => void;
  private actionFocus = false;

  constructor(draft: TeamDraft) {
    this.draft = draft;
    this.role = draft.role;
    this.header = h('div', { class: 'alloc-head' });
    this.body = h('div', { class: 'levers' });
    this.totalEl = h('div', { class: 'total', 'aria-live': 'polite' });
    this.totalBar = h('div', { class: 'total-bar' });
    this.budgetMsg = h('div', { class: 'budget-msg', role: 'alert', id: uid('budget-msg') });
    this.draftBy = h('p', { class: 'draft-by hint', 'aria-live': 'polite' });
    this.actions = h('div', { class: 'alloc-actions' });
    // a pressed button turns disabled while the server answers, which drops focus to the page: remember it was here
    this.actions.addEventListener('focusin', () => { this.actionFocus = true; });
    this.actions.addEventListener('focusout', (e) => { if ((e as FocusEvent).relatedTarget) this.actionFocus = false; });
    this.teamBox = h('section', { class: 'team-work', 'aria-label': 'Your team' });
    this.forecastEl = h('section', { class: 'forecast', 'aria-label': 'Forecast', 'aria-live': 'off' });
    this.el = h('section', { class: 'panel allocation', 'aria-labelledby': 'alloc-title' },
      // elementtiming: when the orders first show (npm run bench:client reads it)
      h('h2', { id: 'alloc-title', elementtiming: 'orders' }, 'Your orders'),
      this.header,
      // on a phone this bar stays under the header while the levers scroll by (styles.css .alloc-sticky)
      h('div', { class: 'alloc-sticky' }, this.actions,
        h('div', { class: 'total-box' }, this.totalEl, h('div', { class: 'total-track', 'aria-hidden': 'true' }, this.totalBar), this.budgetMsg)),
      this.draftBy,
      this.teamBox,
      h('div', { class: 'quick' },
        h('button', { type: 'button', class: 'small', onclick: () => draft.applyPreset('last') }, 'Repeat last quarter'),
        h('button', { type: 'button', class: 'small', onclick: () => draft.applyPreset('statusQuo') }, '2026 split'),
        h('button', { type: 'button', class: 'small', onclick: () => draft.applyPreset('clear') }, 'Clear')),
      this.body, this.forecastEl);
    this.off = draft.onChange.on((c) => this.changed(c));
    if (draft.view) { this.build(draft.view); this.changed('status'); this.changed('forecast'); }
  }

  /** Redraws what a change of the draft touches. */
  private changed(c: DraftChange): void {
    const view = this.draft.view;
    if (!view) return;
    if (c === 'quarter') this.build(view);
    else if (c === 'remote' || c === 'local') this.syncInputs();
    else if (c === 'forecast') { this.renderForecast(); return; }
    text(this.header, `${this.role.name}: budget ${money(view.budget)} this quarter (${view.world.quarter}). Unspent money: ${pct(this.role.budget.carryOver)} carries over.`);
    text(this.draftBy, this.draft.draftStatus());
    this.renderTeam();
    this.setDisabled(!this.draft.editable);
    this.renderTotal();
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
      number.addEventListener('input', () => this.draft.setLever(l.id, Number(number.value)));
      number.addEventListener('change', () => this.draft.setLever(l.id, Number(number.value), true));
      range.addEventListener('input', () => this.draft.setLever(l.id, Number(range.value)));
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
    const settings = this.buildSettings();
    this.body.replaceChildren(...leverEls, settings ?? '', this.buildDilemmas(view) ?? '');
    this.syncInputs();
  }

  private buildSettings(): HTMLElement | null {
    const holds = this.role.settings;
    if (!holds.length) return null;
    const box = h('fieldset', { class: 'settings' }, h('legend', null, 'Policies'));
    if (holds.includes('exportTiers')) {
      const regions = [...this.draft.rules.regions].sort((a, b) => (a.alignment === 'us' ? 1 : 0) - (b.alignment === 'us' ? 1 : 0));
      box.append(h('p', { class: 'hint' }, SETTINGS.exportTiers.explain));
      const grid = h('div', { class: 'tier-grid' });
      for (const r of regions) {
        const id = uid(`tier-${r.id}`);
        const sel = h('select', { id, dataset: { region: r.id } }, TIERS.map((t) => h('option', { value: t }, t)));
        sel.addEventListener('change', () => this.draft.setTier(r.id, sel.value as Tier));
        this.settingsEls.tiers.set(r.id, sel);
        grid.append(h('label', { for: id }, r.name, h('small', null, r.alignment === 'tier2' ? ' · Tier-2 hub' : r.alignment === 'china' ? ' · China-aligned' : ' · US-aligned')), sel);
      }
      box.append(grid);
    }
    if (holds.includes('globalLicensing')) {
      const cb = h('input', { type: 'checkbox', id: uid('licensing') });
      cb.addEventListener('change', () => this.draft.setGlobalLicensing(cb.checked));
      this.settingsEls.licensing = cb;
      box.append(h('label', { class: 'check', for: cb.id }, cb, ` ${SETTINGS.globalLicensing.explain}`));
    }
    if (holds.includes('openWeights')) {
      const cb = h('input', { type: 'checkbox', id: uid('openweights') });
      cb.addEventListener('change', () => this.draft.setOpenWeights(cb.checked));
      this.settingsEls.openWeights = cb;
      box.append(h('label', { class: 'check', for: cb.id }, cb, ` ${SETTINGS.openWeights.explain}`));
    }
    if (holds.includes('hubCompliance')) {
      const r = h('input', { type: 'range', min: 0, max: 1, step: 0.05, id: uid('hub') });
      r.addEventListener('input', () => this.draft.setHubCompliance(Number(r.value)));
      this.settingsEls.hub = r;
      box.append(h('label', { for: r.id }, SETTINGS.hubCompliance.explain), r);
    }
    return box;
  }

  /** The dilemmas put to this role: one choice each, sent with the order (the card's default if left alone). */
  private buildDilemmas(view: View): HTMLElement | null {
    this.dilemmaEls.clear();
    if (!view.dilemmas?.length) return null;
    const box = h('fieldset', { class: 'settings dilemmas' }, h('legend', null, 'Decisions'));
    for (const d of view.dilemmas) {
      const name = uid(`dilemma-${d.cardId}`);
      box.append(h('p', null, h('strong', null, d.title), ' ', d.text));
      const radios: HTMLInputElement[] = [];
      for (const o of d.options) {
        const radio = h('input', { type: 'radio', name, id: `${name}-${o.id}`, value: o.id });
        radio.addEventListener('change', () => this.draft.patch({ dilemmas: { ...(this.draft.local.dilemmas ?? {}), [d.cardId]: o.id } }));
        radios.push(radio);
        box.append(h('label', { class: 'check', for: radio.id }, radio, ` ${o.label}${o.id === d.default ? ' (if you do not choose)' : ''}`));
      }
      this.dilemmaEls.set(d.cardId, { radios, fallback: d.default });
    }
    return box;
  }

  /** Puts the draft into the inputs, except the one someone here is typing in or dragging. */
  private syncInputs(): void {
    const view = this.draft.view!;
    const local = this.draft.local;
    for (const [cardId, { radios, fallback }] of this.dilemmaEls) {
      const chosen = local.dilemmas?.[cardId] ?? fallback;
      for (const r of radios) r.checked = r.value === chosen;
    }
    const active = document.activeElement;
    for (const [id, row] of this.rows) {
      const v = local.spend[id] ?? 0;
      if (active !== row.number && (Number(row.number.value) !== v || row.number.value === '')) row.number.value = String(round2(v));
      if (active !== row.range) row.range.value = String(Math.min(v, Number(row.range.max)));
      const last = view.lastOrder?.spend[id];
      text(row.last, last === undefined ? 'first quarter' : `last quarter ${money(last)}`);
    }
    for (const [region, sel] of this.settingsEls.tiers) sel.value = this.draft.tierOf(region);
    if (this.settingsEls.licensing) this.settingsEls.licensing.checked = this.draft.globalLicensing;
    if (this.settingsEls.openWeights) this.settingsEls.openWeights.checked = this.draft.openWeights;
    if (this.settingsEls.hub && active !== this.settingsEls.hub) this.settingsEls.hub.value = String(this.draft.hubCompliance);
  }

  private renderTotal(): void {
    const view = this.draft.view;
    if (!view) return;
    const total = this.draft.total();
    const over = this.draft.overBudget();
    text(this.totalEl, `Spent ${money(total)} of ${money(view.budget)}${over > 0 ? '' : ` · ${money(Math.max(0, view.budget - total))} unspent`}`);
    this.totalBar.style.width = `${Math.min(100, (total / Math.max(0.01, view.budget)) * 100)}%`;
    this.totalBar.classList.toggle('over', over > 0);
    this.el.classList.toggle('is-over', over > 0);
    text(this.budgetMsg, over > 0
      ? `⚠ Over budget by ${money(over)}: this plan spends ${money(total)} but your team has ${money(view.budget)} this quarter. Lower a lever before it can be saved or submitted.`
      : this.draft.problems.length ? `⚠ ${this.draft.problems.join(' ')}` : '');
    for (const [id, row] of this.rows) {
      const v = this.draft.local.spend[id] ?? 0;
      text(row.share, `${pct(total > 0 ? v / Math.max(total, view.budget) : 0)} of budget`);
      row.bar.style.width = `${Math.min(100, (v / Math.max(0.01, view.budget)) * 100)}%`;
      row.number.setAttribute('aria-invalid', String(over > 0));
    }
    this.renderActions();
  }

  private renderActions(): void {
    const a = this.draft.actions();
    const key = JSON.stringify(a);
    if (this.actions.dataset.key === key) return;
    this.actions.dataset.key = key;
    const btns: HTMLElement[] = [];
    if (a.kind === 'bot') {
      btns.push(h('div', { class: 'bot-banner', role: 'status' },
        h('p', null, h('strong', null, '⚙ A bot plays your team now.'), ' The facilitator handed your seat to it; your orders are read-only and the bot\'s order goes in.'),
        h('button', { type: 'button', class: 'primary big', disabled: a.busy, onclick: () => void this.draft.reclaim() }, 'Take the seat back')));
    } else if (a.kind === 'submitted') {
      btns.push(h('p', { class: 'submitted-note' }, `✓ Your team's order is in${a.by ? ` (submitted by ${a.by})` : ''}.`),
        a.lead ? h('button', { type: 'button', class: 'big', disabled: a.busy, onclick: () => this.draft.unsubmit() }, 'Take back to edit')
          : h('p', { class: 'hint lead-only' }, `Only your team's lead, ${a.leadName}, can take it back.`));
    } else if (a.kind === 'submit' && !a.lead) {
      btns.push(h('p', { class: 'hint lead-only' }, `${a.leadName} leads your team and submits the order. Your changes are saved to the team draft; if nobody submits, the saved draft is submitted at the deadline.`));
    } else if (a.kind === 'submit') {
      btns.push(h('button', { type: 'button', class: 'primary big', disabled: a.over || a.busy, 'aria-describedby': this.budgetMsg.id, onclick: () => this.draft.submit() }, a.over ? 'Over budget: cannot submit' : 'Submit our order'));
    } else if (a.kind === 'ready') {
      const label = a.phase === 'report' ? 'Next quarter' : a.phase === 'briefing' ? 'Done reading: to negotiation' : 'Done talking: to orders';
      btns.push(h('button', { type: 'button', class: a.ready ? 'big' : 'primary big', 'aria-pressed': String(a.ready), disabled: a.busy, onclick: () => this.draft.setReady(!a.ready) }, a.ready ? '✓ Ready — waiting for the others (undo)' : label));
      if (a.phase !== 'report') btns.push(h('p', { class: 'hint' }, 'Orders open in the Orders phase; you can draft now.'));
    }
    // the button pressed is replaced by the next one: keep the keyboard where it was (not back at the page's top)
    const active = document.activeElement;
    const hadFocus = this.actions.contains(active) || (this.actionFocus && (!active || active === document.body));
    this.actions.replaceChildren(...btns);
    if (hadFocus) focusFirst(this.actions);
  }

  /** Who leads the team (the lead may pass it on) and who changed what this quarter. */
  private renderTeam(): void {
    const leadName = this.draft.leadName();
    const mates = this.draft.isLead() && this.draft.team?.lead === this.draft.me ? this.draft.teamMates() : [];
    const log = this.draft.changeLog();
    const key = JSON.stringify([leadName, mates, log]);
    if (this.teamBox.dataset.key === key) return;
    this.teamBox.dataset.key = key;
    const pick = h('select', { 'aria-label': 'Team-mate to lead' }, mates.map((m) => h('option', { value: m.id }, m.name)));
    fill(this.teamBox,
      leadName ? h('p', { class: 'team-lead' }, `Lead: ${leadName}${this.draft.team?.lead === this.draft.me ? ' (you)' : ''}`) : null,
      mates.length ? h('div', { class: 'row pass-lead' }, pick, h('button', { type: 'button', class: 'small', onclick: () => void this.draft.passLead(pick.value) }, 'Make lead')) : null,
      log.length ? h('ul', { class: 'team-activity', 'aria-label': 'Changes this quarter' }, log.map((l) => h('li', null, l))) : null);
  }

  private setDisabled(disabled: boolean): void {
    this.el.classList.toggle('locked', disabled);
    for (const input of this.body.querySelectorAll('input, select')) (input as HTMLInputElement).disabled = disabled;
    for (const b of this.el.querySelectorAll('.quick button')) (b as HTMLButtonElement).disabled = disabled;
  }

  private renderForecast(): void {
    const state = this.draft.forecast;
    const view = this.draft.view;
    if (state.kind === 'none' || !view) { this.forecastEl.replaceChildren(); return; }
    if (state.kind === 'over') {
      this.forecastEl.replaceChildren(h('h3', null, 'Forecast'), h('p', { class: 'hint' }, 'No forecast for an over-budget plan.'));
      return;
    }
    if (state.kind === 'failed') {
      this.forecastEl.replaceChildren(h('h3', null, 'Forecast'), h('p', { class: 'hint' }, `The forecast could not run: ${state.message}`));
      return;
    }
    const f = state.forecast;
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
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Measure')), h('th', null, 'With this plan (range)'), h('th', null, 'vs. repeat'))),
        h('tbody', null,
          row(leadWord, months(f.lead.value), ` ${months(f.lead.low)} – ${months(f.lead.high)}`, f.lead.value - f.baseline.lead, m1, side === 'us'),
          row('Our capability', months(f.capability.value), ` ${months(f.capability.low)} – ${months(f.capability.high)}`, f.capability.value - f.baseline.capability, m1, true),
          row('Our effective compute', compute(f.effectiveCompute.value), '', f.effectiveCompute.value - f.baseline.effectiveCompute, compute, true),
          row('Our safeguards', pct(f.safeguards.value), ` ${pct(f.safeguards.low)} – ${pct(f.safeguards.high)}`, f.safeguards.value - f.baseline.safeguards, pct, true),
          row('Our adoption', pct(f.adoption.value), '', f.adoption.value - f.baseline.adoption, pct, true),
          row('Incident chance next quarter', pct(f.risk.value), '', f.risk.value - f.baseline.risk, pct, false))));
  }

  destroy(): void {
    this.off();
  }
}

/** Focuses the first enabled button in `box`, else its first child (made focusable for this). */
function focusFirst(box: HTMLElement): void {
  const button = box.querySelector<HTMLButtonElement>('button:not([disabled])');
  const target = button ?? (box.firstElementChild as HTMLElement | null);
  if (!target) { box.tabIndex = -1; box.focus(); return; }
  if (!button) target.tabIndex = -1;
  target.focus();
}
