// The teacher's desk mid-lesson (issue 13): add or drop quarters and change timers (logged, replayed, endings judged at the
// new last quarter), team sizes at any time with a queue for anyone over capacity, balancing, approval, a lock and mute.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { newMatch } from '../../shared/match/match.ts';
import { apply, applyAll } from '../../shared/match/apply.ts';
import { consequences, decide, phaseTimer, type Actor, type Decision } from '../../shared/match/decide.ts';
import type { LogEntry, StoredEntry } from '../../shared/match/log.ts';
import type { MatchSettings } from '../../shared/match/settings.ts';
import type { ClientAction } from '../../shared/protocol/messages.ts';
import { lessonClock, withTurns } from '../../shared/match/lesson.ts';
import { queue, waitingList } from '../../shared/match/class-seats.ts';
import { members } from '../../shared/match/match.ts';

const file = defaultRules();
const SETTINGS: MatchSettings = {
  mode: 'class', visibility: 'private', rulesName: 'default.yaml', seats: { usGov: 2, usLab: 2, cnGov: 2, cnLab: 2 },
  bots: {}, timers: { briefing: 60, negotiation: 120, orders: 90, report: 45 }, botTakeoverSeconds: 120, turns: 6, lessonMinutes: 45,
};
const T0 = Date.UTC(2026, 0, 1, 9);
const teacher: Actor = { personId: null, role: null, facilitator: true, spectator: false };
const person = (id: string, role: string | null, extra: Partial<Extract<LogEntry, { kind: 'person' }>> = {}): LogEntry => ({ kind: 'person', personId: id, name: id, role, spectator: role === null, tokenHash: id, ...extra });

/** What the room does: decide, append, apply, then what follows (timers, the queue filling) — no room. */
function table(settings = SETTINGS, rules = withTurns(file, settings.turns)) {
  const m = newMatch(settings, rules, 11);
  const log: StoredEntry[] = [];
  let now = T0;
  const put = (entries: LogEntry[]): void => {
    for (const entry of entries) {
      const stored = { seq: log.length + 1, at: new Date(now).toISOString(), entry };
      log.push(stored);
      apply(m, stored);
      for (const p of m.people.values()) p.connected = true;
      for (const t of Object.values(m.teams)) t.emptySince = null;
      put(consequences(m, entry, now).filter((e) => e.kind !== 'propose' && e.kind !== 'respond'));
    }
  };
  const act = (actor: Actor, action: ClientAction): Decision => {
    const d = decide(m, actor, action, now, { maxChatChars: 500 });
    if ('entries' in d) put(d.entries);
    return d;
  };
  const control = (payload: Extract<ClientAction, { type: 'control' }>['payload']) => act(teacher, { type: 'control', payload });
  return { m, log, put, act, control, at: (t: number) => { now = t; } };
}
const refusal = (d: Decision) => ('refusal' in d ? d.refusal : null);
const ok = (d: Decision) => { expect(refusal(d)).toBeNull(); };

/** Plays quarters to the end by skipping phases. */
function playOut(t: ReturnType<typeof table>) {
  for (let i = 0; i < 200 && t.m.phase !== 'ended'; i++) ok(t.control({ action: 'skipPhase' }));
}

describe('the lesson plan mid-game', () => {
  it('adds and drops quarters through the log; the ending is judged at the new last quarter, and a replay agrees', () => {
    const t = table();
    t.put([person('ana', 'usGov')]);
    ok(t.control({ action: 'start' }));
    ok(t.control({ action: 'plan', turns: 8 }));
    expect(t.m.rules.calendar.turns).toBe(8);
    expect(refusal(t.control({ action: 'plan', turns: 11 }))?.message).toBe('the rule file has 10 quarters: a match plays at most that many');
    playOut(t);
    expect(t.m.state.turn).toBe(8);
    expect(t.m.state.ending).toBeTruthy();
    // the same log replayed from the start gives the same match
    const replay = applyAll(newMatch(SETTINGS, withTurns(file, 6), 11), t.log);
    expect(replay.state.turn).toBe(8);
    expect(replay.state.ending?.id).toBe(t.m.state.ending?.id);
  });

  it('drops quarters, but never below the quarter being played', () => {
    const t = table();
    t.put([person('ana', 'usGov')]);
    ok(t.control({ action: 'start' }));
    for (let i = 0; i < 4 * 2; i++) ok(t.control({ action: 'skipPhase' }));
    // two quarters played, the third in its briefing
    expect([t.m.state.turn, t.m.phase]).toEqual([2, 'briefing']);
    expect(refusal(t.control({ action: 'plan', turns: 2 }))?.message).toMatch(/^the match is at quarter 3: it can end after that quarter \(3\) at the earliest/);
    ok(t.control({ action: 'plan', turns: 3 }));
    playOut(t);
    expect(t.m.state.turn).toBe(3);
    expect(t.m.state.ending).toBeTruthy();
  });

  it('changes timers: later phases take the new ones, the running phase\'s deadline moves by the change', () => {
    const t = table();
    t.put([person('ana', 'usGov')]);
    ok(t.control({ action: 'start' }));
    t.put(phaseTimer(t.m, T0));
    expect(t.m.timer.endsAt).toBe(T0 + 60_000);
    ok(t.control({ action: 'plan', timers: { briefing: 90, orders: 30 } }));
    expect(t.m.timer.endsAt).toBe(T0 + 90_000);
    expect(t.m.settings.timers).toEqual({ briefing: 90, negotiation: 120, orders: 30, report: 45 });
    expect(t.log.some((e) => e.entry.kind === 'plan')).toBe(true);
  });

  it('says how much of the lesson is left, from the plan and the clock', () => {
    const timers = SETTINGS.timers; // 315 s a quarter
    const start = T0;
    const c = lessonClock({ lessonMinutes: 45, startedAt: start, turns: 6, turn: 2, phase: 'negotiation', timers, phaseEndsAt: start + 20 * 60_000, phaseRemaining: 0 }, start + 19 * 60_000);
    // 60 s of negotiation left, then orders and report (135 s), then three whole quarters
    expect(c.playSeconds).toBe(60 + 135 + 3 * 315);
    // the lesson ends 42 minutes after the start (3 minutes to join came before it)
    expect(c.lessonSeconds).toBe(23 * 60);
    expect(c.debriefSeconds).toBe(23 * 60 - c.playSeconds);
  });
});

