// npm run loadtest -- --matches M --clients-per-match K --turns T --duration-limit S [--json] ...
// Plays M online (or class) matches with K real @colyseus/sdk 0.18 clients each against a game server on 127.0.0.1
// (started here as a child process with a temporary DATA_DIR, or one already running given by --url),
// and reports connected clients, turn-resolution latency, messages, server CPU and memory, and errors.
// Bounded: everything stops at --duration-limit seconds, the server child is stopped, clients are closed.
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, loadavg, availableParallelism, setPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FromWorker, RunJob, WorkerStats } from './loadtest-worker.ts';
import { cpuSeconds, memory, machineBusySeconds, latencyPercentiles as percentiles } from './measure.ts';
import { readFlags, wholeNumber, realNumber, oneOf, UsageError } from '../tools/args.ts';

const USAGE = `usage: npm run loadtest -- [--matches M] [--clients-per-match K] [--turns T] [--duration-limit S] [--json]
                          [--url http://127.0.0.1:PORT [--server-pid PID]] [--think-ms MS] [--ramp-batch N]
                          [--workers W] [--cpu-prof] [--server-log-level LEVEL] [--keep-data]
                          [--class] [--lockstep] [--no-chat] [--preset classes]

  --matches M            online matches to create and play (default 50)
  --clients-per-match K  online: 4 to 6 clients per match, one per role, the 5th and 6th share a role (default 4);
                         more than 6 (up to 60) makes class matches
  --class                class matches (mode "class", joined as a class joins): the first client is the facilitator,
                         who starts the match; the others are students dealt round the four teams (up to 10 a team,
                         the team's first to join is its lead and submits), the rest watchers (K from 2 to 60)
  --preset classes       40 classes of 25 students and their facilitator (26 clients each, 1,040 in all) at a
                         3 s pace, starting over 20 s (flags given as well override it)
  --lockstep             every client acts on the ticks of one clock (every --think-ms from the start, shared by
                         all client processes): every match's quarter resolves at the same moment
  --no-chat              no chat message (by default one team of each match writes one to everyone each quarter,
                         to measure what a chat costs each client)
  --turns T              quarters to play, 1..10 (default 10: the whole match)
  --duration-limit S     hard limit in seconds for the whole run, set-up included (default 600); at the
                         limit clients stop, the partial figures are reported and the exit code is 1
  --think-ms MS          mean pause before a team acts on a new phase, jittered 0.5x..1.5x (default 1000;
                         0 plays as fast as the server answers)
  --start-spread-ms MS   matches start at random moments within this window after all joined (default 2000)
  --ramp-batch N         clients joining at the same time (default 50)
  --workers W            client processes, each with its share of the matches (default: one per 1,250 clients)
  --generator-nice N     the client processes' niceness, 0..19 (default 10): the server and its GC threads come
                         first for a core, as on a machine of their own; 0 runs them at the server's priority
  --url URL              a running server on 127.0.0.1 / localhost instead of starting one; its CPU and
                         memory are reported only with --server-pid (and its match creation limit applies)
  --stock-decoder        decode synced strings in the clients with @colyseus/schema's own decoder; by default
                         long strings use TextDecoder, since the stock one makes the generator pause for GC
  --cpu-prof             run the server child with --cpu-prof and print its top self-time functions
  --server-log-level L   LOG_LEVEL of the server child (default warn; info logs every join)
  --server-node-flags F  Node/V8 flags for the server child, space-separated (default: those of npm start,
                         from package.json's "start" script)
  --data-dir DIR         the server child's DATA_DIR (default: a new temporary directory, deleted after);
                         ":memory:" keeps the match store in memory (to tell disk stalls from the rest)
  --keep-data            keep the temporary DATA_DIR (and the profile) instead of deleting it
  --soak-minutes N       soak: for N minutes, every match that ends is replaced by a new one (matches play to
                         their ending); then the last ones finish and the server must have no room left
  --drop-rate P          chance (0..1) that a client, on seeing a new phase, loses its connection: half the time
                         the network drops (the SDK reconnects), half the time the page reloads (seat token)
  --json                 print one JSON object instead of the report`;


/** The server child's Node flags: those given, or the ones npm start runs the server with, so a run measures that. */
function serverFlags(given: string | undefined): string[] {
  if (given !== undefined) {
    const flags = given.split(/\s+/).filter(Boolean);
    for (const f of flags) if (!f.startsWith('--')) throw new UsageError(`--server-node-flags: "${f}" is not a flag (each starts with --)`);
    return flags;
  }
  return startFlags();
}

function startFlags(): string[] {
  const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const m = /node((?: --\S+)*) server\/cli\/serve\.ts/.exec(scripts.start ?? '');
  return m ? m[1].split(' ').filter(Boolean) : [];
}

interface Options {
  matches: number;
  clientsPerMatch: number;
  turns: number;
  durationLimit: number;
  thinkMs: number;
  startSpreadMs: number;
  rampBatch: number;
  workers: number;
  generatorNice: number;
  url: string | null;
  serverPid: number | null;
  cpuProf: boolean;
  serverLogLevel: string;
  serverNodeFlags: string[];
  keepData: boolean;
  dataDir: string | null;
  stockDecoder: boolean;
  soakMinutes: number;
  dropRate: number;
  classMatches: boolean;
  lockstep: boolean;
  chat: boolean;
  json: boolean;
}

const FLAGS = {
  matches: { type: 'string' }, 'clients-per-match': { type: 'string' }, turns: { type: 'string' }, 'duration-limit': { type: 'string' },
  'soak-minutes': { type: 'string' }, 'drop-rate': { type: 'string' }, 'think-ms': { type: 'string' }, 'start-spread-ms': { type: 'string' },
  'ramp-batch': { type: 'string' }, workers: { type: 'string' }, 'generator-nice': { type: 'string' }, 'server-pid': { type: 'string' }, url: { type: 'string' },
  'cpu-prof': { type: 'boolean' }, 'server-log-level': { type: 'string' }, 'server-node-flags': { type: 'string' }, 'keep-data': { type: 'boolean' }, 'stock-decoder': { type: 'boolean' },
  'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  class: { type: 'boolean' }, lockstep: { type: 'boolean' }, 'no-chat': { type: 'boolean' }, preset: { type: 'string' },
} as const;

