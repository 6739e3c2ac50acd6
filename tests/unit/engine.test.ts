// The rules engine is a pure, deterministic function of (rules, state, orders, seed).
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, statusQuoOrder, availableBudget } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { runBotMatch } from '../../shared/sim/botMatch.ts';
import { botOrders } from '../../shared/sim/botMatch.ts';
import type { MatchState, Orders } from '../../shared/engine/state.ts';

const rules = defaultRules();
const mixed = { usGov: 'hawk', usLab: 'opportunist', cnGov: 'random', cnLab: 'dove' } as const;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') { Object.freeze(o); for (const v of Object.values(o)) deepFreeze(v); }
  return o;
}

describe('resolveTurn', () => {
  it('gives the same match byte for byte for the same seed and orders', () => {
    const a = runBotMatch(rules, 42, mixed, true);
    const b = runBotMatch(rules, 42, mixed, true);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.state.finished).toBe(true);
  });

  it('gives different matches for different seeds', () => {
    const a = runBotMatch(rules, 1, mixed).state.timeline.at(-1);
    const b = runBotMatch(rules, 2, mixed).state.timeline.at(-1);
    expect(a).not.toEqual(b);
  });

  it('never changes the state it is given, and the pure path equals the simulator path', () => {
    let state: MatchState = deepFreeze(initialState(rules, 7));
    while (!state.finished) {
      const orders = botOrders(rules, state, mixed);
      state = deepFreeze(resolveTurn(rules, state, orders).state);
    }
    // the simulator resolves in place after bots negotiate; with no proposals from these bots both paths agree
    const fast = runBotMatch(rules, 7, { usGov: 'hawk', usLab: 'hawk', cnGov: 'random', cnLab: 'random' }).state;
    const slow = (() => {
      let s: MatchState = initialState(rules, 7);
      const seats = { usGov: 'hawk', usLab: 'hawk', cnGov: 'random', cnLab: 'random' } as const;
      while (!s.finished) s = resolveTurn(rules, s, botOrders(rules, s, seats)).state;
      return s;
    })();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  });

  it('resolves ten quarters from Q3 2026 to Q4 2028 and then ends with a scenario and scores', () => {
    const { state } = runBotMatch(rules, 3, { usGov: 'status-quo', usLab: 'status-quo', cnGov: 'status-quo', cnLab: 'status-quo' });
    if (state.incidents.catastrophic === 0) {
      expect(state.turn).toBe(10);
      expect(state.timeline.map((p) => p.label)).toEqual(['Start', 'Q3 2026', 'Q4 2026', 'Q1 2027', 'Q2 2027', 'Q3 2027', 'Q4 2027', 'Q1 2028', 'Q2 2028', 'Q3 2028', 'Q4 2028']);
    }
    expect(state.ending).not.toBeNull();
    for (const role of rules.roles) {
      expect(state.ending!.scores[role.id]).toBeGreaterThanOrEqual(0);
      expect(state.ending!.scores[role.id]).toBeLessThanOrEqual(100);
    }
    expect(() => resolveTurn(rules, state, {})).toThrow(/over/);
  });

  it('keeps last quarter\'s order for a role that sends none', () => {
    const s0 = initialState(rules, 5);
    const orders: Orders = { usLab: { spend: { training: 30, safety: 5 } } };
    const s1 = resolveTurn(rules, s0, orders).state;
    const r2 = resolveTurn(rules, s1, {});
    expect(r2.orders.usLab.spend.training).toBe(30);
    expect(r2.orders.usLab.spend.safety).toBe(5);
    // a role that never sent one plays the 2026 split
    expect(r2.orders.cnLab.spend).toEqual(statusQuoOrder(rules, s0, 'cnLab').spend);
  });

  it('carries over part of unspent budget and never lets a role spend more than it has', () => {
    const s0 = initialState(rules, 5);
    const s1 = resolveTurn(rules, s0, { usGov: { spend: { bis: 2 } } }).state;
    const unspent = availableBudget(rules, s0, 'usGov') - 2;
    expect(s1.roles.usGov.bank).toBeCloseTo(unspent * 0.5);
    const over = resolveTurn(rules, s0, { cnLab: { spend: { training: 1e6, safety: -5, nonsense: 3 } as Record<string, number> } });
    const spent = Object.values(over.orders.cnLab.spend).reduce((a, b) => a + b, 0);
    expect(spent).toBeCloseTo(availableBudget(rules, s0, 'cnLab'));
    expect(over.orders.cnLab.spend.safety).toBe(0);
    expect('nonsense' in over.orders.cnLab.spend).toBe(false);
  });

  it('turns domestic fab money into chips only after the lag', () => {
    const s0 = initialState(rules, 9);
    const fabsOnly = (s: MatchState) => resolveTurn(rules, s, { cnGov: { spend: { fabs: 10 } }, cnLab: { spend: {} } });
    const r1 = fabsOnly(s0);
    expect(r1.events.some((e) => e.kind === 'fabs')).toBe(false);
    expect(r1.state.sides.china.fabPipeline).toHaveLength(1);
    const r2 = fabsOnly(r1.state);
    expect(r2.events.some((e) => e.kind === 'fabs')).toBe(false);
    const r3 = fabsOnly(r2.state);
    expect(r3.events.some((e) => e.kind === 'fabs' && e.visibleTo === 'china')).toBe(true);
  });

  it('seizes more smuggled chips when the US funds enforcement', () => {
    const seized = (bis: number) => {
      let total = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const r = resolveTurn(rules, initialState(rules, seed), { cnGov: { spend: { greyMarket: 5 } }, usGov: { spend: { bis } } });
        total += r.state.sides.china.seizedChips / (r.state.sides.china.seizedChips + r.state.sides.china.smuggledChips);
      }
      return total / 30;
    };
    expect(seized(10)).toBeGreaterThan(seized(0) + 0.2);
  });

  it('cuts what safety money buys while the race is neck-and-neck', () => {
    const s0 = initialState(rules, 1);
    const close = structuredClone(s0);
    close.sides.china.capability = close.sides.us.capability - 2;
    const spend: Orders = { usLab: { spend: { safety: 3 } } };
    const calm = resolveTurn(rules, s0, spend).state.sides.us.safeguards;
    const racing = resolveTurn(rules, close, spend).state.sides.us.safeguards;
    expect(racing).toBeLessThan(calm);
  });
});
