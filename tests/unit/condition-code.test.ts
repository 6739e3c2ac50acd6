// The deck's conditions written out as code (conditionCode.ts) pass and fail exactly the cards holds passes, card by card.
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadRulesFile } from '../../shared/rules/load.ts';
import { compiled, allHoldCompiled } from '../../shared/engine/stats.ts';
import { deckTest } from '../../shared/engine/conditionCode.ts';
import { runBotMatch } from '../../shared/sim/botMatch.ts';
import { matchSeed, seatingFor, parseBots } from '../../shared/sim/seating.ts';
import type { MatchState } from '../../shared/engine/state.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';

const files = readdirSync('assets/rules').filter((f) => f.endsWith('.yaml'));

function marks(rules: RuleFile, state: MatchState, drawn: Uint8Array): { byHolds: number[]; byCode: number[] } {
  const deck = rules.events;
  const when = deck.map((c) => compiled(c.when));
  const crisis = Uint8Array.from(deck, (c) => (c.crisis ? 1 : 0)), repeatable = Uint8Array.from(deck, (c) => (c.repeatable ? 1 : 0));
  const test = deckTest(when, crisis, repeatable)!;
  const ok = new Uint8Array(deck.length);
  const sum = new Float64Array(2);
  test(rules, state, drawn, ok, Float64Array.from(deck, (c) => c.weight), sum);
  let total = 0, last = -1;
  for (let k = 0; k < deck.length; k++) if (ok[k]) { total += deck[k].weight; last = k; }
  expect([...sum]).toEqual([total, last]);
  const byHolds = deck.map((_, k) => (!crisis[k] && (repeatable[k] || !drawn[k]) && allHoldCompiled(rules, state, when[k]) ? 1 : 0));
  return { byHolds, byCode: [...ok] };
}

describe('deck conditions as code', () => {
  for (const file of files) {
    it(`marks the same cards as holds through whole matches (${file})`, () => {
      const rules = loadRulesFile(`assets/rules/${file}`);
      const roleIds = rules.roles.map((r) => r.id);
      const spec = parseBots('mixed', roleIds);
      let checked = 0;
      for (let i = 0; i < 30; i++) {
        const seed = matchSeed(7, i);
        const { state } = runBotMatch(rules, seed, seatingFor(spec, roleIds, seed));
        // each match's final state under a few drawn masks, then at other quarters with the switches turned
        for (let m = 0; m < 4; m++) {
          const drawn = Uint8Array.from(rules.events, (_, k) => ((k * 7 + m * 3 + i) % 5 === 0 ? 1 : 0));
          const { byHolds, byCode } = marks(rules, state, drawn);
          expect(byCode).toEqual(byHolds);
          checked++;
        }
        for (const t of [0, 3, 6, 9]) {
          const { byHolds, byCode } = marks(rules, { ...state, turn: t, globalLicensing: !state.globalLicensing, openWeights: t % 2 === 0 }, new Uint8Array(rules.events.length));
          expect(byCode).toEqual(byHolds);
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
