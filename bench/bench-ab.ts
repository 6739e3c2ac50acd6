// node bench/bench-ab.ts <before-dir> [<after-dir>] [--rounds 150] [--batch 250] [--rules <file>]
// The simulator's speed, before against after, on a machine shared with other work: both checkouts are loaded in
// this one process and play the same seeded matches in alternating short batches, each timed by this process's CPU
// time, so a burst of load elsewhere falls on both alike. (Back-to-back `npm run bench` runs drift by ±30% on a
// busy 2-core machine; this ratio holds within a few per cent.) Make the before checkout with
// `git archive <commit> shared tools | tar -x -C /tmp/before` (plus a node_modules link if it imports packages).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFlags, wholeNumber, UsageError } from '../tools/args.ts';
import type { RuleFile } from '../shared/rules/schema.ts';

const USAGE = `usage: node bench/bench-ab.ts <before-dir> [<after-dir>] [--rounds 150] [--batch 250] [--rules <file>]

  Loads the simulator of both checkouts (shared/, tools/) into one process and plays mixed-bot matches in
  alternating batches, timed by process CPU time; prints each side's median matches per CPU-second and the ratio.`;

const FLAGS = { rounds: { type: 'string' }, batch: { type: 'string' }, rules: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

interface Side {
  dir: string;
  rules: RuleFile;
  spec: Record<string, string>;
  runRange: (rules: RuleFile, spec: Record<string, string>, seed: number, from: number, to: number) => unknown;
}

async function load(dir: string, rulesFile: string): Promise<Side> {
  const url = (p: string) => pathToFileURL(resolve(dir, p)).href;
  const { loadRulesFile } = await import(url('shared/rules/load.ts'));
  const { parseBots } = await import(url('shared/sim/seating.ts'));
  const { runRange } = await import(url('tools/sim-worker.ts'));
  const rules: RuleFile = loadRulesFile(rulesFile);
  return { dir, rules, spec: parseBots('mixed', rules.roles.map((r) => r.id)), runRange };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(argv: string[]): Promise<number> {
  const { values: v, positionals } = readFlags(argv, FLAGS, true);
  if (v.help) { process.stdout.write(USAGE + '\n'); return 0; }
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give the before checkout, and optionally the after one (default: this one)');
  const rounds = v.rounds === undefined ? 150 : wholeNumber('--rounds', v.rounds, 1, 100000);
  const batch = v.batch === undefined ? 250 : wholeNumber('--batch', v.batch, 1, 100000);
  const rulesFile = resolve(v.rules ?? 'assets/rules/default.yaml');
  const sides = [await load(positionals[0], rulesFile), await load(positionals[1] ?? '.', rulesFile)];
  const seconds: number[][] = [[], []];
  let next = 0;
  // ten rounds of warm-up, then the timed ones; the order within a round alternates so neither side always goes first
  for (let r = 0; r < rounds + 10; r++) {
    for (let k = 0; k < 2; k++) {
      const which = (r + k) % 2;
      const s = sides[which];
      const c0 = process.cpuUsage();
      s.runRange(s.rules, s.spec, 1, next, next + batch);
      const c = process.cpuUsage(c0);
      if (r >= 10) seconds[which].push((c.user + c.system) / 1e6);
    }
    next += batch;
  }
  const rate = seconds.map((xs) => batch / median(xs));
  process.stdout.write(`before (${sides[0].dir}): ${Math.round(rate[0]).toLocaleString('en-US')} matches per CPU-second (median of ${rounds} batches of ${batch})\n`);
  process.stdout.write(`after  (${sides[1].dir}): ${Math.round(rate[1]).toLocaleString('en-US')} matches per CPU-second\n`);
  process.stdout.write(`ratio: ×${(rate[1] / rate[0]).toFixed(3)}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`bench-ab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
});
