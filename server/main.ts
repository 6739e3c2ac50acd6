// Starts the game server: rooms, HTTP API and (once built) the client, on one port; restores unfinished matches.
import './no-pm2-agent.ts';
import { defineServer, defineRoom, matchMaker, type Server } from '@colyseus/core';
import { SpreadPingTransport } from './spread-pings.ts';
import { Encoder } from '@colyseus/schema';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { matchRoomWith } from './rooms/MatchRoom.ts';
import { mountApi, roomForMatch } from './http/api.ts';
import { mountSeats } from './http/seats.ts';
import { mountGuard, guardSettingsFromEnv, closeGuard, addressLimiter, addressResolver, type GuardSettings } from './http/guard.ts';
import { Addresses } from './rooms/addresses.ts';
import { closeRulesChecker } from './rules-checker.ts';
import { mountDebrief } from './http/debrief.ts';
import { DebriefWorker } from './debrief-worker.ts';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';
import { DEFAULT_LIMITS, type Limits, type ServerContext } from './context.ts';
import { secretToken } from './security.ts';
import { createLogger, type Logger } from './log.ts';
import { openStore, type OpenStoreOptions } from './store/index.ts';
import type { MatchStore } from './store/types.ts';
import { createHash } from 'node:crypto';
import { LocalClaims, RedisClaims } from './cluster/claim.ts';
import { MatchRooms } from './cluster/rooms.ts';
import { mountHealth } from './cluster/health.ts';
import { checkInternalToken, clusterSettingsFromEnv, type ClusterSettings } from './cluster/settings.ts';
import { startExpiry } from './cluster/expiry.ts';

const NO_CLIENT_PAGE = `<!doctype html><meta charset="utf-8"><title>The 2028 Window</title>
<body style="font:16px/1.5 system-ui;background:#0b1220;color:#e6edf3;max-width:44rem;margin:3rem auto;padding:0 1rem">
<h1>The 2028 Window: game server</h1>
<p>The server is running. The browser client has not been built on this machine yet.</p>
<ul><li>Matches: <a style="color:#8ab4ff" href="/api/matches">/api/matches</a> (public ones), rule files: <a style="color:#8ab4ff" href="/api/rules">/api/rules</a>, health: <a style="color:#8ab4ff" href="/healthz">/healthz</a></li>
<li>The protocol for programs that play a seat: <code>docs/protocol.md</code></li>
<li>A bot match in the terminal: <code>npm run play</code>; thousands of them: <code>npm run simulate</code></li></ul></body>`;

export interface StartOptions {
  port?: number;
  /** the SQLite file (default $DATA_DIR/matches.sqlite, DATA_DIR defaulting to ./data); ":memory:" keeps nothing */
  storePath?: string;
  store?: MatchStore;
  logger?: Logger;
  limits?: Partial<Limits>;
  rulesDir?: string;
  /** the built client to serve at / (default dist/client when it exists) */
  clientDir?: string;
  /** scale-out: Redis for presence and the room listing (default env REDIS_URL) */
  redisUrl?: string;
  /** scale-out: host:port other processes send this process's clients to (default env PUBLIC_ADDRESS) */
  publicAddress?: string;
  /** shared by every process of a deployment, at least 32 characters (default env INTERNAL_TOKEN, else random per process) */
  internalToken?: string;
  /** headers, CORS, proxies and per-address limits of the HTTP API (default: from the environment, server/http/guard.ts) */
  guard?: Partial<GuardSettings>;
  /** claims, start-up wait, expiry (default: from the environment, server/cluster/settings.ts) */
  cluster?: Partial<ClusterSettings>;
}

export interface RunningServer {
  port: number;
  server: Server;
  store: MatchStore;
  logger: Logger;
  close(): Promise<void>;
}

// Each room keeps an encode buffer of this size (and grows it when a full state needs more): 64 KB holds a player's
// whole state at the end of a match; 500 rooms at the 512 KB used before held 500 MB.
Encoder.BUFFER_SIZE = 64 * 1024;

let bufferLogger: Logger | null = null;
/** The encoder warns on the console each time a room's buffer grows (a facilitator's full desk is ~200 KB): expected, so it goes to the debug log. */
function quietBufferGrowth(logger: Logger): void {
  if (!bufferLogger) {
    const warn = console.warn.bind(console);
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('@colyseus/schema buffer overflow')) bufferLogger?.debug('a room grew its state encode buffer');
      else warn(...args);
    };
  }
  bufferLogger = logger;
}

/**
 * Colyseus's own log calls (console-like, with stack traces as text) as structured lines: one line each, no stack for
 * a client's mistake. A frame over MAX_MESSAGE_BYTES is the one ws reports as "Max payload size exceeded".
 */
