// The controller of one match page (lichess's ctrl): owns the session, the team draft and the state the screens derive;
// the views in client/ui render it and call its actions, and keep no state of their own.
import { api, type ApiError, normaliseCode, type MatchInfo } from '../net/api.ts';
import { MatchSession, Signal, seats, type Identity, type ConnectionStatus, type ActionResult } from '../net/session.ts';
import { TeamDraft } from './team-draft.ts';
import { outcomeFromRecord, outcomeFromSnapshot, withRecord, type OutcomeData } from './outcome.ts';
import type { RuleFile, Snapshot, Phase } from '../net/types.ts';
import type { ClientPayload } from '../../shared/protocol/messages.ts';

export type PageKind = 'player' | 'projector' | 'facilitator';

/** Which screen of a match is up; `lobby:<role>` and `match:<role>` change when the facilitator moves this person. */
export type ScreenKey = 'outcome' | 'projector' | 'facilitator' | 'lobby' | 'watching' | `lobby:${string}` | `match:${string}`;

/** What the page shows: one of the in-between states, or a screen of the match. */
export type Page =
  | { kind: 'loading'; message: string }
  /** the match could not be looked up (`missing`: there is no match with this code) */
  | { kind: 'unavailable'; missing: boolean; message: string }
  /** a facilitator page opened in a browser without the key */
  | { kind: 'key-needed' }
  | { kind: 'join-form'; info: MatchInfo }
  | { kind: 'join-failed'; message: string }
  | { kind: 'removed' }
  /** a rejoin was refused for good */
  | { kind: 'refused'; message: string }
  /** the match is over but its record could not be read */
  | { kind: 'over'; message: string }
  | { kind: 'screen'; key: ScreenKey };

/** Something to tell the person; the view chooses how (a toast, a screen-reader announcement). */
export type Notice =
  | { kind: 'toast'; tone: 'info' | 'error' | 'ok'; message: string; details?: string[]; announce?: boolean }
  | { kind: 'announce'; message: string }
  /** the match moved to another phase or quarter */
  | { kind: 'phase'; quarter: string; phase: Phase };

/** What every screen of a match gets: the controller to read and act through, and who this person is. */
export interface MatchContext {
  ctrl: MatchCtrl;
  code: string;
  kind: PageKind;
  rules: RuleFile;
  facilitatorKey: string | null;
  /** this person's role now (the facilitator may move people between teams), or null */
  role: string | null;
  /** this person's display name */
  name: string;
}

export class MatchCtrl {
  readonly code: string;
  readonly kind: PageKind;
  rules: RuleFile | null = null;
  session: MatchSession | null = null;
  page: Page = { kind: 'loading', message: 'Finding the match…' };
  /** the live connection, for the banner; `attempts` counts reconnection tries */
  connection: { status: ConnectionStatus | 'idle'; attempts: number } = { status: 'idle', attempts: 0 };
  /** the team's shared draft, while this person plays a team's match screen */
  draft: TeamDraft | null = null;
  /** the outcome, once the match has ended */
  outcome: OutcomeData | null = null;
  /** the outcome came from the record after the room had closed (no snapshot behind it) */
  outcomeFromRecord = false;
  facilitatorKey: string | null = null;
  readonly onRedraw = new Signal<void>();
  readonly onNotice = new Signal<Notice>();
  /** the match as looked up when the page opened, for the first join only */
  private info: MatchInfo | null = null;
  private keyFromLink: string | null;
  private destroyed = false;
  private lastPhase = '';

  /** `keyFromLink`: a facilitator key the page's address carried (it is kept in this browser from then on). */
  constructor(code: string, kind: PageKind, options: { keyFromLink?: string | null } = {}) {
    this.code = normaliseCode(code);
    this.kind = kind;
    this.keyFromLink = options.keyFromLink ?? null;
  }

  get snapshot(): Snapshot | null { return this.session?.snapshot ?? null; }