/** Named runs the issue's goals are stated for; a flag given as well wins. */
const PRESETS: Record<string, Partial<Record<keyof typeof FLAGS, string | boolean>>> = {
  classes: { matches: '40', 'clients-per-match': '26', class: true, 'think-ms': '3000', 'start-spread-ms': '20000' },
};

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function parseOptions(argv: string[]): Options {
  const { values: given } = readFlags(argv, FLAGS);
  if (given.help) { console.log(USAGE); process.exit(0); }
  if (given.preset !== undefined && !(given.preset in PRESETS)) throw new UsageError(`--preset: there is no preset "${given.preset}" (presets: ${Object.keys(PRESETS).join(', ')})`);
  const v = { ...(given.preset ? PRESETS[given.preset] : {}), ...given } as typeof given;
  const int = (flag: keyof typeof FLAGS, fallback: number, min: number, max: number): number => {
    const t = v[flag];
    return typeof t === 'string' ? wholeNumber(`--${flag}`, t, min, max) : fallback;
  };
  let url: string | null = null;
  if (v.url !== undefined) {
    let u: URL;
    try { u = new URL(v.url); } catch { throw new UsageError(`--url needs an address such as http://127.0.0.1:2567, not "${v.url}"`); }
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.protocol !== 'http:') throw new UsageError(`--url: load tests only target this machine (http://127.0.0.1:PORT), not ${u.origin}`);
    url = u.origin;
  }
  if (v['data-dir'] === '') throw new UsageError('--data-dir needs a directory or ":memory:"');
  const o: Options = {
    matches: int('matches', 50, 1, 5000),
    clientsPerMatch: int('clients-per-match', 4, v.class ? 2 : 4, 60),
    turns: int('turns', 10, 1, 10),
    durationLimit: int('duration-limit', 600, 5, 7200),
    thinkMs: int('think-ms', 1000, 0, 600_000),
    startSpreadMs: int('start-spread-ms', 2000, 0, 600_000),
    rampBatch: int('ramp-batch', 50, 1, 1000),
    workers: 0,
    generatorNice: int('generator-nice', 10, 0, 19),
    url,
    serverPid: v['server-pid'] === undefined ? null : int('server-pid', 0, 1, 2 ** 31),
    cpuProf: v['cpu-prof'] ?? false,
    serverLogLevel: v['server-log-level'] === undefined ? 'warn' : oneOf('--server-log-level', v['server-log-level'], LOG_LEVELS),
    serverNodeFlags: serverFlags(v['server-node-flags']),
    keepData: v['keep-data'] ?? false,
    dataDir: v['data-dir'] ?? null,
    stockDecoder: v['stock-decoder'] ?? false,
    soakMinutes: int('soak-minutes', 0, 1, 240),
    dropRate: v['drop-rate'] === undefined ? 0 : realNumber('--drop-rate', v['drop-rate'], 0, 1),
    classMatches: false,
    lockstep: v.lockstep ?? false,
    chat: !v['no-chat'],
    json: v.json ?? false,
  };
  o.classMatches = (v.class ?? false) || o.clientsPerMatch > 6;
  // one client process keeps up with about 1,250 clients before its own pauses show in the latencies
  o.workers = int('workers', Math.min(16, Math.ceil((o.matches * o.clientsPerMatch) / 1250)), 1, 16);
  if (o.lockstep && o.soakMinutes) throw new UsageError('--lockstep and --soak-minutes cannot be combined (a soak replaces matches at any moment)');
  if (o.cpuProf && o.url) throw new UsageError('--cpu-prof profiles the server this run starts; it cannot be combined with --url');
  if (o.workers > o.matches) o.workers = o.matches;
  // a soak's last matches still have to finish after the soak itself
  if (o.soakMinutes && v['duration-limit'] === undefined) o.durationLimit = o.soakMinutes * 60 + 900;
  return o;
}

interface Health { rooms?: number; clients?: number; memoryMB?: { rss: number; heapUsed: number } }
/** One line a second from the server child's probe (bench/server-probe.ts); p50/p99/max cover the window since SIGUSR2. */
interface Probe { at: number; secondMaxMs: number; p50Ms: number; p99Ms: number; maxMs: number; heapMB: number; gc?: { secondMaxMs: number; maxMs: number; totalMs: number }; queue: { longestTurnMs: number; longestTurnCpuMs?: number; longestWaitMs?: number; turns: number; deepest: number; secondDeepest?: number } | null }
const probes: Probe[] = [];
let serverHeapPeakMB = 0;
/** /healthz answers while playing: the server's memory and rooms over time (a soak's growth check) */
const healthSamples: { second: number; heapMB: number; rssMB: number; rooms: number; clients: number }[] = [];

interface ProcWatch { pid: number; cpuAt: Map<string, number>; rssPeak: number; hwm: number }

function watch(pid: number): ProcWatch { return { pid, cpuAt: new Map(), rssPeak: 0, hwm: 0 }; }
function sample(w: ProcWatch): void {
  const m = memory(w.pid);
  if (m) { w.rssPeak = Math.max(w.rssPeak, m.rss); if (Number.isFinite(m.peak)) w.hwm = Math.max(w.hwm, m.peak); }
}
function mark(w: ProcWatch, at: string): void {
  const c = cpuSeconds(w.pid);
  if (c !== null) w.cpuAt.set(at, c);
  sample(w);
}

// ---- the server child -----------------------------------------------------------------------

interface ServerChild {
  proc: ChildProcess;
  port: number;
  dataDir: string;
  /** made by this run, so deleted by it */
  ownDataDir: boolean;
  profDir: string | null;
  logLines: { warn: number; error: number; samples: string[] };
  stderrTail: string[];
  exited: Promise<number | null>;
}

