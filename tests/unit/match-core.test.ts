// The match core without a server: decide holds who may do what when, apply rebuilds a match the same way every time.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { matchTable } from '../helpers/match-table.ts';
import { newMatch, type Match } from '../../shared/match/match.ts';
import { apply, MatchLogError } from '../../shared/match/apply.ts';
import { decide, advance, consequences, deadlinePassed, whenDone, type Actor, type Decision } from '../../shared/match/decide.ts';
import { ruleIndex } from '../../shared/engine/ruleIndex.ts';
import { PHASES, QUARTER_PHASES, nextPhase } from '../../shared/match/phases.ts';
import type { LogEntry, } from '../../shared/match/log.ts';
import type { MatchSettings } from '../../shared/match/settings.ts';

const rules = defaultRules();
const SETTINGS: MatchSettings = {
  mode: 'class', visibility: 'private', rulesName: 'default.yaml', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 },
  bots: {}, timers: { briefing: 60, negotiation: 60, orders: 60, report: 60 }, botTakeoverSeconds: 120,
};
const T0 = Date.UTC(2026, 0, 1);
const OPTS = { maxChatChars: 500 };
const facilitator: Actor = { personId: null, role: null, facilitator: true, spectator: false };
const ana: Actor = { personId: 'ana', role: 'usGov', facilitator: false, spectator: false };
const wei: Actor = { personId: 'wei', role: 'cnGov', facilitator: false, spectator: false };
const watcher: Actor = { personId: null, role: null, facilitator: false, spectator: true };

const table = () => matchTable(SETTINGS, rules, 7, [
  { kind: 'person', personId: 'ana', name: 'Ana', role: 'usGov', spectator: false, tokenHash: 'a' },
  { kind: 'person', personId: 'wei', name: 'Wei', role: 'cnGov', spectator: false, tokenHash: 'w' },
], T0, OPTS.maxChatChars);
const ruleIndexOffers = (roleId: string) => ruleIndex(rules).offers[roleId] ?? [];
const refusal = (d: Decision) => ('refusal' in d ? d.refusal : null);

describe('the phase table', () => {
  it('is the one list of phases: a quarter is briefing, negotiation, orders; the report follows the resolution', () => {
    expect(QUARTER_PHASES).toEqual(['briefing', 'negotiation', 'orders']);
    expect(nextPhase('orders', false)).toBe('resolve');
    expect(nextPhase('report', false)).toBe('briefing');
    expect(nextPhase('report', true)).toBe('ended');
    expect(PHASES.orders.waitsFor).toBe('submit');
  });
});

