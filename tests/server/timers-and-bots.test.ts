// Server-side timers move a class along on their own, and a bot keeps an abandoned seat warm until its people return.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, NO_TIMERS } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => { server = await bootServer(); });
afterAll(async () => { await server?.close(); });

describe('phase timers', () => {
  it('advance every phase when time runs out, resolve with the fallback orders, and can be extended and paused', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 }, timers: { briefing: 1, negotiation: 1, orders: 2, report: 1 } });
    const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
    const teacher = await join(server.base, roomId, { facilitatorKey: created.body.facilitatorKey });
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    await teacher.ask('control', { action: 'start' });
    await waitFor(() => teacher.room.state.phase === 'briefing', 'briefing');
    expect(teacher.room.state.phaseEndsAt).toBeGreaterThan(Date.now());
    // nobody does anything: the timers carry the quarter through to its resolution
    await waitFor(() => teacher.room.state.phase === 'orders', 'orders by timer', 5000);
    expect((await teacher.ask('control', { action: 'extend', seconds: 5 })).ok).toBe(true);
    await waitFor(() => teacher.room.state.phaseEndsAt - Date.now() > 4000, 'the extended timer');
    expect((await teacher.ask('control', { action: 'pause' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.paused && teacher.room.state.phaseRemaining > 0, 'the paused timer');
    await new Promise((r) => setTimeout(r, 1500));
    expect(teacher.room.state.phase).toBe('orders');
    expect((await teacher.ask('control', { action: 'resume' })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'resolveNow' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.turn === 1, 'the first quarter resolved');
    // Ana never submitted: her role played its last order, the 2026 split
    const spend = teacher.desk()!.state.roles.usGov.lastOrder.spend;
    expect(spend.powerGrid).toBeGreaterThan(0);
    expect(ana.room.connection.isOpen).toBe(true);
  });
});

describe('bot take-over', () => {
  it('hands a seat whose people are all gone to its bot, and gives it back when they return', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'online', seats: { usGov: 1, usLab: 1, cnGov: 0, cnLab: 0 }, bots: { usLab: 'hawk' }, timers: NO_TIMERS, botTakeoverSeconds: 5 });
    const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    const bo = await join(server.base, roomId, { name: 'Bo', role: 'usLab' });
    expect(ana.room.state.roles.get('usLab').bot).toBe(false);
    expect(ana.room.state.roles.get('cnGov').bot).toBe(true);
    const token = bo.welcome.seatToken!;
    await bo.room.leave();
    await waitFor(() => ana.room.state.roles.get('usLab').bot === true, 'the bot taking over', 9000);
    // alone in the lobby, Ana can start: the bot-held seats are always ready
    expect((await ana.ask('ready', { ready: true })).ok).toBe(true);
    await waitFor(() => ana.room.state.phase === 'briefing', 'the match starting');
    const back = await join(server.base, roomId, { seatToken: token });
    expect(back.welcome.role).toBe('usLab');
    await waitFor(() => ana.room.state.roles.get('usLab').bot === false, 'Bo taking the seat back');
  }, 20_000);
});
