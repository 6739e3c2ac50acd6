// The teacher's desk over the network (issue 13): approval with a waiting list, a lobby lock, mute, team sizes with a queue,
// and the plan changed mid-game, all through a real server with SDK clients.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join, waitFor } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => { server = await bootServer({ limits: { messagesPerSecond: 100, messageBurst: 100 } }); });
afterAll(async () => { await server?.close(); });

const room = (p: { room: any }) => { const d = p.room.state.desk?.get('desk'); return d?.room ? JSON.parse(d.room) : null; };

describe('the desk moderates a class', () => {
  it('lets joiners in, locks the match, mutes a student, queues and seats the over-capacity, and changes the plan', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', approval: true, lessonMinutes: 45, seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 } });
    expect(created.status).toBe(201);
    const { code, facilitatorKey, roomId } = created.body;
    const teacher = await join(server.base, roomId, { facilitatorKey });

    // approval: a joiner waits, seen on the desk, until let in; then takes the team asked for
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'cnGov' });
    expect(ana.welcome).toMatchObject({ role: null, seat: 'seated-spectator' });
    await waitFor(() => room(teacher)?.waiting.includes(ana.welcome.personId), 'Ana on the waiting list');
    expect(ana.room.state.people.get(ana.welcome.personId).waiting).toBe('approval');
    expect(await ana.ask('chat', { to: 'all', text: 'hi' })).toMatchObject({ ok: false, code: 'not-allowed' });
    expect((await teacher.ask('control', { action: 'approve', personId: ana.welcome.personId })).ok).toBe(true);
    await waitFor(() => ana.room.state.people.get(ana.welcome.personId)?.role === 'cnGov', 'Ana seated on China\'s government');

    // mute: refused with a message saying so
    expect((await teacher.ask('control', { action: 'mute', personId: ana.welcome.personId, muted: true })).ok).toBe(true);
    expect(await ana.ask('chat', { to: 'all', text: 'hello' })).toMatchObject({ ok: false, code: 'not-allowed', message: 'the facilitator has muted you: you cannot chat for now' });

    // over capacity: the next two wait in the queue; a team growing seats the first
    expect((await teacher.ask('control', { action: 'moderation', approval: false })).ok).toBe(true);
    const bo = await join(server.base, roomId, { name: 'Bo', role: 'usGov' });
    const cy = await join(server.base, roomId, { name: 'Cy' });
    const di = await join(server.base, roomId, { name: 'Di' });
    expect([bo.welcome.role, cy.welcome.role, di.welcome.role]).toEqual(['usGov', null, null]);
    await waitFor(() => room(teacher)?.queue.length === 2, 'two in the queue');
    expect(room(teacher).queue).toEqual([cy.welcome.personId, di.welcome.personId]);
    expect(cy.room.state.people.get(cy.welcome.personId).waiting).toBe('queue');
    expect((await teacher.ask('control', { action: 'seats', role: 'usLab', seats: 1 })).ok).toBe(true);
    await waitFor(() => cy.room.state.people.get(cy.welcome.personId)?.role === 'usLab', 'Cy seated on the US lab');
    expect(teacher.room.state.roles.get('usLab').seats).toBe(1);
    // the join form reads the team sizes now, not the ones set at creation
    await expect.poll(async () => (await api(server.base, `/api/matches/${code}`)).body.roles.map((r: { seats: number }) => r.seats)).toEqual([1, 1, 1, 0]);
    expect(room(teacher).queue).toEqual([di.welcome.personId]);

    // the lock: a newcomer is refused, a seat token still brings a person back
    expect((await teacher.ask('control', { action: 'moderation', locked: true })).ok).toBe(true);
    await expect(join(server.base, roomId, { name: 'Eve' })).rejects.toThrow(/\[locked\]$/);
    await bo.room.leave();
    const back = await join(server.base, roomId, { seatToken: bo.welcome.seatToken });
    expect(back.welcome.role).toBe('usGov');

    // the plan mid-game: six quarters for 45 minutes, one dropped; the desk's lesson clock has what it needs
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    await waitFor(() => room(teacher)?.startedAt > 0, 'the start time on the desk');
    expect(room(teacher)).toMatchObject({ lessonMinutes: 45, turns: 6, maxTurns: 10 });
    expect((await teacher.ask('control', { action: 'plan', turns: 5, timers: { briefing: 30 } })).ok).toBe(true);
    await waitFor(() => teacher.room.state.turns === 5, 'five quarters');
    // every joiner's rule file says five too, from the room holding the match: no read of the match's log for it
    const store = server.store as { load: typeof server.store.load };
    const load = store.load.bind(server.store);
    let loads = 0;
    store.load = (id) => { loads++; return load(id); };
    await expect.poll(async () => (await api(server.base, `/api/matches/${code}/rules`)).body.calendar.turns).toBe(5);
    expect(loads).toBe(0);
    store.load = load;
    expect(room(teacher).timers.briefing).toBe(30);
    const endsAt = teacher.room.state.phaseEndsAt;
    expect(endsAt - Date.now()).toBeLessThan(31_000);
    const info = await api(server.base, `/api/matches/${code}`);
    expect(info.status).toBe(200);
    await Promise.all([teacher, ana, back, cy, di].map((p) => p.room.leave()));
  }, 30_000);
});
