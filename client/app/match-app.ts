// The controller of one match page: joins (or rejoins) through the session, then shows the screen for the phase.
import { h, text, announce, toast } from '../ui/dom.ts';
import { api, ApiError, normaliseCode, type MatchInfo } from '../net/api.ts';
import { MatchSession, seats, type Identity, type ConnectionStatus } from '../net/session.ts';
import { joinForm } from '../ui/join.ts';
import { LobbyScreen } from '../ui/lobby.ts';
import { MatchScreen } from '../ui/match.ts';
import { ProjectorScreen } from '../ui/projector.ts';
import { FacilitatorScreen } from '../ui/facilitator.ts';
import { OutcomeScreen, outcomeFromRecord, outcomeFromSnapshot } from '../ui/outcome.ts';
import { PHASE_NAME } from '../ui/format.ts';
import type { Nav, Screen } from './router.ts';
import type { RuleFile, Snapshot } from './types.ts';

export type PageKind = 'player' | 'projector' | 'facilitator';

/** What every screen of a match gets: the session to act through and the match's rule file. */
export interface MatchContext {
  code: string;
  kind: PageKind;
  rules: RuleFile;
  session: MatchSession;
  nav: Nav;
  facilitatorKey: string | null;
  /** this person's role now (the facilitator may move people between teams), or null */
  role: string | null;
  /** this person's display name */
  name: string;
}

export interface SubScreen { el: HTMLElement; update(s: Snapshot): void; destroy?(): void }

export class MatchApp implements Screen {
  readonly el: HTMLElement;
  title: string;
  private code: string;
  private kind: PageKind;
  private nav: Nav;
  private body: HTMLElement;
  private session: MatchSession | null = null;
  private rules: RuleFile | null = null;
  /** the match as looked up when the page opened, for the first join only */
  private info: MatchInfo | null = null;
  private sub: { key: string; screen: SubScreen } | null = null;
  private destroyed = false;
  private lastPhase = '';
  private facilitatorKey: string | null = null;

  constructor(code: string, kind: PageKind, nav: Nav) {
    this.code = normaliseCode(code);
    this.kind = kind;
    this.nav = nav;
    this.title = `${kind === 'projector' ? 'Projector' : kind === 'facilitator' ? 'Facilitator' : 'Match'} ${this.code}`;
    this.body = h('div', { class: 'match-app' }, loading('Finding the match…'));
    this.el = h('div', { class: `screen-host page-${kind}` }, this.body);
    void this.init();
  }

  private async init(): Promise<void> {
    let info: MatchInfo;
    try {
      [info, this.rules] = await Promise.all([api.match(this.code), api.matchRules(this.code)]);
    } catch (err) {
      const e = err as ApiError;
      this.show(h('div', { class: 'screen narrow' }, h('h1', null, e.status === 404 ? `No match ${this.code}` : 'The match could not be loaded'),
        h('p', null, e.status === 404 ? 'Check the code: six letters, shown on the board or in the invitation.' : e.message),
        h('a', { class: 'button primary', href: '/', dataset: { nav: '' } }, 'Back to the start')));
      return;
    }
    if (this.destroyed) return;
    performance.mark('w2028:match-info');
    this.info = info;
    if (info.status === 'finished') { await this.showRecordOutcome(); return; }
    if (this.kind === 'projector') return this.connect({ kind: 'spectator' });
    if (this.kind === 'facilitator') {
      const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
      if (fromHash) { seats.setFacilitatorKey(this.code, fromHash); history.replaceState(null, '', location.pathname); }
      this.facilitatorKey = fromHash ?? seats.facilitatorKey(this.code);
      if (!this.facilitatorKey) {
        this.show(h('div', { class: 'screen narrow' }, h('h1', null, 'Facilitator key needed'),
          h('p', null, 'This browser does not hold the facilitator key of this class. Open the facilitator link from the browser that created the session.'),
          h('a', { class: 'button', href: `/projector/${this.code}`, dataset: { nav: '' } }, 'Open the projector view instead')));
        return;
      }
      return this.connect({ kind: 'facilitator', key: this.facilitatorKey });
    }
    if (seats.get(this.code)) return this.connect({ kind: 'player' });
    this.show(joinForm(info, async (name, role) => this.connect({ kind: 'player', name, role }, true)));
  }

  /** Joins; `fromForm` rethrows a refusal so the join form can show it next to the fields. */
  private async connect(identity: Identity, fromForm = false): Promise<void> {
    const session = new MatchSession(this.code, identity);
    this.session = session;
    session.onStatus.on((s) => this.statusChanged(s));
    session.onState.on((snap) => this.render(snap));
    // the welcome (who this seat is) follows the first state: render again so a returning player gets their team's screen
    session.onWelcome.on(() => { if (session.snapshot) this.render(session.snapshot); });
    session.onServerError.on((m) => toast(m.message, 'error', m.details));
    if (!fromForm) this.show(loading('Joining the match…'));
    try {
      const known = this.info ?? undefined;
      this.info = null;
      await session.start(known);
      performance.mark('w2028:joined');
    } catch (err) {
      if (fromForm) throw err;
      const e = err as ApiError;
      if (session.status === 'removed') return;
      this.show(h('div', { class: 'screen narrow' }, h('h1', null, 'Could not join'), h('p', null, e.message),
        h('a', { class: 'button primary', href: `/join/${this.code}`, dataset: { nav: '' }, onclick: () => seats.forget(this.code) }, 'Join again')));
    }
  }

