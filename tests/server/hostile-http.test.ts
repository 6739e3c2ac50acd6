// HTTP hardening against strangers (issue 12, items 2, 5, 7, 8, 9, 12): security headers, no CORS grant to foreign
// origins, JSON-only bodies, code look-ups rate-limited (misses count double), TRUST_PROXY, well-formed names, bounded details.
import { describe, it, expect } from 'vitest';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { guardSettingsFromEnv } from '../../server/http/guard.ts';
import { api, join, NO_TIMERS } from '../helpers/server.ts';
import { api as clientApi } from '../../client/net/api.ts';
import { requireBinary, startRedis, startGameProcess } from '../helpers/services.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { ChildProcess } from 'node:child_process';

async function boot(guard: Record<string, unknown> = {}): Promise<RunningServer & { base: string }> {
  const running = await startServer({ port: 0, storePath: ':memory:', logger: createLogger({ level: process.env.TEST_LOG ?? 'silent' }), ...(Object.keys(guard).length ? { guard } : {}) } as Parameters<typeof startServer>[0]);
  return Object.assign(running, { base: `http://127.0.0.1:${running.port}` });
}

// Colyseus's matchmaker is one per process and closing a server shuts it down: each test has a server of its own
async function withServer(fn: (s: RunningServer & { base: string }) => Promise<void>, guard: Record<string, unknown> = {}): Promise<void> {
  const s = await boot(guard);
  try { await fn(s); } finally { await s.close(); }
}

