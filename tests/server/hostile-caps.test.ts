// Caps a stranger cannot get around (issue 12, items 3, 6, 10): people per match, connections per seat and per address,
// joins per address a minute, one message allowance per person, undecodable floods closed, refused joins logged quietly.
import { describe, it, expect, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import express from 'express';
import { Client } from '@colyseus/sdk';
import { bootServer, api, join, waitFor, sleep, NO_TIMERS, type Player } from '../helpers/server.ts';
import { createLogger } from '../../server/log.ts';
import { addressResolver } from '../../server/http/guard.ts';
import { joinRefusalCode } from '../../shared/protocol/errors.ts';
import type { Limits } from '../../server/context.ts';

const FOUR_SEATS = { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 };

let server: Awaited<ReturnType<typeof bootServer>> | undefined;
const players: Player[] = [];
afterEach(async () => {
  // a room the server closed (a flood) never answers leave(): wait a moment at most
  await Promise.all(players.splice(0).map((p) => Promise.race([p.room.leave().catch(() => undefined), sleep(500)])));
  await server?.close();
  server = undefined;
});

async function matchOn(limits: Partial<Limits>, lines?: Record<string, unknown>[]): Promise<string> {
  const destination = lines && new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l)); done(); } });
  server = await bootServer({ limits, ...(destination ? { logger: createLogger({ level: 'info', destination }) } : {}) });
  const created = await api(server.base, '/api/matches', { mode: 'online', visibility: 'public', seats: FOUR_SEATS, timers: NO_TIMERS });
  return (await api(server.base, `/api/matches/${created.body.code}`)).body.roomId;
}

/** A join's refusal code (the bracketed word), or "joined". */
async function tryJoin(roomId: string, options: Record<string, unknown>): Promise<string> {
  try {
    const p = await join(server!.base, roomId, options);
    players.push(p);
    return 'joined';
  } catch (err) {
    return joinRefusalCode((err as Error).message) ?? (err as Error).message;
  }
}

