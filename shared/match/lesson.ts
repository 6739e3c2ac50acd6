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

/**
 * The rules of a shorter match: the same file with fewer quarters (the engine ends the match, and judges its ending,
 * after `rules.calendar.turns`). A number at or above the file's own leaves the rules as they are.
 */
export function withTurns(rules: RuleFile, turns: number | undefined): RuleFile {
  if (turns === undefined || turns >= rules.calendar.turns) return rules;
  return { ...rules, calendar: { ...rules.calendar, turns: Math.max(1, Math.floor(turns)) } };
}