describe('hostile HTTP', () => {

  it('every page carries the security headers and no X-Powered-By', async () => { await withServer(async (server) => {
      for (const path of ['/', '/api/matches', '/healthz', '/api/nothing']) {
        const res = await fetch(`${server.base}${path}`);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp, path).toMatch(/default-src 'self'/);
        expect(csp, path).toMatch(/script-src 'self'(;|$)/);
        expect(csp, path).toMatch(/frame-ancestors 'none'/);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
        expect(res.headers.get('x-powered-by'), path).toBeNull();
      }
    });
  });

  it('a foreign Origin gets no CORS grant, on the API and on the matchmaker', async () => { await withServer(async (server) => {
      const origin = 'https://evil.example';
      const res = await fetch(`${server.base}/api/matches`, { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      const pre = await fetch(`${server.base}/api/matches`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const mm = await fetch(`${server.base}/matchmake/joinById/nope`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(mm.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('an origin named in CORS_ORIGINS is granted, without credentials', async () => {
    const s = await boot({ corsOrigins: ['https://school.example'] });
    try {
      const res = await fetch(`${s.base}/api/matches`, { headers: { origin: 'https://school.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://school.example');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      const other = await fetch(`${s.base}/api/matches`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally { await s.close(); }
  });

  it('a POST body that is not JSON is answered 415 and creates nothing', async () => { await withServer(async (server) => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await fetch(`${server.base}/api/matches`, { method: 'POST', headers: { 'content-type': type }, body: '{"mode":"online"}' });
        expect(res.status, type).toBe(415);
        expect((await res.json()).error).toMatch(/JSON/);
      }
      const rooms = await api(server.base, '/api/matches');
      expect(rooms.body).toEqual([]);
      const mm = await fetch(`${server.base}/matchmake/joinById/nope`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"Eve"}' });
      expect(mm.status).toBe(415);
    });
  });

  it('the 61st unknown-code look-up in a minute gets 429 with a Retry-After; known codes cost half', async () => {
    const s = await boot();
    try {
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`${s.base}/api/matches/ZZZZ${String(i).padStart(2, '0')}`);
        expect(res.status, `look-up ${i + 1}`).toBe(404);
      }
      const refused = await fetch(`${s.base}/api/matches/ZZZZZZ`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await refused.json()).error).toMatch(/look-ups/);
      // the record routes share the bucket: enumeration through them is no cheaper
      expect((await fetch(`${s.base}/api/matches/ZZZZZZ/record`)).status).toBe(429);
    } finally { await s.close(); }
    const t = await boot();
    try {
      const created = await api(t.base, '/api/matches', { mode: 'online' });
      for (let i = 0; i < 120; i++) expect((await fetch(`${t.base}/api/matches/${created.body.code}`)).status).toBe(200);
      expect((await fetch(`${t.base}/api/matches/${created.body.code}`)).status).toBe(429);
    } finally { await t.close(); }
  });

  it('TRUST_PROXY is a setting: none by default, so X-Forwarded-For cannot choose the address', async () => {
    expect(guardSettingsFromEnv({})).toEqual({});
    expect(guardSettingsFromEnv({ TRUST_PROXY: 'none' })).toEqual({ trustProxy: false });
    expect(guardSettingsFromEnv({ TRUST_PROXY: '1' })).toEqual({ trustProxy: 1 });
    expect(guardSettingsFromEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toEqual({ trustProxy: 'loopback, 10.0.0.0/8' });
    expect(() => guardSettingsFromEnv({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY .*"everyone"/);
    expect(() => guardSettingsFromEnv({ CORS_ORIGINS: 'evil.example/path' })).toThrow(/CORS_ORIGINS .*not an origin/);
    expect(() => guardSettingsFromEnv({ CODE_LOOKUPS_PER_MINUTE: 'lots' })).toThrow(/CODE_LOOKUPS_PER_MINUTE/);
    // a spoofed X-Forwarded-For does not buy a fresh bucket
    const s = await boot();
    try {
      for (let i = 0; i < 60; i++) await fetch(`${s.base}/api/matches/YYYY${String(i).padStart(2, '0')}`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      expect((await fetch(`${s.base}/api/matches/YYYYYY`, { headers: { 'x-forwarded-for': '198.51.100.7' } })).status).toBe(429);
    } finally { await s.close(); }
    // behind one proxy hop, each forwarded address has its own bucket
    const p = await boot({ trustProxy: 1 });
    try {
      for (let i = 0; i < 60; i++) await fetch(`${p.base}/api/matches/YYYY${String(i).padStart(2, '0')}`, { headers: { 'x-forwarded-for': '203.0.113.1' } });
      expect((await fetch(`${p.base}/api/matches/YYYYYY`, { headers: { 'x-forwarded-for': '203.0.113.1' } })).status).toBe(429);
      expect((await fetch(`${p.base}/api/matches/YYYYYY`, { headers: { 'x-forwarded-for': '203.0.113.2' } })).status).toBe(404);
    } finally { await p.close(); }
  });

  it('a name with a lone surrogate, or with nothing visible, is refused with 400 at the JSON join', async () => { await withServer(async (server) => {
      const created = await api(server.base, '/api/matches', { mode: 'class', timers: NO_TIMERS });
      const roomId = created.body.roomId;
      for (const name of ['Eve\ud800', '\udc00Mallory', 'ㅤㅤ', '\u200b\u200b', 'a\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301', '\u0301\u0302']) {
        const res = await fetch(`${server.base}/matchmake/joinById/${roomId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
        expect(res.status, JSON.stringify(name)).toBe(400);
        expect(JSON.stringify(await res.json()), JSON.stringify(name)).toMatch(/name/);
      }
      const ok = await fetch(`${server.base}/matchmake/joinById/${roomId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Eve 👩🏽‍🚀 Nguyễn' }) });
      expect(ok.status).toBe(200);
    });
  });

  it('the outcome screen\'s export links carry no facilitator key, and open a finished match\'s full record', async () => { await withServer(async (server) => {
    const created = await api(server.base, '/api/matches', { mode: 'class', timers: NO_TIMERS });
    const { code, roomId, facilitatorKey } = created.body;
    const teacher = await join(server.base, roomId, { facilitatorKey });
    expect((await teacher.ask('control', { action: 'end' })).ok).toBe(true);
    await teacher.room.leave();
    for (const what of ['record', 'timeline.csv', 'decisions.csv'] as const) {
      // handed the key as the client used to hand it, the link still leaves it out
      const url = (clientApi.exportUrl as (...args: unknown[]) => string)(code, what, facilitatorKey);
      expect(url).not.toContain(facilitatorKey);
      expect(url).not.toMatch(/key=/);
      expect((await fetch(`${server.base}${url}`)).status, what).toBe(200);
    }
    });
  });

  it('error details are bounded: 30,000 unknown roles answer in a few KB', async () => { await withServer(async (server) => {
      const seats = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`role${i}`, 1]));
      const res = await fetch(`${server.base}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seats }) });
      const text = await res.text();
      expect(res.status).toBe(400);
      expect(text.length).toBeLessThan(30_000);
      const body = JSON.parse(text);
      expect(body.details.length).toBeLessThanOrEqual(51);
      expect(body.details[body.details.length - 1]).toMatch(/and \d+ more/);
    });
  });
});

describe.skipIf(!requireBinary('/usr/bin/redis-server', 'redis-server'))('hostile HTTP across processes (REDIS_URL)', () => {
  it('an address has one code look-up allowance across every process, counted in Redis', async () => {
    const redis = await startRedis();
    const dataDir = mkdtempSync(joinPath(tmpdir(), 'w2028-hostile-redis-'));
    const env = { REDIS_URL: redis.url, INTERNAL_TOKEN: 'test-deployment-secret-0123456789', DATA_DIR: dataDir };
    const procs: ChildProcess[] = [];
    try {
      const a = await startGameProcess(env);
      procs.push(a.proc);
      const b = await startGameProcess(env);
      procs.push(b.proc);
      for (let i = 0; i < 60; i++) {
        const res = await fetch(`${(i % 2 ? a : b).base}/api/matches/XXXX${String(i).padStart(2, '0')}`);
        expect(res.status, `look-up ${i + 1}`).toBe(404);
      }
      for (const p of [a, b]) {
        const refused = await fetch(`${p.base}/api/matches/XXXXXX`);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      for (const p of procs) p.kill('SIGKILL');
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
