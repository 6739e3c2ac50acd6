// npm run simulate -- --rules <file> --matches N --seed S [--bots role=personality,...] [--json]
//                     [--sweep path.to.number=a:b:steps] [--compare <other rule file>] [--workers K]
// Plays many seeded bot matches and reports how they end, for designers balancing a rule file.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadRulesFile } from '../shared/rules/load.ts';
import { ruleFile, type RuleFile } from '../shared/rules/schema.ts';
import { crossReferenceFindings } from '../shared/rules/crossrefs/index.ts';
import { readablePath, type DataPath } from '../shared/rules/positions.ts';
import { parseBots, specFor, describeBots, hint, type BotsSpec } from '../shared/sim/seating.ts';
import { readFlags, wholeNumber, realNumber, oneOf, UsageError } from './args.ts';
import { PLANNERS, type PlannerName } from '../shared/bots/planner.ts';
import { balanceRuns, balanceReport } from '../shared/sim/balance.ts';
import { formatBalance } from './balance-format.ts';
import {
  allocRecords, copyRecords, summarize, compareEndings, round,
  type MatchRecords, type Summary, type EndingComparison,
} from '../shared/sim/summary.ts';
import { runRange, WORKER_TAG, type JobMessage, type WorkerReply } from './sim-worker.ts';

const USAGE = `usage: npm run simulate -- [--rules <file>] [--matches N] [--seed S] [--bots <seats>] [--json]
                           [--sweep path.to.number=a:b:steps | --compare <other rule file>] [--workers K]

  --rules <file>     rule file to play (default assets/rules/default.yaml)
  --matches N        number of matches (default 1000); match i plays with a seed derived from S and i
  --seed S           base seed, a whole number (default 1)
  --bots <seats>     who plays: role=personality pairs, e.g. usGov=hawk,cnLab=dove (other seats
                     status-quo); a bare personality or "mixed" sets every seat not named;
                     "mixed" draws a personality per seat and match from the match's seed.
                     Personalities: status-quo, hawk, dove, opportunist, random, and the
                     look-ahead bots planner-easy, planner, planner-hard (slower; never in "mixed")
  --sweep p=a:b:k    play the same seeds with the number at path p (e.g. model.distillation.maxGapShare)
                     set to k values from a to b; list elements can be named by id (roles.usGov.budget.perTurn)
  --compare <file>   play a second rule file on the same seeds and test each ending's difference
  --workers K        worker threads (0 = in this thread); default: all cores from 2000 matches up
  --balance          the designer's balance report for the rule file: matchups, dominance, variance
                     shares, lever worth, event cards, endings (many runs on the same seeds)
  --seeds N          with --balance: matches per run (default 200)
  --grid             with --balance: also every seating of the four styles (4^roles runs)
  --share S          with --balance: share of a role's budget moved into each lever (default 0.15)
  --planner P        with --balance: also each role played by planner-easy, planner or planner-hard
                     against status-quo opponents, and its gain over the status quo (slow)
  --json             print one JSON object instead of the report
  --no-progress      no progress line (it is shown only on a terminal anyway)`;

const DEFAULT_RULES = 'assets/rules/default.yaml';
/** from this much work up, runs use worker threads unless --workers says otherwise */
const WORKER_THRESHOLD = 2000;

interface Options {
  rules: string;
  matches: number;
  seed: number;
  bots?: string;
  json: boolean;
  workers?: number;
  sweep?: string;
  compare?: string;
  progress: boolean;
  help: boolean;
  balance: boolean;
  seeds: number;
  grid: boolean;
  share: number;
  planner?: PlannerName;
}

const FLAGS = {
  rules: { type: 'string' }, matches: { type: 'string' }, seed: { type: 'string' }, bots: { type: 'string' },
  json: { type: 'boolean' }, workers: { type: 'string' }, sweep: { type: 'string' }, compare: { type: 'string' },
  'no-progress': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  balance: { type: 'boolean' }, seeds: { type: 'string' }, grid: { type: 'boolean' }, share: { type: 'string' }, planner: { type: 'string' },
} as const;

