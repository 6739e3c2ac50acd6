// A finished match's record is final (issue 12, item 12): chat and every other player message after the end is
// refused with match-over, and the record does not change.
import { describe, it, expect, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, NO_TIMERS } from '../helpers/server.ts';

describe('after the end', () => {
  let server: Awaited<ReturnType<typeof bootServer>>;
  afterAll(async () => { await server?.close(); });

  it('chat (to anyone, from anyone) is refused with match-over and the finished record stays as it was', async () => {
    server = await bootServer();
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
    const { code, roomId, facilitatorKey } = created.body;
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    expect((await ana.ask('chat', { to: 'all', text: 'before the end' })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'end' })).ok).toBe(true);
    await waitFor(() => ana.room.state.phase === 'ended', 'the end');
    const before = await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey });
    expect(before.status).toBe(200);
    for (const [who, to] of [[ana, 'all'], [ana, 'team'], [ana, 'facilitator'], [teacher, 'all']] as const) {
      expect(await who.ask('chat', { to, text: 'after the end' }), `${to}`).toMatchObject({ ok: false, code: 'match-over', message: expect.stringMatching(/the match is over; its record is final/) });
    }
    expect(await ana.ask('lead', { personId: ana.welcome.personId })).toMatchObject({ ok: false, code: 'match-over' });
    const after = await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey });
    expect(after.body).toEqual(before.body);
    await ana.room.leave();
    await teacher.room.leave();
  });
});
