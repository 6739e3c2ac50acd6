// The mechanisms that make every seat's decisions count: compute in use, refunds, distillation, acquisition, seizures,
// treaties and their ratification, trust, deals within a side, crises and dilemmas.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, availableBudget, statusQuoOrder, cloneState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { checkOrder } from '../../shared/engine/orders.ts';
import { propose, respond, proposalBlocked, inForce } from '../../shared/engine/diplomacy.ts';
import { injectEvent, drawEvents } from '../../shared/engine/deck.ts';
import { roleView, eventsFor } from '../../shared/engine/views.ts';
import { seizureChance } from '../../shared/engine/chips.ts';
import { distill, catchUpMonths } from '../../shared/engine/training.ts';
import { botOrder } from '../../shared/bots/personalities.ts';
import { createRng } from '../../shared/engine/rng.ts';
import type { MatchState, Orders, TurnEvent } from '../../shared/engine/state.ts';

const rules = defaultRules();
const s0 = initialState(rules, 1);
const sq = (s: MatchState): Orders => Object.fromEntries(rules.roles.map((r) => [r.id, statusQuoOrder(rules, s, r.id)]));

describe('compute in use', () => {
  it('chips lost cut capability: a side that loses half its fleet falls about one doubling behind', () => {
    const hurt = cloneState(s0);
    hurt.sides.china.chips /= 2;
    hurt.sides.china.domesticChips /= 2;
    hurt.sides.china.powerNeedGW /= 2;
    const a = resolveTurn(rules, s0, sq(s0)).state.sides.china.capability;
    const b = resolveTurn(rules, hurt, sq(hurt)).state.sides.china.capability;
    expect(a - b).toBeGreaterThan(rules.model.capability.monthsPerDoubling * 0.7);
  });

  it('chips without power sit idle and do not train', () => {
    const dark = cloneState(s0);
    dark.sides.china.powerGW = dark.sides.china.powerNeedGW * 0.25;
    const a = resolveTurn(rules, s0, sq(s0)).state.sides.china;
    const b = resolveTurn(rules, dark, sq(dark)).state.sides.china;
    expect(b.effectiveCompute).toBeLessThan(a.effectiveCompute * 0.7);
    expect(b.capability).toBeLessThan(a.capability - 1);
  });
});

describe('power binds China', () => {
  it('without state data centres China\'s new chips sit idle: its compute in use falls behind its fleet', () => {
    let lit = cloneState(s0), dark = cloneState(s0);
    for (let t = 0; t < 4; t++) {
      const a = sq(lit), b = sq(dark);
      b.cnGov.spend.stateCompute += b.cnGov.spend.stateDataCentres;
      b.cnGov.spend.stateDataCentres = 0;
      lit = resolveTurn(rules, lit, a).state;
      dark = resolveTurn(rules, dark, b).state;
    }
    expect(dark.sides.china.effectiveCompute).toBeLessThan(dark.sides.china.chips * 0.9);
    expect(lit.sides.china.effectiveCompute).toBeGreaterThan(dark.sides.china.effectiveCompute);
  });
});

describe('institutions and markets take time', () => {
  it('safeguards rise at most maxGainPerTurn in a quarter, however much safety money there is', () => {
    const orders = { ...sq(s0), cnLab: { spend: { safety: availableBudget(rules, s0, 'cnLab') } } };
    const next = resolveTurn(rules, s0, orders).state;
    expect(next.sides.china.safeguards - s0.sides.china.safeguards).toBeLessThanOrEqual(rules.model.safeguards.maxGainPerTurn + 1e-9);
    expect(next.sides.china.safeguards - s0.sides.china.safeguards).toBeGreaterThan(rules.model.safeguards.maxGainPerTurn * 0.9);
  });
  it('adoption money saturates: a huge product budget buys at most perBillion x halfSpend a quarter', () => {
    const a = rules.model.adoption;
    const orders = { ...sq(s0), cnLab: { spend: { products: availableBudget(rules, s0, 'cnLab') } } };
    const next = resolveTurn(rules, s0, orders).state;
    expect(next.sides.china.adoption - s0.sides.china.adoption).toBeLessThan(a.perBillion * a.halfSpend + a.openWeightsGain + 0.01);
  });
});

describe('money past a supply cap', () => {
  it('grey-market money the hubs cannot place returns to the role that spent it', () => {
    const budget = availableBudget(rules, s0, 'cnGov');
    const orders = { ...sq(s0), cnGov: { spend: { greyMarket: budget } } };
    const next = resolveTurn(rules, s0, orders).state;
    // before: everything spent, nothing carried; now the unplaced part is refunded in full
    expect(next.roles.cnGov.bank).toBeGreaterThan(budget * 0.3);
    expect(next.roles.cnGov.bank).toBeLessThanOrEqual(budget + 1e-9);
  });
});