export function parseOptions(argv: string[]): Options {
  const { values: v } = readFlags(argv, FLAGS);
  const o: Options = {
    rules: DEFAULT_RULES, matches: 1000, seed: 1, json: v.json ?? false, progress: !v['no-progress'], help: v.help ?? false,
    balance: v.balance ?? false, seeds: 200, grid: v.grid ?? false, share: 0.15,
  };
  if (v.seeds !== undefined) o.seeds = wholeNumber('--seeds', v.seeds, 1, 1_000_000);
  if (v.share !== undefined) o.share = realNumber('--share', v.share, 0, 1, true);
  if (v.planner !== undefined) o.planner = oneOf('--planner', v.planner, PLANNERS);
  if (!o.balance) for (const f of ['seeds', 'grid', 'share', 'planner'] as const) if (v[f] !== undefined) throw new UsageError(`--${f} goes with --balance`);
  if (o.balance) for (const f of ['matches', 'bots', 'sweep', 'compare'] as const) if (v[f] !== undefined) throw new UsageError(`--balance plays its own runs; it takes --seeds, not --${f}`);
  if (v.rules !== undefined) o.rules = v.rules;
  if (v.matches !== undefined) o.matches = wholeNumber('--matches', v.matches, 1, 100_000_000);
  if (v.seed !== undefined) o.seed = wholeNumber('--seed', v.seed, 0, Number.MAX_SAFE_INTEGER);
  if (v.bots !== undefined) o.bots = v.bots;
  if (v.workers !== undefined) o.workers = wholeNumber('--workers', v.workers, 0, 256);
  if (v.sweep !== undefined) o.sweep = v.sweep;
  if (v.compare !== undefined) o.compare = v.compare;
  if (o.sweep !== undefined && o.compare !== undefined) throw new UsageError(`--sweep and --compare cannot be combined; run them one after the other`);
  return o;
}

/** A rule file that does not load: exit code 1. */
class RulesError extends Error {}

function loadRules(path: string, flag: string): RuleFile {
  if (!existsSync(path)) throw new UsageError(`${flag}: no such file ${path}`);
  if (!statSync(path).isFile()) throw new UsageError(`${flag}: ${path} is not a file`);
  try {
    return loadRulesFile(path);
  } catch (err) {
    throw new RulesError(`${path} is not a valid rule file:\n${describeLoadError(err)}`);
  }
}

function describeLoadError(err: unknown): string {
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (Array.isArray(issues)) return issues.map((i) => `  ${i.path.map(String).join('.') || '(top)'}  ${i.message}`).join('\n');
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// Running matches: in this thread, or split across a pool of worker threads

type Progress = (done: number) => void;

interface Slot {
  worker: Worker;
  known: Set<number>;
  onReply: ((reply: WorkerReply) => void) | null;
  onFail: ((err: Error) => void) | null;
}

const rulesKeys = new WeakMap<RuleFile, number>();
let nextRulesKey = 1;
function keyOf(rules: RuleFile): number {
  let k = rulesKeys.get(rules);
  if (k === undefined) { k = nextRulesKey++; rulesKeys.set(rules, k); }
  return k;
}

export class Pool {
  slots: Slot[];
  private nextJob = 1;
  private closing = false;

  constructor(size: number) {
    this.slots = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { workerData: { tag: WORKER_TAG } });
      const slot: Slot = { worker, known: new Set(), onReply: null, onFail: null };
      worker.on('message', (reply: WorkerReply) => slot.onReply?.(reply));
      worker.on('error', (err) => slot.onFail?.(err instanceof Error ? err : new Error(String(err))));
      worker.on('exit', (code) => { if (!this.closing) slot.onFail?.(new Error(`a worker thread stopped (exit code ${code})`)); });
      this.slots.push(slot);
    }
  }

  /** Plays matches 0..n-1 of the run started with `seed`, in chunks shared out to idle workers. */
  run(rules: RuleFile, spec: BotsSpec, seed: number, n: number, onProgress?: Progress): Promise<MatchRecords> {
    const all = allocRecords(n, rules.roles.map((r) => r.id), rules.endings.map((e) => e.id), rules.events.map((e) => e.id));
    const chunk = Math.max(1, Math.min(2000, Math.ceil(n / (this.slots.length * 8))));
    const rulesKey = keyOf(rules);
    let next = 0;
    let doneInFinished = 0;
    const inFlight = new Map<Slot, number>();
    return new Promise<MatchRecords>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        for (const s of this.slots) { s.onReply = null; s.onFail = null; }
        reject(err);
      };
      const report = () => {
        if (!onProgress) return;
        let d = doneInFinished;
        for (const v of inFlight.values()) d += v;
        onProgress(d);
      };
      const dispatch = (slot: Slot) => {
        if (next >= n) { slot.onReply = null; slot.onFail = null; return; }
        const from = next;
        const to = Math.min(n, from + chunk);
        next = to;
        const jobId = this.nextJob++;
        inFlight.set(slot, 0);
        slot.onFail = fail;
        slot.onReply = (reply) => {
          if (reply.jobId !== jobId || failed) return;
          if (reply.type === 'progress') { inFlight.set(slot, reply.done); report(); return; }
          if (reply.type === 'error') { fail(new Error(reply.message)); return; }
          copyRecords(all, reply.records, from);
          inFlight.delete(slot);
          doneInFinished += to - from;
          report();
          if (doneInFinished === n) {
            for (const s of this.slots) { s.onReply = null; s.onFail = null; }
            resolve(all);
            return;
          }
          dispatch(slot);
        };
        const msg: JobMessage = { type: 'job', jobId, rulesKey, spec, seed, from, to };
        if (!slot.known.has(rulesKey)) { msg.rules = rules; slot.known.add(rulesKey); }
        slot.worker.postMessage(msg);
      };
      if (n === 0) { resolve(all); return; }
      for (const slot of this.slots) dispatch(slot);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Plays a run in this thread or on the pool; same seeds give the same records either way. */
