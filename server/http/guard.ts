// What stands between strangers and the API: security headers, same-origin CORS, JSON-only bodies, whose address a
// request comes from (TRUST_PROXY), and per-address rate limits on rule checks and code look-ups.
import type { Application, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';
import { matchMaker, ServerError } from '@colyseus/core';
import { textProblem } from '../../shared/text.ts';
import type { HttpErrorBody } from '../../shared/protocol/http.ts';
import type { HttpErrorCode } from '../../shared/protocol/errors.ts';
import type { Logger } from '../log.ts';
import { randomUUID } from 'node:crypto';

export interface GuardSettings {
  /** Express's `trust proxy`: false (the socket's address is the client's), or hops / addresses / subnets of proxies */
  trustProxy: boolean | number | string;
  /** origins (https://example.org) other sites' pages may call the API from; empty: same origin only */
  corsOrigins: string[];
  /** rule checks (POST /api/rules/check) one address may ask for a minute */
  rulesChecksPerMinute: number;
  /** points of code look-ups (GET /api/matches/CODE…) one address may spend a minute; a found code costs 1, an unknown one 2 */
  codeLookupPointsPerMinute: number;
  /** with several processes (REDIS_URL), the limits are counted in Redis, so an address has one allowance, not one per process */
  redisUrl?: string;
}

export const DEFAULT_GUARD: GuardSettings = { trustProxy: false, corsOrigins: [], rulesChecksPerMinute: 30, codeLookupPointsPerMinute: 120 };

/** The environment variables for the guard's settings, in server/limits.ts's style. */
export const GUARD_VARIABLES = {
  trustProxy: { env: 'TRUST_PROXY', what: 'which proxies in front of the server to believe about the client\'s address: "none" (default), a number of hops, or addresses/subnets such as "loopback" or "10.0.0.1, 10.0.0.0/8"' },
  corsOrigins: { env: 'CORS_ORIGINS', what: 'origins other websites may call the API from, comma-separated, such as "https://school.example.org" (default: none, same origin only)' },
  rulesChecksPerMinute: { env: 'RULES_CHECKS_PER_MINUTE', what: 'rule-file checks one address may ask for a minute', min: 1, max: 100_000 },
  codeLookupPointsPerMinute: { env: 'CODE_LOOKUPS_PER_MINUTE', what: 'join-code look-ups one address may make a minute (an unknown code counts twice)', min: 2, max: 1_000_000 },
} as const;

const PROXY_WORDS = /^(loopback|linklocal|uniquelocal)$/;
const ADDRESS = /^[0-9a-fA-F.:]+(\/\d{1,3})?$/;

/** The guard's settings from the environment (the rest keep their defaults); throws naming the variable on a bad value. */
export function guardSettingsFromEnv(env: Record<string, string | undefined> = process.env): Partial<GuardSettings> {
  const out: Partial<GuardSettings> = {};
  const proxy = env.TRUST_PROXY?.trim();
  if (proxy) {
    if (proxy === 'none' || proxy === 'false') out.trustProxy = false;
    else if (/^\d+$/.test(proxy)) out.trustProxy = Number(proxy);
    else {
      const parts = proxy.split(',').map((p) => p.trim()).filter(Boolean);
      const bad = parts.find((p) => !PROXY_WORDS.test(p) && !ADDRESS.test(p));
      if (bad !== undefined || !parts.length) throw new Error(`TRUST_PROXY (${GUARD_VARIABLES.trustProxy.what}) cannot use "${bad ?? proxy}"`);
      out.trustProxy = parts.join(', ');
    }
  }
  const origins = env.CORS_ORIGINS?.trim();
  if (origins) {
    const list = origins.split(',').map((o) => o.trim()).filter(Boolean);
    for (const o of list) {
      let ok = false;
      try { ok = new URL(o).origin === o; } catch { /* not a URL */ }
      if (!ok) throw new Error(`CORS_ORIGINS (${GUARD_VARIABLES.corsOrigins.what}) holds "${o}", which is not an origin: scheme, host and port only, such as https://example.org`);
    }
    out.corsOrigins = list;
  }
  for (const key of ['rulesChecksPerMinute', 'codeLookupPointsPerMinute'] as const) {
    const { env: name, what, min, max } = GUARD_VARIABLES[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} (${what}) must be a whole number from ${min} to ${max}, got "${raw}" (default ${DEFAULT_GUARD[key]})`);
    out[key] = n;
  }
  return out;
}

/** Most detail lines one answer carries, and characters of each: a list of 40,000 mistakes is not more useful than 50. */
export const MAX_DETAILS = 50;
export const MAX_DETAIL_CHARS = 400;

/** An answer's detail lines, bounded: long lines cut, and past MAX_DETAILS one line saying how many more there are. */
export function boundedDetails(details: readonly string[]): string[] {
  const cut = (d: string) => (d.length > MAX_DETAIL_CHARS ? `${d.slice(0, MAX_DETAIL_CHARS - 1)}…` : d);
  const out = details.slice(0, MAX_DETAILS).map((d) => cut(String(d)));
  if (details.length > MAX_DETAILS) out.push(`… and ${details.length - MAX_DETAILS} more`);
  return out;
}

const refuse = (res: Response, status: number, code: HttpErrorCode, message: string) => res.status(status).json({ error: message, code } satisfies HttpErrorBody);

function tooMany(res: Response, wait: RateLimiterRes | unknown, message: string): void {
  // the limiter rejects with its state when the points are spent; anything else is its own failure, not the caller's
  const ms = wait instanceof RateLimiterRes ? wait.msBeforeNext : 60_000;
  res.set('Retry-After', String(Math.max(1, Math.ceil(ms / 1000))));
  refuse(res, 429, 'slow-down', message);
}

const redisClients = new Map<string, Redis>();

/** One Redis connection per URL for every limiter of this process (the guard's, the rooms' join allowance). */
function redisFor(url: string): Redis {
  let redis = redisClients.get(url);
  if (!redis) {
    redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // while Redis is away the in-memory insurance limiter counts; the presence driver reports the outage itself
    redis.on('error', () => {});
    redisClients.set(url, redis);
  }
  return redis;
}

/**
 * A per-address (or per-anything) limiter whose buckets expire after `duration` seconds, so the map of addresses
 * forgets: counted in Redis when REDIS_URL is set (one allowance across every process), in memory meanwhile and otherwise.
 */
export function addressLimiter(opts: { keyPrefix: string; points: number; duration: number }, redisUrl?: string): RateLimiterAbstract {
  const memory = new RateLimiterMemory(opts);
  if (!redisUrl) return memory;
  return new RateLimiterRedis({ ...opts, keyPrefix: `w2028:${opts.keyPrefix}`, storeClient: redisFor(redisUrl), insuranceLimiter: memory });
}

/** Closes the Redis connections the limiters use (the server's close). */
export async function closeGuard(): Promise<void> {
  const clients = [...redisClients.values()];
  redisClients.clear();
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
}

/**
 * Whose address a WebSocket comes from, by the same TRUST_PROXY rule as HTTP requests (Express's own `req.ip`):
 * Colyseus's context.ip believes any X-Forwarded-For or X-Real-IP, which a client writes itself.
 */
export function addressResolver(app: Application): (socketAddress: string | undefined, forwardedFor: string | null | undefined) => string {
  return (socketAddress, forwardedFor) => {
    const remote = socketAddress ?? 'unknown';
    const req = Object.create((app as unknown as { request: Request }).request, {
      headers: { value: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} },
      socket: { value: { remoteAddress: remote } },
      connection: { value: { remoteAddress: remote } },
    }) as Request;
    return req.ip ?? remote;
  };
}

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** The id of this request (X-Request-Id), which its log lines and a server error's answer carry. */
export const requestIdOf = (res: Response): string => String(res.locals.requestId ?? 'none');

/** Mounts the guard on the app, before the API's own routes. */
export function mountGuard(app: Application, settings: Partial<GuardSettings> = guardSettingsFromEnv(), logger?: Logger): void {
  const s = { ...DEFAULT_GUARD, ...settings };
  app.set('trust proxy', s.trustProxy);
  app.disable('x-powered-by');

  // every request gets an id (a proxy's own, such as nginx's $request_id, when it looks like one); a refusal (4xx) is
  // one line at info, without a stack: it is the caller's mistake, and a stranger's flood of them must not drown the log
  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    // randomUUID draws from a cached pool: cheaper per request than a fresh randomBytes call
    const id = given && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    res.on('finish', () => {
      if (res.statusCode >= 400 && res.statusCode < 500) logger?.info({ requestId: id, method: req.method, path: req.path.slice(0, 200), status: res.statusCode, ip: clientIp(req) }, 'request refused');
    });
    next();
  });
  guardMatchmaking(s);

  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // the client sets element styles from code (positions, colours), which CSP counts as inline style
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        // a school LAN serves plain http: upgrading every request to https would break the client there
        'upgrade-insecure-requests': null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // plain http on a LAN is a supported set-up; HSTS belongs to the https proxy in front, when there is one
    strictTransportSecurity: false,
  }));

  // CORS: same origin unless CORS_ORIGINS names others; Colyseus's own routes answer through guardMatchmaking
  app.use((req, res, next) => {
    for (const h of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Headers', 'Access-Control-Allow-Methods', 'Access-Control-Max-Age']) res.removeHeader(h);
    const origin = req.get('origin');
    if (origin && s.corsOrigins.includes(origin)) {
      res.set({ 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin', 'Access-Control-Allow-Headers': 'Content-Type, X-Facilitator-Key', 'Access-Control-Allow-Methods': 'GET, POST' });
    }
    if (req.method === 'OPTIONS') { res.status(204).end(); return; }
    next();
  });

  // a body that is not JSON would be ignored (and a default match made): a page elsewhere can send text/plain without asking
  app.use('/api', (req, res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (req.method === 'POST' && hasBody && !req.is('application/json')) { refuse(res, 415, 'unsupported-type', 'send the body as JSON (Content-Type: application/json)'); return; }
    next();
  });

  const checks = addressLimiter({ keyPrefix: 'rules-check', points: s.rulesChecksPerMinute, duration: 60 }, s.redisUrl);
  app.post('/api/rules/check', (req, res, next) => {
    checks.consume(clientIp(req)).then(() => next(), (wait) => tooMany(res, wait, `at most ${s.rulesChecksPerMinute} rule checks a minute from one address; try again shortly`));
  });

  // join codes are the only thing keeping a private match private: guessing them costs, and a miss costs double.
  // The code's own page costs 1 (a class behind one school address looks it up once a student); its record, rules
  // and exports cost only when the code is unknown, so debriefs and reloads do not spend the class's allowance.
  const lookups = addressLimiter({ keyPrefix: 'code-lookup', points: s.codeLookupPointsPerMinute, duration: 60 }, s.redisUrl);
  app.get(['/api/matches/:code', '/api/matches/:code/*rest'], async (req: Request, res: Response, next: NextFunction) => {
    const ip = clientIp(req);
    const own = req.params.rest === undefined;
    try {
      if (own) await lookups.consume(ip, 1);
      else {
        const spent = await lookups.get(ip);
        if (spent && spent.consumedPoints >= s.codeLookupPointsPerMinute) throw spent;
      }
    } catch (wait) {
      tooMany(res, wait, 'too many join-code look-ups from this address; try again shortly');
      return;
    }
    res.on('finish', () => { if (res.statusCode === 404) lookups.penalty(ip, own ? 1 : 2).catch(() => {}); });
    next();
  });
}

/**
 * Colyseus answers /matchmake itself, ahead of Express: its CORS (which reflects any Origin, with credentials) is
 * narrowed to CORS_ORIGINS, and a join whose options are not JSON, or whose name is not well-formed visible text, is
 * refused with 400 before a seat is reserved.
 */
function guardMatchmaking(s: GuardSettings): void {
  const controller = matchMaker.controller;
  // these headers go on every answer of the port (Express's too): no grant unless the origin is named
  (controller as { DEFAULT_CORS_HEADERS: Record<string, string> }).DEFAULT_CORS_HEADERS = { 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Allow-Methods': 'POST' };
  controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get('origin');
    return origin && s.corsOrigins.includes(origin) ? { 'Access-Control-Allow-Origin': origin, 'Vary': 'Origin' } : {};
  };
  type Invoke = typeof controller.invokeMethod;
  const original: Invoke = (controller as { originalInvoke?: Invoke }).originalInvoke ?? controller.invokeMethod;
  (controller as { originalInvoke?: Invoke }).originalInvoke = original;
  controller.invokeMethod = function (this: typeof controller, method, roomName, clientOptions = {}, authOptions) {
    const type = authOptions?.headers?.get?.('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) return Promise.reject(new ServerError(415, 'send the join options as JSON (Content-Type: application/json)'));
    const name = (clientOptions as { name?: unknown })?.name;
    const why = typeof name === 'string' ? textProblem(name) : null;
    if (why) return Promise.reject(new ServerError(400, `join options: name: ${why}`));
    return original.call(this, method, roomName, clientOptions, authOptions);
  } as Invoke;
}
