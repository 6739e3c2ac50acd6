// A lesson plan: how many quarters and how long each phase's timer for a lesson of so many minutes, leaving time to join and to debrief.
import type { RuleFile } from '../rules/schema.ts';
import type { PhaseTimers } from '../protocol/match.ts';
import { quarterLabel } from '../engine/state.ts';

/**
 * How a lesson's minutes are shared out. The shortest quarter is the least a class can read, talk and decide in;
 * the longest is the class default (12 minutes a quarter); a plan stretches from one toward the other.
 */
export const LESSON = {
  /** minutes for the class to join by code before the first briefing */
  joinMinutes: 3,
  /** the debrief takes this share of the lesson, within [debriefMin, debriefMax] minutes */
  debriefShare: 0.15,
  debriefMin: 5,
  debriefMax: 15,
  /** seconds per phase of the shortest workable quarter */
  shortest: { briefing: 60, negotiation: 120, orders: 90, report: 45 } satisfies PhaseTimers,
  /** seconds per phase of the roomiest quarter (the class defaults) */
  longest: { briefing: 120, negotiation: 240, orders: 240, report: 120 } satisfies PhaseTimers,
  /** a match needs at least this many quarters to be worth playing */
  minQuarters: 2,
  /** timers are whole multiples of this many seconds */
  step: 15,
  /** the lesson lengths the set-up offers (any other is "custom") */
  presets: [45, 60, 90],
  minMinutes: 20,
  maxMinutes: 240,
} as const;

export interface LessonPlan {
  minutes: number;
  /** quarters played (the rule file's first ones; the ending is judged after the last) */
  quarters: number;
  timers: PhaseTimers;
  /** the longest a quarter can take: the sum of its phase timers */
  quarterSeconds: number;
  joinMinutes: number;
  /** what is left for the debrief when every phase runs its full time */
  debriefMinutes: number;
  /** the first and last quarter played, e.g. Q3 2026 and Q4 2027 */
  firstQuarter: string;
  lastQuarter: string;
  /** why no plan fits (too short a lesson); empty when it fits */
  problems: string[];
}

const sum = (t: PhaseTimers) => t.briefing + t.negotiation + t.orders + t.report;

/** The plan a lesson of `minutes` implies under these rules: as many quarters as fit (at most the rule file's), then longer timers. */
export function lessonPlan(minutes: number, rules: Pick<RuleFile, 'calendar'>): LessonPlan {
  const L = LESSON;
  const problems: string[] = [];
  if (!Number.isFinite(minutes) || minutes < L.minMinutes || minutes > L.maxMinutes) problems.push(`a lesson lasts ${L.minMinutes} to ${L.maxMinutes} minutes`);
  const m = Math.min(L.maxMinutes, Math.max(L.minMinutes, Math.round(Number.isFinite(minutes) ? minutes : L.minMinutes)));
  const debriefTarget = Math.min(L.debriefMax, Math.max(L.debriefMin, Math.round(m * L.debriefShare)));
  const play = (m - L.joinMinutes - debriefTarget) * 60;
  const short = sum(L.shortest);
  const long = sum(L.longest);
  const quarters = Math.max(L.minQuarters, Math.min(rules.calendar.turns, Math.floor(play / short)));
  if (quarters * short > play) problems.push(`${m} minutes leave too little time for ${L.minQuarters} quarters and a debrief`);
  // how far from the shortest toward the longest quarter the time allows
  const stretch = Math.max(0, Math.min(1, (play / quarters - short) / (long - short)));
  const timers = {} as PhaseTimers;
  for (const k of Object.keys(L.shortest) as (keyof PhaseTimers)[]) {
    const s = L.shortest[k] + stretch * (L.longest[k] - L.shortest[k]);
    timers[k] = Math.floor(s / L.step) * L.step;
  }
  const quarterSeconds = sum(timers);
  const debriefMinutes = Math.floor((m * 60 - L.joinMinutes * 60 - quarters * quarterSeconds) / 60);
  return {
    minutes: m, quarters, timers, quarterSeconds, joinMinutes: L.joinMinutes, debriefMinutes,
    firstQuarter: quarterLabel(rules, 0), lastQuarter: quarterLabel(rules, quarters - 1), problems,
  };
}

