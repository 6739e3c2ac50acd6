// The team's shared draft of its orders: the local plan, merging a team-mate's edits, the budget, sharing, submit/take back/ready, the forecast.
import { SETTING_IDS, setting } from '../../shared/rules/settings.ts';
import { Signal, type ActionResult } from '../net/session.ts';
import { checkDraft, forecast, type Forecast } from './forecast.ts';
import type { Snapshot, Order, TeamDocs, RuleFile, Phase } from '../net/types.ts';
import type { ClientPayload } from '../../shared/protocol/messages.ts';

type RoleRule = RuleFile['roles'][number];
export type DraftView = NonNullable<TeamDocs['view']>;
export type Preset = 'last' | 'statusQuo' | 'clear';
export type Tier = NonNullable<Order['exportTiers']>[string];

/** What the draft sends and asks: the match session, or anything that answers like it. */
export interface DraftPort {
  send(type: 'draft', payload: { order: Order }): void;
  act<T extends 'submit' | 'unsubmit' | 'ready' | 'lead' | 'reclaim'>(type: T, payload: ClientPayload<T>): Promise<ActionResult>;
}

/** Something to tell the person: an error to show, a result to announce. */
export interface DraftNotice { tone: 'info' | 'error' | 'ok'; message: string; details?: string[]; announce?: boolean }

/**
 * Why the draft changed, so a view redraws only what it must: `quarter` (a new quarter: new inputs),
 * `remote` (a team-mate's draft replaced ours: refill the inputs, except the one someone is typing in),
 * `local` (our own edit: totals and status), `status` (submitted, ready, busy, phase), `forecast`.
 */
export type DraftChange = 'quarter' | 'remote' | 'local' | 'status' | 'forecast';

/** The forecast panel's content. */
export type ForecastState =
  | { kind: 'none' }
  | { kind: 'over' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; forecast: Forecast };

/** The buttons under the orders: submit or take back in the orders phase, ready in the others. */
export type DraftActions =
  | { kind: 'none' }
  | { kind: 'bot'; busy: boolean }
  | { kind: 'submit'; over: boolean; busy: boolean; lead: boolean; leadName: string }
  | { kind: 'submitted'; busy: boolean; lead: boolean; leadName: string; by: string }
  | { kind: 'ready'; phase: Exclude<Phase, 'lobby' | 'orders' | 'ended'>; ready: boolean; busy: boolean };

const EDIT_PHASES: readonly Phase[] = ['briefing', 'negotiation', 'orders'];
/** ms before an edit is shared: at once for a click, after a pause while typing or dragging */
export const SHARE_DELAY = { now: 50, typing: 350 } as const;
export const FORECAST_DELAY = 200;

