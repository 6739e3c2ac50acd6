// One process alone (no REDIS_URL): the in-process claim still gives concurrent asks one room; expiry; the cluster settings.
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { api, join, sleep } from '../helpers/server.ts';
import { makeHeader } from '../helpers/store-contract.ts';
import { clusterSettingsFromEnv, checkInternalToken } from '../../server/cluster/settings.ts';
import { expiryReason } from '../../server/cluster/expiry.ts';
import { DEFAULT_CLUSTER_SETTINGS } from '../../server/cluster/settings.ts';
import type { MatchHeader } from '../../server/store/types.ts';

const RULES = readFileSync(new URL('../../assets/rules/default.yaml', import.meta.url), 'utf8');
const ONLINE: MatchHeader['settings'] = {
  mode: 'online', visibility: 'public', rulesName: 'default.yaml', seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 },
  bots: { usGov: 'status-quo', usLab: 'status-quo', cnGov: 'status-quo', cnLab: 'status-quo' }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 }, botTakeoverSeconds: 90,
};
const header = (over: Partial<MatchHeader> = {}) => makeHeader({ rulesText: RULES, settings: ONLINE, facilitatorKeyHash: null, ...over });

const servers: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
async function boot(storePath: string, cluster: NonNullable<Parameters<typeof startServer>[0]>['cluster'] = {}) {
  const s = await startServer({ port: 0, storePath, logger: createLogger({ level: process.env.TEST_LOG ?? 'silent' }), cluster, redisUrl: '' });
  servers.push(s);
  return { ...s, base: `http://127.0.0.1:${s.port}` };
}

describe('one process alone', () => {
  it('gives 20 concurrent asks by code for a match no room holds one room', async () => {
    const s = await boot(':memory:');
    const h = header();
    await s.store.createMatch(h);
    const asks = await Promise.all(Array.from({ length: 20 }, () => api(s.base, `/api/matches/${h.code}`)));
    expect(new Set(asks.map((a) => a.body.roomId)).size).toBe(1);
    const health = (await api(s.base, '/healthz')).body;
    expect(health).toMatchObject({ rooms: 1, matches: [h.code], redis: 'none', store: 'ok', publicAddress: null });
    expect((await api(s.base, '/readyz')).status).toBe(200);
  });

  it('restores only what really opens, lists what does not, and expires lobbies nobody joined (keeping their records)', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'w2028-expiry-'));
    dirs.push(dir);
    const path = joinPath(dir, 'm.sqlite');
    const first = await boot(path);
    const old = header({ createdAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
    const fresh = header();
    const broken = header({ rulesText: 'name: [unclosed' });
    for (const h of [old, fresh, broken]) await first.store.createMatch(h);
    await first.close();
    servers.pop();

    const second = await boot(path);
    const health = (await api(second.base, '/healthz')).body;
    expect(health.matches).toEqual([fresh.code]);
    expect(health.unrestored.map((u: { code: string }) => u.code)).toEqual([broken.code]);
    const record = await api(second.base, `/api/matches/${old.code}/record`);
    expect(record.status).toBe(200);
    expect(record.body.status).toBe('finished');
    expect(record.body.endReason).toMatch(/expired: nobody joined within 24 h/);
    expect((await api(second.base, '/api/matches')).body.map((m: { code: string }) => m.code)).toEqual([fresh.code]);
  });

  it('closes an idle unfinished match held by a room, through the room', async () => {
    const s = await boot(':memory:', { idleExpiryDays: 1.5 / 86_400, expiryCheckMinutes: 0.01 });
    const created = await api(s.base, '/api/matches', { mode: 'online' });
    const p = await join(s.base, created.body.roomId, { name: 'Ana', role: 'usGov' });
    let closed = false;
    p.room.onLeave(() => { closed = true; });
    const t0 = Date.now();
    while (!closed && Date.now() - t0 < 6000) await sleep(100);
    expect(closed).toBe(true);
    const record = (await api(s.base, `/api/matches/${created.body.code}/record`)).body;
    expect(record.status).toBe('finished');
    expect(record.endReason).toMatch(/nothing happened for/);
    // the room is gone once it has disposed
    for (let i = 0; i < 50 && (await api(s.base, '/healthz')).body.matches.length; i++) await sleep(100);
    expect((await api(s.base, '/healthz')).body.matches).toEqual([]);
  });

  it('refuses a short internal token', async () => {
    await expect(startServer({ port: 0, storePath: ':memory:', internalToken: 'short', logger: createLogger({ level: 'silent' }) })).rejects.toThrow(/at least 32 characters/);
  });
});

describe('cluster settings', () => {
  it('reads each from its variable, with a message naming it', () => {
    expect(clusterSettingsFromEnv({})).toEqual(DEFAULT_CLUSTER_SETTINGS);
    expect(clusterSettingsFromEnv({ LOBBY_EXPIRY_HOURS: '2', IDLE_EXPIRY_DAYS: '7', CLAIM_LEASE_MS: '3000' })).toMatchObject({ lobbyExpiryHours: 2, idleExpiryDays: 7, claimLeaseMs: 3000 });
    expect(() => clusterSettingsFromEnv({ LOBBY_EXPIRY_HOURS: 'soon' })).toThrow(/LOBBY_EXPIRY_HOURS .* got "soon"/);
    expect(() => clusterSettingsFromEnv({ CLAIM_LEASE_MS: '10' })).toThrow(/CLAIM_LEASE_MS .* from 500/);
    expect(() => checkInternalToken('x'.repeat(31), 'INTERNAL_TOKEN')).toThrow(/INTERNAL_TOKEN must be at least 32 characters/);
    expect(() => checkInternalToken('x'.repeat(32), 'INTERNAL_TOKEN')).not.toThrow();
  });

  it('expires a lobby nobody joined after its hours, any unfinished match after its idle days', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const s = DEFAULT_CLUSTER_SETTINGS;
    const at = (h: number) => new Date(now - h * 3_600_000).toISOString();
    expect(expiryReason({ createdAt: at(23), lastAt: at(23), people: 0 }, s, now)).toBeNull();
    expect(expiryReason({ createdAt: at(25), lastAt: at(25), people: 0 }, s, now)).toMatch(/nobody joined/);
    expect(expiryReason({ createdAt: at(25), lastAt: at(25), people: 1 }, s, now)).toBeNull();
    expect(expiryReason({ createdAt: at(24 * 20), lastAt: at(24 * 15), people: 3 }, s, now)).toMatch(/nothing happened for 14 days/);
  });
});
