// stateFromView: a full state built from one role's view, own side exact, rival at its estimates, ready to resolve.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { roleView } from '../../shared/engine/views.ts';
import { stateFromView } from '../../shared/engine/from-view.ts';
import { botOrders } from '../../shared/sim/botMatch.ts';
import type { MatchState } from '../../shared/engine/state.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';

const seats = { usGov: 'hawk', usLab: 'dove', cnGov: 'hawk', cnLab: 'opportunist' } as const;

function played(rules: RuleFile, turns: number): MatchState {
  let state = initialState(rules, 21);
  for (let i = 0; i < turns; i++) state = resolveTurn(rules, state, botOrders(rules, state, seats)).state;
  return state;
}

describe('stateFromView', () => {
  const rules = defaultRules();
  const truth = played(rules, 4);

  it('keeps the viewer\'s side exact and puts the rival at the view\'s estimates, not at the truth', () => {
    const view = roleView(rules, truth, 'cnLab');
    const s = stateFromView(rules, view, 99);
    expect(s.turn).toBe(4);
    expect(s.seed).toBe(99);
    for (const k of ['chips', 'powerGW', 'powerNeedGW', 'effectiveCompute', 'capability', 'safeguards', 'adoption', 'computeCost', 'peakCompute'] as const) {
      expect(s.sides.china[k]).toBeCloseTo(truth.sides.china[k], 9);
    }
    expect(s.sides.china.fabPipeline).toEqual(truth.sides.china.fabPipeline);
    expect(s.sides.us.capability).toBe(view.rival.capability.value);
    expect(s.sides.us.chips).toBe(view.rival.chips.value);
    expect(s.sides.us.capability).not.toBeCloseTo(truth.sides.us.capability, 3);
    expect(s.roles.cnLab.lastOrder).toEqual(truth.roles.cnLab.lastOrder);
    expect(s.roles.usGov.lastOrder).toBeNull();
    expect(s.regions).toEqual(truth.regions);
    // the viewer would see the same own side and budget in the rebuilt state
    const again = roleView(rules, s, 'cnLab');
    expect(again.own).toEqual(view.own);
    expect(again.budget).toBeCloseTo(view.budget, 9);
  });

  it('with perfect intelligence the rival\'s numbers are the truth', () => {
    const exact = structuredClone(rules);
    exact.model.intelligence.baseError = 0;
    exact.model.intelligence.minError = 0;
    const t = played(exact, 3);
    const s = stateFromView(exact, roleView(exact, t, 'usGov'), 5);
    for (const k of ['chips', 'powerGW', 'effectiveCompute', 'capability', 'safeguards', 'computeCost'] as const) {
      expect(s.sides.china[k]).toBeCloseTo(t.sides.china[k], 9);
    }
  });

  it('resolves with the engine to the end, on its own dice', () => {
    let s = stateFromView(rules, roleView(rules, truth, 'usGov'), 7);
    while (!s.finished) s = resolveTurn(rules, s, botOrders(rules, s, seats)).state;
    expect(s.turn).toBe(rules.calendar.turns);
    expect(s.ending).not.toBeNull();
    for (const role of rules.roles) expect(Number.isFinite(s.ending!.scores[role.id])).toBe(true);
  });
});
