// Balance measurements over seeded bot matches: what the "every seat matters" tests assert and the report prints.
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { MatchState, Order } from '../../shared/engine/state.ts';
import { leadMonths } from '../../shared/engine/state.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurnInPlace } from '../../shared/engine/resolve.ts';
import { botNegotiation, botOrders, type Seating } from '../../shared/sim/botMatch.ts';
import type { Personality } from '../../shared/bots/personalities.ts';

export const MOODS = ['status-quo', 'hawk', 'dove', 'opportunist'] as const satisfies readonly Personality[];
export const ROLES = ['usGov', 'usLab', 'cnGov', 'cnLab'] as const;

/** Changes a role's bot order before it resolves (a lever experiment). */
export type Tweak = (rules: RuleFile, state: MatchState, roleId: string, order: Order) => Order;

/** Plays one bot match like runBotMatch, with optional per-role order tweaks. */
export function play(rules: RuleFile, seed: number, seating: Seating, tweaks: Partial<Record<string, Tweak>> = {}): MatchState {
  const state = initialState(rules, seed);
  while (!state.finished) {
    botNegotiation(rules, state, seating);
    const orders = botOrders(rules, state, seating);
    for (const id in tweaks) orders[id] = tweaks[id]!(rules, state, id, orders[id]);
    resolveTurnInPlace(rules, state, orders);
  }
  return state;
}

export interface Summary {
  n: number;
  lead: { p10: number; p50: number; p90: number };
  sweet: number;
  endings: Record<string, number>;
  scores: Record<string, number>;
  seizure: number;
}

const quantile = (xs: number[], q: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

export function summarise(states: MatchState[]): Summary {
  const leads = states.map(leadMonths);
  const endings: Record<string, number> = {};
  const scores: Record<string, number> = {};
  let smuggled = 0, seized = 0;
  for (const s of states) {
    endings[s.ending!.id] = (endings[s.ending!.id] ?? 0) + 1 / states.length;
    for (const k in s.ending!.scores) scores[k] = (scores[k] ?? 0) + s.ending!.scores[k] / states.length;
    smuggled += s.sides.china.smuggledChips;
    seized += s.sides.china.seizedChips;
  }
  return {
    n: states.length,
    lead: { p10: quantile(leads, 0.1), p50: quantile(leads, 0.5), p90: quantile(leads, 0.9) },
    sweet: leads.filter((x) => x >= 12 && x <= 24).length / leads.length,
    endings, scores,
    seizure: smuggled + seized > 0 ? seized / (smuggled + seized) : 0,
  };
}

export const seeds = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);
export const everyone = (p: Personality): Seating => ({ usGov: p, usLab: p, cnGov: p, cnLab: p });

export function run(rules: RuleFile, seating: Seating, n: number, tweaks: Partial<Record<string, Tweak>> = {}): Summary {
  return summarise(seeds(n).map((seed) => play(rules, seed, seating, tweaks)));
}

/** Each role's bots against the same opponents: own mean score, lead p50 and ending shares. */
export function matchups(rules: RuleFile, n: number, opponents: Personality = 'status-quo') {
  const out: Record<string, Record<string, Summary>> = {};
  for (const role of ROLES) {
    out[role] = {};
    for (const mood of MOODS) out[role][mood] = run(rules, { ...everyone(opponents), [role]: mood }, n);
  }
  return out;
}

/** For each role, the best and worst personality (own mean score) in each of four opposing seatings. */
export function dominance(rules: RuleFile, n: number) {
  const out: Record<string, { opponents: string; best: string; worst: string; scores: Record<string, number> }[]> = {};
  const tables = Object.fromEntries(MOODS.map((opp) => [opp, matchups(rules, n, opp)]));
  for (const role of ROLES) {
    out[role] = MOODS.map((opp) => {
      const scores = Object.fromEntries(MOODS.map((m) => [m, tables[opp][role][m].scores[role]]));
      const sorted = MOODS.slice().sort((a, b) => scores[b] - scores[a]);
      return { opponents: opp, best: sorted[0], worst: sorted[sorted.length - 1], scores };
    });
  }
  return { table: out, matchups: tables };
}

/** US order tweaks: the full export-control package, or anti-distillation raised, each costing the same share. */
export const exportPackage: Tweak = (rules, _state, _id, order) => {
  const o: Order = { ...order, spend: { ...order.spend }, globalLicensing: true, exportTiers: { ...order.exportTiers } };
  for (const r of rules.regions) if (r.alignment === 'tier2') o.exportTiers![r.id] = 'licensed';
  for (const r of rules.regions) if (r.alignment === 'china') o.exportTiers![r.id] = 'embargo';
  const moved = o.spend.powerGrid * 0.5;
  o.spend.powerGrid -= moved;
  o.spend.bis += moved;
  return o;
};
/** The US Lab without anti-distillation (its money goes to training): what anti-distillation is worth. */
export const noAntiDistillation: Tweak = (_rules, _state, _id, order) => {
  const o: Order = { ...order, spend: { ...order.spend } };
  o.spend.training += o.spend.antiDistillation;
  o.spend.antiDistillation = 0;
  return o;
};
