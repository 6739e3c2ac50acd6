// The team's forecast: the shared engine resolves next quarter on what this team knows (own side exact, rival as estimated).
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { checkOrder, type OrderCheck } from '../../shared/engine/orders.ts';
import { incidentRisk } from '../../shared/engine/safety.ts';
import { createRng, mixSeed } from '../../shared/engine/rng.ts';
import { stateFromView } from '../../shared/engine/from-view.ts';
import type { RuleFile, Order, RoleView } from '../net/types.ts';

type View = RoleView & { lastOrder: Order | null };

/** Checks a draft exactly as the server will (same engine function, same budget). */
export function checkDraft(rules: RuleFile, view: View, order: Order): OrderCheck {
  return checkOrder(rules, stateFromView(rules, view), view.roleId, order);
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
  const base = stateFromView(rules, view);
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