  /** Looks the match up, then joins (or shows the join form, or the record of a finished match). */
  async start(): Promise<void> {
    let info: MatchInfo;
    try {
      [info, this.rules] = await Promise.all([api.match(this.code).then((i) => { performance.mark('w2028:match-info'); return i; }), api.matchRules(this.code).then((r) => { performance.mark('w2028:match-rules'); return r; })]);
    } catch (err) {
      const e = err as ApiError;
      this.show({ kind: 'unavailable', missing: e.status === 404, message: e.message });
      return;
    }
    if (this.destroyed) return;
    this.info = info;
    if (info.status === 'finished') return this.loadRecordOutcome();
    if (this.kind === 'projector') return this.connect({ kind: 'spectator' });
    if (this.kind === 'facilitator') {
      if (this.keyFromLink) seats.setFacilitatorKey(this.code, this.keyFromLink);
      this.facilitatorKey = this.keyFromLink ?? seats.facilitatorKey(this.code);
      if (!this.facilitatorKey) return this.show({ kind: 'key-needed' });
      return this.connect({ kind: 'facilitator', key: this.facilitatorKey });
    }
    if (seats.get(this.code)) return this.connect({ kind: 'player' });
    this.show({ kind: 'join-form', info });
  }

  /** The join form's action: rejects with the server's refusal, for the form to show next to its fields. */
  join(name: string, role: string | undefined): Promise<void> {
    return this.connect({ kind: 'player', name, role }, true);
  }

  /** Forgets this browser's seat (before joining again from the form). */
  forgetSeat(): void { seats.forget(this.code); }

  /** Who this person is in the match now, for the screens. */
  context(snap: Snapshot | null = this.snapshot): MatchContext {
    const w = this.session?.welcome;
    const me = snap && w?.personId ? snap.people.find((p) => p.id === w.personId) : undefined;
    const role = me ? me.role || null : w?.role ?? null;
    return { ctrl: this, code: this.code, kind: this.kind, rules: this.rules!, facilitatorKey: this.facilitatorKey, role, name: me?.name ?? w?.name ?? '' };
  }

  // ---- actions the screens call ----

  setReady(ready: boolean): Promise<ActionResult> { return this.act('ready', { ready }); }
  propose(proposalId: string, to: string): Promise<ActionResult> { return this.act('propose', { proposalId, to }); }
  respond(key: number, accept: boolean): Promise<ActionResult> { return this.act('respond', { key, accept }); }
  chat(to: string, text: string): Promise<ActionResult> { return this.act('chat', { to, text }); }
  /** A facilitator control (start, pause, extend, move, …): see docs/protocol.md. */
  control(payload: ClientPayload<'control'>): Promise<ActionResult> { return this.act('control', payload); }
  /** Makes a person their team's lead (the facilitator, or the team's lead). */
  makeLead(personId: string): Promise<ActionResult> { return this.act('lead', { personId }); }

  /** Links for the export buttons. */
  exportUrl(what: 'record' | 'timeline.csv' | 'decisions.csv'): string { return api.exportUrl(this.code, what); }

  destroy(): void {
    this.destroyed = true;
    this.draft?.destroy();
    this.draft = null;
    void this.session?.close();
  }

  // ---- inside ----

  private act<T extends 'ready' | 'propose' | 'respond' | 'chat' | 'control' | 'lead'>(type: T, payload: ClientPayload<T>): Promise<ActionResult> {
    if (!this.session) return Promise.resolve({ ok: false, message: 'not connected to the match' });
    return this.session.act(type, payload);
  }

  private show(page: Page): void {
    if (this.destroyed) return;
    this.page = page;
    this.onRedraw.emit();
  }

  private async connect(identity: Identity, fromForm = false): Promise<void> {
    const session = new MatchSession(this.code, identity);
    this.session = session;
    session.onStatus.on((s) => this.statusChanged(s));
    session.onState.on((snap) => this.stateChanged(snap));
    // the welcome (who this seat is) follows the first state: derive again so a returning player gets their team's screen
    session.onWelcome.on(() => { if (session.snapshot) this.stateChanged(session.snapshot); });
    session.onServerError.on((m) => this.onNotice.emit({ kind: 'toast', tone: 'error', message: m.message, details: m.details }));
    if (!fromForm) this.show({ kind: 'loading', message: 'Joining the match…' });
    try {
      const known = this.info ?? undefined;
      this.info = null;
      await session.start(known);
      performance.mark('w2028:joined');
    } catch (err) {
      if (fromForm) throw err;
      if (session.status === 'removed') return;
      this.show({ kind: 'join-failed', message: (err as Error).message });
    }
  }

