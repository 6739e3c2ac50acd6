// Teams that work and no order lost (issue 13): the lead submits, every change is credited, a saved draft counts at the deadline.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { matchTable } from '../helpers/match-table.ts';
import { chatVisibleTo } from '../../shared/match/match.ts';
import { deadlinePassed, type Actor, type Decision } from '../../shared/match/decide.ts';
import type { LogEntry, } from '../../shared/match/log.ts';
import type { MatchSettings } from '../../shared/match/settings.ts';
import { statusQuoOrder } from '../../shared/engine/setup.ts';

const rules = defaultRules();
const SETTINGS: MatchSettings = {
  mode: 'class', visibility: 'private', rulesName: 'default.yaml', seats: { usGov: 3, usLab: 0, cnGov: 1, cnLab: 0 },
  bots: {}, timers: { briefing: 60, negotiation: 60, orders: 60, report: 60 }, botTakeoverSeconds: 120,
};
const T0 = Date.UTC(2026, 0, 1);
const facilitator: Actor = { personId: null, role: null, facilitator: true, spectator: false };
const ana: Actor = { personId: 'ana', role: 'usGov', facilitator: false, spectator: false };
const bo: Actor = { personId: 'bo', role: 'usGov', facilitator: false, spectator: false };
const wei: Actor = { personId: 'wei', role: 'cnGov', facilitator: false, spectator: false };

function table() {
  const { m, log, put, act } = matchTable(SETTINGS, rules, 7, [
    { kind: 'person', personId: 'ana', name: 'Ana', role: 'usGov', spectator: false, tokenHash: 'a' },
    { kind: 'person', personId: 'bo', name: 'Bo', role: 'usGov', spectator: false, tokenHash: 'b' },
    { kind: 'person', personId: 'cy', name: 'Cy', role: 'usGov', spectator: false, tokenHash: 'c' },
    { kind: 'person', personId: 'wei', name: 'Wei', role: 'cnGov', spectator: false, tokenHash: 'w' },
  ], T0);
  const toOrders = () => {
    act(facilitator, { type: 'control', payload: { action: 'start' } });
    act(facilitator, { type: 'control', payload: { action: 'skipPhase' } });
    act(facilitator, { type: 'control', payload: { action: 'skipPhase' } });
    expect(m.phase).toBe('orders');
  };
  return { m, log, put, act, toOrders };
}
const refusal = (d: Decision) => ('refusal' in d ? d.refusal : null);

describe('no order lost at the deadline', () => {
  it('submits a team\'s saved draft when time runs out, keeps last quarter\'s order only for a team with nothing saved, and says so', () => {
    const { m, put, act, toOrders } = table();
    toOrders();
    expect('entries' in act(bo, { type: 'draft', payload: { order: { spend: { bis: 2.5 } } } })).toBe(true);
    const entries = deadlinePassed(m, m.timer.endsAt);
    expect(entries).toHaveLength(1);
    const resolve = entries[0] as Extract<LogEntry, { kind: 'resolve' }>;
    expect(resolve.orders.usGov).toEqual({ spend: { bis: 2.5 } });
    expect(resolve.sources).toEqual({ usGov: 'draft', usLab: 'bot', cnGov: 'previous', cnLab: 'bot' });
    put(entries, m.timer.endsAt);
    expect(m.quarters[0].orders.usGov.spend.bis).toBe(2.5);
    expect(m.quarters[0].sources?.usGov).toBe('draft');
    // each side is told which of its teams the rule submitted
    const said = m.feed.flatMap((f) => f.events).filter((e) => e.kind === 'policy' && e.ref?.startsWith('order-'));
    expect(said.map((e) => [e.title, e.visibleTo])).toEqual([['Draft submitted at the deadline', 'us'], ['No order at the deadline', 'china']]);
  });

  it('counts a submission over the draft, and the facilitator\'s "resolve now" uses drafts too', () => {
    const { m, act, toOrders } = table();
    toOrders();
    act(ana, { type: 'submit', payload: { order: { spend: { bis: 1 } } } });
    act(wei, { type: 'draft', payload: { order: { spend: { fabs: 3 } } } });
    act(facilitator, { type: 'control', payload: { action: 'resolveNow' } });
    expect(m.quarters[0].sources).toMatchObject({ usGov: 'submitted', cnGov: 'draft' });
    expect(m.quarters[0].orders.cnGov.spend.fabs).toBe(3);
  });
});

