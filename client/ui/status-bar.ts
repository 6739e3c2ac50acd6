// The match header: quarter, phase steps, the timer (or pause), and every team's state in words and symbols.
import { h, text } from './dom.ts';
import { clock, PHASE_NAME, PHASE_HINT } from './format.ts';
import { quarterLabel } from '../../shared/engine/state.ts';
import type { Snapshot, RoleSeat, RuleFile } from '../net/types.ts';

const STEPS = ['briefing', 'negotiation', 'orders', 'report'] as const;

/** A team's state as a symbol plus words (never colour alone). */
export function teamState(r: RoleSeat, phase: string): { symbol: string; words: string; done: boolean } {
  if (phase === 'lobby') {
    if (r.seats === 0) return { symbol: '⚙', words: `bot (${r.botPersonality})`, done: true };
    if (r.people === 0) return { symbol: '○', words: 'nobody yet', done: false };
    return { symbol: r.ready ? '✓' : '●', words: `${r.people} joined${r.ready ? ', ready' : ''}`, done: r.ready };
  }
  if (r.bot) return { symbol: '⚙', words: r.seats === 0 ? `bot (${r.botPersonality})` : 'bot playing', done: true };
  if (r.connected === 0 && r.people > 0) return { symbol: '○', words: 'away', done: false };
  if (r.people === 0) return { symbol: '○', words: 'empty', done: false };
  if (phase === 'orders') return r.submitted ? { symbol: '✓', words: 'submitted', done: true } : r.drafting ? { symbol: '✎', words: 'drafting', done: false } : { symbol: '…', words: 'deciding', done: false };
  if (phase === 'ended') return { symbol: '■', words: 'done', done: true };
  return r.ready ? { symbol: '✓', words: 'ready', done: true } : { symbol: '…', words: 'reading', done: false };
}

export class StatusBar {
  readonly el: HTMLElement;
  private quarter: HTMLElement;
  private steps: HTMLElement;
  private timer: HTMLElement;
  private hint: HTMLElement;
  private teams: HTMLElement;
  private snap: Snapshot | null = null;
  private tick: number;

  private rules: RuleFile | null;

  constructor(options: { who?: HTMLElement | null; large?: boolean; rules?: RuleFile } = {}) {
    this.rules = options.rules ?? null;
    this.quarter = h('div', { class: 'quarter' });
    this.steps = h('ol', { class: 'steps', 'aria-label': 'Phases of the quarter' }, STEPS.map((p) => h('li', { dataset: { phase: p } }, PHASE_NAME[p])));
    this.timer = h('div', { class: 'timer', role: 'timer', 'aria-live': 'off' });
    this.hint = h('div', { class: 'phase-hint' });
    this.teams = h('ul', { class: 'team-states', 'aria-label': 'Teams' });
    this.el = h('header', { class: `status-bar ${options.large ? 'large' : ''}` },
      h('div', { class: 'status-main' }, options.who ?? null, this.quarter, h('div', { class: 'phase-box' }, this.steps, this.hint), this.timer),
      this.teams);
    this.tick = window.setInterval(() => this.renderTimer(), 250);
  }

  update(s: Snapshot): void {
    this.snap = s;
    // in the report the state has already moved to the next quarter: name the one being reported
    const q = s.phase === 'report' && this.rules ? `Report on ${quarterLabel(this.rules, s.turn - 1)} · next: ${s.quarter}`
      : s.phase === 'lobby' ? 'Lobby' : s.phase === 'ended' ? s.quarter : `${s.quarter} · quarter ${Math.min(s.turn + 1, s.turns)} of ${s.turns}`;
    text(this.quarter, q);
    for (const li of this.steps.children) {
      const el = li as HTMLElement;
      const current = el.dataset.phase === s.phase;
      el.classList.toggle('current', current);
      if (current) el.setAttribute('aria-current', 'step'); else el.removeAttribute('aria-current');
      el.classList.toggle('past', STEPS.indexOf(el.dataset.phase as never) < STEPS.indexOf(s.phase as never));
    }
    text(this.hint, PHASE_HINT[s.phase] ?? '');
    const key = JSON.stringify(s.roles.map((r) => [r.id, r.bot, r.ready, r.submitted, r.drafting, r.connected, r.people]).concat([s.phase]));
    if (this.teams.dataset.key !== key) {
      this.teams.dataset.key = key;
      this.teams.replaceChildren(...s.roles.map((r) => {
        const st = teamState(r, s.phase);
        return h('li', { class: `team-state side-${r.side} ${st.done ? 'done' : ''}`, dataset: { role: r.id, state: st.words } },
          h('span', { class: 'sym', 'aria-hidden': 'true' }, st.symbol), h('span', { class: 'name' }, r.name), h('span', { class: 'words' }, st.words));
      }));
    }
    this.renderTimer();
  }

  private renderTimer(): void {
    const s = this.snap;
    if (!s) return;
    let label = '';
    let cls = 'timer';
    if (s.paused) { label = `❚❚ Paused${s.phaseRemaining ? ` · ${clock(s.phaseRemaining)} left` : ''}`; cls += ' paused'; }
    else if (s.phaseEndsAt > 0 && s.phase !== 'ended') {
      const left = s.phaseEndsAt - Date.now();
      label = `◷ ${clock(left)}`;
      if (left < 30_000) cls += ' urgent';
    } else if (s.phase !== 'lobby' && s.phase !== 'ended' && window.innerWidth > 860) label = 'No timer';
    text(this.timer, label);
    if (this.timer.className !== cls) this.timer.className = cls;
    this.timer.setAttribute('aria-label', s.paused ? 'The match is paused' : label.replace('◷', 'Time left'));
  }

  destroy(): void { clearInterval(this.tick); }
}
