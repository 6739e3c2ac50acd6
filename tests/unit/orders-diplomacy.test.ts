// Orders are checked against the role with messages a player can act on; proposals bind both sides and breaking them is public.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, availableBudget } from '../../shared/engine/setup.ts';
import { checkOrder } from '../../shared/engine/orders.ts';
import { propose, respond } from '../../shared/engine/diplomacy.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import type { MatchState } from '../../shared/engine/state.ts';

const rules = defaultRules();
const s0 = initialState(rules, 1);

describe('checkOrder', () => {
  it('accepts a valid order', () => {
    const r = checkOrder(rules, s0, 'usGov', { spend: { bis: 2, powerGrid: 5 }, exportTiers: { china: 'embargo', seAsia: 'licensed' }, globalLicensing: true });
    expect(r.ok).toBe(true);
  });

  it('names a misspelt lever and suggests the right one', () => {
    const r = checkOrder(rules, s0, 'usLab', { spend: { trainng: 5 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/spend\.trainng: US Frontier Lab has no lever "trainng" \(did you mean "training"\?\)/);
  });

  it('refuses an over-budget order, saying how much there is', () => {
    const budget = availableBudget(rules, s0, 'cnLab');
    const r = checkOrder(rules, s0, 'cnLab', { spend: { training: budget + 1 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join()).toContain(`has $${budget.toFixed(2)}B this quarter`);
  });

  it('refuses negative or non-numeric money, settings the role does not hold and unknown regions', () => {
    const bad = checkOrder(rules, s0, 'cnLab', { spend: { training: -1, research: 'lots' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.join('\n')).toMatch(/spend\.training: cannot be negative/);
      expect(bad.errors.join('\n')).toMatch(/spend\.research: must be a number/);
    }
    const setting = checkOrder(rules, s0, 'cnLab', { spend: {}, globalLicensing: true });
    expect(setting.ok).toBe(false);
    if (!setting.ok) expect(setting.errors[0]).toMatch(/Chinese Lab does not set globalLicensing/);
    const region = checkOrder(rules, s0, 'usGov', { spend: {}, exportTiers: { sEAsia: 'open' } });
    if (!region.ok) expect(region.errors[0]).toMatch(/did you mean "seAsia"/);
    expect(checkOrder(rules, s0, 'nobody', { spend: {} }).ok).toBe(false);
    expect(checkOrder(rules, s0, 'usGov', { spend: {}, extra: 1 }).ok).toBe(false);
    expect(checkOrder(rules, s0, 'usGov', null).ok).toBe(false);
  });
});

describe('proposals', () => {
  function agreed(): MatchState {
    const p = propose(rules, s0, 'hubCompliancePact', 'usGov', 'cnGov');
    expect(p.ok).toBe(true);
    if (!p.ok) throw new Error(p.error);
    const key = p.state.pending[0].key;
    const a = respond(rules, p.state, key, 'cnGov', true);
    if (!a.ok) throw new Error(a.error);
    return a.state;
  }

  it('are offered by a proposer, answered only by the addressee, and then bind', () => {
    expect(propose(rules, s0, 'hubCompliancePact', 'cnGov', 'usGov')).toMatchObject({ ok: false });
    expect(propose(rules, s0, 'nosuch', 'usGov', 'cnGov')).toMatchObject({ ok: false, error: expect.stringContaining('no proposal') });
    const p = propose(rules, s0, 'hubCompliancePact', 'usGov', 'cnGov');
    if (!p.ok) throw new Error(p.error);
    expect(respond(rules, p.state, p.state.pending[0].key, 'cnLab', true)).toMatchObject({ ok: false });
    const state = agreed();
    expect(state.agreements).toHaveLength(1);
    expect(s0.agreements).toHaveLength(0);
  });

  it('needs the sweet spot for safety dialogue', () => {
    const close = structuredClone(s0);
    close.sides.china.capability = close.sides.us.capability - 3;
    expect(propose(rules, close, 'jointSafetyEvals', 'usGov', 'cnGov')).toMatchObject({ ok: false, error: expect.stringContaining('sweet spot') });
    expect(propose(rules, s0, 'jointSafetyEvals', 'usGov', 'cnGov').ok).toBe(true);
  });

  it('warn an order that would break them, and breaking one is public and ends it', () => {
    const state = agreed();
    const check = checkOrder(rules, state, 'cnGov', { spend: { greyMarket: 3 } });
    expect(check.ok && check.warnings[0]).toMatch(/breaks "Hub compliance pact"/);
    const r = resolveTurn(rules, state, { cnGov: { spend: { greyMarket: 3 } } });
    expect(r.state.agreements).toHaveLength(0);
    expect(r.state.sides.china.brokenAgreements).toBe(1);
    expect(r.events.find((e) => e.title === 'Agreement broken')).toMatchObject({ visibleTo: 'all' });
  });

  it('apply their effects each quarter they hold', () => {
    const state = agreed();
    const orders = { cnGov: { spend: { greyMarket: 0.1 } } };
    const kept = resolveTurn(rules, state, orders).state;
    const without = resolveTurn(rules, s0, orders).state;
    expect(kept.agreements[0].heldTurns).toBe(1);
    expect(kept.regions.gulf.compliance).toBeCloseTo(Math.min(1, without.regions.gulf.compliance + 0.05));
  });
});
