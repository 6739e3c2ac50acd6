// Real outside services for tests (Redis now): started on loopback for the run, skipped loudly where missing, required under CI.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const inCI = process.env.CI === 'true';

export function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
}

/** Whether a binary is there; under CI its absence is a failure, elsewhere a loud skip. */
export function requireBinary(path: string, what: string): boolean {
  if (existsSync(path)) return true;
  const message = `${what} is not installed (${path} missing): ${inCI ? 'CI must install it (see .ci/run)' : 'SKIPPING these tests; install it (apt-get install ' + what + ') to run them'}`;
  if (inCI) throw new Error(message);
  console.warn(`\n!!! ${message}\n`);
  return false;
}

export async function waitForHttp(url: string, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    if (Date.now() - t0 > ms) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RedisServer { url: string; port: number; stop(): Promise<void>; /** SIGKILL, then a fresh (empty) redis-server on the same port */ restart(downMs?: number): Promise<void>; kill(): Promise<void>; start(): Promise<void> }

async function redisAnswers(port: number): Promise<boolean> {
  // redis answers PING with +PONG on a raw socket
  return new Promise<boolean>((resolve) => {
    const sock = connect(port, '127.0.0.1', () => sock.write('PING\r\n'));
    sock.on('data', (d: Buffer) => { sock.destroy(); resolve(d.toString().startsWith('+PONG')); });
    sock.on('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'w2028-redis-'));
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const t0 = Date.now();
    while (!(await redisAnswers(port))) {
      if (Date.now() - t0 > 10_000) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`, port, kill, start,
    async restart(downMs = 0) { await kill(); await new Promise((r) => setTimeout(r, downMs)); await start(); },
    async stop() { await kill(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A game server process (npm start's entry point) with the given environment. */
export async function startGameProcess(env: Record<string, string>): Promise<{ proc: ChildProcess; base: string; port: number }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [fileURLToPath(new URL('../../server/cli/serve.ts', import.meta.url))], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}` }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`);
  return { proc, base, port };
}