async function play(pool: Pool | null, rules: RuleFile, spec: BotsSpec, seed: number, n: number, onProgress?: Progress): Promise<MatchRecords> {
  if (pool) return pool.run(rules, spec, seed, n, onProgress);
  return runRange(rules, spec, seed, 0, n, onProgress);
}

/** A \r-updated line on stderr, at most ten times a second; nothing when disabled. */
function progressLine(enabled: boolean, total: number, io: Io) {
  const start = performance.now();
  let last = 0;
  let base = 0;
  let label = '';
  let shown = false;
  return {
    /** starts a new run of the whole; `done` of update() counts from here */
    stage(name: string, before: number) { label = name; base = before; },
    update(done: number) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const d = base + done;
      const rate = d / Math.max(1e-9, (now - start) / 1000);
      io.err(`\r\x1b[K  simulating${label ? ` ${label}` : ''}: ${fmtInt(d)} / ${fmtInt(total)} matches (${Math.floor((100 * d) / total)}%), ${fmtInt(rate)} matches/s`);
      shown = true;
    },
    end() { if (shown) io.err('\r\x1b[K'); },
  };
}

// ---------------------------------------------------------------------------------------------
// --sweep

interface Sweep {
  path: string;
  from: number;
  to: number;
  steps: number;
  values: number[];
}

