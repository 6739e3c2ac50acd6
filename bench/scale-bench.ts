// npm run bench:scale -- [--processes K] [load test options...]
// The load test against K game processes scaled out through Redis (a redis-server started here on 127.0.0.1,
// one shared SQLite store, one INTERNAL_TOKEN, a PUBLIC_ADDRESS each). Matches are created through the first
// process; Colyseus places each room on the least busy process and sends its clients there. Reports what each
// process held (rooms, clients), its CPU and memory, and the load test's latencies.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds, memory } from './measure.ts';
import { wholeNumber } from '../tools/args.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const REDIS = '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((ok) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => ok(p)); }); });
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - t0 > ms) throw new Error(`${what} did not happen within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --processes is this script's; every other flag goes to the load test, which checks them
const argv = process.argv.slice(2);
let processes = 2;
{
  const { values, tokens } = parseArgs({ args: argv, options: { processes: { type: 'string' } }, strict: false, tokens: true });
  if (values.processes !== undefined) {
    try {
      processes = wholeNumber('--processes', String(values.processes), 1, 4);
    } catch (err) {
      console.error(`bench:scale: ${(err as Error).message}`);
      process.exit(2);
    }
    const own = tokens.filter((t) => t.kind === 'option' && t.name === 'processes');
    for (const t of own.reverse()) argv.splice(t.index, t.kind === 'option' && t.inlineValue ? 1 : 2);
  }
}
if (argv.some((a) => a.startsWith('--url') || a.startsWith('--cpu-prof') || a.startsWith('--soak'))) { console.error('bench:scale starts its own servers: --url, --cpu-prof and --soak are the load test\'s own'); process.exit(2); }
if (!existsSync(REDIS)) { console.error(`bench:scale needs redis-server (${REDIS}); install it with apt-get install redis-server`); process.exit(2); }

const dir = mkdtempSync(join(tmpdir(), 'scale-bench-'));
const children: ChildProcess[] = [];
const stopAll = async () => {
  for (const c of children.reverse()) if (c.exitCode === null && c.signalCode === null) { c.kill('SIGTERM'); await new Promise((r) => { const t = setTimeout(() => { c.kill('SIGKILL'); r(null); }, 15_000); c.once('exit', () => { clearTimeout(t); r(null); }); }); }
  rmSync(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  const redisPort = await freePort();
  const redis = spawn(REDIS, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  children.push(redis);
  await until('redis-server answering', () => new Promise((ok) => {
    const s = connect(redisPort, '127.0.0.1', () => s.write('PING\r\n'));
    s.on('data', (d: Buffer) => { s.destroy(); ok(d.toString().startsWith('+PONG')); });
    s.on('error', () => ok(false));
  }));

  const token = randomBytes(24).toString('hex');
  const servers: { port: number; proc: ChildProcess }[] = [];
  for (let k = 0; k < processes; k++) {
    const port = await freePort();
    const proc = spawn(process.execPath, [join(root, 'server/cli/serve.ts')], {
      cwd: root, stdio: 'ignore',
      env: { ...process.env, PORT: String(port), DATA_DIR: join(dir, 'data'), REDIS_URL: `redis://127.0.0.1:${redisPort}`, INTERNAL_TOKEN: token, PUBLIC_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'warn', MATCHES_PER_MINUTE_PER_IP: '100000', CONNECTIONS_PER_IP: '1000000', JOINS_PER_MINUTE_PER_IP: '1000000' },
    });
    children.push(proc);
    servers.push({ port, proc });
  }
  for (const s of servers) await until(`the game process on ${s.port}`, async () => (await fetch(`http://127.0.0.1:${s.port}/healthz`)).ok);
  console.log(`${processes} game process${processes === 1 ? '' : 'es'} on ports ${servers.map((s) => s.port).join(', ')} sharing redis on ${redisPort}`);

  // every 250 ms: each process's CPU, memory, rooms and clients
  const samples = servers.map((s) => ({ peakRooms: 0, peakClients: 0, peakRssMB: 0, peakHeapMB: 0, cpuAtStart: cpuSeconds(s.proc.pid!) ?? 0 }));
  const t0 = performance.now();
  const sampler = setInterval(() => servers.forEach((s, k) => {
    const m = memory(s.proc.pid!);
    if (m) samples[k].peakRssMB = Math.max(samples[k].peakRssMB, m.rss);
    void fetch(`http://127.0.0.1:${s.port}/healthz`).then((r) => r.json()).then((h: { rooms: number; clients: number; memoryMB: { heapUsed: number } }) => {
      samples[k].peakRooms = Math.max(samples[k].peakRooms, h.rooms);
      samples[k].peakClients = Math.max(samples[k].peakClients, h.clients);
      samples[k].peakHeapMB = Math.max(samples[k].peakHeapMB, h.memoryMB.heapUsed);
    }, () => undefined);
  }), 250);

  const load = spawn(process.execPath, [join(root, 'bench/loadtest.ts'), '--url', `http://127.0.0.1:${servers[0].port}`, ...argv], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((r) => load.once('exit', r));
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`\nPer process (${processes} behind one redis, matches created through the first):`);
  servers.forEach((s, k) => {
    const cpu = (cpuSeconds(s.proc.pid!) ?? NaN) - samples[k].cpuAtStart;
    const p = samples[k];
    console.log(`  process ${k + 1} (port ${s.port}): peak ${p.peakRooms} rooms, ${p.peakClients} clients; ${Math.round((cpu / seconds) * 100)}% of a core over the whole run; RSS peak ${Math.round(p.peakRssMB)} MB, heap peak ${p.peakHeapMB} MB`);
  });
  await stopAll();
  process.exit(code ?? 1);
} catch (err) {
  console.error(`bench:scale: ${(err as Error).message}`);
  await stopAll();
  process.exit(1);
}
