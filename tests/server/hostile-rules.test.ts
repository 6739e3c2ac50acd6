// Rule files that cannot freeze the server: a pathological upload is checked off the main thread within a time
// budget, the server keeps answering meanwhile, and the sender gets a clear answer (issue 12, item 1).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootServer, api } from '../helpers/server.ts';
import type { RunningServer } from '../../server/main.ts';

/** `k0: [` on every line: each bracket opens a list that is never closed, nested one deeper a line */
function unclosedBrackets(bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `k${i}: [\n`;
  return text.slice(0, bytes);
}

/** Polls /healthz while `work` runs; returns the slowest answer in ms. */
async function slowestHealthz(base: string, work: Promise<unknown>): Promise<{ slowest: number; polls: number }> {
  let done = false;
  void work.finally(() => { done = true; });
  let slowest = 0, polls = 0;
  while (!done) {
    const t = performance.now();
    const res = await fetch(`${base}/healthz`);
    await res.json();
    slowest = Math.max(slowest, performance.now() - t);
    polls++;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { slowest, polls };
}

describe('hostile rule files', () => {
  let server: RunningServer & { base: string };
  beforeAll(async () => { server = await bootServer(); });
  afterAll(async () => { await server?.close(); });

  it('a 256 KB file of unclosed brackets leaves /healthz answering within 100 ms and gets a clear answer', async () => {
    const text = unclosedBrackets(256 * 1024);
    const started = performance.now();
    const check = api(server.base, '/api/rules/check', { text });
    const { slowest, polls } = await slowestHealthz(server.base, check);
    const answer = await check;
    const took = performance.now() - started;
    expect(polls).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(100);
    expect(took).toBeLessThan(15_000);
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(false);
    expect(answer.body.problems.length).toBeGreaterThan(0);
    expect(answer.body.problems.length).toBeLessThanOrEqual(10);
    expect(answer.body.problems.join('\n')).toMatch(/never closed|nested|too long to check/);
  }, 60_000);

  it('the same file as a match upload is refused with a clear answer, and the server stays responsive', async () => {
    const text = unclosedBrackets(200 * 1024);
    const create = api(server.base, '/api/matches', { rules: { upload: text } });
    const { slowest } = await slowestHealthz(server.base, create);
    const answer = await create;
    expect(slowest).toBeLessThan(100);
    expect(answer.status).toBe(400);
    expect(answer.body.details.join('\n')).toMatch(/never closed|nested|too long to check/);
  }, 60_000);

  it('100,000-deep nesting is reported as too deep, not as a stack overflow', async () => {
    for (const text of ['a: ' + '['.repeat(100_000), 'a: ' + '{a: '.repeat(50_000), '- '.repeat(100_000) + 'x']) {
      const answer = await api(server.base, '/api/rules/check', { text });
      expect(answer.status).toBe(200);
      const all = answer.body.problems.join('\n');
      expect(all).not.toMatch(/call stack/i);
      expect(all).toMatch(/nest|deep|too long to check/);
    }
  }, 60_000);

  it('thousands of aliases without anchors, or of merge keys, are answered quickly and boundedly', async () => {
    const aliases = Array.from({ length: 20_000 }, (_, i) => `k${i}: *a${i}`).join('\n');
    const merges = 'base: &b {x: 1}\n' + Array.from({ length: 5000 }, (_, i) => `k${i}:\n  <<: [*b, *b, *b]\n  y: 1`).join('\n');
    const tabs = Array.from({ length: 20_000 }, (_, i) => `k${i}:\n\tx: 1`).join('\n');
    for (const text of [aliases, merges, tabs]) {
      const t = performance.now();
      const check = api(server.base, '/api/rules/check', { text: text.slice(0, 256 * 1024) });
      const { slowest } = await slowestHealthz(server.base, check);
      const answer = await check;
      expect(slowest).toBeLessThan(100);
      expect(performance.now() - t).toBeLessThan(10_000);
      expect(answer.status).toBe(200);
      expect(answer.body.ok).toBe(false);
      expect(answer.body.problems.length).toBeLessThanOrEqual(10);
      expect(JSON.stringify(answer.body).length).toBeLessThan(20_000);
    }
  }, 90_000);

  it('POST /api/rules/check is rate-limited per address with a Retry-After', async () => {
    const s = await bootServer();
    try {
      let refused: Response | null = null;
      for (let i = 0; i < 200 && !refused; i++) {
        const res = await fetch(`${s.base}/api/rules/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'name: x' }) });
        if (res.status === 429) refused = res;
        else expect(res.status).toBe(200);
      }
      expect(refused).not.toBeNull();
      expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await refused!.json()).error).toMatch(/rule checks/);
    } finally { await s.close(); }
  }, 60_000);

  it('SIGTERM stops `npm start` at once while a slow file is being checked', async () => {
    const dataDir = mkdtempSync(joinPath(tmpdir(), 'w2028-hostile-'));
    const port = await new Promise<number>((resolve) => { const t = createServer(); t.listen(0, '127.0.0.1', () => { const p = (t.address() as { port: number }).port; t.close(() => resolve(p)); }); });
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../server/cli/serve.ts', import.meta.url))], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (const t0 = Date.now(); ;) {
        try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
        if (Date.now() - t0 > 15_000) throw new Error('the server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
      // tab indentation: the YAML parser itself slows down on it, so the check is still running when the signal comes
      const tabs = Array.from({ length: 30_000 }, (_, i) => `k${i}:\n\tx: 1`).join('\n').slice(0, 256 * 1024);
      void fetch(`${base}/api/rules/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: tabs }) }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1500));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const signalled = performance.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(performance.now() - signalled).toBeLessThan(2000);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('problem lists in answers', () => {
  it('a file with thousands of problems answers at most 50 lines, each still file:line:col, the last saying how many more', async () => {
    const server = await bootServer();
    try {
      const text = 'name: x\n' + Array.from({ length: 3000 }, (_, i) => `unknown${i}: 1`).join('\n');
      const res = await fetch(`${server.base}/api/rules/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
      const raw = await res.text();
      const body = JSON.parse(raw);
      expect(body.ok).toBe(false);
      expect(body.problems.length).toBe(50);
      for (const line of body.problems) expect(line).toMatch(/^upload\.yaml:\d+:\d+ {2}\S+ {2}/);
      expect(body.problems[49]).toMatch(/and \d+ more problems after this one/);
      expect(raw.length).toBeLessThan(30_000);
      const upload = await api(server.base, '/api/matches', { rules: { upload: text } });
      expect(upload.status).toBe(400);
      expect(upload.body.details.length).toBe(50);
      expect(upload.body.details[49]).toMatch(/^upload\.yaml:\d+:\d+ .*more problems after this one/);
    } finally { await server.close(); }
  }, 60_000);
});
