// The HTTP API: create and find matches, quick play, records and CSV exports, health.
import type { Application, Request, Response } from 'express';
import express from 'express';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchMaker } from '@colyseus/core';
import { checkRulesText, formatProblem } from '../../shared/rules/check.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import { createMatchBody, type CreateMatchSettings, type CreatedMatch, type HttpErrorBody, type MatchInfo, type PublicMatch, type QuickPlayAnswer, type RulesSummary, type RulesCheckAnswer } from '../../shared/protocol/http.ts';
import type { HttpErrorCode } from '../../shared/protocol/errors.ts';
import type { Phase } from '../../shared/match/phases.ts';
import type { ServerContext } from '../context.ts';
import { createHmac } from 'node:crypto';
import { joinCode, normaliseCode, secretToken, hashSecret, newId, newSeed, secretMatches } from '../security.ts';
import type { MatchHeader, MatchSettings } from '../store/types.ts';
import { DuplicateIdempotencyKeyError, isDamaged } from '../store/types.ts';
import { MatchRooms } from '../cluster/rooms.ts';
import { LocalClaims } from '../cluster/claim.ts';
import { Lobby } from '../cluster/lobby.ts';
import type { MatchRoomMetadata } from '../rooms/MatchRoom.ts';
import { matchRecord, timelineCsv, decisionsCsv } from '../record/export.ts';
import { rulesOfMatch } from '../match-rules.ts';
import { checkRulesOffThread, problemLines } from '../rules-checker.ts';
import { boundedDetails, requestIdOf } from './guard.ts';
import { lessonPlan, withTurns } from '../../shared/match/lesson.ts';
import { joinBase } from './join-base.ts';

const CLASS_TIMERS = { briefing: 120, negotiation: 240, orders: 240, report: 120 };
const NO_TIMERS = { briefing: 0, negotiation: 0, orders: 0, report: 0 };

/**
 * TIME_SCALE (tests only: honoured when NODE_ENV is "test"): a new match's phase timers are multiplied by it, so an
 * end-to-end test plays a 45-minute lesson's plan in seconds. The match stores the scaled timers: its log replays exactly.
 */
export function testTimeScale(env: NodeJS.ProcessEnv = process.env): number {
  if (env.NODE_ENV !== 'test' || !env.TIME_SCALE) return 1;
  const scale = Number(env.TIME_SCALE);
  return Number.isFinite(scale) && scale > 0 && scale <= 1 ? scale : 1;
}

/** The rule files shipped in assets/rules, loaded once. */
export function shippedRules(services: Pick<ServerContext, 'rulesDir' | 'logger'>): Map<string, { text: string; rules: RuleFile }> {
  const out = new Map<string, { text: string; rules: RuleFile }>();
  const dir = services.rulesDir;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const checked = checkRulesText(text, name);
    if (checked.rules) out.set(name, { text, rules: checked.rules });
    else services.logger.error({ file: name, problems: checked.problems.map(formatProblem) }, 'a shipped rule file does not load');
  }
  return out;
}

/** The match claims of these services (startServer gives them; a bare mountApi gets the in-process ones). */
function roomsOf(services: ServerContext): MatchRooms {
  services.cluster ??= new MatchRooms(new LocalClaims(), services.store, services.logger, services.internalToken, 5000);
  return (latestRooms = services.cluster);
}
let latestRooms: MatchRooms | null = null;

/**
 * The room holding a match, brought back from the store if no process has it (after a restart, or once disposed):
 * found or opened atomically through the match's claim (server/cluster/rooms.ts), so concurrent asks share one room.
 */
export async function roomForMatch(header: MatchHeader, services: ServerContext | string): Promise<string> {
  const rooms = typeof services === 'string' ? latestRooms : roomsOf(services);
  if (!rooms) throw new Error('roomForMatch: no API is mounted');
  return rooms.roomFor(header);
}

