// The debrief routes: a match's after-action report, forking it at a quarter into a new match, comparing its branches.
import type { Application, Request, Response } from 'express';
import express from 'express';
import type { ServerContext } from '../context.ts';
import type { HttpErrorCode } from '../../shared/protocol/errors.ts';
import type { HttpErrorBody } from '../../shared/protocol/http.ts';
import { forkBody, type ForkAnswer } from '../../shared/protocol/debrief.ts';
import { newMatch } from '../../shared/match/match.ts';
import { applyAll } from '../../shared/match/apply.ts';
import { forkEntries, forkOrigin, forkRefused } from '../../shared/debrief/fork.ts';
import { compareBranches, type BranchInput } from '../../shared/debrief/compare.ts';
import { classReportRows, CLASS_REPORT_COLUMNS } from '../../shared/debrief/class-report.ts';
import { toCsv } from '../record/export.ts';
import type { Debrief } from '../../shared/debrief/debrief.ts';
import type { OddsCurve } from '../../shared/debrief/odds.ts';
import { hashSecret, joinCode, newId, normaliseCode, secretMatches } from '../security.ts';
import { rulesOfMatch } from '../match-rules.ts';
import type { MatchHeader, StoredEntry } from '../store/types.ts';
import { roomForMatch } from './api.ts';
import type { DebriefWorker } from '../debrief-worker.ts';

const problem = (res: Response, status: number, code: HttpErrorCode, message: string, details?: string[]) => res.status(status).json({ error: message, code, ...(details ? { details } : {}) } satisfies HttpErrorBody);

function facilitatorKeyOf(req: Request): string | undefined {
  const h = req.get('x-facilitator-key');
  if (h) return h;
  return typeof req.query.key === 'string' ? req.query.key : undefined;
}

/** Whether the request may see this match's true numbers: its facilitator key, or the match is over (the record's rule). */
function access(req: Request, header: MatchHeader): 'full' | 'public' | 'wrong-key' {
  const key = facilitatorKeyOf(req);
  const keyOk = !!key && !!header.facilitatorKeyHash && secretMatches(key, header.facilitatorKeyHash);
  if (key && !keyOk) return 'wrong-key';
  return keyOk || header.status === 'finished' ? 'full' : 'public';
}

/** At most `perMinute()` forks a minute from one address (forks are new matches: the creation limit applies). */
function forkAllowance(perMinute: () => number): (ip: string) => boolean {
  const made = new Map<string, number[]>();
  return (ip) => {
    const now = Date.now();
    const recent = (made.get(ip) ?? []).filter((t) => now - t < 60_000);
    const ok = recent.length < perMinute();
    if (ok) recent.push(now);
    made.set(ip, recent);
    return ok;
  };
}

const MAX_COMPARED = 12;
const DEFAULT_SEEDS = 200;
const MAX_SEEDS = 500;
const CACHED = 32;

