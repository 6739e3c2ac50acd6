// The HTTP API: create and find matches, quick play, records and CSV exports, health.
import type { Application, Request, Response } from 'express';
import express from 'express';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchMaker } from '@colyseus/core';
import { checkRulesText, formatProblem } from '../../shared/rules/check.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import { createMatchBody, type CreateMatchSettings, type CreatedMatch, type HttpErrorBody, type MatchInfo, type PublicMatch, type QuickPlayAnswer, type RulesSummary, type RulesCheckAnswer, type Health } from '../../shared/protocol/http.ts';
import type { HttpErrorCode } from '../../shared/protocol/errors.ts';
import type { Phase } from '../../shared/match/phases.ts';
import type { ServerContext } from '../context.ts';
import { joinCode, normaliseCode, secretToken, hashSecret, newId, newSeed, secretMatches } from '../security.ts';
import type { MatchHeader, MatchSettings } from '../store/types.ts';
import type { MatchRoomMetadata } from '../rooms/MatchRoom.ts';
import { matchRecord, timelineCsv, decisionsCsv } from '../record/export.ts';
import { rulesOfMatch } from '../match-rules.ts';
import { checkRulesOffThread, problemLines } from '../rules-checker.ts';
import { boundedDetails } from './guard.ts';

const CLASS_TIMERS = { briefing: 120, negotiation: 240, orders: 240, report: 120 };
const NO_TIMERS = { briefing: 0, negotiation: 0, orders: 0, report: 0 };

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

async function liveRoomFor(code: string): Promise<{ roomId: string; metadata: MatchRoomMetadata } | null> {
  const rooms = await matchMaker.query({ name: 'match' });
  const room = rooms.find((r) => (r.metadata as MatchRoomMetadata | undefined)?.code === code);
  if (!room) return null;
  // with several processes, a room listed by a process that died (SIGKILL) is stale: the health check
  // removes its listings, and the match is then resumed here from the shared store
  if (room.processId && room.processId !== matchMaker.processId && !(await matchMaker.healthCheckProcessId(room.processId))) return null;
  return { roomId: room.roomId, metadata: room.metadata as MatchRoomMetadata };
}

/** The room holding a match, brought back from the store if no process has it (after a restart, or once disposed). */
export async function roomForMatch(header: MatchHeader, internalToken: string): Promise<string> {
  const live = await liveRoomFor(header.code);
  if (live) return live.roomId;
  const room = await matchMaker.createRoom('match', { matchId: header.id, internal: internalToken });
  return room.roomId;
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
  for (const id of roleIds) {
    seats[id] = body.seats[id] ?? (body.mode === 'class' ? 3 : 1);
    bots[id] = body.bots[id] ?? 'status-quo';
  }
  if (Object.values(seats).every((n) => n === 0)) errors.push('seats: at least one role needs a seat for a person');
  const timers = { ...(body.mode === 'class' ? CLASS_TIMERS : NO_TIMERS), ...body.timers };
  if (errors.length) return { errors };
  return { errors, settings: { mode: body.mode, visibility: body.mode === 'class' ? 'private' : body.visibility, rulesName, seats, bots, timers, botTakeoverSeconds: body.botTakeoverSeconds, agents: body.agents ?? body.mode === 'online' } };
}