/** What a live room reports in its listing (its phase, its teams' seats now), or null. */
async function liveListing(roomId: string): Promise<MatchRoomMetadata | null> {
  // a room of this process is read at once: a query filters every room listed (every join asks, twice)
  const local = matchMaker.getLocalRoomById(roomId);
  if (local) return (local.metadata as MatchRoomMetadata | undefined) ?? null;
  const [listing] = await matchMaker.query({ roomId });
  return (listing?.metadata as MatchRoomMetadata | undefined) ?? null;
}

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The match-creation allowance: at most `perMinute` matches a minute from one address (one counter per server). */
function creationAllowance(perMinute: () => number): (ip: string) => boolean {
  const created = new Map<string, number[]>();
  return (ip) => {
    const now = Date.now();
    // addresses seen once are forgotten after their minute (swept when the map grows), so the map cannot grow for ever
    if (created.size > 1000) for (const [k, times] of created) if (now - times[times.length - 1] >= 60_000) created.delete(k);
    const recent = (created.get(ip) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= perMinute()) { created.set(ip, recent); return false; }
    recent.push(now);
    created.set(ip, recent);
    return true;
  };
}

const problem = (res: Response, status: number, code: HttpErrorCode, message: string, details?: string[]) => res.status(status).json({ error: message, code, ...(details ? { details: boundedDetails(details) } : {}) } satisfies HttpErrorBody);

/** Settings a person asked for, checked against the rule file's roles. */
function settingsFor(body: CreateMatchSettings, rules: RuleFile, rulesName: string): { settings?: MatchSettings; errors: string[] } {
  const errors: string[] = [];
  const roleIds = rules.roles.map((r) => r.id);
  for (const k of Object.keys(body.seats)) if (!roleIds.includes(k)) errors.push(`seats.${k}: there is no role "${k}" (roles: ${roleIds.join(', ')})`);
  for (const k of Object.keys(body.bots)) if (!roleIds.includes(k)) errors.push(`bots.${k}: there is no role "${k}" (roles: ${roleIds.join(', ')})`);
  const seats: Record<string, number> = {};
  const bots: MatchSettings['bots'] = {};
  // a class size shares its students out over the roles whose seats were not given, up to 10 a team
  const unsized = roleIds.filter((id) => body.seats[id] === undefined);
  const perTeam = body.classSize !== undefined && unsized.length ? Math.min(10, Math.max(1, Math.ceil(body.classSize / unsized.length))) : null;
  for (const id of roleIds) {
    seats[id] = body.seats[id] ?? perTeam ?? (body.mode === 'class' ? 3 : 1);
    bots[id] = body.bots[id] ?? 'status-quo';
  }
  if (Object.values(seats).every((n) => n === 0)) errors.push('seats: at least one role needs a seat for a person');
  // a lesson's length gives its plan: the quarters and timers it fits, unless given outright
  const plan = body.lessonMinutes !== undefined ? lessonPlan(body.lessonMinutes, rules) : null;
  if (plan?.problems.length) errors.push(...plan.problems.map((p) => `lessonMinutes: ${p}`));
  const scale = testTimeScale();
  const timers = Object.fromEntries(Object.entries({ ...(body.mode === 'class' ? CLASS_TIMERS : NO_TIMERS), ...plan?.timers, ...body.timers })
    .map(([k, v]) => [k, scale === 1 ? v : Math.round(v * scale * 1000) / 1000])) as MatchSettings['timers'];
  const turns = body.turns ?? plan?.quarters;
  if (turns !== undefined && turns > rules.calendar.turns) errors.push(`turns: the rule file has ${rules.calendar.turns} quarters; a match can play at most that many`);
  if (errors.length) return { errors };
  const lesson = { ...(turns !== undefined && turns < rules.calendar.turns ? { turns } : {}), ...(plan ? { lessonMinutes: plan.minutes } : {}) };
  return { errors, settings: { mode: body.mode, visibility: body.mode === 'class' ? 'private' : body.visibility, rulesName, seats, bots, timers, botTakeoverSeconds: body.botTakeoverSeconds, agents: body.agents ?? body.mode === 'online', ...lesson, ...(body.mode === 'class' && body.approval ? { approval: true } : {}) } };
}

/**
 * A retried creation (same Idempotency-Key) answers with the same facilitator key without storing it: the key is
 * derived from the idempotency key with the deployment's INTERNAL_TOKEN, so any process of the cluster derives it.
 */
function facilitatorKeyFor(services: ServerContext, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return secretToken();
  return createHmac('sha256', services.internalToken).update(`facilitator-key:${idempotencyKey}`).digest('base64url').slice(0, 22);
}

/** Opens the match's room now if it can; a stored match is answered either way (its room opens on the first ask by code). */
async function openIfPossible(services: ServerContext, header: MatchHeader): Promise<string | null> {
  try {
    return await roomsOf(services).roomFor(header);
  } catch (err) {
    services.logger.warn({ match: header.code, err: (err as Error).message }, 'match stored, its room did not open yet');
    return null;
  }
}

