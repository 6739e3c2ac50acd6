// The counterfactual after-action report: each team's order in each quarter replaced, the rest replayed, the effect measured.
import type { RuleFile, Side } from '../rules/schema.ts';
import type { MatchState, Order } from '../engine/state.ts';
import { leadMonths, quarterLabel } from '../engine/state.ts';
import { statusQuoOrder } from '../engine/setup.ts';
import { fitOrder } from '../engine/resolve.ts';
import { replayBranch, type Source } from './branch.ts';

/** Where a branch ends: the lead (US minus China, frontier-months), the ending, each role's score. */
export interface Outcome {
  lead: number;
  /** null while the match (or branch) is still being played */
  ending: { id: string; title: string } | null;
  scores: Record<string, number>;
  /** quarters resolved */
  quarters: number;
}

export type Alternative = 'previous' | 'statusQuo';

export interface Counterfactual {
  role: string;
  roleName: string;
  side: Side;
  /** the quarter whose order is replaced (state.turn when it resolved) */
  turn: number;
  quarter: string;
  /** what replaced the order: the team's previous quarter's order, or the status quo */
  alternative: Alternative;
  /** the order as it resolved, and the one put in its place (fitted to the same budget) */
  actual: Order;
  replacement: Order;
  /** the decision, in words: how the actual order differs from the replacement */
  change: string;
  /** where the match ends without the decision */
  outcome: Outcome;
  /** months of lead the decision was worth to the team's side (actual minus counterfactual, from its side) */
  sideGain: number;
  /** per role: actual score minus the counterfactual's (the decision's worth in points) */
  scoreChange: Record<string, number>;
  endingChanged: boolean;
  /** diplomatic steps the changed world refused; quarters played with repeated orders after an avoided catastrophe */
  skipped: number;
  extrapolated: number;
  sentence: string;
}

export interface AfterActionReport {
  actual: Outcome;
  /** every counterfactual computed, by quarter then role */
  counterfactuals: Counterfactual[];
  /** the decisions that mattered most: five for the match, two per team (one counterfactual per team and quarter) */
  top: Counterfactual[];
  topByRole: Record<string, Counterfactual[]>;
}

export function outcomeOf(state: MatchState): Outcome {
  return {
    lead: leadMonths(state),
    ending: state.ending ? { id: state.ending.id, title: state.ending.title } : null,
    scores: state.ending ? { ...state.ending.scores } : {},
    quarters: state.turn,
  };
}

const sameOrder = (a: Order, b: Order) => JSON.stringify(a) === JSON.stringify(b);
const money = (x: number) => `$${Math.abs(x).toFixed(1)}B`;
const months = (x: number) => `${Math.abs(x).toFixed(1)} month${Math.abs(x).toFixed(1) === '1.0' ? '' : 's'}`;

/** The biggest difference between the actual order and its replacement, as a phrase ("a shift of $3.0B into Grey market"). */
export function describeChange(rules: RuleFile, roleId: string, actual: Order, replacement: Order): string {
  const role = rules.roles.find((r) => r.id === roleId)!;
  const parts: string[] = [];
  for (const r of rules.regions) {
    const a = actual.exportTiers?.[r.id], b = replacement.exportTiers?.[r.id];
    if (a && b && a !== b) parts.push(`moving ${r.name} to ${a}`);
  }
  if (actual.globalLicensing !== undefined && replacement.globalLicensing !== undefined && actual.globalLicensing !== replacement.globalLicensing) parts.push(actual.globalLicensing ? 'requiring global licences' : 'dropping global licences');
  if (actual.openWeights !== undefined && replacement.openWeights !== undefined && actual.openWeights !== replacement.openWeights) parts.push(actual.openWeights ? 'releasing open weights' : 'stopping open weights');
  if (actual.hubCompliance !== undefined && replacement.hubCompliance !== undefined && Math.abs(actual.hubCompliance - replacement.hubCompliance) > 0.005) parts.push(`hub compliance at ${actual.hubCompliance.toFixed(2)}`);
  const diffs = role.levers.map((l) => ({ name: l.name, d: (actual.spend[l.id] ?? 0) - (replacement.spend[l.id] ?? 0) })).filter((x) => Math.abs(x.d) >= 0.05);
  diffs.sort((a, b) => Math.abs(b.d) - Math.abs(a.d));
  const into = diffs.find((x) => x.d > 0), outOf = diffs.find((x) => x.d < 0);
  if (into && outOf) parts.unshift(`shift of ${money(Math.min(into.d, -outOf.d))} from ${outOf.name} into ${into.name}`);
  else if (into) parts.unshift(`${money(into.d)} more on ${into.name}`);
  else if (outOf) parts.unshift(`${money(outOf.d)} less on ${outOf.name}`);
  if (!parts.length) return 'order';
  return parts.slice(0, 2).join(' and ');
}