describe('distillation and technology acquisition', () => {
  const campaign = (chinaCompute: number) => {
    const s = cloneState(s0);
    s.sides.china.effectiveCompute = chinaCompute;
    distill(rules, s, 'china', 0.05, 0, createRng(3), []);
    return s.sides.china.lastDistillation.gainMonths;
  };
  it('a distiller with more compute of its own gets more from the same campaign', () => {
    expect(campaign(1_000_000)).toBeGreaterThan(campaign(50_000) * 2);
  });
  it('a campaign closes less when the gap is smaller', () => {
    const near = cloneState(s0);
    near.sides.china.capability = near.sides.us.capability - 3;
    distill(rules, near, 'china', 0.05, 0, createRng(3), []);
    const far = cloneState(s0);
    distill(rules, far, 'china', 0.05, 0, createRng(3), []);
    expect(near.sides.china.lastDistillation.gainMonths).toBeLessThan(far.sides.china.lastDistillation.gainMonths / 2);
  });
  it('technology acquisition adds know-how only to the side behind', () => {
    expect(catchUpMonths(rules, 1, true)).toBeGreaterThan(0.2);
    expect(catchUpMonths(rules, 1, false)).toBe(0);
  });
  it('sharper intelligence raises the chance a smuggled shipment is seized', () => {
    const i = rules.model.intelligence;
    expect(seizureChance(rules, s0, 'seAsia', 1, i.minError)).toBeGreaterThan(seizureChance(rules, s0, 'seAsia', 1, i.baseError) + 0.02);
  });
});

describe('treaties, ratification and trust', () => {
  it('a lab may propose a treaty, but it holds only once its government ratifies it', () => {
    const trusted = { ...cloneState(s0), trust: 0.6 };
    const made = propose(rules, trusted, 'chipDeal', 'cnLab', 'usGov');
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    const key = made.state.pending[0].key;
    const accepted = respond(rules, made.state, key, 'usGov', true);
    expect(accepted.ok).toBe(true);
    if (!accepted.ok) return;
    const a = accepted.state.agreements[0];
    expect(a.awaiting).toEqual(['cnGov']);
    expect(inForce(a)).toBe(false);
    // not ratified: it binds nobody and lapses at the end of the quarter
    const lapsed = resolveTurn(rules, accepted.state, { ...sq(accepted.state), cnGov: { spend: { greyMarket: 3 } } }).state;
    expect(lapsed.agreements).toEqual([]);
    expect(lapsed.brokenTreaties).toBe(0);
    const ratify = accepted.state.pending.find((p) => p.ratify)!;
    const ratified = respond(rules, accepted.state, ratify.key, 'cnGov', true);
    expect(ratified.ok).toBe(true);
    if (ratified.ok) expect(inForce(ratified.state.agreements[0])).toBe(true);
  });

  it('breaking a treaty is public and costs trust, adoption and calm', () => {
    const trusted = { ...cloneState(s0), trust: 0.6 };
    const made = propose(rules, trusted, 'chipDeal', 'cnGov', 'usGov');
    if (!made.ok) throw new Error(made.error);
    const held = respond(rules, made.state, made.state.pending[0].key, 'usGov', true);
    if (!held.ok) throw new Error(held.error);
    const orders = { ...sq(held.state), cnGov: { spend: { greyMarket: 2 } } };
    const { state, events } = resolveTurn(rules, held.state, orders);
    expect(state.brokenTreaties).toBe(1);
    expect(state.trust).toBeLessThan(0.6 - rules.model.diplomacy.breakCost + 0.1);
    expect(events.some((e) => e.title === 'Agreement broken' && e.visibleTo === 'all')).toBe(true);
    // a later treaty that needs trust is now out of reach
    expect(proposalBlocked(rules, state, 'chipDeal', 'cnGov', 'usGov')).toMatch(/trust/);
  });

  it('a deal within a side goes to the own side, a treaty to the other', () => {
    expect(proposalBlocked(rules, s0, 'safetySubsidy', 'usGov', 'usLab')).toBeNull();
    expect(proposalBlocked(rules, s0, 'safetySubsidy', 'usGov', 'cnLab')).toMatch(/within one side/);
    expect(proposalBlocked(rules, s0, 'incidentHotline', 'usGov', 'usLab')).toMatch(/other side/);
  });

  it('a subsidy for a safety commitment moves money between government and lab while it holds', () => {
    const made = propose(rules, s0, 'safetySubsidy', 'usGov', 'usLab');
    if (!made.ok) throw new Error(made.error);
    const held = respond(rules, made.state, made.state.pending[0].key, 'usLab', true);
    if (!held.ok) throw new Error(held.error);
    const orders = sq(held.state);
    orders.usLab.spend.safety = 3.5;
    orders.usLab.spend.training -= 3.5 - statusQuoOrder(rules, held.state, 'usLab').spend.safety;
    const deal = resolveTurn(rules, held.state, orders).state;
    const none = resolveTurn(rules, s0, orders).state;
    expect(deal.roles.usLab.bank - none.roles.usLab.bank).toBeCloseTo(1.5, 6);
    expect(deal.roles.usGov.bank - none.roles.usGov.bank).toBeCloseTo(-1.5, 6);
  });
});

