// The arena: outside agent programs play seeded matches against each other and the built-in bots through the JSON seat API.
//   npm run arena -- --agent ./a.mjs --agent ./b.py --matches 50 [--json]
// Each match is a class match with agents allowed; the arena is its facilitator: it starts the agents (the contract is in
// docs/agents.md: `PROGRAM --server URL --code CODE --role ROLE --name NAME`, the same in ARENA_* variables), starts the
// match once every agent has joined, hands a seat to its bot if its program dies, and reads the scores from the record.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { readFlags, wholeNumber, oneOf, UsageError } from './args.ts';
import { arenaReport, formatArena, type MatchResult, type SeatResult } from './arena-report.ts';
import { PERSONALITIES, type Personality } from '../shared/bots/personalities.ts';
import type { FullMatchRecord } from '../shared/protocol/record.ts';

const FLAGS = {
  agent: { type: 'string', multiple: true },
  matches: { type: 'string' },
  seed: { type: 'string' },
  server: { type: 'string' },
  rules: { type: 'string' },
  bots: { type: 'string' },
  parallel: { type: 'string' },
  'phase-seconds': { type: 'string' },
  'match-seconds': { type: 'string' },
  turns: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `usage: npm run arena -- --agent PROGRAM [--agent PROGRAM ...] [options]

Plays seeded matches of outside agents (programs speaking the JSON seat API) against each other and the built-in
bots, and reports each agent's mean score per role with a 95% confidence interval, and the ending mix.

  --agent PROGRAM      an agent program (repeat for more); .py runs with python3, .mjs/.js/.ts with node, else as is;
                       started as PROGRAM --server URL --code CODE --role ROLE --name NAME (see docs/agents.md)
  --matches N          how many matches (default 10)
  --seed N             the first match's seed; match i plays seed N+i-1 (default 1; embedded server only)
  --server URL         play on this server (default: an embedded one on a random port with a temporary data dir)
  --rules FILE         a shipped rule file (default default.yaml)
  --bots LIST          bot personalities for the other roles, comma-separated, one per match in turn (default status-quo)
  --parallel N         matches played at once (default 8)
  --phase-seconds N    each phase's timer, a backstop: phases move on as soon as every seat is done (default 10)
  --match-seconds N    a match's time limit: its agents are stopped after it (default 300)
  --turns N            play only the first N quarters
  --json               the report as JSON on stdout (progress still on stderr)
  --quiet              no progress lines
`;

export interface ArenaOptions {
  agents: string[];
  matches: number;
  seed: number;
  server: string | null;
  rules: string;
  bots: Personality[];
  parallel: number;
  phaseSeconds: number;
  matchSeconds: number;
  turns: number | null;
  json: boolean;
  quiet: boolean;
  help: boolean;
}

export function parseArenaOptions(argv: string[]): ArenaOptions {
  const { values: v } = readFlags(argv, FLAGS);
  const o: ArenaOptions = {
    agents: v.agent ?? [],
    matches: 10,
    seed: 1,
    server: v.server ?? null,
    rules: v.rules ?? 'default.yaml',
    bots: ['status-quo'],
    parallel: 8,
    phaseSeconds: 10,
    matchSeconds: 300,
    turns: null,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    help: v.help ?? false,
  };
  if (o.help) return o;
  if (!o.agents.length) throw new UsageError('give at least one --agent PROGRAM');
  // a program given as a path must exist (a command line with spaces is the user's to get right)
  for (const a of o.agents) if (!/\s/.test(a.trim()) && /[/\\.]/.test(a) && !existsSync(a)) throw new UsageError(`--agent: no such file ${a}`);
  if (v.matches !== undefined) o.matches = wholeNumber('--matches', v.matches, 1, 100_000);
  if (v.seed !== undefined) o.seed = wholeNumber('--seed', v.seed, 0, 2 ** 31 - 1);
  if (v.parallel !== undefined) o.parallel = wholeNumber('--parallel', v.parallel, 1, 64);
  if (v['phase-seconds'] !== undefined) o.phaseSeconds = wholeNumber('--phase-seconds', v['phase-seconds'], 1, 3600);
  if (v['match-seconds'] !== undefined) o.matchSeconds = wholeNumber('--match-seconds', v['match-seconds'], 5, 86_400);
  if (v.turns !== undefined) o.turns = wholeNumber('--turns', v.turns, 1, 40);
  if (v.bots !== undefined) o.bots = v.bots.split(',').map((b) => oneOf('--bots', b.trim(), PERSONALITIES));
  if (o.server !== null && !/^https?:\/\/[^\s/]+$/.test(o.server.replace(/\/$/, '')))
    throw new UsageError(`--server must look like http://HOST:PORT, not "${o.server}"`);
  if (o.server) o.server = o.server.replace(/\/$/, '');
  if (v.seed !== undefined && o.server) throw new UsageError('--seed needs the embedded server (a server picks its own seeds; the report lists them)');
  return o;
}

/** The argv that starts an agent: by the program's extension, or a command line when it holds spaces. */
export function commandOf(agent: string): string[] {
  const parts = agent.trim().split(/\s+/);
  if (parts.length > 1) return parts;
  const ext = extname(agent);
  if (ext === '.py') return ['python3', agent];
  if (['.mjs', '.js', '.cjs', '.ts'].includes(ext)) return [process.execPath, agent];
  return [agent];
}

/** Agent labels: the program's file name, numbered when the same name comes twice. */
export function agentLabels(agents: string[]): string[] {
  const seen = new Map<string, number>();
  return agents.map((a) => {
    const base = basename(commandOf(a).at(-1)!);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/**
 * Which role each agent plays in match i (0-based): agents spread evenly around the rule file's roles (two agents on
 * four roles sit on opposite sides), and the whole seating turns one role a match, so each plays every role in turn.
 */
export function seating(roles: string[], agents: number, i: number): string[] {
  if (agents > roles.length) throw new UsageError(`${agents} agents but the rule file has only ${roles.length} roles`);
  const step = Math.max(1, Math.floor(roles.length / agents));
  return Array.from({ length: agents }, (_, k) => roles[(i + k * step) % roles.length]);
}

interface Io {
  out(s: string): void;
  err(s: string): void;
}
const processIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

async function http<T = any>(base: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(
    base + path,
    body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
  );
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T };
  } catch {
    return { status: res.status, body: text as T };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  code: number | null;
  stdout: string;
  stderr: string;
  done: boolean;
  kill(): void;
  exited: Promise<void>;
}

function startAgent(argv: string[], env: Record<string, string>): Running {
  const child = spawn(argv[0], [...argv.slice(1), '--server', env.ARENA_SERVER, '--code', env.ARENA_CODE, '--role', env.ARENA_ROLE, '--name', env.ARENA_NAME], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const r: Running = {
    code: null,
    stdout: '',
    stderr: '',
    done: false,
    kill: () => {
      if (!r.done) child.kill('SIGTERM');
    },
    exited: new Promise((resolve) => {
      child.on('error', (err) => {
        r.stderr += `${err.message}\n`;
        r.done = true;
        r.code = -1;
        resolve();
      });
      child.on('close', (code) => {
        r.done = true;
        r.code = code;
        resolve();
      });
    }),
  };
  // only the tail matters (the summary line, the last complaint): keep memory bounded for chatty agents
  child.stdout.on('data', (d) => {
    r.stdout = (r.stdout + d).slice(-16_384);
  });
  child.stderr.on('data', (d) => {
    r.stderr = (r.stderr + d).slice(-16_384);
  });
  return r;
}

/** The JSON object on the agent's last stdout line, if any. */
function summaryOf(stdout: string): Record<string, unknown> | null {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    const v = JSON.parse(last);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
/** What a program said last: its last error line (a stack trace ends with the runtime's version), else its last line. */
const lastLine = (s: string) => {
  const lines = s.trim().split('\n');
  return (lines.findLast((l) => /error|refused|failed/i.test(l)) ?? lines.pop() ?? '').trim().slice(0, 300);
};

type SdkClient = new (base: string) => { joinById(roomId: string, options: Record<string, unknown>): Promise<any> };

interface MatchPlan {
  index: number;
  seed: number;
  roles: string[];
  personality: Personality;
}

async function playMatch(
  base: string,
  Client: SdkClient,
  o: ArenaOptions,
  runId: string,
  plan: MatchPlan,
  allRoles: string[],
  labels: string[],
  embedded: boolean,
): Promise<MatchResult> {
  const t0 = Date.now();
  const seats = Object.fromEntries(allRoles.map((r) => [r, plan.roles.includes(r) ? 1 : 0]));
  const bots = Object.fromEntries(allRoles.filter((r) => !plan.roles.includes(r)).map((r) => [r, plan.personality]));
  const t = o.phaseSeconds;
  const body = {
    mode: 'class',
    agents: true,
    rules: o.rules,
    seats,
    bots,
    timers: { briefing: t, negotiation: t, orders: t, report: t },
    ...(o.turns ? { turns: o.turns } : {}),
  };
  let created = await http(base, '/api/matches', body, { 'idempotency-key': `arena:${runId}:${plan.index}:${plan.seed}` });
  // another server's per-address allowance of new matches: wait for it
  for (let i = 0; created.status === 429 && i < 30; i++) {
    await sleep(3000);
    created = await http(base, '/api/matches', body, { 'idempotency-key': `arena:${runId}:${plan.index}:${plan.seed}` });
  }
  if (created.status !== 201 && created.status !== 200)
    throw new Error(`the server refused the match (${created.status}): ${JSON.stringify(created.body).slice(0, 300)}`);
  const { code, facilitatorKey } = created.body as { code: string; facilitatorKey: string; roomId: string | null };
  let roomId = created.body.roomId as string | null;
  // the arena is the class's facilitator only while it must be: a connected facilitator receives the whole desk at every change
  const sitAtDesk = async () => {
    for (let i = 0; ; i++) {
      try {
        roomId ??= (await http(base, `/api/matches/${code}`)).body.roomId as string;
        const room = await new Client(base).joinById(roomId, { facilitatorKey, name: 'Arena' });
        room.onMessage('*', () => {});
        return room;
      } catch (err) {
        // the room may have been closed and opened again (an idle room is let go): ask for it again by code
        if (i >= 3) throw err;
        roomId = null;
        await sleep(200);
      }
    }
  };
  let desk: any = await sitAtDesk();
  const control = async (payload: Record<string, unknown>) => {
    desk ??= await sitAtDesk();
    desk.send('control', payload);
  };
  const agentsJoined = () => {
    const held = new Set<string>();
    for (const p of desk?.state.people?.values() ?? []) if (p.agent && p.role) held.add(p.role);
    return held;
  };
  const deadline = t0 + o.matchSeconds * 1000;
  const running = plan.roles.map((role, k) =>
    startAgent(commandOf(o.agents[k]), {
      ARENA_SERVER: base,
      ARENA_CODE: code,
      ARENA_ROLE: role,
      ARENA_NAME: labels[k],
      ARENA_MATCH: String(plan.index + 1),
      ...(embedded ? { ARENA_SEED: String(plan.seed) } : {}),
    }),
  );
  const failures: (string | null)[] = plan.roles.map(() => null);
  // whether the match is over, from its record (a known code's record costs no join-code look-up on the server's guard);
  // asked only when an agent program exits, so a match costs the server a few reads, not a poll
  let over = false;
  const record = async (): Promise<FullMatchRecord | null> => {
    for (let i = 0; i < 50; i++) {
      const got = await http<FullMatchRecord>(base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey });
      if (got.status === 200 && got.body.full) return got.body;
      await sleep(100);
    }
    return null;
  };
  const isOver = async () => (over ||= (await record())?.status === 'finished');
  // a program that stops before the end hands its seat to the bot, so the match goes on at the bots' pace
  const handToBot = async (k: number, why: string) => {
    if (failures[k] || (await isOver())) return;
    failures[k] = why;
    await control({ action: 'botSeat', role: plan.roles[k], bot: true });
  };
  let failure: string | null = null;
  try {
    // the match starts once every agent sits (a program that does not join in time gives its seat to the bot)
    const joinBy = Date.now() + 30_000;
    while (Date.now() < joinBy) {
      for (const [k, r] of running.entries())
        if (r.done && !agentsJoined().has(plan.roles[k])) await handToBot(k, `exited (code ${r.code}) without joining: ${lastLine(r.stderr)}`);
      if (failures.every((f, k) => f || agentsJoined().has(plan.roles[k]))) break;
      await sleep(20);
    }
    for (const [k, role] of plan.roles.entries()) if (!agentsJoined().has(role)) await handToBot(k, failures[k] ?? 'did not join within 30 s');
    await control({ action: 'start' });
    // wait for the start to be taken before leaving the desk
    for (let i = 0; i < 100 && desk.state.phase === 'lobby'; i++) await sleep(10);
    await desk.leave().catch(() => {});
    desk = null;
    while (!over && Date.now() < deadline && !running.every((r) => r.done)) {
      for (const [k, r] of running.entries())
        if (r.done && !failures[k]) await handToBot(k, `exited (code ${r.code}) before the end: ${lastLine(r.stderr) || lastLine(r.stdout)}`);
      await sleep(30);
    }
    if (!(await isOver())) {
      // out of time, or every program gone with the match still on (bots alone wait for the phase timers): end it here
      failure = Date.now() >= deadline ? `not over after --match-seconds ${o.matchSeconds}` : 'every agent stopped before the end';
      for (const [k, r] of running.entries())
        if (!failures[k])
          failures[k] = r.done ? `exited (code ${r.code}) before the end: ${lastLine(r.stderr) || lastLine(r.stdout)}` : 'still playing at the time limit';
      await control({ action: 'end' });
    }
    // the agents see the end on their next call: give them a moment to exit by themselves
    await Promise.race([Promise.all(running.map((r) => r.exited)), sleep(5000)]);
    for (const [k, r] of running.entries())
      if (!r.done) {
        r.kill();
        failures[k] ??= 'did not exit within 5 s of the end';
      }
    await Promise.all(running.map((r) => r.exited));
    for (const [k, r] of running.entries()) if (r.code !== 0 && !failures[k]) failures[k] = `exited with code ${r.code}: ${lastLine(r.stderr)}`;
  } finally {
    for (const r of running) r.kill();
    await desk?.leave().catch(() => {});
  }
  const final = await record();
  const results: SeatResult[] = plan.roles.map((role, k) => {
    const played = final?.turns.map((q) => q.playedBy?.[role]) ?? [];
    const summary = summaryOf(running[k].stdout);
    return {
      agent: labels[k],
      role,
      score: final?.scores?.[role] ?? null,
      heldByAgent: !!final?.people.some((p) => p.agent && p.role === role && p.name === labels[k]),
      agentQuarters: played.filter((p) => p === 'agent').length,
      refereeQuarters: played.filter((p) => p === 'referee').length,
      quarters: played.length,
      exitCode: running[k].code,
      calls: typeof summary?.calls === 'number' ? summary.calls : null,
      failure: failures[k] ?? (final && !final.people.some((p) => p.agent && p.role === role) ? "the record does not mark the seat as an agent's" : null),
    };
  });
  return {
    match: plan.index + 1,
    code,
    seed: final?.seed ?? null,
    ending: final?.ending?.id ?? null,
    endingTitle: final?.ending?.title ?? null,
    seconds: Math.round((Date.now() - t0) / 10) / 100,
    seats: results,
    bots: allRoles.filter((r) => !plan.roles.includes(r)).map((role) => ({ role, personality: plan.personality, score: final?.scores?.[role] ?? null })),
    failure: failure ?? (final ? null : 'no record could be read'),
  };
}

async function main(argv: string[], io: Io): Promise<number> {
  const o = parseArenaOptions(argv);
  if (o.help) {
    io.out(USAGE);
    return 0;
  }
  const started = Date.now();
  // the SDK reads globalThis.WebSocket when it loads: give it the `ws` package, as the tests and load scripts do
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  const { Client } = await import('@colyseus/sdk');
  let base = o.server;
  let stop: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;
  if (!base) {
    dataDir = mkdtempSync(join(tmpdir(), 'arena-'));
    const child = spawn(process.execPath, [fileURLToPath(new URL('./arena-server.ts', import.meta.url)), dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"port":(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('close', (code) => reject(new Error(`the embedded server stopped (code ${code}) before it listened`)));
    });
    base = `http://127.0.0.1:${port}`;
    stop = () =>
      new Promise((resolve) => {
        child.on('close', () => resolve());
        child.stdin.end();
      });
  }
  try {
    const rulesList = await http<{ name: string; roles: { id: string }[] }[]>(base, '/api/rules');
    if (rulesList.status !== 200) throw new Error(`${base}/api/rules answered ${rulesList.status}: is it a game server?`);
    const rules = rulesList.body.find((r) => r.name === o.rules);
    if (!rules) throw new UsageError(`--rules: the server has no ${o.rules} (it has ${rulesList.body.map((r) => r.name).join(', ')})`);
    const roles = rules.roles.map((r) => r.id);
    const labels = agentLabels(o.agents);
    const plans: MatchPlan[] = Array.from({ length: o.matches }, (_, i) => ({
      index: i,
      seed: o.seed + i,
      roles: seating(roles, o.agents.length, i),
      personality: o.bots[i % o.bots.length],
    }));
    const runId = randomUUID().slice(0, 8);
    const results: MatchResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < plans.length) {
        const plan = plans[next++];
        const t0 = Date.now();
        const r = await playMatch(base!, Client as unknown as SdkClient, o, runId, plan, roles, labels, !o.server).catch(
          (err: Error): MatchResult => ({
            match: plan.index + 1,
            code: '-',
            seed: null,
            ending: null,
            endingTitle: null,
            seconds: (Date.now() - t0) / 1000,
            seats: plan.roles.map((role, k) => ({
              agent: labels[k],
              role,
              score: null,
              heldByAgent: false,
              agentQuarters: 0,
              refereeQuarters: 0,
              quarters: 0,
              exitCode: null,
              calls: null,
              failure: 'the match did not run',
            })),
            bots: [],
            failure: err.message,
          }),
        );
        results.push(r);
        if (!o.quiet) {
          const seats = r.seats.map((s) => `${s.agent} ${s.role} ${s.score === null ? '-' : s.score.toFixed(1)}${s.failure ? ' (failed)' : ''}`).join(', ');
          io.err(`[${results.length}/${plans.length}] ${r.code} seed ${r.seed ?? '?'}: ${seats} -> ${r.ending ?? r.failure} (${r.seconds.toFixed(1)} s)\n`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.parallel, plans.length) }, worker));
    results.sort((a, b) => a.match - b.match);
    const report = arenaReport({
      rules: o.rules,
      server: o.server ?? 'embedded server',
      roles,
      agents: o.agents.map((program, k) => ({ agent: labels[k], program })),
      results,
      elapsedSeconds: (Date.now() - started) / 1000,
    });
    io.out(o.json ? JSON.stringify(report, null, 2) + '\n' : formatArena(report));
    return report.failures.length ? 3 : 0;
  } finally {
    await stop?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the arena; returns its exit code (0 done, 1 an error, 2 a usage error, 3 done with failed seats or matches). */
export async function arenaCli(argv: string[], io: Io = processIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`arena: ${err.message}\n(npm run arena -- --help for usage)\n`);
      return 2;
    }
    io.err(`arena: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry)
  arenaCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    process.exit();
  });
