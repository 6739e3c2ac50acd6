// The team's forecast: the shared engine resolves next quarter on what this team knows (own side exact, rival as estimated).
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { checkOrder, type OrderCheck } from '../../shared/engine/orders.ts';
import { incidentRisk } from '../../shared/engine/safety.ts';
import { createRng, mixSeed } from '../../shared/engine/rng.ts';
import type { RuleFile, Side, MatchState, Order, RoleView } from './types.ts';

type View = RoleView & { lastOrder: Order | null };

const other = (s: Side): Side => (s === 'us' ? 'china' : 'us');

/**
 * A MatchState built from a role's view: what the server would resolve, with the rival's hidden numbers
 * replaced by this team's estimates, the rival's orders unknown (the engine falls back to the status quo)
 * and a seed of our own. Budget and bank of this role are exact, so checkOrder agrees with the server.
 */
export function knownState(rules: RuleFile, view: View, seed = 1): MatchState {
  const side = view.side;
  const rivalSide = other(side);
  const mpd = rules.model.capability.monthsPerDoubling;
  const own = view.own;
  const ownPeak = Math.max(own.effectiveCompute, ...view.timeline.map((p) => p.effectiveCompute[side] ?? 0));
  const r = view.rival;
  const rivalPeak = Math.max(r.effectiveCompute.value, ...view.timeline.map((p) => p.effectiveCompute[rivalSide] ?? 0));
  const sides = {} as MatchState['sides'];
  sides[side] = {
    chips: own.chips, domesticChips: own.chips * own.domesticShare, powerGW: own.powerGW, powerNeedGW: own.powerNeedGW,
    peakCompute: ownPeak, effectiveCompute: own.effectiveCompute,
    algorithmicMonths: own.capability - own.distilledMonths - mpd * Math.log2(Math.max(1, ownPeak)),
    capability: own.capability, distilledMonths: own.distilledMonths, safeguards: own.safeguards, adoption: own.adoption,
    computeCost: own.computeCost, fabPipeline: own.fabPipeline.map((b) => ({ ...b })), fabPriceFactor: 1,
    smuggledChips: own.smuggledChips, seizedChips: own.seizedChips, intelError: own.intelError,
    brokenAgreements: view.world.brokenAgreements[side], lastDistillation: { ...own.lastDistillation },
  };
  const rivalCompute = r.effectiveCompute.value;
  const rivalChips = Math.max(r.chips.value, 1);
  sides[rivalSide] = {
    chips: rivalChips, domesticChips: rivalSide === 'china' ? rivalChips * 0.3 : 0, powerGW: r.powerGW.value,
    powerNeedGW: rivalCompute > 0 && rivalChips > rivalCompute ? r.powerGW.value * (rivalChips / rivalCompute) : r.powerGW.value,
    peakCompute: rivalPeak, effectiveCompute: rivalCompute,
    algorithmicMonths: r.capability.value - mpd * Math.log2(Math.max(1, rivalPeak)),
    capability: r.capability.value, distilledMonths: 0, safeguards: r.safeguards.value, adoption: r.adoption,
    computeCost: r.computeCost.value, fabPipeline: [], fabPriceFactor: 1, smuggledChips: 0, seizedChips: 0,
    intelError: rules.model.intelligence.baseError, brokenAgreements: view.world.brokenAgreements[rivalSide],
    lastDistillation: { accounts: 0, exchangesMillions: 0, detectedShare: 0, gainMonths: 0 },
  };
  const turn = view.world.turn;
  const roles: MatchState['roles'] = {};
  for (const role of rules.roles) {
    const fresh = role.budget.perTurn * Math.pow(role.budget.growth, turn);
    roles[role.id] = {
      bank: role.id === view.roleId ? Math.max(0, view.budget - fresh) : 0,
      lastOrder: role.side === side ? view.sideOrders[role.id] ?? null : null,
    };
  }
  return {
    seed, turn, finished: false, sides,
    regions: Object.fromEntries(Object.entries(view.world.regions).map(([k, v]) => [k, { ...v }])),
    globalLicensing: view.world.globalLicensing, openWeights: view.world.openWeights, roles,
    agreements: view.world.agreements.map((a) => ({ ...a })), pending: view.world.pending.map((p) => ({ ...p })),
    nextProposalKey: 1 + Math.max(0, ...view.world.pending.map((p) => p.key)), agreementTurns: 0,
    incidents: { ...view.world.incidents }, drawnEvents: [], riskModifier: 0, timeline: [], ending: null,
    trust: view.world.trust, brokenTreaties: view.world.brokenTreaties, tension: view.world.tension,
    dilemmas: view.dilemmas.map((d) => ({ cardId: d.cardId, role: view.roleId, turn: turn - 1 })),
  };
}

/** Checks a draft exactly as the server will (same engine function, same budget). */
export function checkDraft(rules: RuleFile, view: View, order: Order): OrderCheck {
  return checkOrder(rules, knownState(rules, view), view.roleId, order);
}

export interface Range { value: number; low: number; high: number }
export interface Forecast {
  quarter: string;
  lead: Range;
  capability: Range;
  safeguards: Range;
  effectiveCompute: Range;
  adoption: Range;
  /** chance of a misuse incident in the quarter after (from the forecast state) */
  risk: Range;
  /** the same numbers if the team repeated last quarter's order (or the status quo) */
  baseline: { lead: number; capability: number; safeguards: number; effectiveCompute: number; adoption: number; risk: number };
  runs: number;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
function range(xs: number[]): Range {
  const s = [...xs].sort((a, b) => a - b);
  return { value: median(s), low: s[Math.floor(s.length * 0.1)], high: s[Math.ceil(s.length * 0.9) - 1] };
}

/** Resolves next quarter `runs` times (different luck each time) with the draft, and with last quarter's order. */
export function forecast(rules: RuleFile, view: View, draft: Order, runs = 12): Forecast | null {
  if (view.world.finished) return null;
  const side = view.side;
  const base = knownState(rules, view);
  const collect = (order: Order | undefined) => {
    const out = { lead: [] as number[], capability: [] as number[], safeguards: [] as number[], effectiveCompute: [] as number[], adoption: [] as number[], risk: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const state = { ...base, seed: mixSeed(9173, i, view.world.turn) };
      const orders: Record<string, Order> = {};
      for (const role of rules.roles) {
        if (role.id === view.roleId) { if (order) orders[role.id] = order; }
        else if (role.side === side && view.sideOrders[role.id]) orders[role.id] = view.sideOrders[role.id]!;
      }
      const { state: next } = resolveTurn(rules, state, orders, createRng(state.seed));
      const s = next.sides[side];
      out.lead.push(next.sides.us.capability - next.sides.china.capability);
      out.capability.push(s.capability);
      out.safeguards.push(s.safeguards);
      out.effectiveCompute.push(s.effectiveCompute);
      out.adoption.push(s.adoption);
      out.risk.push(next.finished ? 0 : incidentRisk(rules, next));
    }
    return out;
  };
  const withDraft = collect(draft);
  const withLast = collect(view.lastOrder ?? undefined);
  return {
    quarter: view.world.quarter,
    lead: range(withDraft.lead), capability: range(withDraft.capability), safeguards: range(withDraft.safeguards),
    effectiveCompute: range(withDraft.effectiveCompute), adoption: range(withDraft.adoption), risk: range(withDraft.risk),
    baseline: {
      lead: median(withLast.lead), capability: median(withLast.capability), safeguards: median(withLast.safeguards),
      effectiveCompute: median(withLast.effectiveCompute), adoption: median(withLast.adoption), risk: median(withLast.risk),
    },
    runs,
  };
}
