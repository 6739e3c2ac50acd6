// A team's goals and how they are scored, with a running estimate: the score the team would get if the match ended now,
// reckoned from what the team knows (its own side exact, the rival as estimated), capped as a catastrophe would cap it.
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { RoleView } from '../../shared/engine/views.ts';
import { stateFromView } from '../../shared/engine/from-view.ts';
import { objectiveScore } from '../../shared/engine/endings.ts';
import { readStat } from '../../shared/engine/stats.ts';

export interface GoalLine {
  label: string;
  stat: string;
  /** the term's share of the 0–100 score */
  points: number;
  /** how the term is scored, in words */
  how: string;
  /** the number now, as the team knows it */
  value: number;
  /** points the term would give now */
  now: number;
}

export interface GoalEstimate {
  lines: GoalLine[];
  /** the 0–100 score if the match ended now, as the team can reckon it */
  total: number;
  /** every role's score is capped here after a catastrophe (null: the rules cap no ending) */
  catastropheCap: number | null;
}

const howScored = (o: RuleFile['roles'][number]['objectives'][number]): string =>
  o.kind === 'band' ? `full inside ${o.low}–${o.high}, nothing ${o.falloff} beyond it`
    : o.kind === 'high' ? `more is better: nothing at ${o.low}, full at ${o.high}`
      : `less is better: full at ${o.low}, nothing at ${o.high}`;

export function goalEstimate(rules: RuleFile, view: RoleView): GoalEstimate {
  const role = rules.roles.find((r) => r.id === view.roleId)!;
  const state = stateFromView(rules, view);
  const weights = role.objectives.reduce((n, o) => n + o.weight, 0);
  const lines = role.objectives.map((o) => {
    const v = readStat(rules, state, o.stat);
    const value = typeof v === 'number' ? v : v ? 1 : 0;
    const points = (100 * o.weight) / weights;
    return { label: o.label, stat: o.stat, points, how: howScored(o), value, now: points * objectiveScore(o, value) };
  });
  const cap = rules.endings.find((e) => e.id === 'catastrophe')?.scoreCap ?? null;
  return { lines, total: Math.round(lines.reduce((n, l) => n + l.now, 0)), catastropheCap: cap };
}