describe('decide', () => {
  it('refuses by phase, by seat and by rule with a stable code, and changes nothing', () => {
    const { m, act } = table();
    const before = JSON.stringify(m.state);
    expect(refusal(act(ana, { type: 'submit', payload: { order: { spend: { bis: 1 } } } }))).toMatchObject({ code: 'wrong-phase', message: /orders open after the negotiation; it is now the lobby/ });
    expect(refusal(act(ana, { type: 'control', payload: { action: 'start' } }))).toMatchObject({ code: 'not-allowed' });
    expect(refusal(act(watcher, { type: 'chat', payload: { to: 'all', text: 'hi' } }))).toMatchObject({ code: 'not-allowed', message: 'spectators cannot chat' });
    expect(refusal(act(ana, { type: 'chat', payload: { to: 'all', text: 'x'.repeat(501) } }))).toMatchObject({ code: 'invalid' });
    expect(refusal(act(facilitator, { type: 'control', payload: { action: 'extend', seconds: 30 } }))).toMatchObject({ code: 'wrong-phase', message: 'this phase has no timer to extend' });
    expect(refusal(act(ana, { type: 'ready', payload: { ready: true } }))).toMatchObject({ code: 'wrong-phase' });
    expect(JSON.stringify(m.state)).toBe(before);
    expect(m.phase).toBe('lobby');
  });

  it('takes a quarter from start to report: drafts, a proposal, submissions, take back, resolution', () => {
    const { m, act, put } = table();
    expect('entries' in act(facilitator, { type: 'control', payload: { action: 'start' } })).toBe(true);
    expect(m.phase).toBe('briefing');
    expect(m.timer).toEqual({ endsAt: T0 + 60_000, remaining: 0 });
    expect('entries' in act(ana, { type: 'draft', payload: { order: { spend: { bis: 2 } } } })).toBe(true);
    expect(m.teams.usGov.draft?.spend.bis).toBe(2);
    expect('entries' in act(ana, { type: 'propose', payload: { proposalId: 'hubCompliancePact', to: 'cnGov' } })).toBe(true);
    const key = m.state.pending[0].key;
    expect(refusal(act(ana, { type: 'respond', payload: { key, accept: true } }))).toMatchObject({ code: 'refused' });
    expect('entries' in act(wei, { type: 'respond', payload: { key, accept: true } })).toBe(true);
    expect(m.state.agreements).toHaveLength(1);
    act(ana, { type: 'ready', payload: { ready: true } });
    expect(whenDone(m, T0)).toEqual([]);
    act(wei, { type: 'ready', payload: { ready: true } });
    put(whenDone(m, T0), T0);
    expect(m.phase).toBe('negotiation');
    put(advance(m, T0), T0);
    expect(m.phase).toBe('orders');
    act(ana, { type: 'submit', payload: { order: { spend: { bis: 3 } } } });
    expect(refusal(act(ana, { type: 'draft', payload: { order: { spend: { bis: 1 } } } }))).toMatchObject({ message: /take the submission back/ });
    act(ana, { type: 'unsubmit', payload: {} });
    expect(m.teams.usGov.submitted).toBeNull();
    act(ana, { type: 'submit', payload: { order: { spend: { bis: 4 } } } });
    act(wei, { type: 'submit', payload: { order: { spend: { fabs: 1 } } } });
    put(whenDone(m, T0), T0);
    expect(m.phase).toBe('report');
    expect(m.state.turn).toBe(1);
    expect(m.quarters[0].orders.usGov.spend.bis).toBe(4);
  });

  it('keeps the timer in the log: pause keeps the time left, resume and extend set the deadline from now', () => {
    const { m, act, log } = table();
    act(facilitator, { type: 'control', payload: { action: 'start' } }, T0);
    act(facilitator, { type: 'control', payload: { action: 'pause' } }, T0 + 10_000);
    expect(m.timer).toEqual({ endsAt: 0, remaining: 50_000 });
    expect(deadlinePassed(m, T0 + 3_600_000)).toEqual([]);
    act(facilitator, { type: 'control', payload: { action: 'extend', seconds: 30 } }, T0 + 20_000);
    expect(m.timer).toEqual({ endsAt: 0, remaining: 80_000 });
    act(facilitator, { type: 'control', payload: { action: 'resume' } }, T0 + 100_000);
    expect(m.timer).toEqual({ endsAt: T0 + 180_000, remaining: 0 });
    expect(deadlinePassed(m, T0 + 179_999)).toEqual([]);
    expect(deadlinePassed(m, T0 + 180_000)).toEqual([{ kind: 'phase', phase: 'negotiation', turn: 0 }]);
    // a restart: the same log gives the same timer, whatever the clock says now
    const again = newMatch(SETTINGS, rules, 7);
    for (const e of log) apply(again, e);
    expect(again.timer).toEqual(m.timer);
    expect(again.paused).toBe(false);
    expect(log.filter((e) => e.entry.kind === 'timer').map((e) => (e.entry as { cause: string }).cause)).toEqual(['phase', 'pause', 'extend', 'resume']);
  });

  it('ends early with an ending and every role\'s score, and then refuses everything but a second end', () => {
    const { m, act } = table();
    act(facilitator, { type: 'control', payload: { action: 'start' } });
    act(facilitator, { type: 'control', payload: { action: 'end' } });
    expect(m.phase).toBe('ended');
    expect(m.state.ending).not.toBeNull();
    expect(Object.keys(m.state.ending!.scores).sort()).toEqual(['cnGov', 'cnLab', 'usGov', 'usLab']);
    expect(m.endReason).toBe('the facilitator ended the match');
    expect(refusal(act(facilitator, { type: 'control', payload: { action: 'pause' } }))).toMatchObject({ code: 'match-over' });
    expect(refusal(act(facilitator, { type: 'control', payload: { action: 'end' } }))).toMatchObject({ code: 'match-over' });
  });
});