  private statusChanged(s: ConnectionStatus): void {
    if (this.destroyed) return;
    const was = this.connection.status;
    this.connection = { status: s, attempts: this.session?.attempts ?? 0 };
    if (s === 'connected' && was === 'reconnecting') this.onNotice.emit({ kind: 'announce', message: 'Reconnected.' });
    if (s === 'removed') {
      seats.forget(this.code);
      this.show({ kind: 'removed' });
    } else if (s === 'refused') this.show({ kind: 'refused', message: this.session?.lastError?.message ?? '' });
    else if (s === 'finished') void this.loadRecordOutcome();
    else this.onRedraw.emit();
  }

  /** Which screen a snapshot calls for, for this page and this person. */
  private screenFor(snap: Snapshot, role: string | null): ScreenKey {
    if (snap.phase === 'ended') return 'outcome';
    if (this.kind === 'projector') return 'projector';
    if (this.kind === 'facilitator') return 'facilitator';
    if (!role) return snap.phase === 'lobby' ? 'lobby' : 'watching';
    return snap.phase === 'lobby' ? `lobby:${role}` : `match:${role}`;
  }

  private stateChanged(snap: Snapshot): void {
    if (this.destroyed || !this.rules) return;
    // a player's screen depends on their seat: wait for the welcome, which follows the first state at once
    if (this.kind === 'player' && !this.session?.welcome) return;
    const { role } = this.context(snap);
    const key = this.screenFor(snap, role);
    if (key === 'outcome' && !this.outcome) {
      this.outcome = outcomeFromSnapshot(this.code, role, snap);
      void this.completeOutcome();
    }
    this.keepDraft(key.startsWith('match:') ? role : null, snap);
    this.page = { kind: 'screen', key };
    const phaseKey = `${snap.phase}/${snap.turn}`;
    if (phaseKey !== this.lastPhase) {
      if (this.lastPhase) this.onNotice.emit({ kind: 'phase', quarter: snap.quarter, phase: snap.phase });
      this.lastPhase = phaseKey;
    }
    this.onRedraw.emit();
  }

  /** One draft per team this person plays: a new one when the facilitator moves them, none off the match screen. */
  private keepDraft(role: string | null, snap: Snapshot): void {
    if (this.draft && this.draft.role.id !== role) { this.draft.destroy(); this.draft = null; }
    if (!role) return;
    const team = snap.teams[role];
    if (!this.draft) {
      const session = this.session!;
      this.draft = new TeamDraft(this.rules!, role, { send: (type, payload) => session.send(type, payload), act: (type, payload) => session.act(type, payload) });
      this.draft.onNotice.on((n) => this.onNotice.emit({ kind: 'toast', ...n }));
    }
    this.draft.me = this.session?.welcome?.personId ?? null;
    if (team) this.draft.update(snap, team);
  }

  /** The full record (every order and decision) is open to everyone once the match is over: it completes the debrief. */
  private async completeOutcome(): Promise<void> {
    try {
      const record = await api.record(this.code, this.facilitatorKey);
      if (!record.full || !this.outcome || this.destroyed) return;
      this.outcome = withRecord(this.outcome, outcomeFromRecord(this.rules!, record));
      this.onRedraw.emit();
    } catch { /* the debrief keeps what the room showed */ }
  }

  private async loadRecordOutcome(): Promise<void> {
    if (!this.rules) return;
    this.show({ kind: 'loading', message: 'Loading the match record…' });
    try {
      const record = await api.record(this.code, this.facilitatorKey);
      this.outcome = outcomeFromRecord(this.rules, record);
      this.outcomeFromRecord = true;
      this.draft?.destroy();
      this.draft = null;
      this.show({ kind: 'screen', key: 'outcome' });
    } catch (err) {
      this.show({ kind: 'over', message: (err as Error).message });
    }
  }
}