describe('a team\'s lead', () => {
  it('is the first to join; only the lead submits and takes back while connected, with a clear code', () => {
    const { m, act, toOrders } = table();
    expect(m.teams.usGov.lead).toBe('ana');
    expect(m.teams.cnGov.lead).toBe('wei');
    toOrders();
    expect(refusal(act(bo, { type: 'submit', payload: { order: { spend: { bis: 1 } } } }))).toMatchObject({ code: 'not-lead', message: /Ana/ });
    expect('entries' in act(bo, { type: 'draft', payload: { order: { spend: { bis: 1 } } } })).toBe(true);
    expect('entries' in act(ana, { type: 'submit', payload: { order: { spend: { bis: 1.5 } } } })).toBe(true);
    expect(refusal(act(bo, { type: 'unsubmit', payload: {} }))).toMatchObject({ code: 'not-lead' });
    expect(m.teams.usGov.submitted).not.toBeNull();
    expect('entries' in act(ana, { type: 'unsubmit', payload: {} })).toBe(true);
    // a lead who has gone does not hold the team up
    m.people.get('ana')!.connected = false;
    expect('entries' in act(bo, { type: 'submit', payload: { order: { spend: { bis: 1 } } } })).toBe(true);
  });

  it('is passed on by the lead or the facilitator, and to the next member when the lead leaves the team', () => {
    const { m, act } = table();
    expect(refusal(act(bo, { type: 'lead', payload: { personId: 'bo' } }))).toMatchObject({ code: 'not-lead' });
    expect(refusal(act(ana, { type: 'lead', payload: { personId: 'wei' } }))).toMatchObject({ code: 'refused', message: /own team/ });
    expect('entries' in act(ana, { type: 'lead', payload: { personId: 'bo' } })).toBe(true);
    expect(m.teams.usGov.lead).toBe('bo');
    expect('entries' in act(facilitator, { type: 'lead', payload: { personId: 'cy' } })).toBe(true);
    expect(m.teams.usGov.lead).toBe('cy');
    act(facilitator, { type: 'control', payload: { action: 'remove', personId: 'cy' } });
    expect(m.teams.usGov.lead).toBe('ana');
    act(facilitator, { type: 'control', payload: { action: 'move', personId: 'ana', role: 'cnGov' } });
    expect(m.teams.usGov.lead).toBe('bo');
    expect(m.teams.cnGov.lead).toBe('wei');
    expect(m.teams.usGov.activity.filter((a) => a.kind === 'lead').map((a) => [a.by, a.lead])).toEqual([['ana', 'bo'], ['facilitator', 'cy']]);
  });
});

describe('every change to the order is credited', () => {
  it('lists who drafted what, who submitted and who took it back, for this quarter', () => {
    const { m, act, toOrders } = table();
    toOrders();
    // the first draft is measured against what the panel starts from (the status-quo split in the first quarter)
    const start = statusQuoOrder(rules, m.state, 'usGov');
    const bos = { ...start, spend: { ...start.spend, bis: 0.1 } };
    act(bo, { type: 'draft', payload: { order: bos } });
    act(cy, { type: 'draft', payload: { order: { ...bos, spend: { ...bos.spend, powerGrid: 2 }, globalLicensing: true } } });
    act(ana, { type: 'submit', payload: { order: { ...bos, spend: { ...bos.spend, powerGrid: 2 }, globalLicensing: true } } });
    act(ana, { type: 'unsubmit', payload: {} });
    expect(m.teams.usGov.activity.map((a) => [a.kind, a.by, a.changed ?? null])).toEqual([
      ['draft', 'bo', ['bis']], ['draft', 'cy', ['powerGrid', 'globalLicensing']], ['submit', 'ana', []], ['unsubmit', 'ana', null],
    ]);
    expect(m.teams.usGov.submittedBy).toBeNull();
  });
});
const cy: Actor = { personId: 'cy', role: 'usGov', facilitator: false, spectator: false };

describe('a team handed to its bot', () => {
  it('is read-only for its people until one of them takes the seat back', () => {
    const { m, act } = table();
    act(facilitator, { type: 'control', payload: { action: 'start' } });
    act(facilitator, { type: 'control', payload: { action: 'botSeat', role: 'usGov', bot: true } });
    expect(refusal(act(bo, { type: 'draft', payload: { order: { spend: { bis: 1 } } } }))).toMatchObject({ code: 'bot-plays', message: /take the seat back/ });
    expect(refusal(act(ana, { type: 'propose', payload: { proposalId: 'hubCompliancePact', to: 'cnGov' } }))).toMatchObject({ code: 'bot-plays' });
    expect(refusal(act(wei, { type: 'reclaim', payload: {} }))).toMatchObject({ code: 'refused' });
    expect('entries' in act(bo, { type: 'reclaim', payload: {} })).toBe(true);
    expect(m.teams.usGov.botForced).toBe(false);
    expect('entries' in act(bo, { type: 'draft', payload: { order: { spend: { bis: 1 } } } })).toBe(true);
  });
});

describe('team chat', () => {
  it('goes to the sender\'s team and the facilitator only', () => {
    const { m, act } = table();
    expect('entries' in act(bo, { type: 'chat', payload: { to: 'team', text: 'I think we should spend on BIS' } })).toBe(true);
    const msg = m.chat[0];
    expect(msg).toMatchObject({ to: 'team', fromRole: 'usGov' });
    expect(chatVisibleTo(m, msg, { role: 'usGov', facilitator: false })).toBe(true);
    expect(chatVisibleTo(m, msg, { role: 'cnGov', facilitator: false })).toBe(false);
    expect(chatVisibleTo(m, msg, { role: null, facilitator: false })).toBe(false);
    expect(chatVisibleTo(m, msg, { role: null, facilitator: true })).toBe(true);
    expect(refusal(act(facilitator, { type: 'chat', payload: { to: 'team', text: 'hi' } }))).toMatchObject({ code: 'invalid' });
  });
});