/** The rule file a shortened one was made from, so a lesson can later add back quarters the file has. */
const fileOf = new WeakMap<object, RuleFile>();

/** The rule file as written (all its quarters), for rules `withTurns` shortened; the rules themselves otherwise. */
export function fileRules<R extends Pick<RuleFile, 'calendar'>>(rules: R): R {
  return (fileOf.get(rules) as R | undefined) ?? rules;
}

/** The most quarters a match under these rules can play: the rule file's own number. */
export const fileTurns = (rules: Pick<RuleFile, 'calendar'>): number => fileRules(rules).calendar.turns;

/**
 * The rules of a shorter match: the same file with fewer quarters (the engine ends the match, and judges its ending,
 * after `rules.calendar.turns`). A number at or above the file's own gives the file's rules. Rules already shortened
 * may be lengthened again, up to the file's own number.
 */
export function withTurns(rules: RuleFile, turns: number | undefined): RuleFile {
  const file = fileRules(rules);
  if (turns === undefined || turns >= file.calendar.turns) return turns === undefined ? rules : file;
  const n = Math.max(1, Math.floor(turns));
  if (n === rules.calendar.turns) return rules;
  const short = { ...file, calendar: { ...file.calendar, turns: n } };
  fileOf.set(short, file);
  return short;
}

/** What the desk needs to say how much of the lesson is left. */
export interface LessonClockInput {
  /** the lesson's planned length (0: no plan, only the play time is given) */
  lessonMinutes: number;
  /** when the session started (epoch ms; 0 before) */
  startedAt: number;
  /** quarters the match plays, and the one being played (state.turn: after a resolution, the next) */
  turns: number;
  turn: number;
  phase: string;
  timers: PhaseTimers;
  /** the running phase's deadline (epoch ms) or, paused, its time left (ms) */
  phaseEndsAt: number;
  phaseRemaining: number;
}

export interface LessonClock {
  /** the most the quarters still to play can take, at the current timers (seconds) */
  playSeconds: number;
  /** seconds until the planned end of the lesson (negative once past it), or null without a plan */
  lessonSeconds: number | null;
  /** the planned end of the lesson (epoch ms), or null without a plan */
  endsAt: number | null;
  /** what the debrief keeps if every phase runs its full time (seconds; negative: the play runs past the lesson) */
  debriefSeconds: number | null;
}

const QUARTER: (keyof PhaseTimers)[] = ['briefing', 'negotiation', 'orders', 'report'];

/**
 * The lesson's time from the plan and the actual clock: the lesson ends its planned minutes after the class began to
 * join (the session starts `joinMinutes` in); the quarters left need at most their phase timers.
 */
export function lessonClock(c: LessonClockInput, now: number): LessonClock {
  const quarter = sum(c.timers);
  const left = c.phaseEndsAt > 0 ? Math.max(0, (c.phaseEndsAt - now) / 1000) : c.phaseRemaining / 1000;
  let play: number;
  if (c.phase === 'ended') play = 0;
  else if (c.phase === 'lobby') play = c.turns * quarter;
  else {
    const at = QUARTER.indexOf(c.phase as keyof PhaseTimers);
    // in the report the quarter just played is behind (state.turn already counts it); in a quarter, the current one is still on
    const later = at < 0 ? 0 : QUARTER.slice(at + 1).reduce((n, k) => n + c.timers[k], 0);
    const whole = Math.max(0, c.turns - c.turn - (c.phase === 'report' ? 0 : 1));
    play = left + later + whole * quarter;
  }
  if (!c.lessonMinutes) return { playSeconds: Math.round(play), lessonSeconds: null, endsAt: null, debriefSeconds: null };
  const endsAt = c.startedAt ? c.startedAt + (c.lessonMinutes - LESSON.joinMinutes) * 60_000 : now + (c.lessonMinutes - LESSON.joinMinutes) * 60_000;
  const lessonSeconds = Math.round((endsAt - now) / 1000);
  return { playSeconds: Math.round(play), lessonSeconds, endsAt, debriefSeconds: lessonSeconds - Math.round(play) };
}