async function createMatch(services: ServerContext, settings: MatchSettings, rulesText: string, idempotencyKey?: string): Promise<{ header: MatchHeader; facilitatorKey: string | null; roomId: string | null; created: boolean }> {
  const { store } = services;
  const again = async () => {
    const header = (await store.findByIdempotencyKey(idempotencyKey!))!;
    return { header, facilitatorKey: header.facilitatorKeyHash ? facilitatorKeyFor(services, idempotencyKey) : null, roomId: header.status === 'open' ? await openIfPossible(services, header) : null, created: false };
  };
  if (idempotencyKey && (await store.findByIdempotencyKey(idempotencyKey))) return again();
  const facilitatorKey = settings.mode === 'class' ? facilitatorKeyFor(services, idempotencyKey) : null;
  let code = joinCode();
  for (let i = 0; i < 20 && (await store.findByCode(code)); i++) code = joinCode();
  const header: MatchHeader = {
    id: newId(), code, createdAt: new Date().toISOString(), settings, rulesText, seed: newSeed(),
    facilitatorKeyHash: facilitatorKey ? hashSecret(facilitatorKey) : null, status: 'open',
  };
  try {
    await store.createMatch(header, idempotencyKey ? { idempotencyKey } : undefined);
  } catch (err) {
    // the same request, retried while the first was being stored
    if (err instanceof DuplicateIdempotencyKeyError) return again();
    throw err;
  }
  return { header, facilitatorKey, roomId: await openIfPossible(services, header), created: true };
}

/** The client's Idempotency-Key header: undefined when absent, null when malformed. */
function idempotencyKeyOf(req: Request): string | undefined | null {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  return /^[\x21-\x7e]{8,200}$/.test(key) ? key : null;
}

function facilitatorKeyOf(req: Request): string | undefined {
  const h = req.get('x-facilitator-key');
  if (h) return h;
  return typeof req.query.key === 'string' ? req.query.key : undefined;
}

