// The simulator's speed-ups change nothing: seeded bot matches give bit-identical states, logs, views and records to a digest taken before them.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rulesPath } from '../helpers/rules.ts';
import { loadRulesFile } from '../../shared/rules/load.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';
import { runBotMatch, botNegotiation, botOrders, type Seating } from '../../shared/sim/botMatch.ts';
import { matchSeed, seatingFor, parseBots } from '../../shared/sim/seating.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { roleView, publicView } from '../../shared/engine/views.ts';
import { runRange } from '../../tools/sim-worker.ts';

// Recorded from the code before the speed-ups (commit 6a0be74). To record anew after a deliberate rule or
// engine change: SIM_DIGEST_WRITE=1 npx vitest run tests/unit/sim-identical.test.ts, and say why in the commit.
const FIXTURE = fileURLToPath(new URL('../fixtures/sim-identical.json', import.meta.url));
const WRITE = process.env.SIM_DIGEST_WRITE === '1';
const expected: Record<string, string> = WRITE ? {} : JSON.parse(readFileSync(FIXTURE, 'utf8'));
const got: Record<string, string> = {};

/** JSON keeps every double exactly (shortest round-trip form); -0, NaN and the infinities are spelt out so they count too. */
function exact(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Object.is(v, -0)) return '-0';
  return Number.isFinite(v) ? v : String(v);
}

class Digest {
  private h = createHash('sha256');
  add(x: unknown): void {
    this.h.update(JSON.stringify(x, exact));
    this.h.update('\n');
  }
  hex(): string {
    return this.h.digest('hex');
  }
}

const files: Record<string, RuleFile> = {
  default: loadRulesFile(rulesPath('default.yaml')),
  'six-player': loadRulesFile(rulesPath('six-player.yaml')),
  'two-player': loadRulesFile(rulesPath('two-player.yaml')),
};

function check(name: string, hex: string): void {
  got[name] = hex;
  if (WRITE) {
    writeFileSync(FIXTURE, JSON.stringify(got, null, 2) + '\n');
    return;
  }
  expect(hex, `${name}: the digest differs from the one recorded before the speed-ups`).toBe(expected[name]);
}

function mixedMatches(rules: RuleFile, spec: string, n: number, seed: number): string {
  const roleIds = rules.roles.map((r) => r.id);
  const bots = parseBots(spec, roleIds);
  const d = new Digest();
  for (let i = 0; i < n; i++) {
    const s = matchSeed(seed, i);
    const result = runBotMatch(rules, s, seatingFor(bots, roleIds, s), true);
    d.add(result.state);
    d.add(result.log);
  }
  return d.hex();
}

describe('the simulator gives bit-identical results', () => {
  it('300 mixed-bot matches on the default rules: every final state and every turn log', () => {
    check('default/mixed', mixedMatches(files.default, 'mixed', 300, 1));
  });

  it('mixed bots on the six- and two-player rules', () => {
    check('six-player/mixed', mixedMatches(files['six-player'], 'mixed', 150, 2));
    check('two-player/mixed', mixedMatches(files['two-player'], 'mixed', 150, 3));
  });

  it('every personality in every seat, including the planners', () => {
    check('default/each', mixedMatches(files.default, 'hawk,usLab=dove,cnGov=opportunist,cnLab=random', 40, 4));
    check('default/planner-easy', mixedMatches(files.default, 'mixed,usGov=planner-easy,cnLab=planner-easy', 3, 5));
    check('default/planner', mixedMatches(files.default, 'mixed,cnGov=planner', 1, 6));
  });

  it('a quiet resolution (no event sentences, as runRange plays) changes nothing else', () => {
    for (const [name, rules] of Object.entries(files)) {
      const roleIds = rules.roles.map((r) => r.id);
      const bots = parseBots('mixed', roleIds);
      for (let i = 0; i < 40; i++) {
        const s = matchSeed(9, i);
        const loud = runBotMatch(rules, s, seatingFor(bots, roleIds, s), true, true);
        const quiet = runBotMatch(rules, s, seatingFor(bots, roleIds, s), true, false);
        expect(JSON.stringify(quiet.state, exact), `${name} match ${i}`).toBe(JSON.stringify(loud.state, exact));
        const blank = loud.log!.map((t) => ({ ...t, events: t.events.map((e) => ({ ...e, text: '' })) }));
        const quietBlank = quiet.log!.map((t) => ({ ...t, events: t.events.map((e) => ({ ...e, text: '' })) }));
        expect(quietBlank).toEqual(blank);
      }
      // the sentences come back for the next loud resolution
      const s = matchSeed(9, 0);
      const again = runBotMatch(rules, s, seatingFor(bots, roleIds, s), true, true);
      expect(again.log!.flatMap((t) => t.events).every((e) => e.text.length > 0)).toBe(true);
    }
  });

  it('the records the bench and the simulator keep (runRange)', () => {
    for (const [name, rules] of Object.entries(files)) {
      const rec = runRange(rules, parseBots('mixed', rules.roles.map((r) => r.id)), 7, 0, 200);
      const d = new Digest();
      d.add({ ...rec, ending: [...rec.ending], lead: [...rec.lead], scores: rec.scores.map((a) => [...a]),
        minor: [...rec.minor], major: [...rec.major], catastrophic: [...rec.catastrophic], fired: rec.fired.map((a) => [...a]) });
      check(`${name}/records`, d.hex());
    }
  });

  it('copying resolution and every view, quarter by quarter', () => {
    const rules = files.default;
    const roleIds = rules.roles.map((r) => r.id);
    const bots = parseBots('mixed', roleIds);
    const d = new Digest();
    for (let i = 0; i < 30; i++) {
      const s0 = matchSeed(8, i);
      const seating: Seating = seatingFor(bots, roleIds, s0);
      let state = initialState(rules, s0);
      while (!state.finished) {
        botNegotiation(rules, state, seating);
        const before = JSON.stringify(state, exact);
        const result = resolveTurn(rules, state, botOrders(rules, state, seating));
        // the copying path must leave the caller's state alone
        expect(JSON.stringify(state, exact)).toBe(before);
        state = result.state;
        d.add(result.events);
        d.add(result.orders);
        for (const id of roleIds) d.add(roleView(rules, state, id));
        d.add(publicView(rules, state));
      }
      d.add(state);
    }
    check('default/views', d.hex());
  });
});
