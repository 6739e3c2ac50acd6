// npm run bench [-- --seconds 10 --rules <file> --bots mixed --json]
// The simulator's throughput on ONE core: whole bot matches per second in this thread (no workers),
// batch after batch, by wall time and by this process's CPU time (process.cpuUsage, user + system: on a
// shared machine the wall figure counts the time other processes held the core), with the heap measured
// after each batch to show that memory stays flat.
import { existsSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadRulesFile } from '../shared/rules/load.ts';
import { parseBots, describeBots } from '../shared/sim/seating.ts';
import { readFlags, realNumber, wholeNumber, UsageError } from '../tools/args.ts';
import { round } from '../shared/sim/summary.ts';
import { median as medianOf } from './measure.ts';
import { runRange } from '../tools/sim-worker.ts';

const USAGE = `usage: npm run bench [-- --seconds 10] [--rules <file>] [--bots mixed] [--seed S] [--json]

  Plays whole bot matches in this one thread: a warm-up, then batches of about a second for
  --seconds in all, printing matches/s by wall time and by process CPU time and the heap after each
  batch, and the medians at the end.`;

const GOAL = 20000;

interface Options {
  rules: string;
  seconds: number;
  bots: string;
  seed: number;
  json: boolean;
  help: boolean;
}

const FLAGS = {
  rules: { type: 'string' }, seconds: { type: 'string' }, bots: { type: 'string' }, seed: { type: 'string' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

function parseOptions(argv: string[]): Options {
  const { values: v } = readFlags(argv, FLAGS);
  return {
    rules: v.rules ?? 'assets/rules/default.yaml',
    seconds: v.seconds === undefined ? 10 : realNumber('--seconds', v.seconds, 0, 3600, true),
    bots: v.bots ?? 'mixed',
    seed: v.seed === undefined ? 1 : wholeNumber('--seed', v.seed, 0, Number.MAX_SAFE_INTEGER),
    json: v.json ?? false,
    help: v.help ?? false,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

function main(argv: string[]): number {
  const o = parseOptions(argv);
  if (o.help) { process.stdout.write(USAGE + '\n'); return 0; }
  if (!existsSync(o.rules)) throw new UsageError(`--rules: no such file ${o.rules}`);
  let rules;
  try {
    rules = loadRulesFile(o.rules);
  } catch (err) {
    process.stderr.write(`bench: ${o.rules} is not a valid rule file:\n${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const spec = parseBots(o.bots, rules.roles.map((r) => r.id));
  const say = (line: string) => { if (!o.json) process.stdout.write(line + '\n'); };

  say(`Benchmark: ${rules.name} (${o.rules}), bots ${describeBots(spec)}, one thread, Node ${process.versions.node}${gc ? '' : ' (no --expose-gc: heap figures include garbage)'}`);

  // warm-up: let the JIT compile the engine before anything is timed
  let next = 0;
  const warmupSeconds = Math.min(2, Math.max(0.3, o.seconds / 5));
  const w0 = performance.now();
  while ((performance.now() - w0) / 1000 < warmupSeconds) {
    runRange(rules, spec, o.seed, next, next + 50);
    next += 50;
  }
  const warmupRate = next / ((performance.now() - w0) / 1000);
  const warmupMatches = next;
  say(`warm-up: ${warmupMatches.toLocaleString('en-US')} matches (${Math.round(warmupRate).toLocaleString('en-US')} matches/s)`);

  // batches of about one second each
  const batchSize = Math.max(50, Math.round(warmupRate / 50) * 50);
  const batches: { matches: number; seconds: number; cpuSeconds: number; matchesPerSecond: number; matchesPerCpuSecond: number; heapMB: number }[] = [];
  const heap0 = heapMB();
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < o.seconds || batches.length < 3) {
    const b0 = performance.now();
    const c0 = process.cpuUsage();
    runRange(rules, spec, o.seed, next, next + batchSize);
    const c = process.cpuUsage(c0);
    const seconds = (performance.now() - b0) / 1000;
    const cpuSeconds = (c.user + c.system) / 1e6;
    next += batchSize;
    const heap = heapMB();
    const b = {
      matches: batchSize, seconds: round(seconds, 4), cpuSeconds: round(cpuSeconds, 4),
      matchesPerSecond: round(batchSize / seconds, 1), matchesPerCpuSecond: round(batchSize / cpuSeconds, 1), heapMB: round(heap, 2),
    };
    batches.push(b);
    say(`batch ${String(batches.length).padStart(2)}: ${batchSize.toLocaleString('en-US')} matches in ${seconds.toFixed(2)} s = ${Math.round(b.matchesPerSecond).toLocaleString('en-US').padStart(6)} matches/s (CPU ${cpuSeconds.toFixed(2)} s = ${Math.round(b.matchesPerCpuSecond).toLocaleString('en-US').padStart(6)}/s), heap ${heap.toFixed(1)} MB`);
  }
  const rates = Float64Array.from(batches.map((b) => b.matchesPerSecond)).sort();
  const cpuRates = Float64Array.from(batches.map((b) => b.matchesPerCpuSecond)).sort();
  const median = round(medianOf(rates), 1);
  const cpuMedian = round(medianOf(cpuRates), 1);
  const first = batches[0].heapMB;
  const last = batches[batches.length - 1].heapMB;

  if (o.json) {
    process.stdout.write(JSON.stringify({
      rules: o.rules, bots: spec, node: process.versions.node, thread: 'one (no workers)', gcExposed: gc !== undefined,
      warmupMatches, heapBeforeMB: round(heap0, 2), batches,
      medianMatchesPerSecond: median, minMatchesPerSecond: rates[0], maxMatchesPerSecond: rates[rates.length - 1],
      medianMatchesPerCpuSecond: cpuMedian, minMatchesPerCpuSecond: cpuRates[0], maxMatchesPerCpuSecond: cpuRates[cpuRates.length - 1],
      heapFirstMB: first, heapLastMB: last, goalMatchesPerSecond: GOAL, goalMet: median >= GOAL,
    }, null, 2) + '\n');
  } else {
    say(`goal ≥ ${GOAL.toLocaleString('en-US')} matches/s on one core: ${median >= GOAL ? 'met' : `not met (${Math.round((100 * median) / GOAL)}% of it)`}`);
    say(`bench: ${Math.round(median).toLocaleString('en-US')} matches/s on one core by wall time, ${Math.round(cpuMedian).toLocaleString('en-US')} by process CPU time, heap ${first.toFixed(1)}→${last.toFixed(1)} MB`);
  }
  return 0;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`bench: ${err.message}\n(npm run bench -- --help for usage)\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
