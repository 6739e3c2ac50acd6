// npm run bench:chaos -- [--processes 3] [--matches 100] [--seconds 120] [--kill-every 10] [--phase-every 2] [--finish 30]
// Three game processes, one redis-server, one PostgreSQL (all on loopback), matches each played by one client and
// bots. Every --kill-every seconds a random process is SIGKILLed and started again; clients reload with their seat
// tokens. Asserts and prints: rooms per match never above one (every process's /healthz sampled every 100 ms),
// 0 acknowledged actions lost, 0 logs refused or corrupted, every seat back, every finished record complete, and
// the p50/p99 time from a kill to its matches answering again. Bounded: it stops by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Client, type Room } from '@colyseus/sdk';
import { readFlags, wholeNumber, UsageError } from '../tools/args.ts';
import { startRedis, freePort, waitForHttp, type RedisServer } from '../tests/helpers/services.ts';
import { startTestPostgres, postgresAvailability, type TestPostgres } from '../tests/helpers/postgres.ts';
import { PostgresMatchStore } from '../server/store/postgres.ts';
import { replayMatch } from '../server/record/replay.ts';
import { rulesOfMatch } from '../server/match-rules.ts';
import { latencyPercentiles } from './measure.ts';

export interface ChaosOptions {
  processes: number;
  matches: number;
  seconds: number;
  killEverySeconds: number;
  /** seconds between a client's phase actions (ready, submit); it chats every second besides */
  phaseEverySeconds: number;
  /** stop killing after this many kills (default: as many as fit in `seconds`) */
  maxKills?: number;
  /** after the kills, seconds the matches may play on to their end (default 0) */
  finishSeconds?: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  kills: number;
  maxRoomsPerMatch: number;
  samples: number;
  acknowledged: number;
  lost: string[];
  corrupted: string[];
  seatsBack: number;
  seats: number;
  finished: number;
  incompleteRecords: string[];
  /** ms from a kill to each affected match answering its client again */
  recoveryMs: number[];
  p50: number;
  p99: number;
  fencedAppends: number;
  ok: boolean;
}

const USAGE = `usage: npm run bench:chaos -- [--processes N] [--matches N] [--seconds S] [--kill-every S] [--phase-every S]
  --processes N    game processes (default 3)
  --matches N      matches, each with one client and bots (default 100)
  --seconds S      how long processes are killed (default 120)
  --kill-every S   seconds between two kills (default 10)
  --phase-every S  seconds between a client's phase actions; it chats every second (default 2)
  --finish S       after the kills, seconds the matches may play on to their end (default 30)`;

