// The facilitator's desk is projected only while a facilitator is connected: one who comes back sees everything
// that happened while away, and players never receive the desk at all.
import { describe, it, expect, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, NO_TIMERS } from '../helpers/server.ts';

describe('the facilitator desk', () => {
  let server: Awaited<ReturnType<typeof bootServer>>;
  afterAll(async () => { await server?.close(); });

  it('is up to date for a facilitator who joins after the players acted', async () => {
    server = await bootServer();
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
    const { code, facilitatorKey } = created.body;
    const roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId;
    const first = await join(server.base, roomId, { facilitatorKey });
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    const wei = await join(server.base, roomId, { name: 'Wei', role: 'cnGov' });
    expect((await first.ask('control', { action: 'start' })).ok).toBe(true);
    await waitFor(() => ana.room.state.phase === 'briefing', 'the briefing');
    await first.room.leave();

    // with nobody at the desk: a draft, a note to the teacher and a private chat between roles
    expect((await ana.ask('draft', { order: { spend: { bis: 1 } } })).ok).toBe(true);
    expect((await wei.ask('chat', { to: 'facilitator', text: 'we need more time' })).ok).toBe(true);
    expect((await ana.ask('chat', { to: 'cnGov', text: 'talk?' })).ok).toBe(true);

    const back = await join(server.base, roomId, { facilitatorKey });
    await waitFor(() => (back.desk()?.chat.length ?? 0) === 2, 'both chat messages on the desk');
    const desk = back.desk()!;
    expect(desk.teams.usGov.draft).toEqual({ spend: { bis: 1 } });
    expect(desk.chat.map((m: { text: string }) => m.text)).toEqual(['we need more time', 'talk?']);
    expect(desk.people.map((p: { name: string }) => p.name).sort()).toEqual(['Ana', 'Wei']);
    expect(desk.state.turn).toBe(0);
    // players are never sent the desk
    expect(ana.room.state.desk?.get('desk')).toBeUndefined();
    await Promise.all([back, ana, wei].map((p) => p.room.leave()));
  });
});