async function createMatch(services: ServerContext, settings: MatchSettings, rulesText: string): Promise<{ header: MatchHeader; facilitatorKey: string | null; roomId: string }> {
  const { store } = services;
  const facilitatorKey = settings.mode === 'class' ? secretToken() : null;
  let code = joinCode();
  for (let i = 0; i < 20 && (await store.findByCode(code)); i++) code = joinCode();
  const header: MatchHeader = {
    id: newId(), code, createdAt: new Date().toISOString(), settings, rulesText, seed: newSeed(),
    facilitatorKeyHash: facilitatorKey ? hashSecret(facilitatorKey) : null, status: 'open',
  };
  await store.createMatch(header);
  const roomId = await roomForMatch(header, services.internalToken);
  return { header, facilitatorKey, roomId };
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
  app.use('/api', express.json({ limit: services.limits.maxRulesBytes * 2 }));

  // what an operator (or the soak script) watches: open rooms, connected clients and memory of this process
  app.get('/healthz', (_req, res) => {
    const { rss, heapUsed } = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    res.json({ ok: true, uptimeSeconds: Math.round(process.uptime()), rooms: matchMaker.stats.local.roomCount, clients: matchMaker.stats.local.ccu, memoryMB: { rss: mb(rss), heapUsed: mb(heapUsed) } } satisfies Health);
  });

  app.get('/api/rules', (_req, res) => {
    res.json([...rulesFiles()].map(([name, { rules }]) => ({
      name, title: rules.name, description: rules.description, turns: rules.calendar.turns,
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
    const { header, facilitatorKey, roomId } = await createMatch(services, settings, rulesText);
    services.logger.info({ match: header.code, mode: settings.mode, rules: rulesName }, 'match created');
    res.status(201).json({ matchId: header.id, code: header.code, roomId, facilitatorKey, joinUrl: `/join/${header.code}` } satisfies CreatedMatch);
  });

  app.get('/api/matches', async (_req, res) => {
    const rooms = await matchMaker.query({ name: 'match' });
    res.json(rooms.map((r) => r.metadata as MatchRoomMetadata).filter((m) => m && m.visibility === 'public' && m.phase !== 'ended')
      .map((m) => ({ code: m.code, title: m.title, phase: m.phase as Phase, openSeats: m.openSeats }) satisfies PublicMatch));
  });

  app.post('/api/quickplay', async (req, res) => {
    const rooms = await matchMaker.query({ name: 'match' });
    const open = rooms.map((r) => ({ roomId: r.roomId, m: r.metadata as MatchRoomMetadata }))
      .filter(({ m }) => m && m.visibility === 'public' && m.mode === 'online' && m.phase === 'lobby' && m.openSeats > 0)
      .sort((a, b) => a.m.openSeats - b.m.openSeats);
    if (open.length) return res.json({ code: open[0].m.code, roomId: open[0].roomId, created: false } satisfies QuickPlayAnswer);
    if (!allowCreate(clientIp(req))) return problem(res, 429, 'too-many', 'too many new matches from this address; try again shortly');
    const file = rulesFiles().get('default.yaml')!;
    const { settings } = settingsFor(createMatchBody.parse({ mode: 'online', visibility: 'public' }), file.rules, 'default.yaml');
    const { header, roomId } = await createMatch(services, settings!, file.text);
    res.json({ code: header.code, roomId, created: true } satisfies QuickPlayAnswer);
  });

  app.get('/api/matches/:code', async (req, res) => {
    const code = normaliseCode(req.params.code);
    const header = await services.store.findByCode(code);
    if (!header) return problem(res, 404, 'not-found', `no match has the code ${code}`);
    const rules = rulesOfMatch(header);
    const roomId = header.status === 'open' ? await roomForMatch(header, services.internalToken) : null;
    const live = roomId ? await liveRoomFor(code) : null;
    res.json({
      code, status: header.status, mode: header.settings.mode, title: rules.name, roomId, phase: (live?.metadata.phase ?? 'ended') as Phase,
      roles: rules.roles.map((r) => ({ id: r.id, name: r.name, side: r.side, seats: header.settings.seats[r.id] ?? 0 })),
    } satisfies MatchInfo);
  });

  // the match's rule file as JSON (public content: roles, levers and their help, regions, events, proposals, endings)
  app.get('/api/matches/:code/rules', async (req, res) => {
    const code = normaliseCode(req.params.code);
    const header = await services.store.findByCode(code);
    if (!header) return problem(res, 404, 'not-found', `no match has the code ${code}`);
    res.json(rulesOfMatch(header));
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
    return matchRecord(rules, loaded.header, loaded.entries, { full });
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
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: unknown) => {
    if (err.type === 'entity.parse.failed') return problem(res, 400, 'invalid', 'the request body is not valid JSON');
    if (err.type === 'entity.too.large') return problem(res, 413, 'too-large', 'the request body is too large');
    services.logger.error({ err: err.message }, 'request failed');
    problem(res, err.status ?? 500, 'server-error', 'the server could not handle that request');
  });
}