/** Mounts the routes (before the API's catch-all 404); the debrief is computed in `worker`. */
export function mountDebrief(app: Application, services: ServerContext, worker: DebriefWorker): void {
  const { store, logger } = services;
  // a debrief depends only on the log: one per match and log length is kept
  const cache = new Map<string, { lastSeq: number; debrief: Debrief }>();
  const json = express.json({ limit: 16 * 1024 });
  const allowFork = forkAllowance(() => services.limits.matchesPerMinutePerIp);

  /** The match's debrief, computed in the worker once per log length. */
  const report = async (header: MatchHeader, entries: StoredEntry[]): Promise<Debrief> => {
    const lastSeq = entries[entries.length - 1]?.seq ?? 0;
    let hit = cache.get(header.id);
    if (!hit || hit.lastSeq !== lastSeq) {
      const t = performance.now();
      hit = { lastSeq, debrief: await worker.run(header, entries) };
      logger.info({ match: header.code, ms: Math.round(performance.now() - t), workerMs: Math.round(worker.lastMs) }, 'debrief computed');
      cache.delete(header.id);
      cache.set(header.id, hit);
      if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
    }
    return hit.debrief;
  };

  const find = async (req: Request, res: Response): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null> => {
    const code = normaliseCode(String(req.params.code));
    const header = await store.findByCode(code);
    if (!header) { problem(res, 404, 'not-found', `no match has the code ${code}`); return null; }
    return (await store.load(header.id))!;
  };

  app.get('/api/matches/:code/debrief', async (req, res) => {
    const loaded = await find(req, res);
    if (!loaded) return;
    const { header, entries } = loaded;
    const seen = access(req, header);
    if (seen === 'wrong-key') return problem(res, 403, 'wrong-key', 'that facilitator key is not this match\'s');
    if (seen !== 'full') return problem(res, 403, 'private', 'the debrief of a match being played is the facilitator\'s alone (use the facilitator key), or wait for the end');
    const debrief = await report(header, entries);
    res.json({ ...debrief, code: header.code, status: header.status, forkedFrom: header.settings.forkedFrom ?? null });
  });

  // the odds of each ending as the match went on: the rest re-run by the bots from each quarter, `seeds` times
  const oddsCache = new Map<string, { key: string; odds: OddsCurve }>();
  app.get('/api/matches/:code/odds', async (req, res) => {
    const seeds = req.query.seeds === undefined ? DEFAULT_SEEDS : Number(req.query.seeds);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_SEEDS) return problem(res, 400, 'invalid', `seeds is a whole number from 1 to ${MAX_SEEDS}`);
    const loaded = await find(req, res);
    if (!loaded) return;
    const { header, entries } = loaded;
    const seen = access(req, header);
    if (seen === 'wrong-key') return problem(res, 403, 'wrong-key', 'that facilitator key is not this match\'s');
    if (seen !== 'full') return problem(res, 403, 'private', 'the odds of a match being played are the facilitator\'s alone (use the facilitator key), or wait for the end');
    const key = `${entries[entries.length - 1]?.seq ?? 0}/${seeds}`;
    let hit = oddsCache.get(header.id);
    if (!hit || hit.key !== key) {
      const t = performance.now();
      hit = { key, odds: await worker.odds(header, entries, seeds) };
      logger.info({ match: header.code, seeds, ms: Math.round(performance.now() - t), quarters: hit.odds.quartersResolved }, 'odds curve computed');
      oddsCache.delete(header.id);
      oddsCache.set(header.id, hit);
      if (oddsCache.size > CACHED) oddsCache.delete(oddsCache.keys().next().value!);
    }
    res.json({ ...hit.odds, code: header.code });
  });

  // the teacher's class report: per team and person, drafts, submissions, quarters decided, chat, proposals
  app.get('/api/matches/:code/class-report.csv', async (req, res) => {
    const loaded = await find(req, res);
    if (!loaded) return;
    const { header, entries } = loaded;
    const seen = access(req, header);
    if (seen === 'wrong-key') return problem(res, 403, 'wrong-key', 'that facilitator key is not this match\'s');
    if (seen !== 'full') return problem(res, 403, 'private', 'the class report is the facilitator\'s until the match ends (use the facilitator key)');
    const debrief = await report(header, entries);
    const m = applyAll(newMatch(header.settings, rulesOfMatch(header), header.seed), entries);
    res.type('text/csv').attachment(`${header.code}-class-report.csv`).send(toCsv(CLASS_REPORT_COLUMNS, classReportRows(m, entries, debrief.report)));
  });

  app.post('/api/matches/:code/fork', json, async (req, res) => {
    const parsed = forkBody.safeParse(req.body ?? {});
    if (!parsed.success) return problem(res, 400, 'invalid', 'send {"quarter": N} (and, online, "seatToken")', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    const loaded = await find(req, res);
    if (!loaded) return;
    const t = performance.now();
    const { header, entries } = loaded;
    const seatToken = parsed.data.seatToken ?? req.get('x-seat-token') ?? undefined;
    if (header.settings.mode === 'class') {
      const seen = access(req, header);
      if (seen === 'wrong-key') return problem(res, 403, 'wrong-key', 'that facilitator key is not this match\'s');
      if (!facilitatorKeyOf(req)) return problem(res, 403, 'not-allowed', 'a class match is forked by its facilitator: send the facilitator key');
    } else {
      if (header.status !== 'finished') return problem(res, 403, 'not-allowed', 'an online match can be forked once it is over');
      if (!seatToken) return problem(res, 403, 'not-allowed', 'send the seat token of a person who played this match');
      const hash = hashSecret(seatToken);
      if (!entries.some((e) => e.entry.kind === 'person' && e.entry.tokenHash === hash && e.entry.role !== null)) return problem(res, 403, 'unknown-token', 'that seat token is not for a seat in this match');
    }
    const rules = rulesOfMatch(header);
    const original = applyAll(newMatch(header.settings, rules, header.seed), entries);
    const quarter = parsed.data.quarter;
    const refused = forkRefused(original, quarter);
    if (refused) return problem(res, 400, 'invalid', `cannot fork at quarter ${quarter}: ${refused}`);
    if (!allowFork(req.ip ?? req.socket.remoteAddress ?? 'unknown')) return problem(res, 429, 'too-many', `at most ${services.limits.matchesPerMinutePerIp} forks a minute from one address; try again shortly`);
    const log = forkEntries(entries, quarter);
    let code = joinCode();
    for (let i = 0; i < 20 && (await store.findByCode(code)); i++) code = joinCode();
    const forkedFrom = forkOrigin(header.code, header.settings, quarter);
    const child: MatchHeader = {
      id: newId(), code, createdAt: new Date().toISOString(),
      // a fork is found by its code; a class fork stays the same teacher's (same key)
      settings: { ...structuredClone(header.settings), visibility: 'private', forkedFrom },
      rulesText: header.rulesText, seed: header.seed, facilitatorKeyHash: header.facilitatorKeyHash, status: 'open',
    };
    await store.createMatch(child);
    for (const entry of log) await store.append(child.id, entry);
    const roomId = await roomForMatch(child, services.internalToken);
    const ms = performance.now() - t;
    logger.info({ match: code, from: header.code, quarter, entries: log.length, ms: Math.round(ms) }, 'match forked');
    res.status(201).json({
      matchId: child.id, code, roomId, facilitatorKey: header.settings.mode === 'class' ? facilitatorKeyOf(req)! : null,
      joinUrl: `/join/${code}`, forkedFrom, replayed: log.length, ms,
    } satisfies ForkAnswer);
  });

  app.get('/api/matches/:code/compare', async (req, res) => {
    const loaded = await find(req, res);
    if (!loaded) return;
    const seen = access(req, loaded.header);
    if (seen === 'wrong-key') return problem(res, 403, 'wrong-key', 'that facilitator key is not this match\'s');
    if (seen !== 'full') return problem(res, 403, 'private', 'the branches of a match being played are the facilitator\'s alone (use the facilitator key), or wait for the end');
    const base = loaded.header;
    const asked = typeof req.query.with === 'string' ? req.query.with.split(',').map(normaliseCode).filter(Boolean) : null;
    const headers: MatchHeader[] = [];
    if (asked) {
      for (const code of asked.slice(0, MAX_COMPARED)) {
        const h = await store.findByCode(code);
        if (!h) return problem(res, 404, 'not-found', `no match has the code ${code}`);
        headers.push(h);
      }
    } else {
      // the match's descendants: forks of it and forks of those (the most recent matches are searched)
      for (const s of (await store.list()).slice(-500)) {
        if (headers.length >= MAX_COMPARED) break;
        if (s.code === base.code) continue;
        const h = await store.findByCode(s.code);
        const from = h?.settings.forkedFrom;
        if (h && from && (from.match === base.code || from.ancestors.some((a) => a.match === base.code))) headers.push(h);
      }
    }
    // nearest forks first, then by when they were made
    if (!asked) headers.sort((a, b) => a.settings.forkedFrom!.ancestors.length - b.settings.forkedFrom!.ancestors.length || a.createdAt.localeCompare(b.createdAt));
    const branches: BranchInput[] = [];
    for (const h of [base, ...headers]) {
      const l = h === base ? loaded : (await store.load(h.id))!;
      branches.push({ code: h.code, settings: h.settings, rules: rulesOfMatch(h), seed: h.seed, entries: l.entries, visible: access(req, h) === 'full' });
    }
    res.json(compareBranches(branches));
  });
}
