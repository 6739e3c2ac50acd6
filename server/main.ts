// Starts the game server: rooms, HTTP API and (once built) the client, on one port; restores unfinished matches.
import { defineServer, defineRoom, type Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { Encoder } from '@colyseus/schema';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { matchRoomWith } from './rooms/MatchRoom.ts';
import { mountApi, roomForMatch } from './http/api.ts';
import { mountSeats } from './http/seats.ts';
import { mountGuard, guardSettingsFromEnv, closeGuard, type GuardSettings } from './http/guard.ts';
import { closeRulesChecker } from './rules-checker.ts';
import { RedisPresence } from '@colyseus/redis-presence';
import { RedisDriver } from '@colyseus/redis-driver';
import { DEFAULT_LIMITS, type Limits, type ServerContext } from './context.ts';
import { secretToken } from './security.ts';
import { createLogger, type Logger } from './log.ts';
import { openStore } from './store/index.ts';
import type { MatchStore } from './store/types.ts';

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
  /** shared by every process of a deployment (default env INTERNAL_TOKEN, else random per process) */
  internalToken?: string;
  /** headers, CORS, proxies and per-address limits of the HTTP API (default: from the environment, server/http/guard.ts) */
  guard?: Partial<GuardSettings>;
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

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  quietBufferGrowth(logger);
  const store = options.store ?? (await openStore({ path: options.storePath }));
  const rulesDir = options.rulesDir ?? fileURLToPath(new URL('../assets/rules/', import.meta.url));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const guard = { ...guardSettingsFromEnv(), ...options.guard };
  // the services rooms and routes are given (never read from a global)
  const services: ServerContext = { store, logger, limits, rulesDir, internalToken: options.internalToken ?? process.env.INTERNAL_TOKEN ?? secretToken() };
  const clientDir = options.clientDir ?? fileURLToPath(new URL('../dist/client/', import.meta.url));

  // REDIS_URL: several processes share presence and the room listing; each needs its own public address
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const scaleOut = redisUrl ? {
    presence: new RedisPresence(redisUrl),
    driver: new RedisDriver(redisUrl),
    publicAddress: options.publicAddress ?? process.env.PUBLIC_ADDRESS ?? (options.port ? `127.0.0.1:${options.port}` : undefined),
  } : {};
  if (redisUrl && !process.env.INTERNAL_TOKEN && !options.internalToken) {
    throw new Error('REDIS_URL is set but INTERNAL_TOKEN is not: every process of one deployment needs the same INTERNAL_TOKEN (a long random string)');
  }

  const server = defineServer({
    ...scaleOut,
    rooms: { match: defineRoom(matchRoomWith(services)) },
    logger: colyseusLogger(logger, limits),
    // messages above this size are a flood, not a mistake: the connection is closed (the seat token still works)
    transport: new WebSocketTransport({ maxPayload: limits.maxMessageBytes }),
    greet: false,
    gracefullyShutdown: false,
    express: (app) => {
      mountGuard(app, { redisUrl, ...guard });
      // the agent seat API first: mountApi ends with the /api catch-all
      mountSeats(app, services);
      mountApi(app, services);
      if (existsSync(clientDir)) {
        app.use(express.static(clientDir));
        // the client's own pages (join links, projector, facilitator, set-up) are one page: index.html routes them
        app.get(/^\/(join|play|projector|facilitate|setup)(\/|$)/, (_req, res) => { res.sendFile(join(clientDir, 'index.html')); });
      } else app.get('/', (_req, res) => { res.type('html').send(NO_CLIENT_PAGE); });
    },
  });
  await server.listen(options.port ?? 0);
  const port = (server.transport as unknown as { server: { address(): { port: number } } }).server.address().port;

  // every unfinished match that no live process holds comes back at the turn it was at
  const open = await store.list({ status: 'open' });
  for (const m of open) {
    try {
      const header = await store.findByCode(m.code);
      if (header) await roomForMatch(header, services.internalToken);
    } catch (err) {
      logger.error({ match: m.code, err: (err as Error).message }, 'could not restore a match');
    }
  }
  logger.info({ port, restored: open.length }, 'game server listening');

  let closed = false;
  return {
    port, server, store, logger,
    async close() {
      if (closed) return;
      closed = true;
      // checks in progress end first: their answers would otherwise hold the shutdown for their whole budget
      await closeRulesChecker();
      await server.gracefullyShutdown(false);
      await store.close();
      await closeGuard();
    },
  };
}
