// The debrief routes on a real server: who may read a report, forks that replay byte for byte, forks of forks, branches compared.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bootServer, api } from '../helpers/server.ts';
import { defaultRules, rulesPath } from '../helpers/rules.ts';
import { botMatchLog } from '../../shared/debrief/bot-log.ts';
import { prepare } from '../../shared/debrief/branch.ts';
import { oddsCurve } from '../../shared/debrief/odds.ts';
import { replayMatch } from '../../server/record/replay.ts';
import { hashSecret, newId, joinCode } from '../../server/security.ts';
import type { LogEntry, MatchHeader, StoredEntry } from '../../server/store/types.ts';
import type { Debrief } from '../../shared/debrief/debrief.ts';
import type { Comparison } from '../../shared/debrief/compare.ts';
import type { ForkAnswer } from '../../shared/protocol/debrief.ts';
import type { RunningServer } from '../../server/main.ts';

const rules = defaultRules();
const rulesText = readFileSync(rulesPath('default.yaml'), 'utf8');
const BOTS = { usGov: 'opportunist', usLab: 'dove', cnGov: 'hawk', cnLab: 'random' } as const;
const KEY = 'teacher-key-0123456789';
const SEAT = 'seat-token-of-ana-0123';

let server: RunningServer & { base: string };
beforeAll(async () => { server = await bootServer(); });
afterAll(async () => { await server?.close(); });

/** Writes a bot-played match into the server's store, as if it had been played there (optionally cut after `quarters`). */
async function storeMatch(seed: number, opts: { mode?: 'class' | 'online'; quarters?: number; person?: boolean } = {}) {
  const played = botMatchLog(rules, seed, { bots: BOTS });
  let entries: LogEntry[] = played.entries.map((e) => e.entry);
  if (opts.quarters !== undefined) {
    let resolves = 0;
    const cut = entries.findIndex((e) => e.kind === 'resolve' && ++resolves === opts.quarters);
    entries = entries.slice(0, cut + 1);
  }
  if (opts.person) entries.unshift({ kind: 'person', personId: 'ana', name: 'Ana', role: 'usGov', spectator: false, tokenHash: hashSecret(SEAT) });
  const mode = opts.mode ?? 'class';
  const header: MatchHeader = {
    id: newId(), code: joinCode(), createdAt: new Date().toISOString(), settings: { ...played.settings, mode, rulesName: 'default.yaml' }, rulesText, seed,
    facilitatorKeyHash: mode === 'class' ? hashSecret(KEY) : null, status: 'open',
  };
  await server.store.createMatch(header);
  for (const e of entries) await server.store.append(header.id, e);
  const finished = opts.quarters === undefined;
  if (finished) await server.store.setStatus(header.id, 'finished');
  return { header, played };
}

const load = async (code: string) => {
  const h = (await server.store.findByCode(code))!;
  return (await server.store.load(h.id))!;
};
const stateJson = (entries: StoredEntry[], header: MatchHeader) => JSON.stringify(replayMatch(rules, header, entries).state);
const withKey = { 'x-facilitator-key': KEY };

