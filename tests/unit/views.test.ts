// Views: each role sees its own side exactly and the rival only as estimates; spectators see neither side's hidden numbers.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { roleView, publicView, eventsFor } from '../../shared/engine/views.ts';
import { botOrders } from '../../shared/sim/botMatch.ts';
import type { MatchState, TurnEvent } from '../../shared/engine/state.ts';
import type { Side } from '../../shared/rules/schema.ts';

const rules = defaultRules();
const seats = { usGov: 'hawk', usLab: 'status-quo', cnGov: 'hawk', cnLab: 'hawk' } as const;

function playTurns(n: number): { state: MatchState; events: TurnEvent[] } {
  let state = initialState(rules, 11);
  let events: TurnEvent[] = [];
  for (let i = 0; i < n && !state.finished; i++) {
    const r = resolveTurn(rules, state, botOrders(rules, state, seats));
    state = r.state;
    events = events.concat(r.events);
  }
  return { state, events };
}

/** Every hidden number of a side: the values no one on the other side (or in the audience) may receive. */
function hiddenNumbers(state: MatchState, side: Side): number[] {
  const s = state.sides[side];
  const values = [s.chips, s.domesticChips, s.powerGW, s.powerNeedGW, s.peakCompute, s.effectiveCompute, s.algorithmicMonths,
    s.capability, s.distilledMonths, s.safeguards, s.computeCost, s.smuggledChips, s.fabPriceFactor, s.intelError,
    s.lastDistillation.accounts, s.lastDistillation.exchangesMillions, s.lastDistillation.gainMonths,
    ...s.fabPipeline.flatMap((b) => [b.chips, b.cost]),
    ...state.timeline.flatMap((p) => [p.capability[side], p.safeguards[side], p.effectiveCompute[side], p.chips[side], p.computeCost[side], p.lead]),
    ...rules.roles.filter((r) => r.side === side).map((r) => state.roles[r.id].bank),
    ...rules.roles.filter((r) => r.side === side).flatMap((r) => Object.values(state.roles[r.id].lastOrder?.spend ?? {})),
  ];
  // 0 and whole small numbers also occur as counts and settings; they say nothing secret
  return values.filter((v) => v !== 0 && !(Number.isInteger(v) && Math.abs(v) < 20));
}

function numbersIn(x: unknown): Set<number> {
  const out = new Set<number>();
  JSON.stringify(x, (_k, v) => { if (typeof v === 'number') out.add(v); return v; });
  return out;
}

describe('views', () => {
  const { state, events } = playTurns(5);

  it('give a role its own side exactly', () => {
    const view = roleView(rules, state, 'cnLab');
    expect(view.own.capability).toBe(state.sides.china.capability);
    expect(view.own.chips).toBe(state.sides.china.chips);
    expect(view.sideOrders.cnGov).toEqual(state.roles.cnGov.lastOrder);
    expect(Object.keys(view.sideOrders).sort()).toEqual(['cnGov', 'cnLab']);
  });

  it('never contain a hidden number of the other side, before the match ends', () => {
    expect(state.finished).toBe(false);
    for (const role of rules.roles) {
      const view = roleView(rules, state, role.id);
      const seen = numbersIn(view);
      const rival: Side = role.side === 'us' ? 'china' : 'us';
      for (const secret of hiddenNumbers(state, rival)) expect(seen.has(secret), `${role.id} saw ${secret}`).toBe(false);
      for (const e of eventsFor(events, role.side)) expect(e.visibleTo === 'all' || e.visibleTo === role.side).toBe(true);
    }
  });

  it('show the rival as an estimate whose error bars hold the truth most of the time and shrink with intelligence', () => {
    const view = roleView(rules, state, 'usGov');
    const est = view.rival.capability;
    expect(est.low).toBeLessThan(est.value);
    expect(est.high).toBeGreaterThan(est.value);
    // better intelligence: narrower bars
    const spy = resolveTurn(rules, state, { usGov: { spend: { intel: 10 } } }).state;
    const blind = resolveTurn(rules, state, { usGov: { spend: { intel: 0 } } }).state;
    const width = (s: MatchState) => { const e = roleView(rules, s, 'usGov').rival.capability; return e.high - e.low; };
    expect(width(spy)).toBeLessThan(width(blind) / 2);
  });

  it('give spectators no hidden number of either side', () => {
    const view = publicView(rules, state);
    const seen = numbersIn(view);
    for (const side of ['us', 'china'] as const) for (const secret of hiddenNumbers(state, side)) expect(seen.has(secret)).toBe(false);
    expect(view.finalTimeline).toBeNull();
    for (const e of eventsFor(events, 'public')) expect(e.visibleTo).toBe('all');
  });

  it('reveal the true history to everyone once the match is over', () => {
    const done = playTurns(10).state;
    expect(done.finished).toBe(true);
    expect(publicView(rules, done).finalTimeline).toEqual(done.timeline);
    expect(roleView(rules, done, 'usGov').timeline.at(-1)!.capability.china).toBe(done.sides.china.capability);
  });

  it('keep the other side\'s private events out', () => {
    const usEvents = eventsFor(events, 'us');
    expect(usEvents.some((e) => e.visibleTo === 'china')).toBe(false);
    expect(events.some((e) => e.visibleTo === 'china')).toBe(true);
  });
});