async function startServerChild(o: Options, root: string): Promise<ServerChild> {
  const own = o.dataDir === null;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'loadtest-2028-'));
  // the profile outlives the run (it is what was asked for); the data directory does not
  const profDir = o.cpuProf ? mkdtempSync(join(tmpdir(), 'loadtest-2028-prof-')) : null;
  // the probe reports the server's own event-loop delay, heap and resolution queue (bench/server-probe.ts)
  const execArgv = [...o.serverNodeFlags, ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', pathToFileURL(join(root, 'bench/server-probe.ts')).href];
  const proc = spawn(process.execPath, [...execArgv, join(root, 'server/cli/serve.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: o.serverLogLevel, MATCHES_PER_MINUTE_PER_IP: String(Math.max(20, o.matches * (o.soakMinutes ? 4 : 2))), CONNECTIONS_PER_IP: '1000000', JOINS_PER_MINUTE_PER_IP: '1000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines = { warn: 0, error: 0, samples: [] as string[] };
  const stderrTail: string[] = [];
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  let port = 0;
  const portSeen = new Promise<number>((resolvePort, reject) => {
    const t = setTimeout(() => reject(new Error(`the server did not start within 30 s${stderrTail.length ? `: ${stderrTail.join(' | ')}` : ''}`)), 30_000);
    void exited.then((code) => { clearTimeout(t); reject(new Error(`the server exited (code ${code}) before listening: ${stderrTail.join(' | ')}`)); });
    let buffer = '';
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('loadtest-probe ')) {
          try { probes.push(JSON.parse(line.slice('loadtest-probe '.length)) as Probe); } catch { /* a torn line */ }
          continue;
        }
        const m = /running: http:\/\/localhost:(\d+)\//.exec(line);
        if (m && !port) { port = Number(m[1]); clearTimeout(t); resolvePort(port); continue; }
        if (line.startsWith('{')) {
          try {
            const entry = JSON.parse(line) as { level?: number; msg?: string; err?: string };
            if ((entry.level ?? 0) >= 50) logLines.error++;
            else if ((entry.level ?? 0) >= 40) logLines.warn++;
            if ((entry.level ?? 0) >= 40 && logLines.samples.length < 5) logLines.samples.push(`${entry.msg ?? ''}${entry.err ? `: ${entry.err}` : ''}`.slice(0, 200));
          } catch { /* not a log line */ }
        }
      }
    });
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) { stderrTail.push(line.slice(0, 300)); if (stderrTail.length > 10) stderrTail.shift(); }
  });
  try {
    await portSeen;
  } catch (err) {
    proc.kill('SIGKILL');
    if (own) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return { proc, port, dataDir, ownDataDir: own, profDir, logLines, stderrTail, exited };
}

async function stopServerChild(s: ServerChild): Promise<number | null> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return s.proc.exitCode;
  s.proc.kill('SIGTERM');
  const code = await Promise.race([s.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 20_000))]);
  if (code === 'late') { s.proc.kill('SIGKILL'); return s.exited; }
  return code;
}

// ---- CPU profile summary --------------------------------------------------------------------

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface ProfileSummary {
  file: string;
  /** which part of the run the figures cover */
  window: string;
  sampledMs: number;
  busyMs: number;
  functions: { name: string; where: string; selfMs: number; percentOfBusy: number }[];
  /** time with the function on the stack (the project's own code and a few library entry points) */
  inclusive: { name: string; where: string; totalMs: number; percentOfBusy: number }[];
  groups: { group: string; selfMs: number; percentOfBusy: number }[];
}

function shortUrl(url: string, root: string): string {
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(root)) u = u.slice(root.length + 1);
  return u.replace(/^.*node_modules\//, '');
}

function groupOf(url: string, name: string, root: string): string {
  if (!url) return name.startsWith('(') ? name : '(native: V8 builtins, socket writes, SQLite)';
  if (url.startsWith('node:')) return 'node: built-ins';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  return shortUrl(url, root).split('/').slice(0, 2).join('/');
}

const INCLUSIVE_OF_INTEREST = /^(broadcastPatch|applyPatches|sendClientFrame|_onMessage|onJoin|onLeave|onCreate|heartbeat|setState|setMetadata|_decodeMessage)$/;