const serve = fileURLToPath(new URL('../server/cli/serve.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc { index: number; port: number; base: string; child: ChildProcess | null; up: boolean }

interface Player {
  code: string;
  matchId: string;
  role: string;
  token: string;
  room: Room | null;
  connected: boolean;
  done: boolean;
  /** the kill this client's room died in, waiting for the match to answer again */
  downSince: number | null;
  acked: { kind: 'chat'; text: string }[];
  ackedSubmits: { turn: number }[];
  n: number;
  rejoining: boolean;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const pgAvail = postgresAvailability();
  if (!pgAvail.available) throw new Error(`bench:chaos needs PostgreSQL: ${pgAvail.reason}`);
  let redis: RedisServer | null = null;
  let pg: TestPostgres | null = null;
  const procs: Proc[] = [];
  const players: Player[] = [];
  const hardStop = setTimeout(() => { log('bench:chaos: hard time limit reached, stopping'); for (const p of procs) p.child?.kill('SIGKILL'); process.exit(3); }, (o.seconds + 180) * 1000);
  hardStop.unref();
  try {
    [redis, pg] = await Promise.all([startRedis(), startTestPostgres(pgAvail)]);
    const schema = await pg.freshSchema();
    const env = {
      ...process.env, REDIS_URL: redis.url, INTERNAL_TOKEN: randomBytes(24).toString('hex'), DATABASE_URL: pg.url, DATABASE_SCHEMA: schema,
      LOG_LEVEL: 'warn', MATCHES_PER_MINUTE_PER_IP: '100000', CONNECTIONS_PER_IP: '1000000', JOINS_PER_MINUTE_PER_IP: '1000000', CLAIM_LEASE_MS: '3000', DATABASE_POOL_SIZE: '5',
    };
    const start = async (p: Proc) => {
      p.child = spawn(process.execPath, [serve], { env: { ...env, PORT: String(p.port), PUBLIC_ADDRESS: `127.0.0.1:${p.port}` }, stdio: ['ignore', 'ignore', 'inherit'] });
      await waitForHttp(`${p.base}/healthz`, 30_000);
      p.up = true;
    };
    for (let i = 0; i < o.processes; i++) {
      const port = await freePort();
      procs.push({ index: i, port, base: `http://127.0.0.1:${port}`, child: null, up: false });
    }
    await Promise.all(procs.map(start));
    const live = () => procs.filter((p) => p.up);
    const anyLive = () => { const l = live(); return l[Math.floor(Math.random() * l.length)]; };
    const getJson = async (base: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json() as Promise<any>;
    };

    // ---- the matches: one client each, the other roles bots, spread over the processes -----------------
    const NO_TIMERS = { briefing: 0, negotiation: 0, orders: 0, report: 0 };
    for (let i = 0; i < o.matches; i++) {
      const p = procs[i % procs.length];
      const created = await getJson(p.base, '/api/matches', { mode: 'online', seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 }, timers: NO_TIMERS });
      players.push({ code: created.code, matchId: created.matchId, role: 'usGov', token: '', room: null, connected: false, done: false, downSince: null, acked: [], ackedSubmits: [], n: 0, rejoining: false });
      (players[i] as Player & { firstRoom?: string; firstBase?: string }).firstRoom = created.roomId;
      (players[i] as Player & { firstRoom?: string; firstBase?: string }).firstBase = p.base;
    }
    const recoveryMs: number[] = [];
    const attach = (pl: Player, room: Room) => {
      pl.room = room;
      pl.connected = true;
      room.reconnection.enabled = false;
      room.onLeave(() => {
        if (pl.room !== room) return;
        pl.connected = false;
        pl.room = null;
        if (!pl.done) void rejoin(pl);
      });
    };
    const joinRoom = (base: string, roomId: string, options: Record<string, unknown>) => new Promise<{ room: Room; welcome: any }>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('join timed out')), 8000);
      new Client(base).joinById(roomId, options).then((room) => {
        room.onMessage('welcome', (w: any) => { clearTimeout(t); resolve({ room, welcome: w }); });
        room.onMessage('ok', () => undefined);
        room.onMessage('error', () => undefined);
      }, (err) => { clearTimeout(t); reject(err); });
    });
    const rejoin = async (pl: Player) => {
      if (pl.rejoining) return;
      pl.rejoining = true;
      try {
        for (let attempt = 0; !pl.done && attempt < 600; attempt++) {
          const p = anyLive();
          try {
            const info = await getJson(p.base, `/api/matches/${pl.code}`);
            if (!info.roomId) { pl.done = true; return; }
            const { room, welcome } = await joinRoom(p.base, info.roomId, { seatToken: pl.token });
            if (welcome.role !== pl.role) throw new Error(`seat came back as ${welcome.role}`);
            attach(pl, room);
            if (pl.downSince !== null) { recoveryMs.push(Date.now() - pl.downSince); pl.downSince = null; }
            return;
          } catch { await sleep(200); }
        }
      } finally {
        pl.rejoining = false;
      }
    };
    await Promise.all(players.map(async (pl) => {
      const x = pl as Player & { firstRoom: string; firstBase: string };
      const { room, welcome } = await joinRoom(x.firstBase, x.firstRoom, { name: `client ${pl.code}`, role: 'usGov' });
      pl.token = welcome.seatToken;
      attach(pl, room);
    }));
    log(`bench:chaos: ${o.processes} processes, ${o.matches} matches joined; killing one every ${o.killEverySeconds} s for ${o.seconds} s`);

    // ---- each client: a chat every second, a phase action every phaseEvery seconds --------------------
    const ask = async (pl: Player, type: string, payload: unknown): Promise<boolean> => {
      const room = pl.room;
      if (!room || !pl.connected) return false;
      try {
        await Promise.race([room.request(type as never, payload as never), sleep(5000).then(() => { throw new Error('timeout'); })]);
        return true;
      } catch { return false; }
    };
    let ticking = true;
    const clientLoop = async (pl: Player) => {
      await sleep(Math.random() * 1000);
      while (ticking && !pl.done) {
        const room = pl.room;
        if (room && pl.connected) {
          const phase = room.state?.phase as string | undefined;
          if (phase === 'ended') { pl.done = true; break; }
          const text = `${pl.code}-${pl.n++}`;
          if (await ask(pl, 'chat', { to: 'all', text })) pl.acked.push({ kind: 'chat', text });
          if (pl.n % o.phaseEverySeconds === 0 && pl.room === room) {
            if (phase === 'orders') {
              const turn = room.state.turn as number;
              if (await ask(pl, 'submit', { order: { spend: {} } })) pl.ackedSubmits.push({ turn });
            } else if (phase) await ask(pl, 'ready', { ready: true });
          }
        }
        await sleep(1000);
      }
    };
    const loops = players.map(clientLoop);

    // ---- the sampler: rooms per match across every process, every 100 ms ----------------------------
    let maxRoomsPerMatch = 0;
    let samples = 0;
    const lastSeen = new Map<number, string[]>();
    let sampling = true;
    // a round starts every 100 ms whatever the last one took; a process still answering the last round is
    // counted with what it said then (a room it held then still counts)
    const pendingAt = new Set<number>();
    const latest = new Map<number, string[]>();
    const sampler = (async () => {
      while (sampling) {
        const round = live().map(async (p) => {
          if (pendingAt.has(p.index)) return;
          pendingAt.add(p.index);
          try { const h = await getJson(p.base, '/healthz'); lastSeen.set(p.index, h.matches); latest.set(p.index, h.matches); } catch { latest.delete(p.index); } finally { pendingAt.delete(p.index); }
        });
        void Promise.all(round).then(() => {
          const count = new Map<string, number>();
          for (const p of live()) for (const c of latest.get(p.index) ?? []) count.set(c, (count.get(c) ?? 0) + 1);
          for (const n of count.values()) maxRoomsPerMatch = Math.max(maxRoomsPerMatch, n);
          samples++;
        });
        await sleep(100);
      }
    })();

    // ---- the chaos: SIGKILL a random process, start it again -------------------------------------------
    let kills = 0;
    const t0 = Date.now();
    const restarts: Promise<void>[] = [];
    // a kill every killEvery seconds on the clock, of a process that is up; it starts again meanwhile
    for (let k = 1; k * o.killEverySeconds <= o.seconds && kills < (o.maxKills ?? Infinity); k++) {
      await sleep(Math.max(0, t0 + k * o.killEverySeconds * 1000 - Date.now()));
      const up = live();
      if (up.length < 2) continue;
      const victim = up[Math.floor(Math.random() * up.length)];
      const held = new Set(lastSeen.get(victim.index) ?? []);
      victim.up = false;
      latest.delete(victim.index);
      const at = Date.now();
      victim.child!.kill('SIGKILL');
      await new Promise((r) => victim.child!.once('exit', r));
      kills++;
      for (const pl of players) if (held.has(pl.code) && !pl.done) pl.downSince ??= at;
      log(`kill ${kills} at ${Math.round((at - t0) / 1000)} s: process ${victim.index} (held ${held.size} matches)`);
      restarts.push(start(victim));
    }
    await Promise.all(restarts);

    // ---- the end: the matches may play on to their end, every seat back, then the logs -------------------
    const playOn = Date.now();
    while (players.some((p) => !p.done) && Date.now() - playOn < (o.finishSeconds ?? 0) * 1000) await sleep(250);
    const settle = Date.now();
    while (players.some((p) => !p.done && !p.connected) && Date.now() - settle < 30_000) await sleep(200);
    const seats = players.length;
    const seated = players.filter((p) => p.done || p.connected).length;
    ticking = false;
    await Promise.all(loops);
    sampling = false;
    await sampler;
    const fencedAppends = (await Promise.all(live().map((p) => getJson(p.base, '/healthz').then((h) => h.fencedAppends as number).catch(() => 0)))).reduce((a, b) => a + b, 0);
    for (const pl of players) { pl.done = true; await pl.room?.leave().catch(() => undefined); }

    const store = await PostgresMatchStore.open({ connectionString: pg.url, schema });
    const lost: string[] = [];
    const corrupted: string[] = [];
    const incompleteRecords: string[] = [];
    let finished = 0;
    let acknowledged = 0;
    for (const pl of players) {
      const loaded = await store.load(pl.matchId);
      if (!loaded) { corrupted.push(`${pl.code}: missing`); continue; }
      if (loaded.entries.some((e, i) => e.seq !== i + 1)) corrupted.push(`${pl.code}: seqs not consecutive`);
      try { replayMatch(rulesOfMatch(loaded.header), loaded.header, loaded.entries); } catch (err) { corrupted.push(`${pl.code}: ${(err as Error).message}`); }
      const chats = new Set(loaded.entries.flatMap((e) => (e.entry.kind === 'chat' ? [e.entry.text] : [])));
      const submits = new Set(loaded.entries.flatMap((e) => (e.entry.kind === 'submit' ? [e.entry.turn] : [])));
      acknowledged += pl.acked.length + pl.ackedSubmits.length;
      for (const a of pl.acked) if (!chats.has(a.text)) lost.push(`${pl.code}: chat ${a.text}`);
      for (const s of pl.ackedSubmits) if (!submits.has(s.turn)) lost.push(`${pl.code}: submit of turn ${s.turn}`);
      if (loaded.header.status === 'finished') {
        finished++;
        const record = await getJson(anyLive().base, `/api/matches/${pl.code}/record`).catch((err: Error) => ({ error: err.message }));
        // complete: an ending, every role's score, and one quarter in the record for every resolution in the log
        const resolved = loaded.entries.filter((e) => e.entry.kind === 'resolve').length;
        const why = record.error ?? (!record.ending ? 'no ending' : !record.scores ? 'no scores' : record.turns?.length !== resolved ? `${record.turns?.length} of ${resolved} quarters` : null);
        if (why) incompleteRecords.push(`${pl.code}: ${why}`);
      }
    }
    await store.close();
    const pct = latencyPercentiles(recoveryMs);
    const p50 = pct.p50 ?? 0;
    const p99 = pct.p99 ?? 0;
    const ok = maxRoomsPerMatch <= 1 && lost.length === 0 && corrupted.length === 0 && seated === seats && incompleteRecords.length === 0 && kills > 0;
    return { kills, maxRoomsPerMatch, samples, acknowledged, lost, corrupted, seatsBack: seated, seats, finished, incompleteRecords, recoveryMs, p50, p99, fencedAppends, ok };
  } finally {
    clearTimeout(hardStop);
    for (const pl of players) { pl.done = true; pl.room?.leave().catch(() => undefined); }
    for (const p of procs) { p.up = false; p.child?.kill('SIGKILL'); }
    await redis?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
  }
}

