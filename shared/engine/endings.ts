// The 2028 scenario and each role's 0–100 score from its own objectives.
import type { RuleFile, Objective } from '../rules/schema.ts';
import type { MatchState } from './state.ts';
import { allHold, readRef, statRef, type StatRef } from './stats.ts';
import { cloneState } from './setup.ts';

export function chooseEnding(rules: RuleFile, state: MatchState) {
  for (const e of rules.endings) if (allHold(rules, state, e.when)) return e;
  return rules.endings[rules.endings.length - 1];
}

/** How well one number meets one objective, 0..1. */
const lerp = (x: number) => Math.min(1, Math.max(0, x));

export function objectiveScore(o: Objective, value: number): number {
  if (o.kind === 'high') return o.high === o.low ? (value >= o.high ? 1 : 0) : lerp((value - o.low) / (o.high - o.low));
  if (o.kind === 'low') return o.high === o.low ? (value <= o.low ? 1 : 0) : lerp((o.high - value) / (o.high - o.low));
  if (value >= o.low && value <= o.high) return 1;
  const off = value < o.low ? o.low - value : value - o.high;
  return lerp(1 - off / o.falloff);
}

// each list of objectives' stat paths compiled once (a rule file's objectives are read at the end of every simulated match)
const objectiveRefs = new WeakMap<readonly Objective[], StatRef[]>();
/** The compiled stat of each objective, in order (made again if an objective's stat was edited since). */
export function refsOf(objectives: readonly Objective[]): StatRef[] {
  let refs = objectiveRefs.get(objectives);
  let stale = !refs || refs.length !== objectives.length;
  for (let i = 0; !stale && i < objectives.length; i++) stale = refs![i].path !== objectives[i].stat;
  if (stale) objectiveRefs.set(objectives, (refs = objectives.map((o) => statRef(o.stat))));
  return refs!;
}

export function roleScores(rules: RuleFile, state: MatchState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const role of rules.roles) {
    let sum = 0, weights = 0;
    const refs = refsOf(role.objectives);
    for (let i = 0; i < role.objectives.length; i++) {
      const o = role.objectives[i];
      const v = readRef(rules, state, refs[i]);
      sum += o.weight * objectiveScore(o, typeof v === 'number' ? v : v ? 1 : 0);
      weights += o.weight;
    }
    out[role.id] = Math.round((100 * sum) / weights);
  }
  return out;
}

/** Each role's score under an ending: its objectives' score, capped by the ending's `scoreCap` (a catastrophe caps every role). */
export function endingScores(rules: RuleFile, state: MatchState, ending: RuleFile['endings'][number]): Record<string, number> {
  const scores = roleScores(rules, state);
  if (ending.scoreCap === undefined) return scores;
  // capped in place: the scores are this call's own, and their keys keep their order
  for (const id in scores) scores[id] = Math.min(scores[id], ending.scoreCap);
  return scores;
}

export function finishMatch(rules: RuleFile, state: MatchState): void {
  const e = chooseEnding(rules, state);
  state.finished = true;
  state.ending = { id: e.id, title: e.title, text: e.text, scores: endingScores(rules, state, e) };
}

/** Ends a match before its last quarter (a facilitator's "end now"): the scenario the world is in today. */
export function concludeEarly(rules: RuleFile, state: MatchState): MatchState {
  if (state.finished) return state;
  const next = cloneState(state);
  finishMatch(rules, next);
  return next;
}