describe('the debrief report route', () => {
  it('is anyone\'s once the match is over; a running class\'s is the facilitator\'s alone', async () => {
    const done = await storeMatch(11);
    const open = await api<Debrief>(server.base, `/api/matches/${done.header.code}/debrief`);
    expect(open.status).toBe(200);
    expect(open.body.finished).toBe(true);
    expect(open.body.report.top.length).toBeGreaterThan(0);
    expect((await api(server.base, `/api/matches/${done.header.code}/debrief`, undefined, { 'x-facilitator-key': 'wrong' })).status).toBe(403);

    const running = await storeMatch(12, { quarters: 5 });
    const refused = await api(server.base, `/api/matches/${running.header.code}/debrief`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('private');
    const live = await api<Debrief>(server.base, `/api/matches/${running.header.code}/debrief`, undefined, withKey);
    expect(live.status).toBe(200);
    expect(live.body.finished).toBe(false);
    expect(live.body.report.actual.quarters).toBe(5);
    expect(live.body.report.actual.ending).toBeNull();
    expect((await api(server.base, '/api/matches/ZZZZZZ/debrief')).status).toBe(404);
  });

  it('is computed off the rooms\' thread: the event loop stays free while reports and odds curves are made', async () => {
    // the odds curve is the heaviest job (hundreds of re-runs per quarter): in this thread it would hold the loop throughout
    const matches = await Promise.all([21, 22].map((s) => storeMatch(s)));
    const one = await load(matches[0].header.code);
    const t0 = performance.now();
    oddsCurve(prepare(rules, one.header.settings, one.header.seed, one.entries), 100);
    const inThreadMs = (performance.now() - t0) * 3;
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const answers = await Promise.all([
      ...matches.map((m) => api(server.base, `/api/matches/${m.header.code}/odds?seeds=300`)),
      ...matches.map((m) => api(server.base, `/api/matches/${m.header.code}/debrief`)),
    ]);
    h.disable();
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // the worker leaves this thread only the copying and the JSON (and a loaded machine's scheduling)
    expect(h.max / 1e6).toBeLessThan(inThreadMs * 0.25);
  });
});

describe('forking a match', () => {
  it('replays the fork to the original\'s state at the fork quarter, byte for byte, and a fork of a fork records both ancestors', async () => {
    const { header, played } = await storeMatch(31);
    const quarter = 4;
    const forked = await api<ForkAnswer>(server.base, `/api/matches/${header.code}/fork`, { quarter }, withKey);
    expect(forked.status).toBe(201);
    expect(forked.body.code).not.toBe(header.code);
    expect(forked.body.forkedFrom).toEqual({ match: header.code, quarter, ancestors: [] });
    const fork = await load(forked.body.code);
    expect(fork.header.seed).toBe(header.seed);
    expect(fork.header.rulesText).toBe(header.rulesText);
    // the fork's log is the original's history replayed (no snapshot), with no people: every seat is open
    expect(fork.entries.some((e) => e.entry.kind === 'person')).toBe(false);
    expect(fork.entries.filter((e) => e.entry.kind === 'resolve').length).toBe(quarter);
    expect(stateJson(fork.entries, fork.header)).toBe(JSON.stringify(played.match.quarters[quarter - 1].state));

    const record = await api(server.base, `/api/matches/${forked.body.code}/record`, undefined, withKey);
    expect(record.status).toBe(200);
    expect(record.body.forkedFrom).toEqual({ match: header.code, quarter, ancestors: [] });
    const info = await api(server.base, `/api/matches/${forked.body.code}`);
    expect(info.body.phase).toBe('lobby');

    const again = await api<ForkAnswer>(server.base, `/api/matches/${forked.body.code}/fork`, { quarter: 2 }, withKey);
    expect(again.status).toBe(201);
    expect(again.body.forkedFrom).toEqual({ match: forked.body.code, quarter: 2, ancestors: [{ match: header.code, quarter }] });
    const grand = await load(again.body.code);
    expect(grand.header.settings.forkedFrom).toEqual(again.body.forkedFrom);
    expect(stateJson(grand.entries, grand.header)).toBe(JSON.stringify(played.match.quarters[1].state));

    const cmp = await api<Comparison>(server.base, `/api/matches/${header.code}/compare`, undefined, withKey);
    expect(cmp.status).toBe(200);
    expect(cmp.body.branches.map((b) => b.code)).toEqual([header.code, forked.body.code, again.body.code]);
    expect(cmp.body.branches[1].lead.length).toBe(quarter + 1);
  });

  it('a counterfactual of the report is what the fork at that quarter produces with the replaced order and the others\' recorded ones', async () => {
    const { header, played } = await storeMatch(41);
    const report = (await api<Debrief>(server.base, `/api/matches/${header.code}/debrief`)).body.report;
    const c = report.top.find((x) => x.skipped === 0 && x.extrapolated === 0)!;
    expect(c).toBeDefined();
    const forked = await api<ForkAnswer>(server.base, `/api/matches/${header.code}/fork`, { quarter: c.turn }, withKey);
    expect(forked.status).toBe(201);
    // the fork's room sits in the lobby; the quarters from the fork on are written to its log as the match core would:
    // the recorded diplomacy, the recorded orders with this team's replaced
    const forkId = (await server.store.findByCode(forked.body.code))!.id;
    for (const { entry } of played.entries) {
      if (entry.kind !== 'propose' && entry.kind !== 'respond' && entry.kind !== 'inject' && entry.kind !== 'resolve') continue;
      if (entry.turn < c.turn) continue;
      await server.store.append(forkId, entry.kind === 'resolve' && entry.turn === c.turn ? { ...entry, orders: { ...entry.orders, [c.role]: c.replacement } } : entry);
    }
    const fork = await load(forked.body.code);
    const state = replayMatch(rules, fork.header, fork.entries).state;
    expect(state.sides.us.capability - state.sides.china.capability).toBe(c.outcome.lead);
    expect(state.ending?.id).toBe(c.outcome.ending?.id);
    expect(state.ending?.scores).toEqual(c.outcome.scores);

    const cmp = await api<Comparison>(server.base, `/api/matches/${header.code}/compare?with=${forked.body.code}`, undefined, withKey);
    expect(cmp.body.branches[1].divergence?.turn).toBe(c.turn);
    expect(cmp.body.branches[1].divergence?.differences.map((d) => d.role)).toContain(c.role);
  });

  it('a class is forked with its facilitator key; an online match by one of its players once it is over', async () => {
    const cls = await storeMatch(51);
    expect((await api(server.base, `/api/matches/${cls.header.code}/fork`, { quarter: 1 })).body.code).toBe('not-allowed');
    expect((await api(server.base, `/api/matches/${cls.header.code}/fork`, { quarter: 1 }, { 'x-facilitator-key': 'nope' })).status).toBe(403);
    const late = await api(server.base, `/api/matches/${cls.header.code}/fork`, { quarter: rules.calendar.turns }, withKey);
    expect(late.status).toBe(400);
    expect((await api(server.base, `/api/matches/${cls.header.code}/fork`, { quarter: 'two' }, withKey)).status).toBe(400);

    const running = await storeMatch(52, { mode: 'online', quarters: 3, person: true });
    expect((await api(server.base, `/api/matches/${running.header.code}/fork`, { quarter: 1, seatToken: SEAT })).body.code).toBe('not-allowed');
    const online = await storeMatch(53, { mode: 'online', person: true });
    expect((await api(server.base, `/api/matches/${online.header.code}/fork`, { quarter: 1 })).status).toBe(403);
    expect((await api(server.base, `/api/matches/${online.header.code}/fork`, { quarter: 1, seatToken: 'not-a-seat' })).body.code).toBe('unknown-token');
    const ok = await api<ForkAnswer>(server.base, `/api/matches/${online.header.code}/fork`, { quarter: 1, seatToken: SEAT });
    expect(ok.status).toBe(201);
    expect(ok.body.facilitatorKey).toBeNull();
  });
});

describe('the odds curve and the class report routes', () => {
  it('serve the facilitator during the match and anyone after it; refuse bad seeds', async () => {
    const running = await storeMatch(61, { quarters: 4 });
    expect((await api(server.base, `/api/matches/${running.header.code}/odds`)).body.code).toBe('private');
    const live = await api(server.base, `/api/matches/${running.header.code}/odds?seeds=20`, undefined, withKey);
    expect(live.status).toBe(200);
    expect(live.body.seeds).toBe(20);
    expect(live.body.points.length).toBe(4);
    expect((await api(server.base, `/api/matches/${running.header.code}/odds?seeds=0`, undefined, withKey)).status).toBe(400);
    expect((await api(server.base, `/api/matches/${running.header.code}/class-report.csv`)).status).toBe(403);

    const done = await storeMatch(62);
    const odds = await api(server.base, `/api/matches/${done.header.code}/odds?seeds=20`);
    expect(odds.status).toBe(200);
    expect(odds.body.points[odds.body.points.length - 1].odds[done.played.match.state.ending!.id]).toBe(1);
    const csv = await api<string>(server.base, `/api/matches/${done.header.code}/class-report.csv`);
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('Team,Person,Drafts,Submissions,Quarters decided,Chat to all,Chat to teams,Chat to facilitator,Proposals made,Proposals answered,Score,Biggest decision');
    expect(lines.length).toBe(1 + rules.roles.length);
  });
});

describe('fork limits', () => {
  it('a fork is a new match: at most MATCHES_PER_MINUTE_PER_IP a minute from one address', async () => {
    const limited = await bootServer({ limits: { matchesPerMinutePerIp: 2 } });
    try {
      const played = botMatchLog(rules, 71, { bots: BOTS });
      const header: MatchHeader = { id: newId(), code: joinCode(), createdAt: new Date().toISOString(), settings: { ...played.settings, rulesName: 'default.yaml' }, rulesText, seed: 71, facilitatorKeyHash: hashSecret(KEY), status: 'finished' };
      await limited.store.createMatch(header);
      for (const e of played.entries) await limited.store.append(header.id, e.entry);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await api(limited.base, `/api/matches/${header.code}/fork`, { quarter: 1 }, withKey)).status);
      expect(codes).toEqual([201, 201, 429]);
    } finally { await limited.close(); }
  });
});
