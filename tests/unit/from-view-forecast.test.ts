// The forecast's use of stateFromView: own numbers, budget and order checks come back exactly as the server has them.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, availableBudget } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { checkOrder } from '../../shared/engine/orders.ts';
import { roleView } from '../../shared/engine/views.ts';
import { stateFromView } from '../../shared/engine/from-view.ts';
import { otherSide, type MatchState, type Order } from '../../shared/engine/state.ts';
import { botOrders } from '../../shared/sim/botMatch.ts';
import { createRng } from '../../shared/engine/rng.ts';

const rules = defaultRules();
const seats = { usGov: 'hawk', usLab: 'opportunist', cnGov: 'hawk', cnLab: 'hawk' } as const;

/** The states of one bot match after 0, 1, … quarters. */
function states(seed: number, quarters: number): MatchState[] {
  const out = [initialState(rules, seed)];
  while (out.length <= quarters && !out[out.length - 1].finished) {
    const s = out[out.length - 1];
    out.push(resolveTurn(rules, s, botOrders(rules, s, seats)).state);
  }
  return out;
}

const played = [...states(3, 6), ...states(8, 4)];

describe('stateFromView', () => {
  it('gives every role its own view back exactly: own side, budget, side orders and the public world', () => {
    let checked = 0;
    for (const state of played) {
      for (const role of rules.roles) {
        const view = roleView(rules, state, role.id);
        const rebuilt = stateFromView(rules, view);
        const again = roleView(rules, rebuilt, role.id);
        expect(again.own).toEqual(view.own);
        expect(again.budget).toBe(view.budget);
        expect(again.sideOrders).toEqual(view.sideOrders);
        // the press's lead is noise drawn from the secret seed: everything else of the world is the same
        expect({ ...again.world, pressLead: null }).toEqual({ ...view.world, pressLead: null });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('holds the true numbers of the own side and the estimates (not the truth) of the rival', () => {
    const state = played[5];
    for (const role of rules.roles) {
      const view = roleView(rules, state, role.id);
      const rebuilt = stateFromView(rules, view);
      const own = state.sides[role.side], mine = rebuilt.sides[role.side];
      for (const k of ['chips', 'powerGW', 'powerNeedGW', 'effectiveCompute', 'capability', 'distilledMonths', 'safeguards', 'adoption', 'computeCost', 'smuggledChips', 'seizedChips', 'intelError', 'brokenAgreements'] as const) {
        expect(mine[k], `${role.id} ${k}`).toBe(own[k]);
      }
      expect(mine.domesticChips).toBeCloseTo(own.domesticChips, 6);
      expect(mine.fabPipeline).toEqual(own.fabPipeline);
      expect(mine.peakCompute).toBe(own.peakCompute);
      expect(mine.algorithmicMonths).toBeCloseTo(own.algorithmicMonths, 9);
      const rival = rebuilt.sides[otherSide(role.side)];
      expect(rival.capability).toBe(view.rival.capability.value);
      expect(rival.capability).not.toBe(state.sides[otherSide(role.side)].capability);
      expect(rival.safeguards).toBe(view.rival.safeguards.value);
      for (const r of rules.roles) if (r.side !== role.side) expect(rebuilt.roles[r.id]).toEqual({ bank: 0, lastOrder: null });
      expect(rebuilt.seed).not.toBe(state.seed);
    }
  });

  it('checks an order exactly as the server does: the whole budget passes, a cent more is refused', () => {
    for (const state of played) {
      for (const role of rules.roles) {
        const rebuilt = stateFromView(rules, roleView(rules, state, role.id));
        const budget = availableBudget(rules, state, role.id);
        const lever = role.levers[0].id;
        const all: Order = { spend: { [lever]: budget } };
        const more: Order = { spend: { [lever]: budget + 0.01 } };
        expect(checkOrder(rules, rebuilt, role.id, all).ok).toBe(checkOrder(rules, state, role.id, all).ok);
        expect(checkOrder(rules, rebuilt, role.id, more).ok).toBe(false);
        expect(checkOrder(rules, state, role.id, more).ok).toBe(false);
      }
    }
  });

  it('is a state resolveTurn runs on, quarter after quarter', () => {
    const state = played[4];
    for (const role of rules.roles) {
      let s = stateFromView(rules, roleView(rules, state, role.id), 77);
      for (let q = 0; q < 3 && !s.finished; q++) {
        const turn = s.turn;
        s = resolveTurn(rules, s, botOrders(rules, s, seats), createRng(1000 + q)).state;
        expect(s.turn).toBe(turn + 1);
        for (const side of ['us', 'china'] as const) {
          for (const [k, v] of Object.entries(s.sides[side])) if (typeof v === 'number') expect(Number.isFinite(v), `${role.id} ${side}.${k}`).toBe(true);
        }
      }
    }
  });

  it('starts at the first quarter from the starting view', () => {
    const s0 = initialState(rules, 5);
    const view = roleView(rules, s0, 'cnLab');
    const rebuilt = stateFromView(rules, view);
    expect(rebuilt.turn).toBe(0);
    expect(rebuilt.sides.china.chips).toBe(s0.sides.china.chips);
    expect(rebuilt.sides.china.capability).toBe(s0.sides.china.capability);
    expect(rebuilt.roles.cnLab.bank).toBe(0);
  });
});