  private statusChanged(s: ConnectionStatus): void {
    const banner = document.getElementById('banner')!;
    if (s === 'reconnecting') {
      banner.hidden = false;
      banner.className = 'banner banner-warn';
      const n = this.session?.attempts ?? 0;
      text(banner, `⚠ Connection lost — reconnecting to your seat${n > 1 ? ` (attempt ${n})` : ''}… Your team's work is safe on the server.`);
    } else if (s === 'removed') {
      banner.hidden = false;
      banner.className = 'banner banner-error';
      text(banner, 'The facilitator removed you from this match.');
      seats.forget(this.code);
      this.show(h('div', { class: 'screen narrow' }, h('h1', null, 'You were removed from this match'), h('a', { class: 'button', href: '/', dataset: { nav: '' } }, 'Back to the start')));
    } else {
      if (!banner.hidden && s === 'connected') { announce('Reconnected.'); }
      banner.hidden = true;
      banner.textContent = '';
    }
    if (s === 'finished') void this.showRecordOutcome();
    if (s === 'refused') {
      this.show(h('div', { class: 'screen narrow' }, h('h1', null, 'Could not get back in'), h('p', null, this.session?.lastError?.message ?? ''),
        h('a', { class: 'button primary', href: `/join/${this.code}`, dataset: { nav: '' } }, 'Join again')));
    }
  }

  private context(snap?: Snapshot): MatchContext {
    const w = this.session?.welcome;
    const me = snap && w?.personId ? snap.people.find((p) => p.id === w.personId) : undefined;
    const role = me ? me.role || null : w?.role ?? null;
    return { code: this.code, kind: this.kind, rules: this.rules!, session: this.session!, nav: this.nav, facilitatorKey: this.facilitatorKey, role, name: me?.name ?? w?.name ?? '' };
  }

  private render(snap: Snapshot): void {
    if (this.destroyed || !this.rules) return;
    // a player's screen depends on their seat: wait for the welcome, which follows the first state at once
    if (this.kind === 'player' && !this.session?.welcome) return;
    const ctx = this.context(snap);
    const ended = snap.phase === 'ended';
    let key: string;
    if (ended) key = 'outcome';
    else if (this.kind === 'projector') key = 'projector';
    else if (this.kind === 'facilitator') key = 'facilitator';
    else if (!ctx.role) key = snap.phase === 'lobby' ? 'lobby' : 'watching';
    // a new screen when the facilitator moves this person to another team
    else key = `${snap.phase === 'lobby' ? 'lobby' : 'match'}:${ctx.role}`;
    if (!this.sub || this.sub.key !== key) {
      let screen: SubScreen;
      if (key === 'outcome') screen = new OutcomeScreen(ctx, outcomeFromSnapshot(ctx, snap));
      else if (key === 'projector') screen = new ProjectorScreen(ctx);
      else if (key === 'facilitator') screen = new FacilitatorScreen(ctx);
      else if (key.startsWith('match') || key === 'watching') screen = new MatchScreen(ctx);
      else screen = new LobbyScreen(ctx);
      this.sub?.screen.destroy?.();
      this.sub = { key, screen };
      this.body.replaceChildren(screen.el);
      performance.mark(`w2028:screen-${key}`);
    }
    this.sub.screen.update(snap);
    // where the match is, for assistive tech styling hooks and for the end-to-end tests to wait on
    document.body.dataset.phase = snap.phase;
    document.body.dataset.turn = String(snap.turn);
    document.body.dataset.paused = String(snap.paused);
    const phaseKey = `${snap.phase}/${snap.turn}`;
    if (phaseKey !== this.lastPhase) {
      if (this.lastPhase) announce(`${snap.quarter}: ${PHASE_NAME[snap.phase] ?? snap.phase}`);
      this.lastPhase = phaseKey;
    }
  }

  private async showRecordOutcome(): Promise<void> {
    if (!this.rules) return;
    this.show(loading('Loading the match record…'));
    try {
      const record = await api.record(this.code, this.facilitatorKey);
      const ctx = { ...this.context(), rules: this.rules };
      const screen = new OutcomeScreen(ctx, outcomeFromRecord(this.rules, record));
      this.sub = { key: 'outcome', screen };
      document.body.dataset.phase = 'ended';
      this.body.replaceChildren(screen.el);
    } catch (err) {
      this.show(h('div', { class: 'screen narrow' }, h('h1', null, 'This match is over'), h('p', null, (err as Error).message)));
    }
  }

  private show(el: HTMLElement): void {
    this.sub?.screen.destroy?.();
    this.sub = null;
    this.body.replaceChildren(el);
  }

  destroy(): void {
    this.destroyed = true;
    this.sub?.screen.destroy?.();
    void this.session?.close();
    const banner = document.getElementById('banner');
    if (banner) banner.hidden = true;
    delete document.body.dataset.phase;
    delete document.body.dataset.turn;
    delete document.body.dataset.paused;
  }
}

export function loading(message: string): HTMLElement {
  return h('div', { class: 'screen narrow loading-screen', role: 'status' }, h('span', { class: 'spinner big', 'aria-hidden': 'true' }), h('p', null, message));
}
