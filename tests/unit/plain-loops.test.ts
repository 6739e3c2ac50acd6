// A browser page runs the engine without code compiled from strings (its content security policy forbids it), so it
// takes the plain loops the compiled record makers and deck test stand in for: they must give the same matches.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A digest of the records of 300 mixed-bot matches on each of the three rule files, played in a fresh process. */
function digest(flags: string[]): string {
  const script = `
    import { createHash } from 'node:crypto';
    import { loadRulesFile } from './shared/rules/load.ts';
    import { parseBots } from './shared/sim/seating.ts';
    import { runRange } from './tools/sim-worker.ts';
    import { recordBuffers } from './shared/sim/summary.ts';
    import { mayCompile } from './shared/engine/may-compile.ts';
    let compiled = true;
    try { new Function('return 1'); } catch { compiled = false; }
    const h = createHash('sha256');
    for (const f of ['default', 'six-player', 'two-player']) {
      const rules = loadRulesFile('assets/rules/' + f + '.yaml');
      const rec = runRange(rules, parseBots('mixed', rules.roles.map((r) => r.id)), 7, 0, 300);
      for (const b of recordBuffers(rec)) h.update(new Uint8Array(b));
    }
    process.stdout.write(JSON.stringify({ compiled, mayCompile, digest: h.digest('hex') }));`;
  return execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('the engine without compiled code', () => {
  it('plays the same matches as with it', () => {
    const withCode = JSON.parse(digest([])) as { compiled: boolean; digest: string };
    const without = JSON.parse(digest(['--disallow-code-generation-from-strings'])) as { compiled: boolean; digest: string };
    // the second process really could not compile (so it ran the plain loops), the first could
    expect(withCode.compiled).toBe(true);
    expect(without.compiled).toBe(false);
    expect(without.digest).toBe(withCode.digest);
  }, 120_000);
});