describe('crises and dilemmas', () => {
  it('a threshold crisis fires as soon as its condition holds, besides the draw', () => {
    const far = cloneState(s0);
    far.sides.us.capability += 20;
    const events: TurnEvent[] = [];
    drawEvents(rules, far, createRng(1), events);
    expect(events.some((e) => e.ref === 'taiwanCrisis' && e.kind === 'crisis')).toBe(true);
    expect(far.tension).toBeGreaterThan(0.3);
  });

  it('a dilemma is put to its role, seen only by its side, and answered in that role\'s order', () => {
    const r = injectEvent(rules, s0, 'defenceContract');
    if (!r.ok) throw new Error(r.error);
    const s = r.state;
    expect(roleView(rules, s, 'usLab').dilemmas.map((d) => d.cardId)).toEqual(['defenceContract']);
    expect(roleView(rules, s, 'usGov').dilemmas).toEqual([]);
    expect(roleView(rules, s, 'cnLab').dilemmas).toEqual([]);
    expect(eventsFor(r.events, 'china')).toEqual([]);
    expect(JSON.stringify(roleView(rules, s, 'cnGov'))).not.toContain('defenceContract');

    const base = statusQuoOrder(rules, s, 'usLab');
    const bad = checkOrder(rules, s, 'usLab', { ...base, dilemmas: { defenceContract: 'acept' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join()).toMatch(/did you mean "accept"/);
    // another role's dilemma (or last quarter's) is not this order's to answer: ignored, with a warning
    const other = checkOrder(rules, s, 'usGov', { spend: {}, dilemmas: { defenceContract: 'accept' } });
    expect(other.ok && other.warnings.join()).toMatch(/no dilemma "defenceContract" is waiting for US Government's answer; the answer is ignored/);
    expect(resolveTurn(rules, s, { ...sq(s), usGov: { spend: {}, dilemmas: { defenceContract: 'accept' } } }).orders.usLab.dilemmas).toEqual({ defenceContract: 'refuse' });
    const silent = checkOrder(rules, s, 'usLab', base);
    expect(silent.ok && silent.warnings.join()).toMatch(/no answer: it will be "refuse"/);

    const accept = resolveTurn(rules, s, { ...sq(s), usLab: { ...base, dilemmas: { defenceContract: 'accept' } } });
    const defaulted = resolveTurn(rules, s, sq(s));
    expect(accept.orders.usLab.dilemmas).toEqual({ defenceContract: 'accept' });
    expect(defaulted.orders.usLab.dilemmas).toEqual({ defenceContract: 'refuse' });
    expect(accept.state.roles.usLab.bank - defaulted.state.roles.usLab.bank).toBeCloseTo(8, 6);
    expect(accept.state.sides.us.safeguards).toBeLessThan(defaulted.state.sides.us.safeguards - 0.03);
    expect(accept.state.dilemmas.some((d) => d.cardId === 'defenceContract')).toBe(false);
  });

  it('every bot personality answers a dilemma, hawks and doves their own way', () => {
    const r = injectEvent(rules, s0, 'leakedWeights');
    if (!r.ok) throw new Error(r.error);
    const answer = (p: 'hawk' | 'dove' | 'status-quo' | 'opportunist' | 'random') => botOrder(rules, r.state, 'cnLab', p, createRng(2)).dilemmas?.leakedWeights;
    expect(answer('hawk')).toBe('take');
    expect(answer('dove')).toBe('decline');
    expect(answer('status-quo')).toBe('decline');
    expect(['take', 'decline']).toContain(answer('opportunist'));
    expect(['take', 'decline']).toContain(answer('random'));
  });
});