export function describeChaos(r: ChaosResult): string {
  return [
    `kills: ${r.kills}; rooms per match at most ${r.maxRoomsPerMatch} (${r.samples} samples of every process)`,
    `acknowledged actions: ${r.acknowledged}, lost: ${r.lost.length}${r.lost.length ? ` (${r.lost.slice(0, 5).join('; ')})` : ''}`,
    `logs refused or corrupted: ${r.corrupted.length}${r.corrupted.length ? ` (${r.corrupted.slice(0, 5).join('; ')})` : ''}; appends refused by fencing: ${r.fencedAppends}`,
    `seats back: ${r.seatsBack}/${r.seats}; finished matches: ${r.finished}, incomplete records: ${r.incompleteRecords.length}${r.incompleteRecords.length ? ` (${r.incompleteRecords.slice(0, 5).join('; ')})` : ''}`,
    `kill to answering again: p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms over ${r.recoveryMs.length} matches`,
    r.ok ? 'PASS' : 'FAIL',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options: ChaosOptions;
  try {
    const { values: v } = readFlags(process.argv.slice(2), {
      processes: { type: 'string' }, matches: { type: 'string' }, seconds: { type: 'string' }, 'kill-every': { type: 'string' }, 'phase-every': { type: 'string' }, finish: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    });
    if (v.help) { console.log(USAGE); process.exit(0); }
    options = {
      processes: v.processes === undefined ? 3 : wholeNumber('--processes', v.processes, 2, 8),
      matches: v.matches === undefined ? 100 : wholeNumber('--matches', v.matches, 1, 1000),
      seconds: v.seconds === undefined ? 120 : wholeNumber('--seconds', v.seconds, 5, 3600),
      killEverySeconds: v['kill-every'] === undefined ? 10 : wholeNumber('--kill-every', v['kill-every'], 2, 600),
      phaseEverySeconds: v['phase-every'] === undefined ? 2 : wholeNumber('--phase-every', v['phase-every'], 1, 60),
      finishSeconds: v.finish === undefined ? 30 : wholeNumber('--finish', v.finish, 0, 600),
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`bench:chaos: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  const result = await runChaos(options);
  console.log(describeChaos(result));
  process.exit(result.ok ? 0 : 1);
}
