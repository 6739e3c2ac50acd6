// Every message gets exactly one answer until a flood closes the connection; refusals are clean; watchers and seats are plain.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Writable } from 'node:stream';
import { Client } from '@colyseus/sdk';
import { bootServer, api, join, waitFor, sleep, NO_TIMERS, type Player } from '../helpers/server.ts';
import { createLogger } from '../../server/log.ts';

const TWO_SEATS = { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 };

describe('answers', () => {
  let server: Awaited<ReturnType<typeof bootServer>>;
  let roomId: string, facilitatorKey: string;
  let ana: Player, wei: Player, teacher: Player;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const destination = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l)); done(); } });
    server = await bootServer({ logger: createLogger({ level: 'info', destination }), limits: { hardMessagesPerSecond: 40, messagesPerSecond: 5, messageBurst: 10, maxMessageBytes: 2048 } });
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: TWO_SEATS, timers: NO_TIMERS });
    facilitatorKey = created.body.facilitatorKey;
    roomId = (await api(server.base, `/api/matches/${created.body.code}`)).body.roomId;
    teacher = await join(server.base, roomId, { facilitatorKey });
    ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    wei = await join(server.base, roomId, { name: 'Wei', role: 'cnGov' });
  });
  afterAll(async () => { await server?.close(); });

  it('refuses unsubmit with no payload like any other type with a missing payload', async () => {
    expect(await wei.ask('unsubmit', undefined)).toMatchObject({ ok: false, message: 'unsubmit: the message is not valid' });
    expect(await wei.ask('ready', undefined)).toMatchObject({ ok: false, message: 'ready: the message is not valid' });
  });

  it('answers a payload of the single byte 0xC1 (never valid MessagePack) as undecodable', async () => {
    const before = wei.errors.length;
    wei.room.connection.send(new Uint8Array([13, 0xa5, ...new TextEncoder().encode('ready'), 0xc1]));
    await waitFor(() => wei.errors.length > before, 'the answer');
    expect(wei.errors.at(-1)).toMatchObject({ type: 'ready', code: 'undecodable', message: expect.stringMatching(/^ready: the message could not be decoded/) });
  });

  it('gives every message one answer past the soft limit, and closes a flood at once with code 4002', async () => {
    const eve = await join(server.base, roomId, { spectator: true });
    const answers = () => eve.errors.length + eve.oks.length;
    for (let i = 0; i < 30; i++) eve.room.send('chat', { to: 'all', text: `hi ${i}` });
    await waitFor(() => answers() === 30, 'thirty answers', 3000);
    expect(eve.errors.filter((e) => /slow down/.test(e.message)).length).toBeGreaterThan(0);
    expect(eve.errors.every((e) => e.code === 'slow-down' || e.code === 'not-allowed')).toBe(true);
    await sleep(1100);
    const closed = new Promise<number>((resolve) => eve.room.onLeave((code: number) => resolve(code)));
    const t0 = Date.now();
    for (let i = 0; i < 200; i++) eve.room.send('chat', { to: 'all', text: 'flood' });
    expect(await closed).toBe(4002);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('tells a watcher plainly which kind of seat it has, and gives it empty team and desk maps', async () => {
    const projector = await join(server.base, roomId, { spectator: true });
    expect(projector.welcome).toMatchObject({ seat: 'watcher', spectator: true, role: null, seatToken: null });
    expect(ana.welcome).toMatchObject({ seat: 'player', role: 'usGov' });
    expect(teacher.welcome).toMatchObject({ seat: 'facilitator' });
    await waitFor(() => projector.room.state.phase !== undefined, 'the state');
    expect(projector.room.state.teams?.size).toBe(0);
    expect(projector.room.state.desk?.size).toBe(0);
    expect(ana.room.state.desk?.size).toBe(0);
    expect(ana.room.state.teams?.size).toBe(1);
  });

  it('lists every setting a role holds in lastOrder, also the ones its order left out', async () => {
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'skipPhase' })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'skipPhase' })).ok).toBe(true);
    await waitFor(() => ana.room.state.phase === 'orders', 'the orders');
    // an order of spending alone: the settings stay as they were, and lastOrder says what they were
    expect((await ana.ask('submit', { order: { spend: { bis: 1 } } })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'resolveNow' })).ok).toBe(true);
    await waitFor(() => ana.team()?.view?.lastOrder != null, 'the last order');
    const last = ana.team().view.lastOrder;
    expect(Object.keys(last.exportTiers ?? {}).length).toBeGreaterThan(0);
    expect(typeof last.globalLicensing).toBe('boolean');
    await waitFor(() => wei.team()?.view?.lastOrder != null, 'China\'s last order');
    expect(wei.team().view.lastOrder.openWeights).toBeUndefined();
  });

  it('logs an oversize frame as one structured line, and a refused join at warn without a stack', async () => {
    const from = lines.length;
    await expect(new Client(server.base).joinById(roomId, { facilitatorKey: 'not-the-key-at-all' })).rejects.toThrow(/not this match's/);
    await waitFor(() => lines.slice(from).some((l) => /join refused/.test(String(l.msg))), 'the join log line');
    const refused = lines.slice(from).filter((l) => /join refused/.test(String(l.msg)));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 40, status: 403 });
    expect(JSON.stringify(refused[0])).not.toMatch(/\bat \w|stack/);

    const big = await join(server.base, roomId, { spectator: true });
    const at = lines.length;
    big.room.send('chat', { to: 'all', text: 'x'.repeat(5000) });
    await waitFor(() => lines.slice(at).some((l) => /frame/.test(String(l.msg))), 'the oversize log line');
    await sleep(200);
    const about = lines.slice(at).filter((l) => JSON.stringify(l).includes('payload') || /frame/.test(String(l.msg)));
    expect(about).toHaveLength(1);
    expect(about[0]).toMatchObject({ level: 40, maxMessageBytes: 2048 });
    expect(JSON.stringify(about[0])).not.toMatch(/Receiver|stack/);
  });
});

describe('the match-creation allowance', () => {
  let server: Awaited<ReturnType<typeof bootServer>>;
  afterAll(async () => { await server?.close(); });
  it('is not used up by requests refused with 400', async () => {
    server = await bootServer({ limits: { matchesPerMinutePerIp: 2 } });
    for (let i = 0; i < 3; i++) expect((await api(server.base, '/api/matches', { mode: 'chess' })).status).toBe(400);
    expect((await api(server.base, '/api/matches', { mode: 'online', rules: 'nope.yaml' })).status).toBe(400);
    expect((await api(server.base, '/api/matches', { mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS })).status).toBe(201);
    expect((await api(server.base, '/api/matches', { mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS })).status).toBe(201);
    expect((await api(server.base, '/api/matches', { mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS })).status).toBe(429);
  });
});
