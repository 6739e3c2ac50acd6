// The stat table (shared/rules/stats.ts) and the engine agree: every stat it names can be read, every writable one changed, with a value of its kind.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { applyEffect, readStat } from '../../shared/engine/stats.ts';
import { readableStats, statKind, writableStats } from '../../shared/rules/stats.ts';
import type { Effect } from '../../shared/rules/schema.ts';

const rules = defaultRules();

describe('stat table', () => {
  it('names only stats the engine can read, each holding a value of its kind', () => {
    const state = initialState(rules, 1);
    for (const stat of readableStats(rules)) {
      const v = readStat(rules, state, stat);
      const kind = statKind(stat);
      if (kind === 'boolean') expect(typeof v, stat).toBe('boolean');
      else if (kind === 'tier') expect(typeof v, stat).toBe('string');
      else {
        expect(typeof v, stat).toBe('number');
        expect(Number.isFinite(v), stat).toBe(true);
        if (kind === 'share') expect((v as number) >= 0 && (v as number) <= 1, stat).toBe(true);
        if (kind === 'count') expect((v as number) >= 0, stat).toBe(true);
      }
    }
  });

  it('names only writable stats the engine changes', () => {
    for (const stat of writableStats(rules)) {
      const state = initialState(rules, 1);
      const kind = statKind(stat);
      const before = readStat(rules, state, stat);
      const e: Effect = kind === 'boolean' ? { stat, set: !before } as Effect
        : kind === 'tier' ? { stat, set: before === 'open' ? 'embargo' : 'open' } as Effect
        : { stat, set: before === 0.5 ? 0.25 : 0.5 } as Effect;
      applyEffect(state, e);
      expect(readStat(rules, state, stat), stat).not.toEqual(before);
    }
  });

  it('is a subset: every writable stat is readable', () => {
    const read = new Set(readableStats(rules));
    for (const s of writableStats(rules)) expect(read.has(s), s).toBe(true);
  });
});
