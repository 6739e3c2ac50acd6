// The one table of a match's phases: what each allows, what it waits for, how long it lasts and what follows it.

import type { Phase, TimedPhase } from '../protocol/match.ts';

export type { Phase, TimedPhase } from '../protocol/match.ts';

export interface PhaseRule {
  /** a phase of a quarter (briefing, negotiation, orders): drafts, proposals, injected events and "resolve now" */
  inQuarter: boolean;
  /** teams say `ready` here (online matches also in the lobby) */
  ready: 'always' | 'online' | 'never';
  /** what moves it on by itself: every team ready, every team submitted, or nothing (the facilitator, or never) */
  waitsFor: 'ready' | 'submit' | 'nothing';
  /** the settings.timers key holding its length */
  timer: TimedPhase | null;
}

export const PHASES: Record<Phase, PhaseRule> = {
  lobby: { inQuarter: false, ready: 'online', waitsFor: 'ready', timer: null },
  briefing: { inQuarter: true, ready: 'always', waitsFor: 'ready', timer: 'briefing' },
  negotiation: { inQuarter: true, ready: 'always', waitsFor: 'ready', timer: 'negotiation' },
  orders: { inQuarter: true, ready: 'never', waitsFor: 'submit', timer: 'orders' },
  // resolution is instant: no match rests in it
  resolution: { inQuarter: false, ready: 'never', waitsFor: 'nothing', timer: null },
  report: { inQuarter: false, ready: 'always', waitsFor: 'ready', timer: 'report' },
  ended: { inQuarter: false, ready: 'never', waitsFor: 'nothing', timer: null },
};

/** The phases of one quarter, in order. */
export const QUARTER_PHASES = (Object.keys(PHASES) as Phase[]).filter((p) => PHASES[p].inQuarter);

/** What follows a phase: lobby → briefing → negotiation → orders → (resolve) → report → briefing, or ended after the last quarter. */
export function nextPhase(phase: Phase, finished: boolean): Phase | 'resolve' {
  switch (phase) {
    case 'lobby': return 'briefing';
    case 'briefing': return 'negotiation';
    case 'negotiation': return 'orders';
    case 'orders': return 'resolve';
    case 'resolution': return 'report';
    case 'report': return finished ? 'ended' : 'briefing';
    case 'ended': return 'ended';
  }
}

/** Seconds a phase lasts under these timers (0: until everyone is done or the facilitator moves on). */
export function phaseSeconds(phase: Phase, timers: Record<TimedPhase, number>): number {
  const key = PHASES[phase].timer;
  return key ? timers[key] : 0;
}

/** Whether teams of a match in this mode may say `ready` in this phase. */
export function readyAllowed(phase: Phase, mode: 'class' | 'online'): boolean {
  const r = PHASES[phase].ready;
  return r === 'always' || (r === 'online' && mode === 'online');
}