/** Which of two counterfactuals matters more (negative: `a`): a changed ending first, then months of lead, then points of score. */
function moreImportant(a: Counterfactual, b: Counterfactual): number {
  if (a.endingChanged !== b.endingChanged) return a.endingChanged ? -1 : 1;
  const lead = Math.abs(b.sideGain) - Math.abs(a.sideGain);
  if (lead !== 0) return lead;
  return Math.abs(b.scoreChange[b.role] ?? 0) - Math.abs(a.scoreChange[a.role] ?? 0);
}

const matters = (c: Counterfactual) => c.endingChanged || Math.abs(c.sideGain) >= 0.05 || (c.scoreChange[c.role] ?? 0) !== 0;

function sentence(rules: RuleFile, c: Omit<Counterfactual, 'sentence'>, actual: Outcome): string {
  const sideName = rules.sides[c.side].name;
  const against = c.alternative === 'previous' ? 'against its previous order' : 'against the status quo';
  const worth = Math.abs(c.sideGain) < 0.05
    ? 'made no measurable difference to the lead'
    : c.sideGain > 0 ? `is worth ${months(c.sideGain)} of lead to ${sideName}` : `cost ${sideName} ${months(c.sideGain)} of lead`;
  const ending = !c.outcome.ending || !actual.ending
    ? ''
    : c.endingChanged ? `; without it the world ends in ${c.outcome.ending.title} instead of ${actual.ending.title}` : `; ${actual.ending.title} either way`;
  const own = c.scoreChange[c.role];
  const score = own === undefined || own === 0 ? '' : ` (${c.roleName}'s score ${own > 0 ? '+' : '−'}${Math.abs(own)})`;
  return `${c.roleName}'s ${c.change} in ${c.quarter} (${against}) ${worth}${ending}${score}.`;
}

/** The whole report of a match (finished, ended early, or still running: then "final" means "now"). */
export function afterActionReport(src: Source): AfterActionReport {
  const { rules, original } = src;
  const actual = outcomeOf(original.state);
  const counterfactuals: Counterfactual[] = [];
  const cache = new Map<string, Outcome & { skipped: number; extrapolated: number }>();
  for (const q of original.quarters) {
    for (const role of rules.roles) {
      const actualOrder = q.orders[role.id];
      const previous = original.quarters.find((p) => p.turn === q.turn - 1)?.orders[role.id];
      const alternatives: [Alternative, Order | undefined][] = [['previous', previous], ['statusQuo', statusQuoOrder(rules, q.before!, role.id)]];
      for (const [alternative, raw] of alternatives) {
        if (!raw || !actualOrder) continue;
        const replacement = fitOrder(rules, q.before!, role.id, raw);
        if (sameOrder(replacement, actualOrder)) continue;
        const cacheKey = `${q.turn}/${role.id}/${JSON.stringify(replacement)}`;
        let result = cache.get(cacheKey);
        if (!result) {
          const b = replayBranch(src, { turn: q.turn, role: role.id, order: replacement });
          result = { ...outcomeOf(b.match.state), skipped: b.skipped, extrapolated: b.extrapolated };
          cache.set(cacheKey, result);
        }
        const { skipped, extrapolated, ...outcome } = result;
        const sign = role.side === 'us' ? 1 : -1;
        const scoreChange: Record<string, number> = {};
        for (const id of Object.keys(actual.scores)) scoreChange[id] = actual.scores[id] - (outcome.scores[id] ?? 0);
        const c = {
          role: role.id, roleName: role.name, side: role.side, turn: q.turn, quarter: quarterLabel(rules, q.turn), alternative,
          actual: actualOrder, replacement, change: describeChange(rules, role.id, actualOrder, replacement), outcome,
          sideGain: sign * (actual.lead - outcome.lead), scoreChange, endingChanged: !!actual.ending && !!outcome.ending && actual.ending.id !== outcome.ending.id,
          skipped, extrapolated,
        };
        counterfactuals.push({ ...c, sentence: sentence(rules, c, actual) });
      }
    }
  }
  // one counterfactual per team and quarter (the one that matters more), ranked
  const best = new Map<string, Counterfactual>();
  for (const c of counterfactuals) {
    const k = `${c.role}/${c.turn}`;
    const had = best.get(k);
    if (!had || moreImportant(c, had) < 0) best.set(k, c);
  }
  const ranked = [...best.values()].filter(matters).sort((a, b) => moreImportant(a, b) || a.turn - b.turn);
  const topByRole: Record<string, Counterfactual[]> = {};
  for (const role of rules.roles) topByRole[role.id] = ranked.filter((c) => c.role === role.id).slice(0, 2);
  return { actual, counterfactuals, top: ranked.slice(0, 5), topByRole };
}
