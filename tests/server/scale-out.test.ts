// Several game processes behind one Redis: a match made through one is joined through another,
// and when the process holding it is killed, it carries on from the shared store on a live one.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';
import { requireBinary, startRedis, startGameProcess, type RedisServer } from '../helpers/services.ts';

const haveRedis = requireBinary('/usr/bin/redis-server', 'redis-server');
const ROLES = ['usGov', 'usLab', 'cnGov', 'cnLab'] as const;

describe.skipIf(!haveRedis)('scale-out over Redis', () => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'w2028-scale-'));
  let redis: RedisServer | undefined;
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('joins across processes and survives the death of the process holding the match', async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, INTERNAL_TOKEN: 'test-deployment-secret-0123456789', DATA_DIR: dataDir };
    const a = await startGameProcess(env);
    const b = await startGameProcess(env);
    procs.push(a.proc, b.proc);

    const created = await api(a.base, '/api/matches', { mode: 'online', timers: NO_TIMERS });
    expect(created.status).toBe(201);
    const code = created.body.code;
    // process B finds the room process A holds, by code
    const viaB = (await api(b.base, `/api/matches/${code}`)).body;
    expect(viaB.roomId).toBe(created.body.roomId);
    const players: Record<string, Player> = {};
    for (const r of ROLES) players[r] = await join(b.base, viaB.roomId, { name: r, role: r });
    // quick play and the public list span processes too
    const pub = await api(b.base, '/api/matches', { mode: 'online', visibility: 'public', timers: NO_TIMERS });
    expect((await api(a.base, '/api/matches')).body.map((m: { code: string }) => m.code)).toContain(pub.body.code);

    for (const r of ROLES) await players[r].ask('ready', { ready: true });
    await waitFor(() => players.usGov.room.state.phase === 'briefing', 'the match starting');
    for (const phase of ['briefing', 'negotiation']) {
      await waitFor(() => ROLES.every((r) => players[r].room.state.phase === phase), phase);
      for (const r of ROLES) await players[r].ask('ready', { ready: true });
    }
    await waitFor(() => ROLES.every((r) => players[r].room.state.phase === 'orders'), 'orders');
    for (const r of ROLES) expect((await players[r].ask('submit', { order: { spend: {} } })).ok).toBe(true);
    await waitFor(() => players.usGov.room.state.turn === 1, 'the first quarter');
    const tokens = Object.fromEntries(ROLES.map((r) => [r, players[r].welcome.seatToken!]));
    for (const r of ROLES) players[r].room.reconnection.enabled = false;

    // the process holding the match (the clients' WebSocket goes to its public address) dies without a word
    const url = String((players.usGov.room.connection as unknown as { url: string }).url);
    const [holder, survivor] = url.includes(`:${a.port}/`) ? [a, b] : [b, a];
    expect(url).toContain(`:${holder.port}/`);
    holder.proc.kill('SIGKILL');
    await new Promise((r) => holder.proc.once('exit', r));

    const resumed = (await api(survivor.base, `/api/matches/${code}`)).body;
    expect(resumed.status).toBe('open');
    expect(resumed.roomId).not.toBe(created.body.roomId);
    const back: Record<string, Player> = {};
    for (const r of ROLES) back[r] = await join(survivor.base, resumed.roomId, { seatToken: tokens[r] });
    for (const r of ROLES) expect(back[r].welcome.role).toBe(r);
    await waitFor(() => back.usGov.room.state.turn === 1 && back.usGov.room.state.phase === 'report', 'the match at the same quarter');
    for (const r of ROLES) await back[r].ask('ready', { ready: true });
    await waitFor(() => back.usGov.room.state.phase === 'briefing' && back.usGov.room.state.turn === 1, 'the next quarter on the surviving process');
    expect(String((back.usGov.room.connection as unknown as { url: string }).url)).toContain(`:${survivor.port}/`);
    for (const r of ROLES) await back[r].room.leave();
  }, 60_000);
});