describe('team sizes, the queue and balancing', () => {
  it('a joiner over capacity waits in the queue; a team growing seats them in join order', () => {
    const t = table({ ...SETTINGS, seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 } });
    t.put([person('ana', 'usGov'), person('wei', 'cnGov'), person('cy', null), person('di', null)]);
    expect(queue(t.m).map((p) => p.id)).toEqual(['cy', 'di']);
    ok(t.control({ action: 'seats', role: 'usGov', seats: 2 }));
    expect(t.m.people.get('cy')!.role).toBe('usGov');
    expect(queue(t.m).map((p) => p.id)).toEqual(['di']);
    // someone leaving opens a seat for the next in the queue
    ok(t.control({ action: 'remove', personId: 'wei' }));
    expect(t.m.people.get('di')!.role).toBe('cnGov');
    expect(queue(t.m)).toEqual([]);
  });

  it('balances: the latest joiners of the largest team move to the smallest, leads stay', () => {
    const t = table({ ...SETTINGS, seats: { usGov: 5, usLab: 5, cnGov: 5, cnLab: 5 } });
    t.put(['a', 'b', 'c', 'd', 'e'].map((id) => person(id, 'usGov')).concat([person('f', 'cnGov')]));
    ok(t.control({ action: 'balance' }));
    const sizes = file.roles.map((r) => members(t.m, r.id).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(t.m.teams.usGov.lead).toBe('a');
    expect(t.m.people.get('a')!.role).toBe('usGov');
    expect(refusal(t.control({ action: 'balance' }))?.code).toBe('refused');
  });
});

describe('moderation', () => {
  it('approval: a joiner waits on the list until let in, then takes a seat (the team asked for, before the start)', () => {
    const t = table({ ...SETTINGS, approval: true });
    t.put([person('ana', null, { waiting: true, wanted: 'cnLab' })]);
    expect(waitingList(t.m).map((p) => p.id)).toEqual(['ana']);
    expect(t.m.people.get('ana')!.role).toBeNull();
    ok(t.control({ action: 'approve', personId: 'ana' }));
    expect(t.m.people.get('ana')!.role).toBe('cnLab');
    expect(waitingList(t.m)).toEqual([]);
    expect(refusal(t.control({ action: 'approve', personId: 'ana' }))?.code).toBe('refused');
    // the team asked for is full by the time they are let in: they take the emptiest with room, not the queue
    t.put([person('bo', null, { waiting: true, wanted: 'cnLab' }), person('cy', 'cnLab')]);
    ok(t.control({ action: 'approve', personId: 'bo' }));
    expect(t.m.people.get('bo')!.role).toBe('usGov');
    expect(queue(t.m)).toEqual([]);
  });

  it('mute: a muted student\'s chat is refused with a message saying so; unmuted, it goes through', () => {
    const t = table();
    t.put([person('ana', 'usGov')]);
    const ana: Actor = { personId: 'ana', role: 'usGov', facilitator: false, spectator: false };
    ok(t.control({ action: 'mute', personId: 'ana', muted: true }));
    expect(refusal(t.act(ana, { type: 'chat', payload: { to: 'team', text: 'hello' } }))).toEqual({ code: 'not-allowed', message: 'the facilitator has muted you: you cannot chat for now' });
    ok(t.control({ action: 'mute', personId: 'ana', muted: false }));
    ok(t.act(ana, { type: 'chat', payload: { to: 'team', text: 'hello' } }));
  });

  it('the lock and approval are log entries a replay agrees on', () => {
    const t = table();
    ok(t.control({ action: 'moderation', locked: true, approval: true }));
    expect(t.m.moderation).toEqual({ approval: true, locked: true });
    const replay = applyAll(newMatch(SETTINGS, withTurns(file, 6), 11), t.log);
    expect(replay.moderation).toEqual({ approval: true, locked: true });
  });
});