/** Mounts the API on the app, with this server's services (store, logger, limits, rule files). */
export function mountApi(app: Application, services: ServerContext): void {
  let rulesCache: Map<string, { text: string; rules: RuleFile }> | null = null;
  const rulesFiles = () => (rulesCache ??= shippedRules(services));
  const allowCreate = creationAllowance(() => services.limits.matchesPerMinutePerIp);
  const rooms = roomsOf(services);
  const lobby = new Lobby(services.store, rooms);
  app.use('/api', express.json({ limit: services.limits.maxRulesBytes * 2 }));

  // where phones in the room open the join link (server/http/join-base.ts): PUBLIC_URL, else a local server's LAN address
  app.get('/api/join-base', (req, res) => {
    res.json(joinBase({ protocol: req.protocol, hostname: req.hostname, port: req.socket.localPort ?? 80 }));
  });

  app.get('/api/rules', (_req, res) => {
    res.json([...rulesFiles()].map(([name, { rules }]) => ({
      name, title: rules.name, description: rules.description, turns: rules.calendar.turns, calendar: { ...rules.calendar },
      roles: rules.roles.map((r) => ({ id: r.id, name: r.name, side: r.side, kind: r.kind, blurb: r.blurb })),
    }) satisfies RulesSummary));
  });

  app.post('/api/rules/check', async (req, res) => {
    const text = typeof req.body?.text === 'string' ? req.body.text : null;
    if (text === null) return problem(res, 400, 'invalid', 'send {"text": "<the rule file>"}');
    if (Buffer.byteLength(text) > services.limits.maxRulesBytes) return problem(res, 413, 'too-large', `a rule file can be at most ${services.limits.maxRulesBytes} bytes`);
    const name = typeof req.body?.name === 'string' ? req.body.name.slice(0, 100) : 'upload.yaml';
    const checked = await checkRulesOffThread(text, name);
    if ('unchecked' in checked) return checked.unchecked === 'busy' ? problem(res, 503, 'busy', checked.message) : res.json({ ok: false, problems: [`${name}:1:1  (file)  ${checked.message}`] } satisfies RulesCheckAnswer);
    res.json({ ok: !!checked.rules, problems: boundedDetails(problemLines(checked.problems)) } satisfies RulesCheckAnswer);
  });

  app.post('/api/matches', async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    if (idempotencyKey === null) return problem(res, 400, 'invalid', 'the Idempotency-Key header must be 8 to 200 printable characters (a random UUID will do)');
    const parsed = createMatchBody.safeParse(req.body ?? {});
    if (!parsed.success) return problem(res, 400, 'invalid', 'the match settings are not valid', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    const body = parsed.data;
    let rulesText: string, rules: RuleFile, rulesName: string;
    if (typeof body.rules === 'string') {
      const file = rulesFiles().get(body.rules);
      if (!file) return problem(res, 400, 'no-such-rules', `there is no rule file "${body.rules}" (available: ${[...rulesFiles().keys()].join(', ')})`);
      ({ text: rulesText, rules } = file);
      rulesName = body.rules;
    } else {
      if (Buffer.byteLength(body.rules.upload) > services.limits.maxRulesBytes) return problem(res, 413, 'too-large', `a rule file can be at most ${services.limits.maxRulesBytes} bytes`);
      const checked = await checkRulesOffThread(body.rules.upload, 'upload.yaml');
      if ('unchecked' in checked) return checked.unchecked === 'busy' ? problem(res, 503, 'busy', checked.message) : problem(res, 400, 'rules-problems', checked.message, [`upload.yaml:1:1  (file)  ${checked.message}`]);
      if (!checked.rules) return problem(res, 400, 'rules-problems', 'the uploaded rule file has problems', problemLines(checked.problems));
      rulesText = body.rules.upload;
      rules = checked.rules;
      rulesName = 'upload';
    }
    const { settings, errors } = settingsFor(body, rules, rulesName);
    if (!settings) return problem(res, 400, 'invalid', 'the match settings do not fit the rule file', errors);
    // only a request that would create a match uses the allowance: a refused one (400, 413) does not
    if (!allowCreate(clientIp(req))) return problem(res, 429, 'too-many', `at most ${services.limits.matchesPerMinutePerIp} matches a minute from one address; try again shortly`);
    const { header, facilitatorKey, roomId, created } = await createMatch(services, settings, rulesText, idempotencyKey);
    if (created) services.logger.info({ match: header.code, mode: settings.mode, rules: rulesName }, 'match created');
    res.status(created ? 201 : 200).json({ matchId: header.id, code: header.code, roomId, facilitatorKey, joinUrl: `/join/${header.code}` } satisfies CreatedMatch);
  });

  // from the store, so a match whose process died is listed too (and resumed by the first ask for it)
  app.get('/api/matches', async (_req, res) => {
    res.json((await lobby.publicMatches()).map((m) => ({ code: m.code, title: m.title, phase: m.phase as Phase, openSeats: m.openSeats }) satisfies PublicMatch));
  });

  app.post('/api/quickplay', async (req, res) => {
    const open = (await lobby.publicMatches()).filter((m) => m.mode === 'online' && m.phase === 'lobby' && m.openSeats > 0)
      .sort((a, b) => a.openSeats - b.openSeats);
    for (const m of open) {
      const header = await services.store.findByCode(m.code);
      const roomId = header?.status === 'open' ? await openIfPossible(services, header) : null;
      if (roomId) return res.json({ code: m.code, roomId, created: false } satisfies QuickPlayAnswer);
    }
    if (!allowCreate(clientIp(req))) return problem(res, 429, 'too-many', 'too many new matches from this address; try again shortly');
    const file = rulesFiles().get('default.yaml')!;
    const { settings } = settingsFor(createMatchBody.parse({ mode: 'online', visibility: 'public' }), file.rules, 'default.yaml');
    const { header, roomId } = await createMatch(services, settings!, file.text);
    if (!roomId) return problem(res, 503, 'server-error', 'the new match could not be opened yet; try again shortly');
    res.json({ code: header.code, roomId, created: true } satisfies QuickPlayAnswer);
  });

  app.get('/api/matches/:code', async (req, res) => {
    const code = normaliseCode(req.params.code);
    const header = await services.store.findByCode(code);
    if (!header) return problem(res, 404, 'not-found', `no match has the code ${code}`);
    const rules = rulesOfMatch(header);
    let roomId: string | null = null;
    try {
      roomId = header.status === 'open' ? await rooms.roomFor(header) : null;
    } catch (err) {
      if (isDamaged(err)) return damaged(res, code, err);
      // no process could open it now (Redis down, the store down): the client asks again
      services.logger.warn({ match: code, err: (err as Error).message }, 'no room for the match yet');
      return problem(res, 503, 'server-error', 'the match cannot be opened right now; try again in a moment');
    }
    const live = roomId ? await liveListing(roomId) : null;
    const phase = live?.phase ?? null;
    res.json({
      code, status: header.status, mode: header.settings.mode, title: rules.name, roomId, phase: (phase ?? (roomId ? 'lobby' : 'ended')) as Phase,
      roles: rules.roles.map((r) => ({ id: r.id, name: r.name, side: r.side, seats: live?.seats?.[r.id] ?? header.settings.seats[r.id] ?? 0 })),
    } satisfies MatchInfo);
  });

  // the match's rule file as JSON (public content: roles, levers and their help, regions, events, proposals, endings)
  app.get('/api/matches/:code/rules', async (req, res) => {
    const code = normaliseCode(req.params.code);
    const header = await services.store.findByCode(code);
    if (!header) return problem(res, 404, 'not-found', `no match has the code ${code}`);
    // the facilitator may have added or dropped quarters since the set-up: the room holding the match says how many
    // (every student's join asks), and for a match no room holds, the latest plan in its log does
    const roomId = await rooms.liveHolder(header.id).catch(() => null);
    let turns = roomId ? (await liveListing(roomId))?.turns : undefined;
    if (turns === undefined) for (const { entry } of (await services.store.load(header.id))?.entries ?? []) if (entry.kind === 'plan') turns = entry.turns;
    res.json(withTurns(rulesOfMatch(header), turns));
  });

  const loadRecord = async (req: Request, res: Response) => {
    const code = normaliseCode(String(req.params.code));
    const header = await services.store.findByCode(code);
    if (!header) { problem(res, 404, 'not-found', `no match has the code ${code}`); return null; }
    const loaded = (await services.store.load(header.id))!;
    const rules = rulesOfMatch(header);
    const key = facilitatorKeyOf(req);
    const keyOk = !!key && !!header.facilitatorKeyHash && secretMatches(key, header.facilitatorKeyHash);
    if (key && !keyOk) { problem(res, 403, 'wrong-key', 'that facilitator key is not this match\'s'); return null; }
    const full = keyOk || header.status === 'finished';
    // private chat only with the key, also once the match is over
    return matchRecord(rules, loaded.header, loaded.entries, { full, keyed: keyOk });
  };

  app.get('/api/matches/:code/record', async (req, res) => {
    const record = await loadRecord(req, res);
    if (record) res.json(record);
  });
  app.get('/api/matches/:code/timeline.csv', async (req, res) => {
    const record = await loadRecord(req, res);
    if (record) res.type('text/csv').attachment(`${req.params.code}-timeline.csv`).send(timelineCsv(record));
  });
  app.get('/api/matches/:code/decisions.csv', async (req, res) => {
    const record = await loadRecord(req, res);
    if (!record) return;
    if (!record.full) return problem(res, 403, 'private', 'decisions are private until the match ends (or use the facilitator key)');
    res.type('text/csv').attachment(`${req.params.code}-decisions.csv`).send(decisionsCsv(record));
  });

  app.use('/api', (_req, res) => { problem(res, 404, 'not-found', 'no such API route; see docs/protocol.md'); });
  // express 5: errors in async handlers arrive here; a bad JSON body gets a clear answer, never a stack trace
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: unknown) => {
    if (err.type === 'entity.parse.failed') return problem(res, 400, 'invalid', 'the request body is not valid JSON');
    if (err.type === 'entity.too.large') return problem(res, 413, 'too-large', 'the request body is too large');
    if (isDamaged(err)) return damaged(res, normaliseCode(/^\/api\/matches\/([^/]+)/.exec(req.path)?.[1] ?? '?'), err);
    // the unexpected: logged with its stack and the request's id, which the caller gets to quote
    const requestId = requestIdOf(res);
    services.logger.error({ requestId, method: req.method, path: req.path, err: err.message, stack: err.stack }, 'request failed');
    res.status(err.status && err.status >= 400 ? err.status : 500).json({ error: `the server could not handle that request (request ${requestId})`, code: 'server-error', requestId } satisfies HttpErrorBody);
  });
  const damaged = (res: Response, code: string, err: unknown) => {
    services.logger.error({ match: code, requestId: requestIdOf(res), err: (err as Error).message }, 'a damaged match was asked for');
    return problem(res, 500, 'damaged', `match ${code} is damaged in the store and cannot be opened: ${(err as Error).message}; an operator can restore it from a backup`);
  };
}