const round2 = (x: number) => Math.round(x * 100) / 100;
/** JSON with sorted keys, so an order echoed by the server compares equal to the one sent. */
export function canon(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
const sameOrder = (a: Order | null, b: Order | null) => canon(a) === canon(b);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Scales spending down to the budget (a repeated order may no longer fit), to the cent. */
export function fitOrderToBudget(order: Order, budget: number): Order {
  const out = clone(order);
  const total = Object.values(out.spend).reduce((a, b) => a + b, 0);
  if (total > budget) for (const k of Object.keys(out.spend)) out.spend[k] = Math.floor((out.spend[k] * budget / total) * 100) / 100;
  else for (const k of Object.keys(out.spend)) out.spend[k] = round2(out.spend[k]);
  return out;
}

export class TeamDraft {
  readonly role: RoleRule;
  readonly rules: RuleFile;
  readonly onChange = new Signal<DraftChange>();
  readonly onNotice = new Signal<DraftNotice>();
  /** the plan on this screen (shared with the team after each edit that fits the budget) */
  local: Order = { spend: {} };
  view: DraftView | null = null;
  team: TeamDocs | null = null;
  snapshot: Snapshot | null = null;
  forecast: ForecastState = { kind: 'none' };
  /** the engine's objections to the plan, when it fits the budget but not the rules */
  problems: string[] = [];
  /** a submit, take-back or ready is on its way */
  busy = false;
  /** this person's id (from the welcome): the lead submits, the others draft */
  me: string | null = null;
  /** the last team change already told (a take-back by a team-mate is announced once) */
  private toldSeq = Infinity;
  private port: DraftPort;
  private quarterKey = '';
  private serverDraft: Order | null = null;
  private lastSent = '';
  /** an edit here is waiting to be shared: a team-mate's older draft must not overwrite it */
  private sendPending = false;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  private forecastTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(rules: RuleFile, roleId: string, port: DraftPort) {
    const role = rules.roles.find((r) => r.id === roleId);
    if (!role) throw new Error(`no role ${roleId}`);
    this.rules = rules;
    this.role = role;
    this.port = port;
  }

  /** Takes the team's documents from a new snapshot: a new quarter starts from the team's draft or last order. */
  update(s: Snapshot, team: TeamDocs): void {
    this.snapshot = s;
    this.team = team;
    const view = team.view;
    if (!view) return;
    this.view = view;
    const key = `${view.world.turn}`;
    if (key !== this.quarterKey) {
      this.quarterKey = key;
      this.local = team.draft ? clone(team.draft) : this.defaultOrder();
      this.serverDraft = team.draft;
      this.lastSent = '';
      this.problems = [];
      this.onChange.emit('quarter');
      this.scheduleForecast();
    } else if (!sameOrder(team.draft, this.serverDraft)) {
      // a team-mate changed the shared draft (or ours came back): take it, unless an edit here is waiting to go out
      this.serverDraft = team.draft;
      if (team.draft && canon(team.draft) !== this.lastSent && !this.sendPending) {
        this.local = clone(team.draft);
        this.onChange.emit('remote');
        this.scheduleForecast();
      }
    }
    this.tellTeamChanges(team);
    this.onChange.emit('status');
  }

  /** A team-mate took the order back or passed the lead on: say so once (not the changes already there on arrival). */
  private tellTeamChanges(team: TeamDocs): void {
    const activity = team.activity ?? [];
    const last = activity.length ? activity[activity.length - 1].seq : 0;
    if (this.toldSeq === Infinity) { this.toldSeq = last; return; }
    for (const a of activity) {
      if (a.seq <= this.toldSeq || a.by === this.me) continue;
      if (a.kind === 'unsubmit') this.onNotice.emit({ tone: 'info', message: `${a.byName} took the team's order back to edit it.`, announce: true });
      if (a.kind === 'lead') this.onNotice.emit({ tone: 'info', message: a.lead === this.me ? `${a.byName} made you the team's lead: you submit the order.` : `${a.leadName ?? 'A team-mate'} now leads the team.`, announce: true });
    }
    this.toldSeq = Math.max(this.toldSeq, last);
  }

  /** The team's lead's name ('' when the team has none). */
  leadName(): string {
    const lead = this.team?.lead;
    return lead ? this.snapshot?.people.find((p) => p.id === lead)?.name ?? '' : '';
  }

  /** Whether this person may submit and take back: the lead, or anyone while the lead is away (the server's rule). */
  isLead(): boolean {
    const lead = this.team?.lead;
    if (!lead || lead === this.me) return true;
    const p = this.snapshot?.people.find((x) => x.id === lead);
    return !p || !p.connected || p.role !== this.role.id;
  }

  /** Team-mates the lead may pass the lead to. */
  teamMates(): { id: string; name: string }[] {
    return (this.snapshot?.people ?? []).filter((p) => p.role === this.role.id && p.id !== this.team?.lead).map((p) => ({ id: p.id, name: p.name }));
  }

  /** This quarter's changes to the order, newest first, in words: who changed which levers, submitted, took back. */
  changeLog(limit = 6): string[] {
    const names = new Map<string, string>(this.role.levers.map((l) => [l.id, l.name]));
    const settings: Record<string, string> = Object.fromEntries(SETTING_IDS.map((id) => [id, setting(id).words]));
    const what = (ids: string[] | undefined) => (ids ?? []).map((id) => names.get(id) ?? settings[id] ?? id).join(', ');
    return (this.team?.activity ?? []).slice(-limit).reverse().map((a) => {
      if (a.kind === 'draft') return a.changed?.length ? `${a.byName} changed ${what(a.changed)}` : `${a.byName} saved the draft`;
      if (a.kind === 'submit') return `${a.byName} submitted the order${a.changed?.length ? ` (changing ${what(a.changed)})` : ''}`;
      if (a.kind === 'unsubmit') return `${a.byName} took the order back to edit`;
      return `${a.byName} made ${a.leadName ?? '?'} the lead`;
    });
  }

  async passLead(personId: string): Promise<void> {
    const r = await this.busyWith(() => this.port.act('lead', { personId }));
    if (!r.ok) this.onNotice.emit({ tone: 'error', message: r.message ?? 'Refused' });
  }

  get editable(): boolean {
    const s = this.snapshot;
    return !!s && EDIT_PHASES.includes(s.phase) && !this.team?.submitted && !this.botHeld;
  }

  /** A bot plays the team while its people are here: the facilitator handed it over (the panel is read-only). */
  get botHeld(): boolean {
    const s = this.snapshot;
    return !!s && s.phase !== 'lobby' && s.phase !== 'ended' && !!s.roles.find((r) => r.id === this.role.id)?.bot;
  }

  async reclaim(): Promise<void> {
    const r = await this.busyWith(() => this.port.act('reclaim', {}));
    if (!r.ok) this.onNotice.emit({ tone: 'error', message: r.message ?? 'Refused' });
    else this.onNotice.emit({ tone: 'ok', message: 'Your team has its seat back.', announce: true });
  }

  get budget(): number { return this.view?.budget ?? 0; }

  total(): number {
    return this.role.levers.reduce((a, l) => a + (this.local.spend[l.id] ?? 0), 0);
  }

  /** $B over the budget (0 or less: it fits). */
  overBudget(): number {
    return this.view ? round2(this.total() - this.view.budget) : 0;
  }

  /** Whether the team's shared draft is this screen's plan, in words (saving, saved, or whose it is). */
  draftStatus(): string {
    const team = this.team;
    if (!team) return '';
    if (team.submitted) return `Submitted${team.submittedBy ? ` by ${team.submittedBy}` : ''}. ${this.isLead() ? 'Take it back to change it.' : `Only the lead (${this.leadName()}) can take it back.`}`;
    if (this.overBudget() > 0) return 'Not saved: over budget.';
    if (this.editable && (this.sendPending || (this.lastSent && canon(team.draft) !== canon(this.local)))) return 'Saving your changes for the team…';
    if (team.draftBy) return `Team draft saved ✓ (last edited by ${team.draftBy}). Everyone on your team sees it; if nobody submits, it is submitted at the deadline.`;
    return 'Nobody on your team has saved a draft yet: changes you make are shared with your team.';
  }

  actions(): DraftActions {
    const s = this.snapshot, team = this.team;
    if (!s || !team) return { kind: 'none' };
    if (this.botHeld) return { kind: 'bot', busy: this.busy };
    const lead = this.isLead(), leadName = this.leadName();
    if (s.phase === 'orders') return team.submitted ? { kind: 'submitted', busy: this.busy, lead, leadName, by: team.submittedBy } : { kind: 'submit', over: this.overBudget() > 0, busy: this.busy, lead, leadName };
    if (s.phase === 'briefing' || s.phase === 'negotiation' || s.phase === 'report') {
      return { kind: 'ready', phase: s.phase, ready: !!s.roles.find((r) => r.id === this.role.id)?.ready, busy: this.busy };
    }
    return { kind: 'none' };
  }

  /** The export tier a region has in the plan (or in the world, when the plan does not set it). */
  tierOf(region: string): Tier {
    return this.local.exportTiers?.[region] ?? this.view?.world.regions[region]?.tier ?? 'open';
  }
  get globalLicensing(): boolean { return this.local.globalLicensing ?? this.view?.world.globalLicensing ?? false; }
  get openWeights(): boolean { return this.local.openWeights ?? this.view?.world.openWeights ?? false; }
  get hubCompliance(): number { return this.local.hubCompliance ?? 0.5; }

  // ---- actions ----

  /** A lever's new value; `commit` shares it at once (a finished edit) rather than after a pause. */
  setLever(id: string, value: number, commit = false): void {
    if (!Number.isFinite(value) || value < 0) value = 0;
    this.local = { ...this.local, spend: { ...this.local.spend, [id]: round2(value) } };
    this.changed(commit);
  }

  setTier(region: string, tier: Tier): void {
    this.local = { ...this.local, exportTiers: { ...(this.local.exportTiers ?? {}), [region]: tier } };
    this.changed(true);
  }

  setGlobalLicensing(on: boolean): void { this.patch({ globalLicensing: on }); }
  setOpenWeights(on: boolean): void { this.patch({ openWeights: on }); }
  setHubCompliance(share: number): void { this.patch({ hubCompliance: share }, false); }

  /**
   * Sets fields of the order other than the spending (a setting, or a field a new panel adds) and shares
   * the plan like any edit; `commit` false waits for the pause after typing or dragging.
   */
  patch(fields: Partial<Omit<Order, 'spend'>>, commit = true): void {
    this.local = { ...this.local, ...fields };
    this.changed(commit);
  }

  /** Last quarter's order (fitted to this budget), the 2026 split, or nothing spent. */
  applyPreset(kind: Preset): void {
    if (!this.view || !this.editable) return;
    if (kind === 'last') this.local = this.view.lastOrder ? fitOrderToBudget(this.view.lastOrder, this.view.budget) : this.statusQuo();
    else if (kind === 'statusQuo') this.local = this.statusQuo();
    else this.local = { ...this.local, spend: Object.fromEntries(this.role.levers.map((l) => [l.id, 0])) };
    this.onChange.emit('remote');
    this.changed(true);
  }

  async submit(): Promise<void> {
    if (!this.view) return;
    const over = this.overBudget();
    if (over > 0) { this.onNotice.emit({ tone: 'error', message: `Over budget by $${over.toFixed(2)}B.` }); return; }
    const check = checkDraft(this.rules, this.view, this.local);
    if (!check.ok) { this.onNotice.emit({ tone: 'error', message: 'The order is not valid', details: check.errors }); return; }
    clearTimeout(this.sendTimer);
    this.sendPending = false;
    const r = await this.busyWith(() => this.port.act('submit', { order: this.local }));
    if (!r.ok) this.onNotice.emit({ tone: 'error', message: r.message ?? 'The order was refused', details: r.details });
    else {
      this.onNotice.emit({ tone: 'ok', message: 'Order submitted.', announce: true });
      if (r.warnings?.length) this.onNotice.emit({ tone: 'info', message: 'Submitted, with a warning', details: r.warnings });
    }
  }

  async unsubmit(): Promise<void> {
    const r = await this.busyWith(() => this.port.act('unsubmit', {}));
    if (!r.ok) this.onNotice.emit({ tone: 'error', message: r.message ?? 'Could not take it back' });
  }

  async setReady(ready: boolean): Promise<void> {
    const r = await this.busyWith(() => this.port.act('ready', { ready }));
    if (!r.ok) this.onNotice.emit({ tone: 'error', message: r.message ?? 'Refused' });
  }

  destroy(): void {
    clearTimeout(this.sendTimer);
    clearTimeout(this.forecastTimer);
  }

  // ---- inside ----

  private async busyWith(fn: () => Promise<ActionResult>): Promise<ActionResult> {
    this.busy = true;
    this.onChange.emit('status');
    try { return await fn(); } finally {
      this.busy = false;
      this.onChange.emit('status');
    }
  }

  private defaultOrder(): Order {
    const last = this.view!.lastOrder;
    return last ? fitOrderToBudget(last, this.view!.budget) : this.statusQuo();
  }

  private statusQuo(): Order {
    const view = this.view!;
    const spend: Record<string, number> = {};
    for (const l of this.role.levers) spend[l.id] = round2(view.budget * l.statusQuo);
    const out: Order = { spend };
    if (this.role.settings.includes('exportTiers')) out.exportTiers = Object.fromEntries(Object.entries(view.world.regions).map(([k, v]) => [k, v.tier]));
    if (this.role.settings.includes('globalLicensing')) out.globalLicensing = view.world.globalLicensing;
    if (this.role.settings.includes('openWeights')) out.openWeights = view.world.openWeights;
    return out;
  }

  /** After each edit: share the draft with the team (debounced) unless it is over budget, and forecast again. */
  private changed(now: boolean): void {
    this.problems = [];
    clearTimeout(this.sendTimer);
    this.sendPending = false;
    if (this.editable && this.overBudget() <= 0) {
      this.sendPending = true;
      this.sendTimer = setTimeout(() => { this.sendPending = false; this.sendDraft(); }, now ? SHARE_DELAY.now : SHARE_DELAY.typing);
    }
    this.onChange.emit('local');
    this.scheduleForecast();
  }

  private sendDraft(): void {
    if (!this.view || !this.editable || this.overBudget() > 0) return;
    const check = checkDraft(this.rules, this.view, this.local);
    if (!check.ok) { this.problems = check.errors; this.onChange.emit('local'); return; }
    const payload = canon(this.local);
    if (payload === this.lastSent) return;
    this.lastSent = payload;
    this.port.send('draft', { order: this.local });
    this.onChange.emit('local');
  }

  private scheduleForecast(): void {
    clearTimeout(this.forecastTimer);
    this.forecastTimer = setTimeout(() => this.runForecast(), FORECAST_DELAY);
  }

  /** The engine run on what the team knows (see forecast.ts); nothing for an over-budget plan. */
  runForecast(): void {
    clearTimeout(this.forecastTimer);
    const view = this.view;
    if (!view || view.world.finished) this.forecast = { kind: 'none' };
    else if (this.overBudget() > 0) this.forecast = { kind: 'over' };
    else {
      try {
        const f = forecast(this.rules, view, this.local);
        this.forecast = f ? { kind: 'ready', forecast: f } : { kind: 'none' };
      } catch (err) {
        this.forecast = { kind: 'failed', message: (err as Error).message };
      }
    }
    this.onChange.emit('forecast');
  }
}
