// `npm run bench:hostile`: strangers attack one server process (fuzzed messages, floods, undecodable frames, code
// enumeration, oversize and non-JSON bodies, broken names, pathological rule files, foreign origins) while honest
// matches play (the load test's SDK clients); asserts no crash, no change from refused input, every refusal answered,
// and the honest matches' p99 under 250 ms. Flags: --messages N (hostile messages and requests), --per-second N (their pace, all attackers together; 0: as fast as they can), --matches N,
// --min-seconds S (the honest matches play at least this long: a baseline run with few messages), --seed N, --json.
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import type { Room } from '@colyseus/sdk';
import type { FromWorker, RunJob, WorkerStats } from './loadtest-worker.ts';
import { latencyPercentiles } from './measure.ts';
import { clientMessages, type ClientMessageType } from '../shared/protocol/messages.ts';
import { MAX_FRAME, hasObjectKeyedMap, packedBytes, payloadFor } from '../tests/helpers/hostile-messages.ts';
import { mutatedFile } from '../tests/helpers/hostile-rules.ts';

// the SDK takes the `ws` package when it loads (Node's own WebSocket has been seen holding frames back)
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
const { Client } = await import('@colyseus/sdk');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = Object.keys(clientMessages) as ClientMessageType[];
/** the server's soft and hard message limits here: watchers pace well under both, so each message reaches validation */
const SOFT_PER_SECOND = 40;
const HARD_PER_SECOND = 100;
const P99_LIMIT_MS = 250;
/** the attackers' default pace, all together: as fast as they can (the hardest case) */
const DEFAULT_PER_SECOND = 0;

export interface HostileOptions {
  messages: number;
  matches: number;
  seed?: number;
  /** the honest matches play at least this long after the attack starts (a baseline run: few messages, same time) */
  minSeconds?: number;
  /** hostile messages and requests a second, all attackers together (0: as fast as they can) */
  perSecond?: number;
  /** attacks (by kind) left out */
  skip?: RegExp;
  log?: (line: string) => void;
}

export interface HostileReport {
  ok: boolean;
  failures: string[];
  seconds: number;
  hostile: { total: number; perSecond: number; byKind: Record<string, number>; unanswered: number; statuses: Record<string, number>; floodsClosed: number; floodsOpen: number; accepted: number };
  honest: { matches: number; clients: number; quartersResolved: number; latencyMs: ReturnType<typeof latencyPercentiles>; errors: Record<string, number>; generatorLoopDelayMs: { p50: number; p99: number; max: number } | null };
  server: { healthzMs: ReturnType<typeof latencyPercentiles>; crashed: boolean; exitCode: number | null; errorLines: number; warnLines: number; errorSamples: string[]; targetEntriesBefore: number; targetEntriesAfter: number };
}

interface ServerChild { proc: ChildProcess; port: number; dataDir: string; exited: Promise<number | null>; lines: { error: number; warn: number; samples: string[] } }

async function startServer(): Promise<ServerChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'w2028-hostile-'));
  // HOSTILE_CPU_PROF=dir: the server writes a CPU profile there (what the attack costs it)
  const prof = process.env.HOSTILE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HOSTILE_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...prof, join(ROOT, 'server/cli/serve.ts')], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      // the attackers' HTTP requests come through a "proxy" (X-Forwarded-For) from a few addresses each
      TRUST_PROXY: 'loopback',
      // every WebSocket here comes from 127.0.0.1, honest and hostile alike: the per-address caps have their own tests
      CONNECTIONS_PER_IP: '100000', JOINS_PER_MINUTE_PER_IP: '1000000', MATCHES_PER_MINUTE_PER_IP: '100000',
      MESSAGES_PER_SECOND: String(SOFT_PER_SECOND), MESSAGE_BURST: String(SOFT_PER_SECOND), HARD_MESSAGES_PER_SECOND: String(HARD_PER_SECOND),
    },
  });
  const lines = { error: 0, warn: 0, samples: [] as string[] };
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the server did not start within 30 s')), 30_000);
    void exited.then((code) => { clearTimeout(t); reject(new Error(`the server exited (code ${code}) before listening`)); });
    let buffer = '';
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /running: http:\/\/localhost:(\d+)\//.exec(line);
        if (m) { clearTimeout(t); resolve(Number(m[1])); continue; }
        if (!line.startsWith('{')) continue;
        try {
          const e = JSON.parse(line) as { level?: number; msg?: string; err?: string };
          if ((e.level ?? 0) >= 50) { lines.error++; if (lines.samples.length < 5) lines.samples.push(`${e.msg}${e.err ? `: ${e.err}` : ''}`.slice(0, 200)); }
          else if ((e.level ?? 0) >= 40) lines.warn++;
        } catch { /* not a log line */ }
      }
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => { for (const l of chunk.split('\n').filter(Boolean)) if (lines.samples.length < 5) lines.samples.push(`stderr: ${l.slice(0, 200)}`); });
  });
  return { proc, port, dataDir, exited, lines };
}