function colyseusLogger(logger: Logger, limits: { maxMessageBytes: number } = { maxMessageBytes: 0 }) {
  const line = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const firstLine = (s: string) => s.split('\n')[0].slice(0, 300);
  return {
    limits,
    debug: (...args: unknown[]) => logger.debug(firstLine(line(args))),
    trace: (...args: unknown[]) => logger.trace(firstLine(line(args))),
    info: (...args: unknown[]) => logger.info(firstLine(line(args))),
    warn: (...args: unknown[]) => logger.warn(firstLine(line(args))),
    error: (...args: unknown[]) => {
      const text = line(args);
      if (/Max payload size exceeded/.test(text)) logger.warn({ maxMessageBytes: limits.maxMessageBytes }, 'a client frame was over MAX_MESSAGE_BYTES: connection closed');
      else logger.error({ detail: text.split('\n').slice(1, 4).map((l) => l.trim()).join(' | ') || undefined }, firstLine(text));
    },
  };
}

/** Waits for something with bounded back-off (0.25 s doubling to 5 s), one clear log line per failed try. */
async function waitFor<T>(what: string, waitSeconds: number, logger: Logger, attempt: () => Promise<T>): Promise<T> {
  const giveUp = Date.now() + waitSeconds * 1000;
  for (let n = 1, delay = 250; ; n++, delay = Math.min(5000, delay * 2)) {
    try {
      return await attempt();
    } catch (err) {
      const why = (err as Error).message;
      if (Date.now() + delay > giveUp) throw new Error(`${why} (gave up after ${n} tries in ${waitSeconds} s; STARTUP_WAIT_SECONDS sets how long)`, { cause: err });
      logger.warn({ attempt: n, retryInMs: delay }, `waiting for ${what}: ${why}`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

const TOKEN_KEY = 'w2028:internal-token-hash';
const TOKEN_TTL_MS = 60_000;
// the cluster's token (as a hash) is kept while any process runs; a deployment that stops for a minute may change it
const CLAIM_TOKEN = `local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  quietBufferGrowth(logger);
  const settings = { ...clusterSettingsFromEnv(), ...options.cluster };
  const givenToken = options.internalToken ?? (process.env.INTERNAL_TOKEN || undefined);
  if (givenToken !== undefined) checkInternalToken(givenToken, options.internalToken !== undefined ? 'the internal token' : 'INTERNAL_TOKEN');
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  if (redisUrl && !givenToken) {
    throw new Error('REDIS_URL is set but INTERNAL_TOKEN is not: every process of one deployment needs the same INTERNAL_TOKEN (a long random string)');
  }
  const internalToken = givenToken ?? secretToken();
  const storeOptions: OpenStoreOptions = { path: options.storePath };
  const store = options.store ?? (await waitFor('the match store', settings.startupWaitSeconds, logger, () => openStore(storeOptions)));
  const rulesDir = options.rulesDir ?? fileURLToPath(new URL('../assets/rules/', import.meta.url));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const guard = { ...guardSettingsFromEnv(), ...options.guard };
  const clientDir = options.clientDir ?? fileURLToPath(new URL('../dist/client/', import.meta.url));

  // REDIS_URL: several processes share presence, the room listing and the match claims; each needs its own public address
  const publicAddress = options.publicAddress ?? process.env.PUBLIC_ADDRESS ?? (options.port ? `127.0.0.1:${options.port}` : undefined);
  let redisClaims: RedisClaims | null = null;
  let restoreListings: (() => void) | null = null;
  if (redisUrl) {
    redisClaims = new RedisClaims(redisUrl, settings.claimLeaseMs, (event, detail) => {
      if (event === 'down') logger.warn({ detail }, 'Redis is down: open rooms play on; new asks by code get 503 until it is back');
      else { logger.info('Redis is back: claims and room listings are taken again'); restoreListings?.(); }
    });
    const claims = redisClaims;
    await waitFor('Redis', settings.startupWaitSeconds, logger, () => claims.ready(2000));
    const hash = createHash('sha256').update(`w2028-internal-token:${internalToken}`).digest('hex');
    if ((await claims.redis.eval(CLAIM_TOKEN, 1, TOKEN_KEY, hash, TOKEN_TTL_MS)) !== 1) {
      await claims.close();
      throw new Error('INTERNAL_TOKEN differs from the one the other processes of this cluster (same REDIS_URL) use: give every process the same INTERNAL_TOKEN');
    }
    setInterval(() => void claims.redis.eval(CLAIM_TOKEN, 1, TOKEN_KEY, hash, TOKEN_TTL_MS).catch(() => undefined), TOKEN_TTL_MS / 4).unref();
  }
  const scaleOut = redisUrl ? { presence: new RedisPresence(redisUrl), driver: new RedisDriver(redisUrl), publicAddress } : {};
  if (redisUrl) {
    // their connections reconnect by themselves; the claims' client reports an outage once (above), not once per retry
    const quiet = () => undefined;
    type Emitter = { on(e: string, f: () => void): void };
    const { presence, driver } = scaleOut as unknown as { presence: { pub: Emitter; sub: Emitter }; driver: { _client: Emitter } };
    presence.pub.on('error', quiet);
    presence.sub.on('error', quiet);
    driver._client.on('error', quiet);
  }
  const rooms = new MatchRooms(redisClaims ?? new LocalClaims(), store, logger, internalToken, settings.claimLeaseMs);
  // the services rooms and routes are given (never read from a global)
  const services: ServerContext = { store, logger, limits, rulesDir, internalToken, cluster: rooms };
  const unrestored: { code: string; reason: string }[] = [];
  // the debrief's counterfactual replays run in a worker thread, off the rooms' thread
  const debriefWorker = new DebriefWorker();

  const server = defineServer({
    ...scaleOut,
    rooms: { match: defineRoom(matchRoomWith(services)) },
    logger: colyseusLogger(logger, limits),
    // messages above this size are a flood, not a mistake: the connection is closed (the seat token still works)
    transport: new SpreadPingTransport({ maxPayload: limits.maxMessageBytes }),
    greet: false,
    gracefullyShutdown: false,
    express: (app) => {
      mountGuard(app, { redisUrl, ...guard }, logger);
      // WebSocket joins are counted per address by the same TRUST_PROXY rule as HTTP requests
      services.addresses = new Addresses(limits, addressLimiter({ keyPrefix: 'joins', points: limits.joinsPerMinutePerIp, duration: 60 }, redisUrl), addressResolver(app));
      mountHealth(app, { store, rooms, redis: () => (redisClaims ? redisClaims.status() : 'none'), publicAddress: redisUrl ? publicAddress ?? null : null, unrestored });
      mountDebrief(app, services, debriefWorker);
      // the agent seat API first: mountApi ends with the /api catch-all
      mountSeats(app, services);
      mountApi(app, services);
      if (existsSync(clientDir)) {
        app.use(express.static(clientDir));
        // the client's own pages (join links, projector, facilitator, set-up) are one page: index.html routes them
        app.get(/^\/(join|play|projector|facilitate|setup|debrief)(\/|$)/, (_req, res) => { res.sendFile(join(clientDir, 'index.html')); });
      } else app.get('/', (_req, res) => { res.type('html').send(NO_CLIENT_PAGE); });
    },
  });
  await server.listen(options.port ?? 0);
  const port = (server.transport as unknown as { server: { address(): { port: number } } }).server.address().port;

  rooms.start();
  // after a Redis restart the room listings are gone: each process lists its rooms again (the driver reconnects on its own)
  restoreListings = () => { for (const ms of [500, 2000, 5000]) setTimeout(() => void matchMaker.restoreMissingRoomCaches().catch(() => undefined), ms).unref(); };

  // expired matches close first (they are not restored), then every unfinished match no live process holds
  // comes back at the turn it was at; "restored" counts the rooms that really opened here
  const expiry = startExpiry({ store, logger, settings, rooms });
  await expiry.sweep().catch((err: Error) => logger.error({ err: err.message }, 'expiry sweep failed'));
  const open = await store.list({ status: 'open' });
  let restored = 0;
  for (const m of open) {
    try {
      const header = await store.findByCode(m.code);
      if (!header) continue;
      const before = rooms.localMatches().length;
      await roomForMatch(header, services);
      if (rooms.localMatches().length > before) restored++;
    } catch (err) {
      unrestored.push({ code: m.code, reason: (err as Error).message });
      logger.error({ match: m.code, err: (err as Error).message }, 'could not restore a match');
    }
  }
  logger.info({ port, restored, heldElsewhere: open.length - restored - unrestored.length, unrestored: unrestored.length }, 'game server listening');

  let closed = false;
  return {
    port, server, store, logger,
    async close() {
      if (closed) return;
      closed = true;
      expiry.stop();
      // checks in progress end first: their answers would otherwise hold the shutdown for their whole budget
      await closeRulesChecker();
      await server.gracefullyShutdown(false);
      await debriefWorker.close();
      // rooms let go of their claims as they close; whatever is left goes now, so others take over at once
      await rooms.close();
      await redisClaims?.close();
      await store.close();
      await closeGuard();
    },
  };
}
