// The exclusive claim on a match a process takes before it opens the match's room: a lease in Redis, or in-process alone.
// The claim says who holds the match now (exclusion, so asks by code find one room); the store's fencing number
// (store.takeFence) is what keeps a paused old holder from writing (safety), so a claim lost in a Redis restart
// can never fork a log.
import { Redis } from 'ioredis';

/** Who holds a match: the process, and its room once opened (null while it is being opened). */
export interface Holder { processId: string; roomId: string | null; raw: string }

export type RenewResult = 'kept' | 'retaken' | 'lost';

export interface Claims {
  readonly kind: 'redis' | 'local';
  holder(matchId: string): Promise<Holder | null>;
  /** takes the claim if no one holds it (SET NX PX); true when taken */
  take(matchId: string, processId: string, roomId: string | null): Promise<boolean>;
  /** sets the room id of a claim this process holds; false when it is no longer this process's */
  setRoom(matchId: string, processId: string, roomId: string): Promise<boolean>;
  /** extends the leases this process holds; a lease that vanished (Redis restarted) is taken again if free */
  renew(held: { matchId: string; raw: string }[]): Promise<RenewResult[]>;
  /** lets go of a claim if it is still the one given */
  release(matchId: string, raw: string): Promise<void>;
  /** whether a process is alive (subscribed to its presence channel: a SIGKILLed one is not, at once) */
  isAlive(processId: string): Promise<boolean>;
  /** "ok" when Redis answers (always for the in-process claim) */
  status(): 'ok' | 'down';
  close(): Promise<void>;
}

const format = (processId: string, roomId: string | null) => `${processId} ${roomId ?? '-'}`;
export function parseHolder(raw: string): Holder {
  const [processId, roomId] = raw.split(' ');
  return { processId, roomId: roomId && roomId !== '-' ? roomId : null, raw };
}

const key = (matchId: string) => `w2028:claim:${matchId}`;

// compare-and-extend; a vanished key is taken again (its holder's room is still the one writing, under its fence)
const RENEW = `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const SET_ROOM = `local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ' ' then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end
return 0`;

export class RedisClaims implements Claims {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  private readonly leaseMs: number;
  constructor(url: string, leaseMs: number, onEvent: (event: 'ready' | 'down', detail?: string) => void) {
    this.leaseMs = leaseMs;
    // no offline queue: while Redis is down a claim fails at once (the ask gets 503) instead of waiting in a queue
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(2000, 100 * n), lazyConnect: false });
    let wasDown = false;
    this.redis.on('ready', () => { if (wasDown) onEvent('ready'); wasDown = false; });
    this.redis.on('error', (err: Error) => { if (!wasDown) onEvent('down', err.message); wasDown = true; });
    this.redis.on('close', () => { if (!wasDown) onEvent('down', 'connection closed'); wasDown = true; });
  }

  /** Waits for the first connection (start-up), up to `ms`. */
  async ready(ms: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
      this.redis.once('ready', () => { clearTimeout(t); resolve(); });
    });
  }

  async holder(matchId: string): Promise<Holder | null> {
    const raw = await this.redis.get(key(matchId));
    return raw ? parseHolder(raw) : null;
  }

  async take(matchId: string, processId: string, roomId: string | null): Promise<boolean> {
    return (await this.redis.set(key(matchId), format(processId, roomId), 'PX', this.leaseMs, 'NX')) === 'OK';
  }

  async setRoom(matchId: string, processId: string, roomId: string): Promise<boolean> {
    return (await this.redis.eval(SET_ROOM, 1, key(matchId), processId, format(processId, roomId), this.leaseMs)) === 1;
  }

  async renew(held: { matchId: string; raw: string }[]): Promise<RenewResult[]> {
    if (!held.length) return [];
    const pipe = this.redis.pipeline();
    for (const h of held) pipe.eval(RENEW, 1, key(h.matchId), h.raw, this.leaseMs);
    const out = (await pipe.exec()) ?? [];
    return out.map(([err, v]) => { if (err) throw err; return v === 1 ? 'kept' : v === 2 ? 'retaken' : 'lost'; });
  }

  async release(matchId: string, raw: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, key(matchId), raw);
  }

  async isAlive(processId: string): Promise<boolean> {
    const answer = (await this.redis.call('PUBSUB', 'NUMSUB', `p:${processId}`)) as [string, number];
    return Number(answer[1]) > 0;
  }

  status(): 'ok' | 'down' { return this.redis.status === 'ready' ? 'ok' : 'down'; }

  async close(): Promise<void> { this.redis.disconnect(); }
}

/** One process alone (no REDIS_URL): the claims are a map, so concurrent asks still share one room. */
export class LocalClaims implements Claims {
  readonly kind = 'local' as const;
  private readonly held = new Map<string, string>();
  async holder(matchId: string): Promise<Holder | null> {
    const raw = this.held.get(matchId);
    return raw ? parseHolder(raw) : null;
  }
  async take(matchId: string, processId: string, roomId: string | null): Promise<boolean> {
    if (this.held.has(matchId)) return false;
    this.held.set(matchId, format(processId, roomId));
    return true;
  }
  async setRoom(matchId: string, processId: string, roomId: string): Promise<boolean> {
    const raw = this.held.get(matchId);
    if (!raw || parseHolder(raw).processId !== processId) return false;
    this.held.set(matchId, format(processId, roomId));
    return true;
  }
  async renew(held: { matchId: string; raw: string }[]): Promise<RenewResult[]> {
    return held.map((h) => (this.held.get(h.matchId) === h.raw ? 'kept' : 'lost'));
  }
  async release(matchId: string, raw: string): Promise<void> {
    if (this.held.get(matchId) === raw) this.held.delete(matchId);
  }
  async isAlive(): Promise<boolean> { return true; }
  status(): 'ok' { return 'ok'; }
  async close(): Promise<void> { this.held.clear(); }
}