/** The honest side: the load test's worker, playing `matches` two-client matches (a match that ends is replaced) until stopped. */
function startHonest(url: string, matches: number): { connected: Promise<void>; go(): void; stop(): Promise<WorkerStats | null> } {
  const proc = fork(join(ROOT, 'bench/loadtest-worker.ts'), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let stats: WorkerStats | null = null;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const connected = new Promise<void>((resolve, reject) => {
    proc.on('message', (m: FromWorker) => { if (m.type === 'connected') resolve(); if (m.type === 'result') stats = m.stats; });
    void exited.then(() => reject(new Error('the honest clients\' process exited before it connected')));
  });
  const job: RunJob = {
    type: 'run', worker: 0, url, matches, clientsPerMatch: 2, turns: 10, thinkMs: 300, startSpreadMs: 1000, rampBatch: 10, createConcurrency: 4,
    rulesPath: join(ROOT, 'assets/rules/default.yaml'), stockDecoder: false, soakMs: 30 * 60_000, dropRate: 0, classMatches: false, lockstep: false, chat: false,
  };
  proc.send(job);
  return {
    connected,
    go: () => proc.send({ type: 'go' }),
    async stop() {
      if (proc.connected) proc.send({ type: 'stop' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      return stats;
    },
  };
}

const letters = 'ABCDEFGHJKMNPQRSTUVWXYZ';
const randomCode = (rng: () => number) => Array.from({ length: 6 }, () => letters[Math.floor(rng() * letters.length)]).join('');
/** A seeded generator (mulberry32): the same --seed attacks the same way. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** Log entries the store holds for these matches (read beside the server: SQLite's WAL lets a reader in). */
function entriesOf(dataDir: string, matchIds: string[]): number {
  const db = new DatabaseSync(join(dataDir, 'matches.sqlite'), { readOnly: true });
  try {
    return matchIds.reduce((n, id) => n + Number((db.prepare('SELECT COUNT(*) AS n FROM entries WHERE match_id = ?').get(id) as { n: number }).n), 0);
  } finally { db.close(); }
}

/** Joins as a watcher, or throws after 20 s (a join that never ends would hold the whole run). */
/** Leaves a room, waiting 2 s at most: a room the server is closing (or busy) may never answer the leave. */
const leave = (room: Room) => Promise.race([room.leave().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);

async function watch(url: string, roomId: string): Promise<Room> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new Error('a watcher\'s join took over 20 s')), 20_000); });
  try { return await Promise.race([new Client(url).joinById(roomId, { spectator: true }), late]); } finally { clearTimeout(timer); }
}

