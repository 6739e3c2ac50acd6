// What must never reach the other side: every hidden number of a side, and a way to find numbers in what a client holds.
import type { MatchState } from '../../shared/engine/state.ts';
import type { RuleFile, Side } from '../../shared/rules/schema.ts';

/** Every hidden number of one side (0 and small whole numbers also occur as counts and settings; they say nothing). */
export function hiddenNumbers(rules: RuleFile, state: MatchState, side: Side): number[] {
  const s = state.sides[side];
  const values = [s.chips, s.domesticChips, s.powerGW, s.powerNeedGW, s.peakCompute, s.effectiveCompute, s.algorithmicMonths,
    s.capability, s.distilledMonths, s.safeguards, s.computeCost, s.smuggledChips, s.fabPriceFactor, s.intelError,
    s.lastDistillation.accounts, s.lastDistillation.exchangesMillions, s.lastDistillation.gainMonths,
    ...s.fabPipeline.flatMap((b) => [b.chips, b.cost]),
    ...(state.finished ? [] : state.timeline.flatMap((p) => [p.capability[side], p.safeguards[side], p.effectiveCompute[side], p.chips[side], p.computeCost[side], p.lead])),
    ...rules.roles.filter((r) => r.side === side).map((r) => state.roles[r.id].bank),
    ...rules.roles.filter((r) => r.side === side).flatMap((r) => Object.values(state.roles[r.id].lastOrder?.spend ?? {})),
  ];
  // numbers printed in the rule file are public knowledge (a start value, a base error)
  const published = numbersIn(rules);
  return values.filter((v) => v !== 0 && !(Number.isInteger(v) && Math.abs(v) < 20) && !published.has(v));
}

/** Every number anywhere in a value, looking inside strings that hold JSON (the synced views are JSON text). */
export function numbersIn(x: unknown, out = new Set<number>()): Set<number> {
  if (typeof x === 'number') out.add(x);
  else if (typeof x === 'string') {
    if (x.length > 1 && (x[0] === '{' || x[0] === '[')) {
      try { numbersIn(JSON.parse(x), out); } catch { /* plain text */ }
    }
  } else if (Array.isArray(x)) for (const v of x) numbersIn(v, out);
  else if (x && typeof x === 'object') for (const v of Object.values(x)) numbersIn(v, out);
  return out;
}
