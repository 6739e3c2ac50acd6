// Beyond one machine: real game processes, a real redis-server and a real PostgreSQL. One live room per match under
// SIGKILL and SIGSTOP (fenced appends), creation that answers whenever stored, the lobby from the store, honest
// start-up and health, Redis restarts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { api, join, waitFor, sleep, NO_TIMERS, type Player } from '../helpers/server.ts';
import { requireBinary, startRedis, startGameProcess, freePort, type RedisServer } from '../helpers/services.ts';
import { requirePostgres, startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { PostgresMatchStore } from '../../server/store/postgres.ts';
import { replayMatch } from '../../server/record/replay.ts';
import { rulesOfMatch } from '../../server/match-rules.ts';

const haveRedis = requireBinary('/usr/bin/redis-server', 'redis-server');
const pgAvailability = requirePostgres('the cluster tests (tests/server/cluster.test.ts)');
const TOKEN = 'cluster-test-deployment-secret-0123456789';
const LEASE_MS = 1500;

type Game = Awaited<ReturnType<typeof startGameProcess>>;

describe.skipIf(!haveRedis || !pgAvailability.available)('a cluster of game processes', () => {
  let redis: RedisServer;
  let pgServer: TestPostgres;
  const procs: ChildProcess[] = [];
  beforeAll(async () => {
    [redis, pgServer] = await Promise.all([startRedis(), startTestPostgres(pgAvailability)]);
  }, 120_000);
  afterAll(async () => {
    for (const p of procs) { p.kill('SIGCONT'); p.kill('SIGKILL'); }
    await redis?.stop();
    await pgServer?.stop();
  });

  async function cluster(n: number, extra: Record<string, string> = {}): Promise<{ games: Game[]; env: Record<string, string>; store: () => Promise<PostgresMatchStore> }> {
    const schema = await pgServer.freshSchema();
    const env = { REDIS_URL: redis.url, INTERNAL_TOKEN: TOKEN, DATABASE_URL: pgServer.url, DATABASE_SCHEMA: schema, CLAIM_LEASE_MS: String(LEASE_MS), MATCHES_PER_MINUTE_PER_IP: '10000', ...extra };
    const games: Game[] = [];
    for (let i = 0; i < n; i++) { const g = await startGameProcess(env); procs.push(g.proc); games.push(g); }
    return { games, env, store: () => PostgresMatchStore.open({ connectionString: pgServer.url, schema }) };
  }
  const health = async (g: Game) => (await api(g.base, '/healthz')).body;
  const kill = async (g: Game) => { g.proc.kill('SIGKILL'); await new Promise((r) => g.proc.once('exit', r)); };

  it('after SIGKILL of the holder, 20 concurrent asks by code through the survivor get one room; a dead process\'s public match is listed and joined through quick play', async () => {
    const { games: [a, b] } = await cluster(2);
    // made through A, so A holds both rooms
    const created = await api(a.base, '/api/matches', { mode: 'online', timers: NO_TIMERS });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    const pub = await api(a.base, '/api/matches', { mode: 'online', visibility: 'public', timers: NO_TIMERS });
    expect((await health(a)).matches.sort()).toEqual([code, pub.body.code].sort());
    const p = await join(b.base, created.body.roomId, { name: 'Ana', role: 'usGov' });
    const token = p.welcome.seatToken!;
    p.room.reconnection.enabled = false;

    await kill(a);
    const roomsBefore = (await health(b)).rooms;
    const asks = await Promise.all(Array.from({ length: 20 }, () => api(b.base, `/api/matches/${code}`)));
    expect(asks.map((r) => r.status)).toEqual(Array(20).fill(200));
    const ids = new Set(asks.map((r) => r.body.roomId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).not.toBe(created.body.roomId);
    const hb = await health(b);
    expect(hb.matches.filter((c: string) => c === code)).toHaveLength(1);
    expect(hb.rooms).toBe(roomsBefore + 1);
    const back = await join(b.base, [...ids][0], { seatToken: token });
    expect(back.welcome.role).toBe('usGov');

    // the public match A held is still in the lobby, and quick play joins it (resuming it here)
    expect((await api(b.base, '/api/matches')).body.map((m: { code: string }) => m.code)).toContain(pub.body.code);
    const quick = await api(b.base, '/api/quickplay', {});
    expect(quick.body).toMatchObject({ code: pub.body.code, created: false });
    const q = await join(b.base, quick.body.roomId, { name: 'Bo' });
    expect(q.welcome.role).not.toBeNull();
    expect((await health(b)).matches.filter((c: string) => c === pub.body.code)).toHaveLength(1);
    await back.room.leave();
    await q.room.leave();
  }, 60_000);

  it('a paused holder (SIGSTOP) loses the match; resumed (SIGCONT), its appends are refused by fencing, the log stays whole, its room closes', async () => {
    const { games: [a, b], store } = await cluster(2);
    // one person, bots for the rest, a four-second briefing: its deadline passes while A is paused
    const created = await api(a.base, '/api/matches', { mode: 'online', seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 }, timers: { briefing: 4, negotiation: 60, orders: 60, report: 60 } });
    const code = created.body.code as string;
    const p: Player = await join(a.base, created.body.roomId, { name: 'Ana', role: 'usGov' });
    p.room.reconnection.enabled = false;
    let leftWith: number | null = null;
    p.room.onLeave((c: number) => { leftWith = c; });
    expect((await p.ask('ready', { ready: true })).ok).toBe(true);
    await waitFor(() => p.room.state.phase === 'briefing', 'the briefing');

    a.proc.kill('SIGSTOP');
    await sleep(LEASE_MS + 500);
    // the match moves to B (A's lease lapsed), which plays on through the deadline
    const moved = await api(b.base, `/api/matches/${code}`);
    expect(moved.status).toBe(200);
    expect(moved.body.roomId).not.toBe(created.body.roomId);
    const again = await join(b.base, moved.body.roomId, { seatToken: p.welcome.seatToken });
    await waitFor(() => again.room.state.phase === 'negotiation', 'the negotiation on B', 8000);
    p.room.send('chat', { to: 'all', text: 'written while paused' });

    a.proc.kill('SIGCONT');
    await waitFor(() => leftWith !== null, 'A closing its room', 8000);
    expect(leftWith).toBe(4004);
    const ha = await health(a);
    expect(ha.fencedAppends).toBeGreaterThanOrEqual(1);
    expect(ha.matches).not.toContain(code);
    expect((await health(b)).matches).toEqual([code]);

    // B's room still plays, and the log is whole: every seq once, it replays, and nothing A wrote after it lost the match is in it
    expect((await again.ask('chat', { to: 'all', text: 'on B' })).ok).toBe(true);
    const s = await store();
    const loaded = (await s.load(created.body.matchId))!;
    await s.close();
    expect(loaded.entries.map((e) => e.seq)).toEqual(loaded.entries.map((_, i) => i + 1));
    expect(() => replayMatch(rulesOfMatch(loaded.header), loaded.header, loaded.entries)).not.toThrow();
    expect(loaded.entries.filter((e) => e.entry.kind === 'phase' && e.entry.phase === 'negotiation')).toHaveLength(1);
    expect(loaded.entries.some((e) => e.entry.kind === 'chat' && e.entry.text === 'written while paused')).toBe(false);
    expect((await api(b.base, `/api/matches/${code}/record`)).status).toBe(200);
    expect((await api(a.base, `/api/matches/${code}`)).body.roomId).toBe(moved.body.roomId);
    await again.room.leave();
  }, 60_000);

  it('creation answers with the match whenever it was stored, the same match for a retried Idempotency-Key', async () => {
    const { games: [a, b] } = await cluster(2);
    const key = `retry-${Date.now()}-abcdef`;
    const body = { mode: 'class', timers: NO_TIMERS };
    // the same request to two processes at once, then once more
    const [first, second] = await Promise.all([a, b].map((g) => api(g.base, '/api/matches', body, { 'idempotency-key': key })));
    const third = await api(b.base, '/api/matches', body, { 'idempotency-key': key });
    const answers = [first, second, third];
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((r) => r.body.code)).size).toBe(1);
    expect(new Set(answers.map((r) => r.body.facilitatorKey)).size).toBe(1);
    expect(new Set(answers.map((r) => r.body.roomId)).size).toBe(1);
    const code = first.body.code;
    // the facilitator key works on either process
    const f = await join(a.base, first.body.roomId, { facilitatorKey: first.body.facilitatorKey });
    expect(f.welcome.facilitator).toBe(true);
    await f.room.leave();
    const rooms = [...(await health(a)).matches, ...(await health(b)).matches];
    expect(rooms.filter((c) => c === code)).toHaveLength(1);
    expect((await api(a.base, '/api/matches', body, { 'idempotency-key': 'short' })).status).toBe(400);
  }, 60_000);

  it('keeps playing through a Redis restart: processes reconnect, rooms are found again, /readyz says no while Redis is down', async () => {
    const { games: [a, b] } = await cluster(2);
    const created = await api(a.base, '/api/matches', { mode: 'online', timers: NO_TIMERS });
    const p = await join(b.base, created.body.roomId, { name: 'Ana', role: 'usGov' });
    expect((await api(a.base, '/readyz')).status).toBe(200);
    await redis.kill();
    await sleep(300);
    expect((await api(a.base, '/readyz')).status).toBe(503);
    expect((await health(a)).redis).toBe('down');
    // the room plays on meanwhile (its appends go to the store; the claim is not needed to write)
    expect((await p.ask('chat', { to: 'all', text: 'while Redis was down' })).ok).toBe(true);
    // a match created now is stored and answered (code, facilitator key); its room opens on the first ask by code
    const during = await api(b.base, '/api/matches', { mode: 'class', timers: NO_TIMERS });
    expect(during.status).toBe(201);
    expect(during.body).toMatchObject({ roomId: null });
    expect(during.body.facilitatorKey).toEqual(expect.any(String));
    expect((await api(b.base, `/api/matches/${during.body.code}`)).status).toBe(503);
    await redis.start();
    const t0 = Date.now();
    for (;;) {
      const [ra, rb] = await Promise.all([api(a.base, '/readyz'), api(b.base, '/readyz')]);
      if (ra.status === 200 && rb.status === 200) break;
      if (Date.now() - t0 > 10_000) throw new Error('the processes did not reconnect to Redis within 10 s');
      await sleep(100);
    }
    await sleep(LEASE_MS);
    // the claim was taken again by its holder: asks through either process find the same room, and a new join works
    const viaA = await api(a.base, `/api/matches/${created.body.code}`);
    const viaB = await api(b.base, `/api/matches/${created.body.code}`);
    expect(viaA.body.roomId).toBe(created.body.roomId);
    expect(viaB.body.roomId).toBe(created.body.roomId);
    const opened = await api(a.base, `/api/matches/${during.body.code}`);
    expect(opened.body.roomId).toEqual(expect.any(String));
    const teacher = await join(b.base, opened.body.roomId, { facilitatorKey: during.body.facilitatorKey });
    expect(teacher.welcome.facilitator).toBe(true);
    await teacher.room.leave();
    const q = await join(b.base, created.body.roomId, { name: 'Bo', role: 'cnGov' });
    expect(q.welcome.role).toBe('cnGov');
    expect((await p.ask('chat', { to: 'all', text: 'after' })).ok).toBe(true);
    await p.room.leave();
    await q.room.leave();
  }, 60_000);

  describe('start-up', () => {
    const serve = fileURLToPath(new URL('../../server/cli/serve.ts', import.meta.url));
    async function runUntilExit(env: Record<string, string>, ms = 20_000): Promise<{ code: number | null; out: string }> {
      const port = await freePort();
      const child = spawn(process.execPath, [serve], { env: { ...process.env, LOG_LEVEL: 'info', PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      procs.push(child);
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      const code = await new Promise<number | null>((resolve) => {
        const t = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, ms);
        child.once('exit', (c) => { clearTimeout(t); resolve(c); });
      });
      return { code, out };
    }

    it('refuses an INTERNAL_TOKEN shorter than 32 characters, and one that differs from the cluster\'s', async () => {
      const { env } = await cluster(1);
      const short = await runUntilExit({ ...env, INTERNAL_TOKEN: 'too-short' });
      expect(short.code).toBe(1);
      expect(short.out).toMatch(/INTERNAL_TOKEN must be at least 32 characters/);
      const other = await runUntilExit({ ...env, INTERNAL_TOKEN: 'another-deployment-secret-0123456789' });
      expect(other.code).toBe(1);
      expect(other.out).toMatch(/INTERNAL_TOKEN differs from the one the other processes/);
    }, 60_000);

    it('waits for the store with bounded back-off and a clear line, then gives up', async () => {
      const closed = await freePort();
      const r = await runUntilExit({ DATABASE_URL: `postgres://nobody@127.0.0.1:${closed}/none`, STARTUP_WAIT_SECONDS: '2', REDIS_URL: '', INTERNAL_TOKEN: TOKEN });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/waiting for the match store/);
      expect(r.out).toMatch(/gave up after \d+ tries in 2 s/);
    }, 30_000);

    it('waits for a store that comes up late, then reports it in /healthz and /readyz', async () => {
      const schema = await pgServer.freshSchema();
      // a TCP proxy that only starts forwarding to PostgreSQL after two seconds
      const { createServer, connect } = await import('node:net');
      const pgPort = Number(new URL(pgServer.url).port);
      let open = false;
      const proxy = createServer((sock) => {
        if (!open) { sock.destroy(); return; }
        const up = connect(pgPort, '127.0.0.1');
        sock.pipe(up).pipe(sock);
        sock.on('error', () => up.destroy());
        up.on('error', () => sock.destroy());
      });
      const proxyPort = await freePort();
      await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', () => r()));
      setTimeout(() => { open = true; }, 2000);
      const url = new URL(pgServer.url);
      url.port = String(proxyPort);
      const g = await startGameProcess({ REDIS_URL: redis.url, INTERNAL_TOKEN: TOKEN, DATABASE_URL: url.toString(), DATABASE_SCHEMA: schema, STARTUP_WAIT_SECONDS: '20' });
      procs.push(g.proc);
      const h = await health(g);
      expect(h).toMatchObject({ store: 'ok', redis: 'ok', publicAddress: `127.0.0.1:${g.port}`, rooms: 0, matches: [], unrestored: [] });
      expect(typeof h.processId).toBe('string');
      expect(h.pid).toBe(g.proc.pid);
      expect((await api(g.base, '/readyz')).status).toBe(200);
      await kill(g);
      proxy.close();
    }, 40_000);
  });
});
