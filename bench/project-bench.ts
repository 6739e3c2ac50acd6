// npm run bench:project [-- --matches 200 --json]
// What a room's projection costs the server (server/rooms/project.ts), without sockets: whole matches of four
// players are applied entry by entry as a room applies them (joins, readies, submits, the quarter's resolution),
// and the synced state is projected after each change, then encoded for each player's view, as the room does
// before a patch. Timed by this thread's CPU, so the figures hold on a shared machine: the work per resolved
// quarter is what a lock-step burst of many matches queues up.
import { StateView, Encoder } from '@colyseus/schema';
import { loadRulesFile } from '../shared/rules/load.ts';
import type { RuleFile } from '../shared/rules/schema.ts';
import { newMatch, type Match } from '../shared/match/match.ts';
import { apply } from '../shared/match/apply.ts';
import type { LogEntry } from '../shared/match/log.ts';
import { botOrders } from '../shared/sim/botMatch.ts';
import { createRoomState, project } from '../server/rooms/project.ts';
import type { MatchHeader } from '../server/store/types.ts';
import type { MatchRoomStateT } from '../shared/protocol/state.ts';
import { readFlags, wholeNumber, UsageError } from '../tools/args.ts';

const USAGE = `usage: npm run bench:project [-- --matches 200] [--json]

  Applies --matches whole four-player matches entry by entry, projecting the synced state after each change
  and encoding every player's view, and prints the CPU per resolved quarter and per small change (a ready,
  a submit): projection and encoding apart.`;

const FLAGS = { matches: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

const cpuMicros = (): number => {
  const t = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.call(process) ?? process.cpuUsage();
  return t.user + t.system;
};

interface Totals { project: number; encode: number; n: number }

function playOne(rules: RuleFile, seed: number, quarter: Totals, small: Totals): void {
  const roles = rules.roles.map((r) => r.id);
  const settings = {
    mode: 'online', visibility: 'private', rulesName: 'default.yaml', seats: Object.fromEntries(roles.map((r) => [r, 1])),
    bots: Object.fromEntries(roles.map((r) => [r, 'status-quo'])), timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 }, botTakeoverSeconds: 60,
  } as unknown as Match['settings'];
  const m = newMatch(settings, rules, seed, { history: false });
  const header = { id: `m${seed}`, code: 'BENCH1', settings, seed } as unknown as MatchHeader;
  const state: MatchRoomStateT = createRoomState(header, m);
  const encoder = new Encoder(state);
  const views = roles.map((role) => {
    const view = new StateView();
    view.add(state.teams.get(role)!);
    return view;
  });
  // each player's join: the whole picture once, as Colyseus sends it
  const joined = { offset: 1 };
  encoder.encodeAll(joined);
  for (const view of views) encoder.encodeAllView(view, joined.offset, { offset: joined.offset });
  encoder.discardChanges();
  const timer = { endsAt: 0, remaining: 0 };
  let seq = 0;
  const step = (entry: LogEntry, into: Totals) => {
    apply(m, { seq: ++seq, at: new Date(0).toISOString(), entry } as Parameters<typeof apply>[1]);
    const t0 = cpuMicros();
    project(m, state, 0, timer, { desk: false });
    const t1 = cpuMicros();
    // as the room's patch does: the shared changes once, then each client's view after them
    const it = { offset: 1 };
    encoder.encode(it);
    const shared = it.offset;
    for (const view of views) encoder.encodeView(view, shared, it);
    encoder.discardChanges();
    const t2 = cpuMicros();
    into.project += t1 - t0;
    into.encode += t2 - t1;
    into.n++;
  };
  roles.forEach((role, i) => step({ kind: 'person', personId: `p${i}`, name: `Player ${i}`, role, spectator: false, tokenHash: 'x' }, small));
  step({ kind: 'start' }, small);
  while (!m.state.finished) {
    const turn = m.state.turn;
    for (const phase of ['briefing', 'negotiation', 'orders'] as const) {
      step({ kind: 'phase', phase, turn }, small);
      if (phase !== 'orders') for (const role of roles) step({ kind: 'ready', role, ready: true }, small);
    }
    const orders = botOrders(rules, m.state, Object.fromEntries(roles.map((r) => [r, 'opportunist'])) as never);
    roles.forEach((role, i) => step({ kind: 'submit', turn, role, order: orders[role], by: `p${i}` }, small));
    step({ kind: 'resolve', turn, orders }, quarter);
    if (!m.state.finished) step({ kind: 'phase', phase: 'report', turn: m.state.turn }, small);
  }
}

function main(argv: string[]): number {
  const { values: v } = readFlags(argv, FLAGS);
  if (v.help) { process.stdout.write(USAGE + '\n'); return 0; }
  const matches = v.matches === undefined ? 200 : wholeNumber('--matches', v.matches, 1, 100_000);
  const rules = loadRulesFile('assets/rules/default.yaml');
  const warm = { project: 0, encode: 0, n: 0 };
  for (let i = 0; i < 20; i++) playOne(rules, 1000 + i, { ...warm }, { ...warm });
  const quarter: Totals = { project: 0, encode: 0, n: 0 };
  const small: Totals = { project: 0, encode: 0, n: 0 };
  for (let i = 0; i < matches; i++) playOne(rules, i + 1, quarter, small);
  const per = (t: Totals, k: 'project' | 'encode') => Math.round(t[k] / t.n);
  const result = {
    matches, quarters: quarter.n, changes: small.n,
    resolvedQuarter: { projectMicros: per(quarter, 'project'), encodeMicros: per(quarter, 'encode') },
    smallChange: { projectMicros: per(small, 'project'), encodeMicros: per(small, 'encode') },
  };
  if (v.json) { process.stdout.write(JSON.stringify(result) + '\n'); return 0; }
  process.stdout.write([
    `Projection bench: ${matches} matches of 4 players (assets/rules/default.yaml), ${quarter.n} resolved quarters, ${small.n} other changes; this thread's CPU`,
    `  a resolved quarter: project ${result.resolvedQuarter.projectMicros} µs, encode (shared + 4 views) ${result.resolvedQuarter.encodeMicros} µs`,
    `  a small change:     project ${result.smallChange.projectMicros} µs, encode ${result.smallChange.encodeMicros} µs`,
  ].join('\n') + '\n');
  return 0;
}

try { process.exitCode = main(process.argv.slice(2)); } catch (err) {
  if (err instanceof UsageError) { process.stderr.write(`${err.message}\n${USAGE}\n`); process.exitCode = 2; } else throw err;
}
