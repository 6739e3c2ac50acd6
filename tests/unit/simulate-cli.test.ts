import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simulateCli } from '../../tools/simulate.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'tools/simulate.ts');

interface Run { code: number; stdout: string; stderr: string }

/** Runs the command in this process (fast), capturing what it writes. */
async function simulate(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await simulateCli(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; }, tty: false });
  return { code, stdout, stderr };
}

/** Runs the command as its own process, as npm does. */
function spawnSimulate(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** The JSON report without the fields that depend on the clock or the thread count. */
function results(run: Run): Record<string, unknown> {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const { matchesPerSecond, elapsedSeconds, workers, ...rest } = JSON.parse(run.stdout);
  expect(matchesPerSecond).toBeGreaterThan(0);
  expect(elapsedSeconds).toBeGreaterThan(0);
  expect(typeof workers).toBe('number');
  return rest;
}

describe('npm run simulate', () => {
  it('--json prints the documented shape, endings adding up to N', async () => {
    const run = await simulate('--matches', '40', '--seed', '3', '--json', '--workers', '0');
    const r = results(run) as {
      matches: number; endings: Record<string, number>; leadMonths: Record<string, number>;
      scores: Record<string, Record<string, number>>; incidents: Record<string, number>; rules: string; seed: number; bots: Record<string, string>;
    };
    expect(r.matches).toBe(40);
    expect(r.rules).toBe('assets/rules/default.yaml');
    expect(r.seed).toBe(3);
    expect(r.bots).toEqual({ usGov: 'status-quo', usLab: 'status-quo', cnGov: 'status-quo', cnLab: 'status-quo' });
    expect(Object.values(r.endings).reduce((a, b) => a + b, 0)).toBe(40);
    expect(Object.keys(r.leadMonths)).toEqual(expect.arrayContaining(['p10', 'p50', 'p90']));
    expect(r.leadMonths.p10).toBeLessThanOrEqual(r.leadMonths.p50);
    expect(r.leadMonths.p50).toBeLessThanOrEqual(r.leadMonths.p90);
    expect(Object.keys(r.scores).sort()).toEqual(['cnGov', 'cnLab', 'usGov', 'usLab']);
    for (const s of Object.values(r.scores)) expect(Object.keys(s)).toEqual(['mean', 'p10', 'p90']);
    expect(Object.keys(r.incidents)).toEqual(expect.arrayContaining(['minor', 'major', 'catastropheShare']));
  });

  it('same seeds give the same summary, in one thread or on one or two workers', async () => {
    const args = ['--matches', '60', '--seed', '11', '--bots', 'mixed', '--json'];
    const [a, b, one, two, other] = await Promise.all([
      simulate(...args, '--workers', '0'),
      simulate(...args, '--workers', '0'),
      simulate(...args, '--workers', '1'),
      simulate(...args, '--workers', '2'),
      simulate('--matches', '60', '--seed', '12', '--bots', 'mixed', '--json', '--workers', '0'),
    ]);
    const base = results(a);
    expect(results(b)).toEqual(base);
    expect(results(one)).toEqual(base);
    expect(results(two)).toEqual(base);
    expect(results(other)).not.toEqual(base);
  });

  it('prints a readable report', async () => {
    const run = await simulate('--matches', '20', '--bots', 'usGov=hawk,cnLab=dove');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/20 matches, seed 1, bots usGov=hawk, cnLab=dove, others status-quo/);
    expect(run.stdout).toMatch(/Endings/);
    expect(run.stdout).toMatch(/Final lead, US minus China \(months\)\s+p10 \S+\s+p50 \S+\s+p90 \S+/);
    expect(run.stdout).toMatch(/matches\/s/);
  });

  it('sweeps a number and compares two rule files on the same seeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
    const other = join(dir, 'b.yaml');
    writeFileSync(other, readFileSync(join(ROOT, 'assets/rules/default.yaml'), 'utf8'));
    const [sweep, compare] = await Promise.all([
      simulate('--matches', '10', '--json', '--sweep', 'model.distillation.maxGapShare=0.1:0.4:4'),
      simulate('--matches', '10', '--json', '--compare', other),
    ]);
    const s = results(sweep) as { sweep: { values: number[] }; results: { value: number; matches: number; endings: Record<string, number> }[] };
    expect(s.sweep.values).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(s.results.map((r) => r.value)).toEqual([0.1, 0.2, 0.3, 0.4]);
    for (const r of s.results) expect(Object.values(r.endings).reduce((x, y) => x + y, 0)).toBe(10);
    const c = results(compare) as { a: { endings: object }; b: { endings: object }; endings: { a: number; b: number; pValue: number; significant: boolean }[] };
    expect(c.b.endings).toEqual(c.a.endings); // the same file on the same seeds
    for (const e of c.endings) expect(e).toMatchObject({ a: e.b, pValue: 1, significant: false });
  });

  it('rejects bad flags with exit code 2 and one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['--matches', 'lots'], /--matches must be a whole number, not "lots"/],
      [['--bots', 'usgov=hawk'], /unknown role "usgov" \(did you mean usGov\?\)/],
      [['--bots', 'usGov=hawkk'], /unknown personality "hawkk".*\(did you mean hawk\?\).*status-quo, hawk, dove, opportunist, random/],
      [['--matchs', '5'], /unknown option --matchs \(did you mean --matches\?\)/],
      [['--sweep', 'model.distillation.maxGapShar=0.1:0.4:4'], /no "maxGapShar" in model.distillation \(did you mean maxGapShare\?\)/],
      [['--sweep', 'model.distillation=0.1:0.4:4'], /model.distillation is a section, not a number/],
      [['--rules', 'no/such/file.yaml'], /no such file/],
    ];
    const runs = await Promise.all(cases.map(([args]) => simulate(...args)));
    runs.forEach((run, i) => {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toMatch(cases[i][1]);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
    // and as a process: exit code 2, the message on stderr
    const run = await spawnSimulate('--bots', 'usGov=hawkk');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^simulate: --bots: unknown personality "hawkk"/);
  });

  it('rejects an invalid rule file with exit code 1 and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: only a name\n');
    const run = await simulate('--rules', bad, '--matches', '5');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a valid rule file/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