/** Self and inclusive time per function from a V8 .cpuprofile, limited to [fromUs, toUs] of the monotonic clock. */
function summariseProfile(file: string, root: string, window: { fromUs: number; toUs: number; label: string } | null, top = 25): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    // a sample's delta is the time since the previous one: charge it to this sample's stack
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url ? `${shortUrl(n.callFrame.url, root)}:${n.callFrame.lineNumber + 1}` : ''}`;
  const fns = new Map<string, number>();
  const incl = new Map<string, number>();
  const groups = new Map<string, number>();
  let total = 0, idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    const name = n.callFrame.functionName;
    if (name === '(idle)') { idle += us; continue; }
    fns.set(key(n), (fns.get(key(n)) ?? 0) + us);
    const g = groupOf(n.callFrame.url, name, root);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const seen = new Set<string>();
    for (let a: number | undefined = id; a !== undefined; a = parent.get(a)) {
      const node = byId.get(a)!;
      const url = node.callFrame.url;
      const ours = url.startsWith('file://') && !url.includes('node_modules') && (url.includes('/server/') || url.includes('/shared/'));
      if (!ours && !INCLUSIVE_OF_INTEREST.test(node.callFrame.functionName)) continue;
      const k = key(node);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
  }
  const busy = Math.max(1, total - idle);
  const pct = (us: number) => Math.round((us / busy) * 1000) / 10;
  const split = (k: string) => ({ name: k.slice(0, k.indexOf('@')), where: k.slice(k.indexOf('@') + 1) });
  return {
    file, window: window?.label ?? 'the whole run', sampledMs: Math.round(total / 1000), busyMs: Math.round((total - idle) / 1000),
    functions: [...fns].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ ...split(k), selfMs: Math.round(us / 1000), percentOfBusy: pct(us) })),
    inclusive: [...incl].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ ...split(k), totalMs: Math.round(us / 1000), percentOfBusy: pct(us) })),
    groups: [...groups].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([group, us]) => ({ group, selfMs: Math.round(us / 1000), percentOfBusy: pct(us) })),
  };
}

// ---- figures --------------------------------------------------------------------------------

/** Bytes per client: the typical, the tail and the mean. */
function byteFigures(xs: number[]): { n: number; p50: number | null; p99: number | null; max: number | null; mean: number | null } {
  const p = percentiles(xs);
  return { n: p.n, p50: p.p50, p99: p.p99, max: p.max, mean: xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null };
}

function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function cpuPercent(w: ProcWatch, from: string, to: string, wall: Map<string, number>): number | null {
  const a = w.cpuAt.get(from), b = w.cpuAt.get(to), ta = wall.get(from), tb = wall.get(to);
  if (a === undefined || b === undefined || ta === undefined || tb === undefined || tb <= ta) return null;
  return Math.round(((b - a) / ((tb - ta) / 1000)) * 1000) / 10;
}

// ---- the run --------------------------------------------------------------------------------

async function main(): Promise<number> {
  let o: Options;
  try { o = parseOptions(process.argv.slice(2)); } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n\n${USAGE}`); return 2; }
    throw err;
  }
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const log = (s: string) => { if (!o.json) process.stderr.write(`${s}\n`); };
  const started = performance.now();
  const wall = new Map<string, number>();
  // the monotonic clock in µs: V8 CPU profiles count time on it too, so the play window can be cut out of one
  const mono = new Map<string, number>();
  let playStartEpoch = 0;
  const machine = new Map<string, number>();
  const load = { before: loadavg()[0], after: 0 };
  const at = (label: string) => { if (label === 'connected') playStartEpoch = Date.now(); const m = machineBusySeconds(); if (m !== null) machine.set(label, m); wall.set(label, performance.now()); mono.set(label, Number(process.hrtime.bigint() / 1000n)); for (const w of watches) mark(w, label); };
  const watches: ProcWatch[] = [];

  let server: ServerChild | null = null;
  let url = o.url;
  let serverWatch: ProcWatch | null = null;
  const workers: { proc: ChildProcess; stats: WorkerStats | null; connected: boolean; exited: Promise<void> }[] = [];
  let timedOut = false;
  let aborted = '';
  const healthMs: number[] = [];
  // moments (epoch ms) something was held up > 100 ms while playing: the server (a slow /healthz answer),
  // this idle parent process (its own timer firing late: the whole machine paused) and the client processes
  const stalls: { who: string; at: number; ms: number }[] = [];
  let healthFailures = 0;
  let stoppingServer = false;
  const probeWindow = { from: 0, to: 0 };

  let onDeadline: () => void = () => undefined;
  const hardTimer = setTimeout(() => { timedOut = true; onDeadline(); }, o.durationLimit * 1000);
  let interrupted = false;
  const onSignal = () => { interrupted = true; aborted = 'interrupted'; onDeadline(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (!url) {
      log('starting the game server ...');
      server = await startServerChild(o, root);
      url = `http://127.0.0.1:${server.port}`;
      serverWatch = watch(server.proc.pid!);
    } else if (o.serverPid) serverWatch = watch(o.serverPid);
    if (serverWatch) watches.push(serverWatch);
    log(`server: ${url}${serverWatch ? ` (pid ${serverWatch.pid})` : ''}`);
    at('start');

    // every worker takes its share of the matches
    const share = (i: number) => Math.floor(o.matches / o.workers) + (i < o.matches % o.workers ? 1 : 0);
    const progress = new Map<number, { created: number; connected: number }>();
    let lastProgress = 0;
    const allConnected = new Promise<void>((resolveAll) => {
      for (let i = 0; i < o.workers; i++) {
        const proc = fork(join(root, 'bench/loadtest-worker.ts'), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        // the server comes first for a core, as on a machine of its own: the clients share this one only to measure it
        // (a client process kept waiting shows in its loop delay and in the latencies it reports, never hides them)
        if (o.generatorNice > 0 && proc.pid !== undefined) { try { setPriority(proc.pid, o.generatorNice); } catch { /* not allowed here: run as is */ } }
        const entry = { proc, stats: null as WorkerStats | null, connected: false, exited: new Promise<void>((r) => proc.once('exit', () => r())) };
        workers.push(entry);
        proc.on('message', (m: FromWorker) => {
          if (m.type === 'progress' || m.type === 'connected') {
            progress.set(m.worker, { created: m.created, connected: m.connected });
            const c = [...progress.values()].reduce((n, p) => n + p.connected, 0);
            if (performance.now() - lastProgress > 2000 || m.type === 'connected') { lastProgress = performance.now(); log(`  connected ${c}/${o.matches * o.clientsPerMatch} clients`); }
          }
          if (m.type === 'connected') { entry.connected = true; if (workers.every((w) => w.connected)) resolveAll(); }
          if (m.type === 'result') entry.stats = m.stats;
        });
        const job: RunJob = {
          type: 'run', worker: i, url: url!, matches: share(i), clientsPerMatch: o.clientsPerMatch, turns: o.turns,
          thinkMs: o.thinkMs, startSpreadMs: o.startSpreadMs, rampBatch: Math.max(1, Math.round(o.rampBatch / o.workers)),
          createConcurrency: Math.max(1, Math.round(8 / o.workers)), rulesPath: join(root, 'assets/rules/default.yaml'), stockDecoder: o.stockDecoder,
          soakMs: o.soakMinutes * 60_000, dropRate: o.dropRate, classMatches: o.classMatches, lockstep: o.lockstep, chat: o.chat,
        };
        proc.send(job);
      }
    });
    const allDone = Promise.all(workers.map((w) => w.exited));
    const stopWorkers = () => { for (const w of workers) if (w.proc.connected) w.proc.send({ type: 'stop' }); };
    const stopped = new Promise<void>((r) => { onDeadline = () => { stopWorkers(); r(); }; });
    if (interrupted) onDeadline();
    // a server that dies mid-run ends the run (its clients could only wait for the deadline)
    void server?.exited.then((code) => { if (!stoppingServer) { aborted ||= `the server exited during the run (code ${code})`; onDeadline(); } });

    // samples: memory and a /healthz round trip (how quickly the server's event loop answers) while playing
    let playing = false;
    const sampler = setInterval(() => { for (const w of watches) sample(w); }, 250);
    const prober = setInterval(() => {
      if (!playing) return;
      const t = performance.now();
      const sent = Date.now();
      fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(async (r) => {
        const health = await r.json().catch(() => null) as Health | null;
        if (health?.memoryMB) {
          serverHeapPeakMB = Math.max(serverHeapPeakMB, health.memoryMB.heapUsed);
          healthSamples.push({ second: (performance.now() - (wall.get('connected') ?? 0)) / 1000, heapMB: health.memoryMB.heapUsed, rssMB: health.memoryMB.rss, rooms: health.rooms ?? 0, clients: health.clients ?? 0 });
        }
        const ms = performance.now() - t;
        healthMs.push(ms);
        if (ms > 100 && stalls.length < 3000) stalls.push({ who: 'server /healthz', at: sent, ms: Math.round(ms) });
      }, () => { healthFailures++; });
      // once a second: /healthz lists every match held, so asking often is a load of its own (4% of the server at 5/s);
      // the server's probe measures its event loop to the millisecond anyway
    }, 1000);
    let tick = Date.now();
    const drift = setInterval(() => {
      const now = Date.now();
      if (playing && now - tick - 50 > 100 && stalls.length < 3000) stalls.push({ who: 'loadtest parent', at: tick, ms: now - tick - 50 });
      tick = now;
    }, 50);

    log(`creating ${o.matches} matches and joining ${o.matches * o.clientsPerMatch} clients, ${o.rampBatch} at a time ...`);
    await Promise.race([allConnected, stopped, allDone]);
    at('connected');
    // the server's event-loop figures start afresh: what the set-up cost is not the play's
    server?.proc.kill('SIGUSR2');
    const probeFrom = Date.now();
    probeWindow.from = probeFrom;
    if (!timedOut && !interrupted && workers.every((w) => w.connected)) {
      log(`playing ${o.turns} quarter${o.turns === 1 ? '' : 's'} (think ${o.thinkMs} ms) ...`);
      playing = true;
      const epoch = Date.now();
      for (const w of workers) w.proc.send({ type: 'go', epoch });
    } else stopWorkers();
    await Promise.race([allDone, stopped]);
    playing = false;
    at('played');
    probeWindow.to = Date.now();
    // a stopped worker reports and exits on its own; one that does not within 5 s is killed
    await Promise.race([allDone, new Promise((r) => setTimeout(r, 5000))]);
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) { w.proc.kill('SIGKILL'); aborted ||= 'a client process had to be killed'; }
    clearInterval(sampler);
    clearInterval(prober);
    clearInterval(drift);
  } catch (err) {
    aborted = (err as Error).message;
  } finally {
    clearTimeout(hardTimer);
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  }

  load.after = loadavg()[0];
  // a soak ends with every match over and every client gone: the server must then hold no room
  let roomsLeft: number | null = null;
  if (o.soakMinutes && url && !aborted) {
    log('waiting for the server to close the finished matches\' rooms ...');
    for (let i = 0; i < 40; i++) {
      const h = await fetch(`${url}/healthz`).then((r) => r.json() as Promise<Health>).catch(() => null);
      roomsLeft = h?.rooms ?? null;
      if (roomsLeft === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  // ---- the server's side, then stop it --------------------------------------------------------
  if (serverWatch) sample(serverWatch);
  let serverExit: number | null = null;
  let profile: ProfileSummary | null = null;
  if (server) {
    log('stopping the game server ...');
    stoppingServer = true;
    serverExit = await stopServerChild(server);
    if (server.profDir && existsSync(server.profDir)) {
      const file = readdirSync(server.profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(server!.profDir!, f))[0];
      const from = mono.get('connected'), to = mono.get('played');
      if (file) profile = summariseProfile(file, root, from !== undefined && to !== undefined ? { fromUs: from, toUs: to, label: 'while playing (set-up left out)' } : null);
    }
    if (!o.keepData && server.ownDataDir) rmSync(server.dataDir, { recursive: true, force: true });
  }

  // ---- the report ----------------------------------------------------------------------------
  const stats = workers.map((w) => w.stats).filter((s): s is WorkerStats => s !== null);
  const playProbes = probes.filter((p) => p.at > probeWindow.from && (!probeWindow.to || p.at <= probeWindow.to + 1000));
  const lastProbe = playProbes.at(-1) ?? null;
  const sum = (f: (s: WorkerStats) => number) => stats.reduce((n, s) => n + f(s), 0);
  const all = (f: (s: WorkerStats) => number[]) => stats.flatMap(f);
  const errors: Record<string, number> = {};
  const sent: Record<string, number> = {};
  const received: Record<string, number> = {};
  for (const s of stats) { mergeCounts(errors, s.errors); mergeCounts(sent, s.sent); mergeCounts(received, s.received); }
  if (stats.length < workers.length) errors['a client process reported nothing'] = workers.length - stats.length;
  if (server && server.logLines.error) errors['server error log lines'] = server.logLines.error;
  if (server && serverExit !== 0 && serverExit !== null) errors[`server exit code ${serverExit}`] = 1;
  const errorCount = Object.entries(errors).filter(([k]) => !k.includes('(retried)')).reduce((n, [, v]) => n + v, 0);
  const playSeconds = Math.max(...stats.map((s) => s.playMs), 0) / 1000;
  // the client processes report their own CPU time (they have exited by now); the wall clock is the parent's
  const setupWall = ((wall.get('connected') ?? 0) - (wall.get('start') ?? 0)) / 1000;
  const playWall = ((wall.get('played') ?? 0) - (wall.get('connected') ?? 0)) / 1000;
  const genCpu = (seconds: number, wallSeconds: number) => (stats.length && wallSeconds > 0 ? Math.round((seconds / wallSeconds) * 1000) / 10 : null);
  const report = {
    settings: { matches: o.matches, clientsPerMatch: o.clientsPerMatch, mode: o.classMatches ? 'class' : 'online', lockstep: o.lockstep, chat: o.chat, turns: o.turns, thinkMs: o.thinkMs, startSpreadMs: o.startSpreadMs, rampBatch: o.rampBatch, workers: o.workers, url, durationLimit: o.durationLimit, stringDecoder: o.stockDecoder ? 'stock' : 'TextDecoder', generatorNice: o.generatorNice },
    completed: !timedOut && !aborted && stats.length === workers.length && stats.every((s) => !s.stopped),
    timedOut, aborted: aborted || null,
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    setupSeconds: Math.round(((wall.get('connected') ?? 0) - (wall.get('start') ?? 0)) / 100) / 10,
    playSeconds: Math.round(playSeconds * 10) / 10,
    matches: { wanted: o.matches, created: sum((s) => s.matchesCreated), completed: sum((s) => s.matchesCompleted), endedEarly: sum((s) => s.matchesEndedEarly) },
    clients: { wanted: o.matches * o.clientsPerMatch, connected: sum((s) => s.clientsConnected), peakConcurrent: sum((s) => s.clientsPeak) },
    quartersResolved: sum((s) => s.quartersResolved),
    resolutionLatencyMs: percentiles(all((s) => s.resolutionMs)),
    resolutionLatencyByQuarterMs: Array.from({ length: o.turns }, (_, q) => ({ quarter: q + 1, ...percentiles(stats.flatMap((s) => s.resolutionByQuarter[q] ?? [])) })),
    phaseLatencyMs: percentiles(all((s) => s.phaseMs)),
    joinMs: percentiles(all((s) => s.joinMs)),
    createMs: percentiles(all((s) => s.createMs)),
    healthzMs: { ...percentiles(healthMs), failures: healthFailures },
    messages: {
      sent: { total: Object.values(sent).reduce((a, b) => a + b, 0), ...sent, perSecond: playSeconds ? Math.round(Object.values(sent).reduce((a, b) => a + b, 0) / playSeconds) : null },
      received: { patches: sum((s) => s.patches), ...received },
    },
    server: serverWatch ? {
      pid: serverWatch.pid,
      cpuPercentSetup: cpuPercent(serverWatch, 'start', 'connected', wall),
      cpuPercentPlay: cpuPercent(serverWatch, 'connected', 'played', wall),
      cpuSeconds: (serverWatch.cpuAt.get('played') ?? NaN) - (serverWatch.cpuAt.get('start') ?? NaN),
      rssPeakMB: Math.round(Math.max(serverWatch.rssPeak, serverWatch.hwm)),
      heapPeakMB: Math.max(serverHeapPeakMB, ...playProbes.map((p) => p.heapMB)) || null,
      // the server's own event loop while playing (its probe, 1 ms resolution): the longest stall is its max
      eventLoopDelayMs: lastProbe ? { p50: lastProbe.p50Ms, p99: lastProbe.p99Ms, max: lastProbe.maxMs } : null,
      resolutionQueue: lastProbe?.queue ? { longestTurnMs: lastProbe.queue.longestTurnMs, longestTurnCpuMs: lastProbe.queue.longestTurnCpuMs ?? null, longestWaitMs: lastProbe.queue.longestWaitMs ?? null, turns: lastProbe.queue.turns, deepest: Math.max(...playProbes.map((p) => p.queue?.deepest ?? 0)) } : null,
      stallsOver20ms: playProbes.filter((p) => p.secondMaxMs > 20).length,
      // garbage collection while playing: the longest pause, all pauses together, and the seconds whose stall it explains
      gc: lastProbe?.gc ? { longestPauseMs: lastProbe.gc.maxMs, totalMs: lastProbe.gc.totalMs, stallsOver20msFromGc: playProbes.filter((p) => p.secondMaxMs > 20 && (p.gc?.secondMaxMs ?? 0) > 20).length } : null,
    } : null,
    generator: {
      processes: workers.length,
      cpuPercentSetup: genCpu(sum((s) => s.cpuSetupSeconds), setupWall),
      cpuPercentPlay: genCpu(sum((s) => s.cpuPlaySeconds), playWall),
      rssPeakMB: sum((s) => s.maxRssMB),
      eventLoopDelayMs: stats.length ? { p99: Math.round(Math.max(...stats.map((s) => s.loopDelay.p99)) * 10) / 10, max: Math.round(Math.max(...stats.map((s) => s.loopDelay.max)) * 10) / 10 } : null,
      perProcess: stats.map((s) => ({ worker: s.worker, clients: s.clientsConnected, cpuPercentPlay: genCpu(s.cpuPlaySeconds, playWall), loopDelayP99Ms: Math.round(s.loopDelay.p99 * 10) / 10, loopDelayMaxMs: Math.round(s.loopDelay.max * 10) / 10 })),
      ownCpuSeconds: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e4) / 100,
    },
    machine: (() => {
      const cores = availableParallelism();
      const busy = (machine.get('played') ?? NaN) - (machine.get('connected') ?? NaN);
      const ours = ((serverWatch?.cpuAt.get('played') ?? NaN) - (serverWatch?.cpuAt.get('connected') ?? NaN)) + sum((s) => s.cpuPlaySeconds);
      const pct = (x: number) => (Number.isFinite(x) && playWall > 0 ? Math.round((x / playWall) * 1000) / 10 : null);
      // what the rest of the machine used while this run played: other programs compete for the same cores
      return { cores, busyPercentPlay: pct(busy), othersPercentPlay: serverWatch ? pct(busy - ours) : null, loadAverageBefore: load.before, loadAverageAfter: load.after };
    })(),
    // what one change costs each client on the wire: the frame that brought a new quarter, and a chat's first patch
    bytesPerClient: {
      quarterChange: byteFigures(all((s) => s.quarterBytes)),
      chat: byteFigures(all((s) => s.chatBytes)),
      chats: sum((s) => s.chats),
      perSecond: playSeconds && sum((s) => s.clientsConnected) ? Math.round(sum((s) => s.bytesReceived) / playSeconds / sum((s) => s.clientsConnected)) : null,
    },
    largestSyncedStringsChars: {
      public: Math.max(0, ...stats.map((s) => s.largestStrings.public)),
      view: Math.max(0, ...stats.map((s) => s.largestStrings.view)),
      feed: Math.max(0, ...stats.map((s) => s.largestStrings.feed)),
    },
    stalls: [...stalls, ...stats.flatMap((s) => s.stalls.map((x) => ({ who: `client process ${s.worker}`, ...x })))]
      .sort((a, b) => a.at - b.at).map((x) => ({ who: x.who, atSecond: Math.round((x.at - playStartEpoch) / 100) / 10, ms: x.ms })),
    // the server's probe second by second while playing, to line a latency up with its stalls, GC and queue
    serverSeconds: playProbes.map((p) => ({ atSecond: Math.round((p.at - playStartEpoch) / 100) / 10, stallMs: p.secondMaxMs, gcMs: p.gc?.secondMaxMs ?? null, heapMB: p.heapMB, queueDeepest: p.queue?.secondDeepest ?? null })),
    errors: { total: errorCount, byKind: errors, serverLogWarnings: server?.logLines.warn ?? null, serverLogSamples: server?.logLines.samples ?? [], serverStderr: server?.stderrTail ?? [] },
    profile,
    dataDir: server && o.keepData ? server.dataDir : null,
    soak: o.soakMinutes ? soakSummary(o, stats, roomsLeft) : null,
  };

  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  return report.completed && errorCount === 0 && (!report.soak || report.soak.passed) ? 0 : 1;
}

/** A soak's verdict: every record whole, every dropped client back, memory flat after the first minute, no room left. */
function soakSummary(o: Options, stats: WorkerStats[], roomsLeft: number | null) {
  const drops = { network: 0, reload: 0, reconnected: 0, rejoined: 0, failed: 0 };
  for (const s of stats) for (const k of Object.keys(drops) as (keyof typeof drops)[]) drops[k] += s.drops[k];
  const median = (xs: number[]) => { const b = [...xs].sort((x, y) => x - y); return b.length ? b[Math.floor(b.length / 2)] : null; };
  const end = o.soakMinutes * 60;
  const window = (from: number, to: number) => healthSamples.filter((h) => h.second >= from && h.second < to);
  // the heap rises and falls with every collection: its floor in a minute (what survived) is what could grow
  const floor = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
  const early = window(60, 120), late = window(end - 60, end);
  const heap = { minute2: floor(early.map((h) => h.heapMB)), lastMinute: floor(late.map((h) => h.heapMB)) };
  const rss = { minute2: median(early.map((h) => h.rssMB)), lastMinute: median(late.map((h) => h.rssMB)) };
  const growth = heap.minute2 && heap.lastMinute !== null ? Math.round(((heap.lastMinute - heap.minute2) / heap.minute2) * 1000) / 10 : null;
  const perMinute = Array.from({ length: Math.ceil(end / 60) }, (_, m) => {
    const w = window(m * 60, (m + 1) * 60);
    return { minute: m + 1, heapFloorMB: floor(w.map((h) => h.heapMB)), heapMaxMB: w.length ? Math.max(...w.map((h) => h.heapMB)) : null, rssMB: median(w.map((h) => h.rssMB)), rooms: median(w.map((h) => h.rooms)), clients: median(w.map((h) => h.clients)) };
  });
  const recordsChecked = stats.reduce((n, s) => n + s.recordsChecked, 0);
  const recordsBad = stats.flatMap((s) => s.recordsBad);
  const passed = recordsBad.length === 0 && recordsChecked > 0 && drops.failed === 0 && roomsLeft === 0 && growth !== null && growth < 10;
  return { minutes: o.soakMinutes, dropRate: o.dropRate, drops, recordsChecked, recordsBad, heapMB: heap, rssMB: rss, heapGrowthPercent: growth, perMinute, roomsLeft, passed };
}

function summariseStalls(stalls: { who: string; atSecond: number; ms: number }[]): string {
  if (!stalls.length) return 'none seen';
  const by = new Map<string, { n: number; max: number }>();
  for (const s of stalls) { const b = by.get(s.who) ?? { n: 0, max: 0 }; b.n++; b.max = Math.max(b.max, s.ms); by.set(s.who, b); }
  return [...by].map(([who, b]) => `${who} ${b.n}× (longest ${Math.round(b.max)} ms)`).join('; ') + ' (times in --json)';
}

function printReport(r: any): void {
  const ms = (p: { n: number; p50: number | null; p99: number | null; max: number | null }) => p.n ? `p50 ${p.p50} ms  p99 ${p.p99} ms  max ${p.max} ms  (n=${p.n})` : 'no samples';
  const lines = [
    '',
    `Load test: ${r.settings.matches} ${r.settings.mode} matches × ${r.settings.clientsPerMatch} clients, ${r.settings.turns} quarters, think ${r.settings.thinkMs} ms${r.settings.lockstep ? ' in lock-step' : `, starts over ${r.settings.startSpreadMs} ms`}, ${r.settings.workers} client process${r.settings.workers === 1 ? '' : 'es'}${r.settings.generatorNice ? ` at nice ${r.settings.generatorNice}` : ''}`,
    `  ${r.completed ? 'completed' : r.timedOut ? 'STOPPED at the duration limit (partial figures)' : `NOT completed${r.aborted ? `: ${r.aborted}` : ''}`} in ${r.wallSeconds} s (set-up ${r.setupSeconds} s, play ${r.playSeconds} s)`,
    `  matches:              ${r.matches.created}/${r.matches.wanted} created, ${r.matches.completed} played through${r.matches.endedEarly ? ` (${r.matches.endedEarly} reached an ending early)` : ''}`,
    `  clients:              ${r.clients.connected}/${r.clients.wanted} connected (peak ${r.clients.peakConcurrent} at once); join ${ms(r.joinMs)}`,
    `  quarters resolved:    ${r.quartersResolved}`,
    `  turn resolution:      ${ms(r.resolutionLatencyMs)}   (last submit → every client sees the next quarter)`,
    `    by quarter (p99/max ms): ${r.resolutionLatencyByQuarterMs.map((q: any) => `Q${q.quarter} ${q.p99 ?? '-'}/${q.max ?? '-'}`).join('  ')}`,
    `  other phase changes:  ${ms(r.phaseLatencyMs)}   (last ready → every client sees the next phase)`,
    `  /healthz round trip:  ${ms(r.healthzMs)}${r.healthzMs.failures ? `, ${r.healthzMs.failures} failed` : ''}`,
    `  messages sent:        ${r.messages.sent.total} (${Object.entries(r.messages.sent).filter(([k]) => !['total', 'perSecond'].includes(k)).map(([k, v]) => `${k} ${v}`).join(', ')}; ${r.messages.sent.perSecond ?? '?'}/s while playing)`,
    `  received:             ${r.messages.received.patches} state patches, ${Object.entries(r.messages.received).filter(([k]) => k !== 'patches').map(([k, v]) => `${k} ${v}`).join(', ')}`,
    r.server
      ? `  server CPU:           ${r.server.cpuPercentPlay ?? '?'}% of one core while playing, ${r.server.cpuPercentSetup ?? '?'}% while joining; RSS peak ${r.server.rssPeakMB} MB, JS heap peak ${r.server.heapPeakMB ?? '?'} MB`
      : '  server CPU/RSS:       not measured (give --server-pid with --url)',
    r.server?.eventLoopDelayMs
      ? `  server event loop:    delay p50 ${r.server.eventLoopDelayMs.p50} ms, p99 ${r.server.eventLoopDelayMs.p99} ms, longest stall ${r.server.eventLoopDelayMs.max} ms; ${r.server.stallsOver20ms} seconds held a stall > 20 ms${r.server.resolutionQueue ? `; resolution queue: longest turn ${r.server.resolutionQueue.longestTurnMs} ms (${r.server.resolutionQueue.longestTurnCpuMs ?? '?'} ms of CPU), ${r.server.resolutionQueue.deepest} waiting at most, the longest wait ${r.server.resolutionQueue.longestWaitMs ?? '?'} ms` : ''}`
      : '  server event loop:    not measured (only for the server this run starts)',
    `  load generator CPU:   ${r.generator.cpuPercentPlay ?? '?'}% while playing, ${r.generator.cpuPercentSetup ?? '?'}% while joining; RSS peak ${r.generator.rssPeakMB} MB (machine: 2 cores = 200%)`,
    `  machine:              ${r.machine.cores} cores; busy ${r.machine.busyPercentPlay ?? '?'}% while playing, of which other programs ${r.machine.othersPercentPlay ?? '?'}%; load average ${r.machine.loadAverageBefore.toFixed(1)} before, ${r.machine.loadAverageAfter.toFixed(1)} after${(r.machine.othersPercentPlay ?? 0) > 20 ? '\n  WARNING: other programs used a lot of CPU during this run; the latencies are not the server\'s alone' : ''}`,
    ...(r.server?.gc ? [`  server GC:            longest pause ${r.server.gc.longestPauseMs} ms, ${r.server.gc.totalMs} ms in all while playing; ${r.server.gc.stallsOver20msFromGc} of the seconds with a stall > 20 ms had a GC pause > 20 ms`] : []),
    `  generator event loop: ${r.generator.eventLoopDelayMs ? `delay p99 ${r.generator.eventLoopDelayMs.p99} ms, max ${r.generator.eventLoopDelayMs.max} ms while playing (adds to the latencies above)` : '?'}`,
    `  bytes per client:     quarter change p50 ${r.bytesPerClient.quarterChange.p50 ?? '-'} B, p99 ${r.bytesPerClient.quarterChange.p99 ?? '-'} B, max ${r.bytesPerClient.quarterChange.max ?? '-'} B (n=${r.bytesPerClient.quarterChange.n}); chat p50 ${r.bytesPerClient.chat.p50 ?? '-'} B, p99 ${r.bytesPerClient.chat.p99 ?? '-'} B, max ${r.bytesPerClient.chat.max ?? '-'} B (${r.bytesPerClient.chats} chats); ${r.bytesPerClient.perSecond ?? '?'} B/s each while playing`,
    `  per client process:   ${r.generator.perProcess.map((p: any) => `#${p.worker} ${p.clients} clients ${p.cpuPercentPlay ?? '?'}% CPU, loop delay p99 ${p.loopDelayP99Ms} / max ${p.loopDelayMaxMs} ms`).join('; ')}`,
    `  largest synced JSON:  public ${r.largestSyncedStringsChars.public}, team view ${r.largestSyncedStringsChars.view}, team feed ${r.largestSyncedStringsChars.feed} characters (client string decoder: ${r.settings.stringDecoder})`,
    `  stalls > 100 ms:      ${summariseStalls(r.stalls)}`,
    `  errors:               ${r.errors.total}`,
    ...Object.entries(r.errors.byKind).map(([k, v]) => `    ${v} × ${k}`),
    ...r.errors.serverLogSamples.map((s: string) => `    server log: ${s}`),
    ...(r.completed ? [] : r.errors.serverStderr.map((s: string) => `    server stderr: ${s}`)),
  ];
  if (r.soak) {
    const k = r.soak;
    lines.push('', `Soak: ${k.minutes} minutes, drop rate ${k.dropRate}: ${k.passed ? 'PASSED' : 'FAILED'}`,
      `  dropped connections:  ${k.drops.network} network drops (${k.drops.reconnected} reconnected by the SDK), ${k.drops.reload} reloads (${k.drops.rejoined} back with the seat token), ${k.drops.failed} never came back`,
      `  finished matches:     ${k.recordsChecked} records read back, ${k.recordsBad.length} missing or repeating a quarter${k.recordsBad.length ? `: ${k.recordsBad.slice(0, 5).join('; ')}` : ''}`,
      `  server heap floor:    ${k.heapMB.minute2} MB in minute 2, ${k.heapMB.lastMinute} MB in the last minute (${k.heapGrowthPercent}%; RSS median ${k.rssMB.minute2} → ${k.rssMB.lastMinute} MB)`,
      `  per minute:           ${k.perMinute.map((m: any) => `${m.minute}: heap ${m.heapFloorMB ?? '-'}–${m.heapMaxMB ?? '-'} MB, ${m.rooms ?? '-'} rooms`).join('  ')}`,
      `  rooms left at the end: ${k.roomsLeft ?? 'unknown'}`);
  }
  if (r.profile) {
    const p = r.profile;
    lines.push('', `Server CPU profile, ${p.window}: ${p.busyMs} ms busy of ${p.sampledMs} ms sampled`, `  ${p.file}`, '  self time by package / folder (% of busy time):');
    for (const g of p.groups) lines.push(`    ${String(g.percentOfBusy).padStart(5)}%  ${String(g.selfMs).padStart(7)} ms  ${g.group}`);
    lines.push('  top functions by self time:');
    for (const f of p.functions) lines.push(`    ${String(f.percentOfBusy).padStart(5)}%  ${String(f.selfMs).padStart(7)} ms  ${f.name}  ${f.where}`);
    lines.push('  the server\'s own code and Colyseus entry points, by inclusive time:');
    for (const f of p.inclusive) lines.push(`    ${String(f.percentOfBusy).padStart(5)}%  ${String(f.totalMs).padStart(7)} ms  ${f.name}  ${f.where}`);
  }
  console.log(lines.join('\n'));
}

process.exitCode = await main();
// sockets or timers left by a stopped run must not keep the process alive
setTimeout(() => process.exit(process.exitCode), 200).unref();