describe('caps on people and connections', () => {
  it('the 301st person in one match is refused with a clear message (people and watchers count)', async () => {
    const roomId = await matchOn({ joinsPerMinutePerIp: 10_000 });
    // each person is a log entry for good: they may leave again, they still count
    for (let i = 0; i < 290; i++) {
      const room = await new Client(server!.base).joinById(roomId, { name: `P${i}` });
      await room.leave();
    }
    for (let i = 0; i < 10; i++) expect(await tryJoin(roomId, { spectator: true })).toBe('joined');
    const refusal = await new Client(server!.base).joinById(roomId, { name: 'Mallory' }).then(() => 'joined', (e: Error) => e.message);
    expect(refusal).toMatch(/already has 300 people and watchers.*\[match-full\]$/);
    expect(await tryJoin(roomId, { spectator: true })).toBe('match-full');
    // a watcher leaving frees a place
    await players.pop()!.room.leave();
    await sleep(100);
    expect(await tryJoin(roomId, { spectator: true })).toBe('joined');
  }, 60_000);

  it('a seat holds CONNECTIONS_PER_SEAT connections: a second tab joins, a third is refused until one closes', async () => {
    const roomId = await matchOn({ connectionsPerSeat: 2 });
    const ana = await join(server!.base, roomId, { name: 'Ana', role: 'usGov' });
    players.push(ana);
    const token = ana.welcome.seatToken!;
    expect(await tryJoin(roomId, { seatToken: token })).toBe('joined');
    const refusal = await new Client(server!.base).joinById(roomId, { seatToken: token }).then(() => 'joined', (e: Error) => e.message);
    expect(refusal).toMatch(/open in 2 places.*\[seat-busy\]$/);
    await players.pop()!.room.leave();
    await sleep(100);
    expect(await tryJoin(roomId, { seatToken: token })).toBe('joined');
  });

  it('the facilitator key holds FACILITATOR_CONNECTIONS desks: a leaked key cannot open every channel by the hundred', async () => {
    server = await bootServer({ limits: { facilitatorConnections: 2 } });
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: FOUR_SEATS, timers: NO_TIMERS });
    const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
    const key = created.body.facilitatorKey;
    expect(await tryJoin(roomId, { facilitatorKey: key })).toBe('joined');
    expect(await tryJoin(roomId, { facilitatorKey: key })).toBe('joined');
    const refusal = await new Client(server.base).joinById(roomId, { facilitatorKey: key }).then(() => 'joined', (e: Error) => e.message);
    expect(refusal).toMatch(/desk is already open in 2 places.*\[seat-busy\]$/);
    // a wrong key is still told so, not that the desk is busy
    expect(await tryJoin(roomId, { facilitatorKey: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` })).toBe('wrong-key');
    await players.pop()!.room.leave();
    await sleep(100);
    expect(await tryJoin(roomId, { facilitatorKey: key })).toBe('joined');
  });

  it('the message allowance is one per person, not one per connection', async () => {
    const roomId = await matchOn({ messagesPerSecond: 1, messageBurst: 10, connectionsPerSeat: 3 });
    const tabs = [await join(server!.base, roomId, { name: 'Ana', role: 'usGov' })];
    for (let i = 0; i < 2; i++) tabs.push(await join(server!.base, roomId, { seatToken: tabs[0].welcome.seatToken }));
    players.push(...tabs);
    // 30 messages over three tabs: one allowance of 10 (and a little refill), so about 20 are told to slow down
    for (let i = 0; i < 10; i++) for (const t of tabs) t.room.send('ready', { ready: i % 2 === 0 });
    const answers = () => tabs.reduce((n, t) => n + t.oks.length + t.errors.length, 0);
    await waitFor(() => answers() === 30, 'thirty answers');
    const slowed = tabs.reduce((n, t) => n + t.errors.filter((e) => e.code === 'slow-down').length, 0);
    expect(slowed).toBeGreaterThanOrEqual(18);
  });

  it('an address holds CONNECTIONS_PER_IP connections over every match, and makes JOINS_PER_MINUTE_PER_IP joins a minute', async () => {
    const roomId = await matchOn({ connectionsPerIp: 3, joinsPerMinutePerIp: 6 });
    for (let i = 0; i < 3; i++) expect(await tryJoin(roomId, { spectator: true })).toBe('joined');
    const refusal = await new Client(server!.base).joinById(roomId, { spectator: true }).then(() => 'joined', (e: Error) => e.message);
    expect(refusal).toMatch(/already has 3 connections open.*\[too-many-connections\]$/);
    await players.pop()!.room.leave();
    await sleep(100);
    expect(await tryJoin(roomId, { spectator: true })).toBe('joined');
    await players.pop()!.room.leave();
    await sleep(100);
    // the refused join is not counted (it never reached the allowance): these are the 5th and 6th of the minute
    for (let i = 0; i < 2; i++) {
      expect(await tryJoin(roomId, { spectator: true })).toBe('joined');
      await players.pop()!.room.leave();
      await sleep(100);
    }
    const slow = await new Client(server!.base).joinById(roomId, { spectator: true }).then(() => 'joined', (e: Error) => e.message);
    expect(slow).toMatch(/more than 6 joins a minute from this address; try again in \d+ s \[slow-down\]$/);
  });

  it('a WebSocket\'s address follows TRUST_PROXY: X-Forwarded-For counts only from a trusted proxy', () => {
    const app = express();
    const addressOf = addressResolver(app);
    expect(addressOf('127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
    app.set('trust proxy', 'loopback');
    expect(addressOf('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(addressOf('198.51.100.1', '203.0.113.9')).toBe('198.51.100.1');
  });
});

describe('floods and refusals', () => {
  it('1,000 undecodable frames close the connection at once with 4002', async () => {
    const roomId = await matchOn({});
    const eve = await join(server!.base, roomId, { spectator: true });
    players.push(eve);
    const closed = new Promise<number>((resolve) => eve.room.onLeave((code: number) => resolve(code)));
    const frame = new Uint8Array([13, 0xa5, ...new TextEncoder().encode('ready'), 0xc1]);
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) eve.room.connection.send(frame);
    expect(await closed).toBe(4002);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refused joins are one line at warn each: no error line, no stack', async () => {
    const lines: Record<string, unknown>[] = [];
    const roomId = await matchOn({ connectionsPerSeat: 1 }, lines);
    const ana = await join(server!.base, roomId, { name: 'Ana', role: 'usGov' });
    players.push(ana);
    const from = lines.length;
    expect(await tryJoin(roomId, { seatToken: 'x'.repeat(22) })).toBe('unknown-token');
    expect(await tryJoin(roomId, { seatToken: ana.welcome.seatToken })).toBe('seat-busy');
    expect(await tryJoin(roomId, { name: 'ana' })).toBe('name-taken');
    await sleep(200);
    const after = lines.slice(from);
    expect(after.filter((l) => /join refused/.test(String(l.msg))).map((l) => l.level)).toEqual([40, 40, 40]);
    expect(after.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(JSON.stringify(after)).not.toMatch(/stack|\bat \w+ \(/);
  });
});