describe('consequences', () => {
  it('opens negotiation with the bots\' proposals and their bots\' answers, each one apply accepts in turn', () => {
    // every role a bot, all doves: they propose to one another and answer at once
    const settings: MatchSettings = { ...SETTINGS, seats: { usGov: 0, usLab: 0, cnGov: 0, cnLab: 0 }, bots: { usGov: 'dove', usLab: 'dove', cnGov: 'dove', cnLab: 'dove' } };
    const m = newMatch(settings, rules, 3);
    let seq = 0;
    const put = (entries: LogEntry[]) => { for (const entry of entries) { apply(m, { seq: ++seq, at: '', entry }); put(consequences(m, entry, T0)); } };
    put([{ kind: 'start' }, { kind: 'phase', phase: 'negotiation', turn: 0 }]);
    const steps = m.diplomacy.map((d) => `${d.kind} ${d.proposalId} ${d.from}→${d.to}`);
    expect(steps.length).toBeGreaterThan(0);
    // every proposal answered, and every role a treaty binds (bots all) asked to agree and answering
    expect(m.diplomacy.filter((d) => d.kind === 'respond').length).toBeGreaterThanOrEqual(m.diplomacy.filter((d) => d.kind === 'propose').length);
    expect(m.state.pending).toHaveLength(0);
    // the same again gives the same diplomacy
    const twin = newMatch(settings, rules, 3);
    seq = 0;
    const put2 = (entries: LogEntry[]) => { for (const entry of entries) { apply(twin, { seq: ++seq, at: '', entry }); put2(consequences(twin, entry, T0)); } };
    put2([{ kind: 'start' }, { kind: 'phase', phase: 'negotiation', turn: 0 }]);
    expect(twin.diplomacy.map((d) => `${d.kind} ${d.proposalId} ${d.from}→${d.to}`)).toEqual(steps);
  });
  it('has bot governments answer at once the ratification of a treaty a person\'s lab made with a bot', () => {
    // a lab may negotiate, but only governments commit a side: the bots holding them answer the ratification
    const settings: MatchSettings = { ...SETTINGS, seats: { usGov: 0, usLab: 1, cnGov: 0, cnLab: 0 }, bots: { usGov: 'hawk', cnGov: 'dove', cnLab: 'dove' } };
    const m = newMatch(settings, rules, 5);
    let seq = 0;
    const put = (entries: LogEntry[]) => { for (const entry of entries) { apply(m, { seq: ++seq, at: '', entry }); put(consequences(m, entry, T0)); } };
    put([{ kind: 'person', personId: 'lea', name: 'Lea', role: 'usLab', spectator: false, tokenHash: 'l' }]);
    for (const p of m.people.values()) p.connected = true;
    for (const t of Object.values(m.teams)) t.emptySince = null;
    put([{ kind: 'start' }, { kind: 'phase', phase: 'negotiation', turn: 0 }]);
    const offer = ruleIndexOffers('usLab').find((o) => o.needsRatification);
    expect(offer, 'the default rules have a treaty a lab proposes that needs ratifying').toBeTruthy();
    const lea: Actor = { personId: 'lea', role: 'usLab', facilitator: false, spectator: false };
    const d = decide(m, lea, { type: 'propose', payload: { proposalId: offer!.proposalId, to: offer!.to } }, T0, OPTS);
    expect(refusal(d)?.message ?? null).toBeNull();
    if ('entries' in d) put(d.entries);
    // nothing is left waiting: the dove ratifies, the hawk refuses, so the treaty never takes effect
    expect(m.state.pending.filter((p) => p.ratify)).toHaveLength(0);
    expect(m.state.agreements.find((a) => a.proposalId === offer!.proposalId)).toBeUndefined();
  });
});

describe('apply', () => {
  it('rebuilds the same match from the same log, and names the seq of an entry it cannot apply', () => {
    const { m, act, log } = table();
    act(facilitator, { type: 'control', payload: { action: 'start' } });
    act(facilitator, { type: 'control', payload: { action: 'resolveNow' } });
    act(ana, { type: 'chat', payload: { to: 'all', text: 'hello' } });
    const again: Match = newMatch(SETTINGS, rules, 7);
    for (const e of log) apply(again, e);
    const strip = (x: Match) => JSON.stringify({ ...x, people: [...x.people.values()].map((p) => ({ ...p, connected: false })), teams: Object.fromEntries(Object.entries(x.teams).map(([k, t]) => [k, { ...t, emptySince: null }])) });
    expect(strip(again)).toBe(strip(m));
    // a live room keeps the states of the last quarter only; the orders and events of every quarter stay
    const live = newMatch(SETTINGS, rules, 7, { history: false });
    const more = [...log, { seq: log.length + 1, at: log[0].at, entry: { kind: 'resolve', turn: 1, orders: {} } as LogEntry }];
    for (const e of more) apply(live, e);
    expect(live.quarters.map((q) => [q.turn, !!q.before, !!q.state, !!q.orders])).toEqual([[0, false, false, true], [1, true, true, true]]);
    const bad = { seq: log.length + 1, at: log[0].at, entry: { kind: 'inject', turn: 0, cardId: 'gridCrunch' } as LogEntry };
    expect(() => apply(again, bad)).toThrow(MatchLogError);
    expect(() => apply(again, { ...bad, seq: 1 })).toThrow(/out of order/);
  });
});
