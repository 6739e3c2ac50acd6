// /healthz (what this process holds and how its services are) and /readyz (whether it can take work now).
import type { Application } from 'express';
import { matchMaker } from '@colyseus/core';
import type { Health } from '../../shared/protocol/http.ts';
import type { MatchStore } from '../store/types.ts';
import type { MatchRooms } from './rooms.ts';

export interface HealthSources {
  store: MatchStore;
  rooms: MatchRooms;
  /** "none" without REDIS_URL */
  redis: () => 'ok' | 'down' | 'none';
  publicAddress: string | null;
  /** matches start-up could not reopen, with why */
  unrestored: { code: string; reason: string }[];
}

async function storeStatus(store: MatchStore): Promise<'ok' | 'down'> {
  try {
    await Promise.race([store.ping(), new Promise((_r, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
    return 'ok';
  } catch {
    return 'down';
  }
}

export function mountHealth(app: Application, sources: HealthSources): void {
  // what an operator (or the chaos bench) watches: the rooms held here, clients, memory, and the services' state
  app.get('/healthz', async (_req, res) => {
    const { rss, heapUsed } = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    res.json({
      ok: true, uptimeSeconds: Math.round(process.uptime()), processId: matchMaker.processId, pid: process.pid, publicAddress: sources.publicAddress,
      rooms: matchMaker.stats.local.roomCount, clients: matchMaker.stats.local.ccu, memoryMB: { rss: mb(rss), heapUsed: mb(heapUsed) },
      store: await storeStatus(sources.store), redis: sources.redis(),
      matches: sources.rooms.localMatches(), unrestored: sources.unrestored,
      fencedAppends: sources.rooms.fencedAppends, claimsLost: sources.rooms.claimsLost,
    } satisfies Health);
  });
  // a load balancer sends no new players here while the store or Redis is down (rooms already open play on)
  app.get('/readyz', async (_req, res) => {
    const store = await storeStatus(sources.store);
    const redis = sources.redis();
    const ready = store === 'ok' && redis !== 'down';
    res.status(ready ? 200 : 503).json({ ready, store, redis });
  });
}