function parseSweep(text: string, rules: RuleFile): Sweep {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--sweep must look like path.to.number=a:b:steps, e.g. model.distillation.maxGapShare=0.1:0.4:4`);
  const path = text.slice(0, eq).trim();
  const range = text.slice(eq + 1).split(':').map((s) => s.trim());
  if (range.length !== 3) throw new UsageError(`--sweep range must be a:b:steps (from, to, how many values), not "${text.slice(eq + 1)}"`);
  const [a, b] = range.slice(0, 2).map((s) => (s === '' ? NaN : Number(s)));
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new UsageError(`--sweep: from and to must be numbers, not "${range[0]}" and "${range[1]}"`);
  const steps = wholeNumber('--sweep steps', range[2], 1, 1000);
  locateNumber(rules, path); // throws when the path is wrong
  const values = steps === 1 ? [a] : Array.from({ length: steps }, (_, k) => Number((a + ((b - a) * k) / (steps - 1)).toPrecision(12)));
  return { path, from: a, to: b, steps, values };
}

type Json = Record<string, unknown> | unknown[];

/** Finds the number at a dotted path; list elements by index or by id. Throws a UsageError with a hint. */
function locateNumber(root: RuleFile, path: string): { parent: Json; key: string | number } {
  const segs = path.split('.');
  let node: unknown = root;
  let where = 'the rules';
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k];
    let key: string | number;
    if (Array.isArray(node)) {
      const ids = node.map((e, i) => (e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string' ? (e as { id: string }).id : String(i)));
      if (/^\d+$/.test(seg) && Number(seg) < node.length) key = Number(seg);
      else {
        key = node.findIndex((e) => e && typeof e === 'object' && (e as { id?: unknown }).id === seg);
        if (key < 0) throw new UsageError(`--sweep: no "${seg}" in ${where}${hint(seg, ids)}; it is a list of ${ids.join(', ')}`);
      }
    } else if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      if (!Object.hasOwn(node, seg)) throw new UsageError(`--sweep: no "${seg}" in ${where}${hint(seg, keys)}; it has ${keys.join(', ')}`);
      key = seg;
    } else {
      throw new UsageError(`--sweep: ${where} is ${describeValue(node)}, it has no "${seg}"`);
    }
    const parent = node as Json;
    node = (parent as Record<string | number, unknown>)[key];
    where = segs.slice(0, k + 1).join('.');
    if (k === segs.length - 1) {
      if (typeof node !== 'number') {
        let numbers = '';
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
          const inside = Object.entries(node).filter(([, v]) => typeof v === 'number').map(([n]) => n);
          if (inside.length) numbers = `; numbers in it: ${inside.join(', ')}`;
        }
        throw new UsageError(`--sweep: ${path} is ${describeValue(node)}, not a number${numbers}`);
      }
      return { parent, key };
    }
  }
  throw new UsageError(`--sweep needs a path`);
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'empty';
  if (typeof v === 'object') return 'a section';
  if (typeof v === 'string') return `text ("${v}")`;
  return `a ${typeof v}`;
}

function rulesWith(rules: RuleFile, path: string, value: number): RuleFile {
  const copy = structuredClone(rules);
  const { parent, key } = locateNumber(copy, path);
  (parent as Record<string | number, unknown>)[key] = value;
  const checked = ruleFile.safeParse(copy);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UsageError(`--sweep: ${path} = ${value} makes the rules invalid: ${readablePath(copy, issue.path as DataPath)}: ${issue.message}`);
  }
  const [finding] = crossReferenceFindings(copy);
  if (finding) throw new UsageError(`--sweep: ${path} = ${value} makes the rules invalid: ${readablePath(copy, finding.path)}: ${finding.message}`);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Reports

function fmtInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}
function pct(count: number, n: number, digits = 1): string {
  return `${n ? ((100 * count) / n).toFixed(digits) : '0.0'}%`;
}
function pad(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}
function padL(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
function fmtP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function endingTitle(rules: RuleFile, id: string): string {
  return rules.endings.find((e) => e.id === id)?.title ?? id;
}

function reportRun(rules: RuleFile, o: Options, spec: BotsSpec, s: Summary, speed: string): string {
  const out: string[] = [];
  out.push(`${rules.name} — ${o.rules}`);
  out.push(`${fmtInt(s.matches)} matches, seed ${o.seed}, bots ${describeBots(spec)}`);
  out.push('');
  out.push('Endings');
  const titleW = Math.max(...rules.endings.map((e) => e.title.length), 10);
  const max = Math.max(1, ...Object.values(s.endings));
  for (const [id, count] of Object.entries(s.endings)) {
    const bar = '█'.repeat(Math.round((24 * count) / max));
    out.push(`  ${pad(endingTitle(rules, id), titleW)}  ${padL(fmtInt(count), 8)}  ${padL(pct(count, s.matches), 6)}  ${bar}`);
  }
  out.push('');
  const l = s.leadMonths;
  out.push(`Final lead, US minus China (months)   p10 ${fmt(l.p10)}   p50 ${fmt(l.p50)}   p90 ${fmt(l.p90)}`);
  out.push('');
  const roleW = Math.max(...rules.roles.map((r) => r.name.length + r.id.length + 3), 10);
  out.push(`Scores  ${pad('', roleW - 6)}${padL('mean', 7)}${padL('p10', 7)}${padL('p90', 7)}`);
  for (const r of rules.roles) {
    const sc = s.scores[r.id];
    out.push(`  ${pad(`${r.name} (${r.id})`, roleW)}${padL(fmt(sc.mean), 7)}${padL(fmt(sc.p10), 7)}${padL(fmt(sc.p90), 7)}`);
  }
  out.push('');
  const inc = s.incidents;
  out.push(`Incidents per match   minor ${fmt(inc.minor, 2)}   major ${fmt(inc.major, 2)}   catastrophe in ${(100 * inc.catastropheShare).toFixed(2)}% of matches`);
  out.push('');
  out.push(speed);
  return out.join('\n');
}

function speedLine(matches: number, seconds: number, workers: number): string {
  const where = workers > 0 ? `${workers} worker thread${workers > 1 ? 's' : ''}` : 'one thread';
  return `Speed   ${fmtInt(matches)} matches in ${seconds.toFixed(2)} s = ${fmtInt(matches / seconds)} matches/s on ${where}`;
}

/** A table with one column per run: rows of labels, columns wrapped to fit the width. */
function columns(corner: string, header: string[], rows: { label: string; cells: string[] }[], width = 100): string[] {
  const labelW = Math.max(...rows.map((r) => r.label.length), corner.length, 8) + 2;
  const colW = Math.max(...header.map((h) => h.length), ...rows.flatMap((r) => r.cells.map((c) => c.length))) + 2;
  const per = Math.max(1, Math.floor((width - labelW) / colW));
  const out: string[] = [];
  for (let c0 = 0; c0 < header.length; c0 += per) {
    if (c0 > 0) out.push('');
    const idx = header.slice(c0, c0 + per).map((_, k) => c0 + k);
    out.push(pad(corner, labelW) + idx.map((i) => padL(header[i], colW)).join(''));
    for (const r of rows) out.push((pad(r.label, labelW) + (r.cells.length ? idx.map((i) => padL(r.cells[i], colW)).join('') : '')).trimEnd());
  }
  return out;
}

function reportSweep(rules: RuleFile, o: Options, spec: BotsSpec, sw: Sweep, results: Summary[], speed: string): string {
  const out: string[] = [];
  out.push(`${rules.name} — ${o.rules}`);
  out.push(`Sweep ${sw.path} from ${sw.from} to ${sw.to} in ${sw.steps} values, ${fmtInt(o.matches)} matches each on the same seeds (seed ${o.seed}), bots ${describeBots(spec)}`);
  out.push('');
  const header = sw.values.map((v) => String(v));
  const rows: { label: string; cells: string[] }[] = [];
  rows.push({ label: 'Endings (% of matches)', cells: [] });
  const ids = [...new Set(results.flatMap((r) => Object.keys(r.endings)))];
  for (const id of ids) rows.push({ label: `  ${endingTitle(rules, id)}`, cells: results.map((r) => pct(r.endings[id] ?? 0, r.matches)) });
  rows.push({ label: 'Lead p50 (months)', cells: results.map((r) => fmt(r.leadMonths.p50)) });
  rows.push({ label: 'Catastrophe (% matches)', cells: results.map((r) => `${(100 * r.incidents.catastropheShare).toFixed(1)}%`) });
  rows.push({ label: 'Mean score', cells: [] });
  for (const role of rules.roles) rows.push({ label: `  ${role.id}`, cells: results.map((r) => fmt(r.scores[role.id].mean)) });
  out.push(...columns(`${sw.path} =`, header, rows));
  out.push('');
  out.push(speed);
  return out.join('\n');
}

function reportCompare(a: RuleFile, b: RuleFile, o: Options, spec: BotsSpec, sa: Summary, sb: Summary, cmp: EndingComparison[], speed: string): string {
  const out: string[] = [];
  out.push(`Comparing two rule files on the same ${fmtInt(o.matches)} seeds (seed ${o.seed}), bots ${describeBots(spec)}`);
  out.push(`  A  ${o.rules}  (${a.name})`);
  out.push(`  B  ${o.compare}  (${b.name})`);
  out.push('');
  const titles = cmp.map((c) => endingTitle(a.endings.some((e) => e.id === c.id) ? a : b, c.id));
  const w = Math.max(...titles.map((t) => t.length), 14) + 2;
  out.push(`${pad('Ending', w)}${padL('A', 16)}${padL('B', 16)}${padL('B − A', 11)}${padL('p-value', 9)}`);
  cmp.forEach((c, i) => {
    const sig = c.significant ? 'significant at 5%' : 'not significant';
    const diff = `${c.diffPoints > 0 ? '+' : ''}${c.diffPoints.toFixed(1)} pts`;
    out.push(`${pad(`  ${titles[i]}`, w)}${padL(`${fmtInt(c.a)} ${padL(pct(c.a, sa.matches), 6)}`, 16)}${padL(`${fmtInt(c.b)} ${padL(pct(c.b, sb.matches), 6)}`, 16)}${padL(diff, 11)}${padL(fmtP(c.pValue), 9)}  ${sig}`);
  });
  out.push('');
  out.push(`${pad('Lead p50 (months)', w)}${padL(fmt(sa.leadMonths.p50), 16)}${padL(fmt(sb.leadMonths.p50), 16)}${padL(`${sb.leadMonths.p50 - sa.leadMonths.p50 >= 0 ? '+' : ''}${fmt(sb.leadMonths.p50 - sa.leadMonths.p50)}`, 11)}`);
  out.push(`${pad('Catastrophe (% matches)', w)}${padL(`${(100 * sa.incidents.catastropheShare).toFixed(1)}%`, 16)}${padL(`${(100 * sb.incidents.catastropheShare).toFixed(1)}%`, 16)}`);
  const roles = [...new Set([...Object.keys(sa.scores), ...Object.keys(sb.scores)])];
  out.push('Mean score');
  for (const r of roles) {
    const ma = sa.scores[r]?.mean;
    const mb = sb.scores[r]?.mean;
    out.push(`${pad(`  ${r}`, w)}${padL(ma === undefined ? '–' : fmt(ma), 16)}${padL(mb === undefined ? '–' : fmt(mb), 16)}`);
  }
  out.push('');
  out.push('p-value: two-sided two-proportion z-test per ending; below 0.05 is "significant at 5%".');
  out.push(speed);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

/** Where the command writes; a test can capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** whether stderr is a terminal (progress line) */
  tty: boolean;
}

const processIo: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  tty: process.stderr.isTTY === true,
};

async function main(argv: string[], io: Io): Promise<number> {
  const o = parseOptions(argv);
  if (o.help) { io.out(USAGE + '\n'); return 0; }
  const rules = loadRules(o.rules, '--rules');
  if (o.balance) return balance(rules, o, io);
  const other = o.compare !== undefined ? loadRules(o.compare, '--compare') : null;

  const roleIds = rules.roles.map((r) => r.id);
  const allRoles = other ? [...new Set([...roleIds, ...other.roles.map((r) => r.id)])] : roleIds;
  const spec = parseBots(o.bots, allRoles);
  const sweep = o.sweep !== undefined ? parseSweep(o.sweep, rules) : null;

  // every run to play, checked before any match starts
  const runs: { rules: RuleFile; spec: BotsSpec; label: string }[] = [];
  if (sweep) for (const v of sweep.values) runs.push({ rules: rulesWith(rules, sweep.path, v), spec: specFor(spec, roleIds), label: `${sweep.path}=${v}` });
  else runs.push({ rules, spec: specFor(spec, roleIds), label: other ? 'A' : '' });
  if (other) runs.push({ rules: other, spec: specFor(spec, other.roles.map((r) => r.id)), label: 'B' });

  const total = o.matches * runs.length;
  const par = availableParallelism();
  const workers = o.workers ?? (total >= WORKER_THRESHOLD && par > 1 ? par : 0);
  const progress = progressLine(o.progress && !o.json && io.tty, total, io);

  const start = performance.now();
  const pool = workers > 0 ? new Pool(workers) : null;
  const summaries: Summary[] = [];
  try {
    for (let k = 0; k < runs.length; k++) {
      progress.stage(runs.length > 1 ? `${runs[k].label} (${k + 1}/${runs.length})` : '', k * o.matches);
      const records = await play(pool, runs[k].rules, runs[k].spec, o.seed, o.matches, (d) => progress.update(d));
      summaries.push(summarize(records));
    }
  } finally {
    progress.end();
    await pool?.close();
  }
  const seconds = (performance.now() - start) / 1000;
  const mps = round(total / seconds, 1);
  const speed = speedLine(total, seconds, workers);
  const botsJson = sweep || !other ? specFor(spec, roleIds) : spec;
  const timing = { workers, matchesPerSecond: mps, elapsedSeconds: round(seconds, 3) };

  if (sweep) {
    if (o.json) {
      io.out(json({
        rules: o.rules, seed: o.seed, bots: botsJson, matches: o.matches,
        sweep: { path: sweep.path, from: sweep.from, to: sweep.to, steps: sweep.steps, values: sweep.values },
        results: sweep.values.map((value, k) => ({ value, ...summaries[k] })),
        ...timing,
      }));
    } else io.out(reportSweep(rules, o, botsJson, sweep, summaries, speed) + '\n');
  } else if (other) {
    const [sa, sb] = summaries;
    const cmp = compareEndings(sa, sb);
    if (o.json) {
      io.out(json({
        seed: o.seed, bots: botsJson, matches: o.matches,
        a: { rules: o.rules, ...sa }, b: { rules: o.compare, ...sb },
        endings: cmp,
        ...timing,
      }));
    } else io.out(reportCompare(rules, other, o, spec, sa, sb, cmp, speed) + '\n');
  } else {
    const s = summaries[0];
    if (o.json) io.out(json({ rules: o.rules, seed: o.seed, bots: botsJson, ...s, ...timing }));
    else io.out(reportRun(rules, o, botsJson, s, speed) + '\n');
  }
  return 0;
}

/** --balance: every run of the report on the same seeds, then the report. */
async function balance(rules: RuleFile, o: Options, io: Io): Promise<number> {
  const options = { share: o.share, grid: o.grid, planner: o.planner };
  const runs = balanceRuns(rules, options);
  const total = runs.length * o.seeds;
  const par = availableParallelism();
  const workers = o.workers ?? (total >= WORKER_THRESHOLD && par > 1 ? par : 0);
  // progress on stderr: a live line on a terminal, else a line per tenth of the runs (never with --json)
  const live = progressLine(o.progress && !o.json && io.tty, total, io);
  const plain = o.progress && !o.json && !io.tty;
  const start = performance.now();
  const pool = workers > 0 ? new Pool(workers) : null;
  const records: MatchRecords[] = [];
  try {
    for (let k = 0; k < runs.length; k++) {
      live.stage(`run ${k + 1}/${runs.length}`, k * o.seeds);
      records.push(await play(pool, runs[k].rules, runs[k].spec, o.seed, o.seeds, (d) => live.update(d)));
      if (plain && (k + 1) % Math.max(1, Math.ceil(runs.length / 10)) === 0) io.err(`balance: ${k + 1}/${runs.length} runs (${fmtInt((k + 1) * o.seeds)} matches)\n`);
    }
  } finally {
    live.end();
    await pool?.close();
  }
  const seconds = (performance.now() - start) / 1000;
  const report = balanceReport(rules, runs, records, options);
  if (o.json) io.out(json({ rules: o.rules, seed: o.seed, ...report, workers, matchesPerSecond: round(total / seconds, 1), elapsedSeconds: round(seconds, 3) }));
  else io.out(formatBalance(rules, o.rules, report, seconds) + '\n' + speedLine(total, seconds, workers) + '\n');
  return 0;
}

function json(obj: unknown): string {
  return JSON.stringify(obj, null, 2) + '\n';
}

/** Runs the command; returns its exit code (0 done, 1 a rule file that does not load, 2 a usage error). */
export async function simulateCli(argv: string[], io: Io = processIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`simulate: ${err.message}\n(npm run simulate -- --help for usage)\n`);
      return 2;
    }
    io.err(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) simulateCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
