// What each side believed about its rival, quarter by quarter, against the true number: the intelligence lesson.
import type { Side } from '../rules/schema.ts';
import type { MatchState } from '../engine/state.ts';
import { otherSide, quarterLabel } from '../engine/state.ts';
import { estimateOf, type EstimatedStat } from '../engine/views.ts';
import type { Source } from './branch.ts';

/** The numbers the report compares (the rest of the estimates follow the same noise). */
export const BELIEF_STATS = ['capability', 'effectiveCompute', 'safeguards'] as const satisfies readonly EstimatedStat[];
export type BeliefStat = (typeof BELIEF_STATS)[number];

export interface BeliefPoint {
  turn: number;
  quarter: string;
  /** the side that estimated */
  side: Side;
  stat: BeliefStat;
  value: number;
  low: number;
  high: number;
  /** the rival's true number then */
  truth: number;
  /** the truth was inside the band */
  inBand: boolean;
}

export interface BeliefSummary {
  side: Side;
  /** quarters the rival's capability was inside the band, of all quarters */
  inBand: number;
  of: number;
  /** mean absolute error of the capability estimate, in frontier-months */
  meanErrorMonths: number;
  /** the quarter with the largest capability error */
  worst: { quarter: string; value: number; truth: number } | null;
}

export interface BeliefVsTruth { points: BeliefPoint[]; summary: BeliefSummary[] }

/** Each side's view of the rival as it made each quarter's orders (the state its orders were drafted in). */
export function beliefVsTruth(src: Source): BeliefVsTruth {
  const { rules, original: m } = src;
  const states: MatchState[] = m.quarters.map((q) => q.before!);
  const points: BeliefPoint[] = [];
  for (const state of states) {
    for (const side of ['us', 'china'] as const) {
      for (const stat of BELIEF_STATS) {
        const e = estimateOf(rules, state, side, stat);
        const truth = state.sides[otherSide(side)][stat];
        points.push({ turn: state.turn, quarter: quarterLabel(rules, state.turn), side, stat, value: e.value, low: e.low, high: e.high, truth, inBand: truth >= e.low && truth <= e.high });
      }
    }
  }
  const summary = (['us', 'china'] as const).map((side): BeliefSummary => {
    const cap = points.filter((p) => p.side === side && p.stat === 'capability');
    const worst = cap.reduce<BeliefPoint | null>((w, p) => (!w || Math.abs(p.value - p.truth) > Math.abs(w.value - w.truth) ? p : w), null);
    return {
      side, inBand: cap.filter((p) => p.inBand).length, of: cap.length,
      meanErrorMonths: cap.length ? cap.reduce((s, p) => s + Math.abs(p.value - p.truth), 0) / cap.length : 0,
      worst: worst ? { quarter: worst.quarter, value: worst.value, truth: worst.truth } : null,
    };
  });
  return { points, summary };
}