export async function runHostileBench(o: HostileOptions): Promise<HostileReport> {
  const log = o.log ?? (() => undefined);
  const rng = seeded(o.seed ?? 2028);
  const failures: string[] = [];
  const byKind: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const count = (kind: string, n = 1) => { byKind[kind] = (byKind[kind] ?? 0) + n; };
  let unanswered = 0, accepted = 0, floodsClosed = 0, floodsOpen = 0, total = 0;
  let t0 = performance.now();

  log('starting the game server ...');
  const server = await startServer();
  const url = `http://127.0.0.1:${server.port}`;
  let honest: ReturnType<typeof startHonest> | null = null;
  let report: HostileReport | null = null;
  try {
    // the attackers' own matches: class lobbies nobody plays, so any change to their logs came from a stranger
    const targets: { matchId: string; roomId: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'class', seats: { usGov: 2, usLab: 1, cnGov: 2, cnLab: 1 }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 } }) });
      const body = await res.json() as { matchId: string; roomId: string };
      targets.push({ matchId: body.matchId, roomId: body.roomId });
    }
    log(`creating ${o.matches} honest matches and joining their clients ...`);
    honest = startHonest(url, o.matches);
    await honest.connected;
    honest.go();
    await new Promise((r) => setTimeout(r, 300));
    const entriesBefore = entriesOf(server.dataDir, targets.map((t) => t.matchId));
    log(`attacking with ${o.messages} hostile messages and requests ...`);
    t0 = performance.now();
    // the attackers' pace: each message, burst and request takes its slot on one clock (none when flat out)
    const gapMs = o.perSecond ? 1000 / o.perSecond : 0;
    let nextSlot = t0;
    const pace = async (n = 1): Promise<void> => {
      if (!gapMs) return;
      const now = performance.now();
      const at = Math.max(nextSlot, now);
      nextSlot = at + gapMs * n;
      if (at - now > 1) await new Promise((r) => setTimeout(r, at - now));
    };

    // ---- WebSocket attackers: watchers fuzzing every message type, undecodable frames, unknown types -------------
    const wsShare = Math.round(o.messages * 0.7);
    const floodShare = Math.round(o.messages * 0.05);
    const httpShare = o.messages - wsShare - floodShare;
    // each watcher sends under the soft limit for about ten seconds' worth of its share
    // 20 a second: a fifth of the hard limit, so a server slowed down by the attack (which then reads a few seconds'
    // frames at once) does not take a watcher for a flood
    const perTick = 2;
    const watchers = Math.max(2, Math.min(200, Math.ceil(wsShare / (perTick * 10 * 10))));
    // payloads drawn once (fast-check's generation would otherwise compete with the server for the machine)
    const payloads = TYPES.map((type) => ({ type, pool: fc.sample(payloadFor(type), { numRuns: 150, seed: Math.floor(rng() * 2 ** 31) }).filter((p) => packedBytes(p) < MAX_FRAME) }));
    const rulePool = fc.sample(mutatedFile, { numRuns: 60, seed: Math.floor(rng() * 2 ** 31) }).map((f) => f.text);
    const undecodable = new Uint8Array([13, 0xa5, ...new TextEncoder().encode('ready'), 0xc1]);
    let wsLeft = wsShare;
    const fuzzOne = async (index: number) => {
      const target = targets[index % targets.length];
      // joins spread over a few seconds: 200 at once outlast Colyseus's seat reservation on a busy machine
      await new Promise((r) => setTimeout(r, (index % 100) * 40));
      const room = await watch(url, target.roomId);
      let sent = 0, answered = 0;
      room.onMessage('error', () => { answered++; });
      room.onMessage('ok', () => { answered++; accepted++; });
      room.onMessage('welcome', () => undefined);
      let closed = false;
      room.onLeave(() => { closed = true; });
      while (wsLeft > 0 && !closed) {
        for (let i = 0; i < perTick && wsLeft > 0; i++) {
          await pace();
          if (closed) break;
          const pick = rng();
          if (pick < 0.1) { room.connection.send(undecodable); count('ws: undecodable frame'); }
          else if (pick < 0.2) { room.send(`x${Math.floor(rng() * 1e6)}`, null); count('ws: unknown type'); }
          else {
            const { type, pool } = payloads[Math.floor(rng() * payloads.length)];
            const payload = pool[Math.floor(rng() * pool.length)];
            try { room.send(type, payload); } catch { continue; }
            count(hasObjectKeyedMap(payload) ? 'ws: object-keyed map' : `ws: fuzzed ${type}`);
          }
          sent++;
          wsLeft--;
          total++;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // every message gets its answer (a few seconds at most, under load)
      for (let i = 0; i < 100 && answered < sent && !closed; i++) await new Promise((r) => setTimeout(r, 100));
      if (closed) failures.push(`a fuzzing watcher's connection was closed after ${sent} messages`);
      unanswered += Math.max(0, sent - answered);
      await leave(room);
    };

    // ---- floods: bursts far above the hard limit; each burst is answered by a close with 4002 ---------------------
    let floodLeft = floodShare;
    const floodOne = async () => {
      for (let tries = 0; floodLeft > 0 && tries < 200; tries++) {
        let room: Room;
        try { room = await watch(url, targets[tries % targets.length].roomId); } catch (err) { failures.push(`a flooder could not join: ${(err as Error).message}`); continue; }
        const burst = Math.min(floodLeft, HARD_PER_SECOND * 3);
        const closed = new Promise<number>((r) => room.onLeave((code: number) => r(code)));
        for (const type of ['welcome', 'ok', 'error']) room.onMessage(type, () => undefined);
        await pace(burst);
        for (let i = 0; i < burst; i++) room.send('chat', { to: 'all', text: 'flood' });
        floodLeft -= burst;
        total += burst;
        count('ws: flood', burst);
        const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
        if (code === 4002) floodsClosed++;
        else if (burst > HARD_PER_SECOND) { floodsOpen++; failures.push(`a flood of ${burst} messages was not closed with 4002 (got ${code})`); await leave(room); }
      }
    };

    // ---- HTTP attackers ------------------------------------------------------------------------------------------
    const pathological = 'k0: [\n'.repeat(Math.floor(250_000 / 7));
    const oversize = JSON.stringify({ mode: 'online', rules: { upload: 'x'.repeat(600_000) } });
    const names = ['Eve\ud800', '\udc00Mallory', 'ㅤㅤ', '\u200b\u200b', `Z${'\u0301'.repeat(12)}`, `Z${'\u0301\u200d'.repeat(6)}`];
    type Attack = { kind: string; weight: number; request: () => { path: string; init: RequestInit; expect: number[]; noGrant?: boolean } };
    const from = (n: number) => `10.66.${n % 250}.${Math.floor(n / 250) % 250}`;
    const attacks: Attack[] = [
      { kind: 'http: code enumeration', weight: 40, request: () => ({ path: `/api/matches/${randomCode(rng)}`, init: { headers: { 'x-forwarded-for': from(Math.floor(rng() * 8)) } }, expect: [404, 429] }) },
      { kind: 'http: record of a guessed code', weight: 8, request: () => ({ path: `/api/matches/${randomCode(rng)}/record`, init: { headers: { 'x-forwarded-for': from(Math.floor(rng() * 8)) } }, expect: [404, 429] }) },
      { kind: 'http: non-JSON body', weight: 10, request: () => ({ path: '/api/matches', init: { method: 'POST', headers: { 'content-type': 'text/plain', 'x-forwarded-for': from(20) }, body: '{"mode":"online"}' }, expect: [415] }) },
      { kind: 'http: broken JSON', weight: 6, request: () => ({ path: '/api/matches', init: { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from(21) }, body: '{"mode": "online", "seats": {' }, expect: [400] }) },
      { kind: 'http: foreign origin', weight: 10, request: () => ({ path: rng() < 0.5 ? '/api/matches' : '/matchmake/joinById/x', init: { method: rng() < 0.5 ? 'GET' : 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }, expect: [200, 204, 404, 405], noGrant: true }) },
      { kind: 'http: broken or invisible name', weight: 12, request: () => ({ path: `/matchmake/joinById/${targets[Math.floor(rng() * targets.length)].roomId}`, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: names[Math.floor(rng() * names.length)] }) }, expect: [400] }) },
      { kind: 'http: join options not JSON', weight: 4, request: () => ({ path: `/matchmake/joinById/${targets[0].roomId}`, init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"spectator":true}' }, expect: [415] }) },
      { kind: 'http: mutated rule file', weight: 6, request: () => ({ path: '/api/rules/check', init: { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from(30 + Math.floor(rng() * 4)) }, body: JSON.stringify({ text: rulePool[Math.floor(rng() * rulePool.length)] }) }, expect: [200, 413, 429] }) },
      { kind: 'http: pathological rule file', weight: 1, request: () => ({ path: '/api/rules/check', init: { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from(40) }, body: JSON.stringify({ text: pathological }) }, expect: [200, 429, 503] }) },
      { kind: 'http: oversize body', weight: 1, request: () => ({ path: '/api/matches', init: { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from(41) }, body: oversize }, expect: [413] }) },
    ];
    // --skip: leave out the attacks whose kind matches (to see which one costs the honest matches most)
    if (o.skip) for (const a of attacks) if (o.skip.test(a.kind)) a.weight = 0;
    const weightSum = attacks.reduce((n, a) => n + a.weight, 0);
    let httpLeft = httpShare;
    const httpOne = async () => {
      while (httpLeft > 0) {
        httpLeft--;
        await pace();
        total++;
        let pick = rng() * weightSum;
        const attack = attacks.find((a) => (pick -= a.weight) < 0) ?? attacks[0];
        const { path, init, expect, noGrant } = attack.request();
        count(attack.kind);
        try {
          const res = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
          const text = await res.text();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (!expect.includes(res.status)) failures.push(`${attack.kind}: ${init.method ?? 'GET'} ${path.slice(0, 40)} answered ${res.status} ${text.slice(0, 120)}`);
          if (res.status === 429 && !res.headers.get('retry-after')) failures.push(`${attack.kind}: a 429 without Retry-After`);
          if (noGrant && res.headers.get('access-control-allow-origin')) failures.push(`${attack.kind}: a foreign origin got a CORS grant`);
          if (res.status >= 400 && res.status !== 404 && init.method !== 'OPTIONS' && !/"error"|"code"/.test(text)) failures.push(`${attack.kind}: a ${res.status} without a reason: ${text.slice(0, 80)}`);
        } catch (err) {
          unanswered++;
          if (failures.length < 50) failures.push(`${attack.kind}: no answer (${(err as Error).message})`);
        }
      }
    };

    // how quickly the server's event loop answers while attacked (the issue's bar: /healthz within 100 ms)
    const healthMs: number[] = [];
    const probe = setInterval(() => {
      const t = performance.now();
      fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(async (r) => { await r.text(); healthMs.push(performance.now() - t); }, () => { healthMs.push(10_000); });
    }, 250);
    const progress = setInterval(() => log(`  ${total} sent: ${wsShare - Math.max(0, wsLeft)} of ${wsShare} over ${watchers} watchers, ${floodShare - Math.max(0, floodLeft)} of ${floodShare} in floods, ${httpShare - Math.max(0, httpLeft)} of ${httpShare} requests`), 5000);
    await Promise.all([
      ...Array.from({ length: watchers }, (_, i) => fuzzOne(i).catch((err: Error) => { failures.push(`a fuzzing watcher failed: ${err.message}`); })),
      floodOne().catch((err: Error) => { failures.push(`the flooder failed: ${err.message}`); }),
      ...Array.from({ length: 16 }, () => httpOne()),
    ]);
    clearInterval(progress);
    clearInterval(probe);
    const attackStart = t0;
    const playFor = (o.minSeconds ?? 0) * 1000 - (performance.now() - attackStart);
    if (playFor > 0) { log(`attack over; the honest matches play ${Math.round(playFor / 1000)} s more ...`); await new Promise((r) => setTimeout(r, playFor)); }
    log('attack over; stopping the honest matches ...');
    const stats = await honest.stop();
    honest = null;
    const healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
    if (!healthy) failures.push('/healthz did not answer after the attack');
    const entriesAfter = entriesOf(server.dataDir, targets.map((t) => t.matchId));
    server.proc.kill('SIGTERM');
    const exitCode = await Promise.race([server.exited, new Promise<number | null>((r) => setTimeout(() => r(-1), 20_000))]);
    const crashed = exitCode !== 0;
    const latency = latencyPercentiles([...(stats?.resolutionMs ?? []), ...(stats?.phaseMs ?? [])]);

    const verdicts: string[] = [];
    const individual = failures.length;
    if (crashed) failures.push(`the server did not stop cleanly on SIGTERM (exit ${exitCode})`);
    if (server.lines.error) failures.push(`the server logged ${server.lines.error} errors: ${server.lines.samples.join(' | ')}`);
    if (entriesAfter !== entriesBefore) failures.push(`refused input changed the attacked matches: ${entriesBefore} log entries before, ${entriesAfter} after`);
    if (accepted) failures.push(`${accepted} hostile watcher messages were accepted`);
    if (unanswered) failures.push(`${unanswered} hostile messages or requests got no answer`);
    if (!stats) failures.push('the honest clients reported nothing');
    else {
      if (!latency.n) failures.push('the honest matches made no progress');
      else if ((latency.p99 ?? Infinity) > P99_LIMIT_MS) failures.push(`the honest matches' p99 was ${latency.p99} ms (limit ${P99_LIMIT_MS} ms)`);
      const errors = Object.entries(stats.errors).filter(([k]) => !/retried/.test(k));
      if (errors.length) failures.push(`the honest clients saw errors: ${errors.map(([k, n]) => `${k} x${n}`).join('; ').slice(0, 300)}`);
    }
    verdicts.push(...failures.splice(individual));
    if (failures.length > 40) verdicts.push(`${failures.length} individual failures (the first 40 below)`);
    const seconds = (performance.now() - t0) / 1000;
    report = {
      // the verdicts first, then at most 40 of the individual ones
      ok: failures.length === 0 && verdicts.length === 0, failures: [...verdicts, ...failures.slice(0, 40)], seconds: Math.round(seconds * 10) / 10,
      hostile: { total, perSecond: Math.round(total / seconds), byKind, unanswered, statuses, floodsClosed, floodsOpen, accepted },
      honest: { matches: o.matches, clients: o.matches * 2, quartersResolved: stats?.quartersResolved ?? 0, latencyMs: latency, errors: stats?.errors ?? {}, generatorLoopDelayMs: stats?.loopDelay ?? null },
      server: { healthzMs: latencyPercentiles(healthMs), crashed, exitCode, errorLines: server.lines.error, warnLines: server.lines.warn, errorSamples: server.lines.samples, targetEntriesBefore: entriesBefore, targetEntriesAfter: entriesAfter },
    };
    return report;
  } finally {
    await honest?.stop();
    if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

function print(r: HostileReport): void {
  const n = (x: number) => x.toLocaleString('en-US');
  console.log(`\nhostile load: ${n(r.hostile.total)} hostile messages and requests in ${r.seconds} s (${n(r.hostile.perSecond)}/s), ${r.honest.matches} honest matches playing`);
  for (const [kind, c] of Object.entries(r.hostile.byKind).sort((a, b) => b[1] - a[1])) console.log(`  ${kind.padEnd(34)} ${n(c).padStart(8)}`);
  console.log(`  HTTP answers by status: ${Object.entries(r.hostile.statuses).map(([s, c]) => `${s} x${n(c)}`).join(', ')}`);
  console.log(`  floods closed with 4002: ${r.hostile.floodsClosed} (left open: ${r.hostile.floodsOpen}); unanswered: ${r.hostile.unanswered}; hostile messages accepted: ${r.hostile.accepted}`);
  const l = r.honest.latencyMs;
  console.log(`honest: ${r.honest.clients} clients, ${n(r.honest.quartersResolved)} quarters resolved; change to every client p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms (n ${n(l.n)})`);
  const g = r.honest.generatorLoopDelayMs;
  if (g) console.log(`  (the honest clients' own event loop ran late by p50 ${g.p50.toFixed(1)} ms, p99 ${g.p99.toFixed(1)} ms, max ${g.max.toFixed(1)} ms: a busy machine shows here too)`);
  const h = r.server.healthzMs;
  console.log(`server: /healthz while attacked p50 ${h.p50} ms, p99 ${h.p99} ms, max ${h.max} ms (n ${h.n}); exit ${r.server.exitCode}, ${r.server.errorLines} error lines, ${r.server.warnLines} warn lines; attacked matches' log entries ${r.server.targetEntriesBefore} before, ${r.server.targetEntriesAfter} after`);
  console.log(r.ok ? 'PASS' : `FAIL\n  ${r.failures.join('\n  ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, 'per-second': { type: 'string', default: String(DEFAULT_PER_SECOND) }, matches: { type: 'string', default: '50' }, seed: { type: 'string', default: '2028' }, 'min-seconds': { type: 'string', default: '0' }, skip: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const messages = Number(values.messages), matches = Number(values.matches);
  if (!Number.isInteger(messages) || messages < 100 || !Number.isInteger(matches) || matches < 1) {
    console.error('usage: npm run bench:hostile -- [--messages N (at least 100)] [--matches N] [--per-second N (default: as fast as the attackers can)] [--min-seconds S] [--skip REGEX] [--seed N] [--json]');
    process.exit(2);
  }
  const perSecond = Number(values['per-second']);
  if (!Number.isFinite(perSecond) || perSecond < 0) { console.error('--per-second: a number of hostile messages and requests a second (0: as fast as the attackers can)'); process.exit(2); }
  const report = await runHostileBench({ messages, matches, perSecond, seed: Number(values.seed), minSeconds: Number(values['min-seconds']), skip: values.skip ? new RegExp(values.skip) : undefined, log: values.json ? undefined : (l) => console.log(l) });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else print(report);
  process.exit(report.ok ? 0 : 1);
}
