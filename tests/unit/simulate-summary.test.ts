import { describe, expect, it } from 'vitest';
import {
  allocRecords, compareEndings, copyRecords, erfc, mean, normalCdf, percentileSorted, percentiles, recordMatch,
  summarize, twoProportionZTest,
} from '../../shared/sim/summary.ts';
import { didYouMean, matchSeed, parseBots, seatingFor, describeBots, UsageError } from '../../shared/sim/seating.ts';
import { PERSONALITIES } from '../../shared/bots/personalities.ts';

describe('percentiles and means', () => {
  it('interpolates between closest ranks', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileSorted(sorted, 0)).toBe(1);
    expect(percentileSorted(sorted, 1)).toBe(10);
    expect(percentileSorted(sorted, 0.5)).toBeCloseTo(5.5, 12);
    expect(percentileSorted(sorted, 0.1)).toBeCloseTo(1.9, 12);
    expect(percentileSorted(sorted, 0.9)).toBeCloseTo(9.1, 12);
    expect(percentileSorted([42], 0.3)).toBe(42);
    expect(percentileSorted([], 0.5)).toBeNaN();
  });

  it('sorts a copy of unsorted values', () => {
    const values = new Float64Array([9, -3, 4, 1, 7]);
    expect(percentiles(values, [0, 0.5, 1])).toEqual([-3, 4, 9]);
    expect(Array.from(values)).toEqual([9, -3, 4, 1, 7]);
    expect(mean(values)).toBeCloseTo(3.6, 12);
  });
});

describe('two-proportion z-test', () => {
  it('matches the normal distribution', () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.575829)).toBeCloseTo(0.005, 6);
  });

  it('gives the textbook figure on known inputs', () => {
    // 50/100 against 65/100: pooled 0.575, se 0.069911, z 2.1456, p 0.0319
    const t = twoProportionZTest(50, 100, 65, 100);
    expect(t.diff).toBeCloseTo(0.15, 12);
    expect(t.z).toBeCloseTo(2.1456, 3);
    expect(t.p).toBeCloseTo(0.0319, 3);
    // 20/200 against 20/200: no difference at all
    expect(twoProportionZTest(20, 200, 20, 200)).toMatchObject({ z: 0, p: 1 });
    // both zero: no evidence, no division by zero
    expect(twoProportionZTest(0, 500, 0, 500)).toEqual({ diff: 0, z: 0, p: 1 });
    // symmetric
    expect(twoProportionZTest(65, 100, 50, 100).p).toBeCloseTo(t.p, 12);
  });
});

function fakeRecords() {
  const rec = allocRecords(4, ['a', 'b'], ['win', 'lose']);
  const match = (ending: string | null, us: number, china: number, a: number, b: number, cat = 0) => ({
    ending: ending ? { id: ending, scores: { a, b } } : null,
    sides: { us: { capability: us }, china: { capability: china } },
    incidents: { minor: 2, major: 1, catastrophic: cat },
  });
  recordMatch(rec, 0, match('win', 20, 10, 100, 0));
  recordMatch(rec, 1, match('win', 15, 10, 80, 20));
  recordMatch(rec, 2, match('lose', 10, 12, 40, 60, 1));
  recordMatch(rec, 3, match(null, 10, 10, 0, 0));
  return rec;
}

describe('summaries', () => {
  it('counts endings, leads, scores and incidents', () => {
    const s = summarize(fakeRecords());
    expect(s.matches).toBe(4);
    expect(s.endings).toEqual({ win: 2, lose: 1, '(none)': 1 });
    expect(s.leadMonths.p50).toBeCloseTo(2.5, 6); // leads 10, 5, -2, 0
    expect(s.leadMonths.mean).toBeCloseTo(3.25, 6);
    expect(s.scores.a.mean).toBeCloseTo(55, 6);
    expect(s.incidents).toEqual({ minor: 2, major: 1, catastrophic: 0.25, catastropheShare: 0.25 });
  });

  it('merges chunks into the same records, whatever the split', () => {
    const whole = fakeRecords();
    const merged = allocRecords(4, ['a', 'b'], ['win', 'lose']);
    const part = (from: number, to: number) => {
      const r = allocRecords(to - from, ['a', 'b'], ['win', 'lose']);
      for (let i = from; i < to; i++) {
        r.ending[i - from] = whole.ending[i]; r.lead[i - from] = whole.lead[i];
        r.scores[0][i - from] = whole.scores[0][i]; r.scores[1][i - from] = whole.scores[1][i];
        r.minor[i - from] = whole.minor[i]; r.major[i - from] = whole.major[i]; r.catastrophic[i - from] = whole.catastrophic[i];
      }
      return r;
    };
    copyRecords(merged, part(2, 4), 2);
    copyRecords(merged, part(0, 2), 0);
    expect(summarize(merged)).toEqual(summarize(whole));
  });

  it('compares endings of two runs with a significance figure', () => {
    const a = { ...summarize(fakeRecords()), matches: 100, endings: { win: 50, lose: 50 } };
    const b = { ...summarize(fakeRecords()), matches: 100, endings: { win: 65, lose: 30, draw: 5 } };
    const cmp = compareEndings(a, b);
    expect(cmp.map((c) => c.id)).toEqual(['win', 'lose', 'draw']);
    expect(cmp[0]).toMatchObject({ a: 50, b: 65, diffPoints: 15, significant: true });
    expect(cmp[0].pValue).toBeCloseTo(0.0319, 3);
    expect(cmp[2]).toMatchObject({ a: 0, b: 5 });
  });
});

describe('seating', () => {
  const roles = ['usGov', 'usLab', 'cnGov', 'cnLab'];

  it('parses --bots', () => {
    expect(parseBots(undefined, roles)).toEqual({ usGov: 'status-quo', usLab: 'status-quo', cnGov: 'status-quo', cnLab: 'status-quo' });
    expect(parseBots('usGov=hawk,cnLab=dove', roles)).toEqual({ usGov: 'hawk', usLab: 'status-quo', cnGov: 'status-quo', cnLab: 'dove' });
    expect(parseBots('mixed,usGov=random', roles)).toEqual({ usGov: 'random', usLab: 'mixed', cnGov: 'mixed', cnLab: 'mixed' });
    expect(describeBots(parseBots('usGov=hawk', roles))).toBe('usGov=hawk, others status-quo');
    expect(() => parseBots('usgov=hawk', roles)).toThrow(/unknown role "usgov" \(did you mean usGov\?\)/);
    expect(() => parseBots('usGov=hawkish', roles)).toThrow(/unknown personality "hawkish".*status-quo, hawk, dove, opportunist, random/);
    expect(() => parseBots('usGov=hawk,usGov=dove', roles)).toThrow(UsageError);
  });

  it('draws a deterministic mix per match', () => {
    const spec = parseBots('mixed', roles);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = matchSeed(7, i);
      const seating = seatingFor(spec, roles, s);
      expect(seatingFor(spec, roles, s)).toEqual(seating);
      for (const p of Object.values(seating)) seen.add(p);
    }
    // every scripted personality, and never a planner (they cost a hundred times more)
    expect([...seen].sort()).toEqual(PERSONALITIES.filter((p) => !p.startsWith('planner')).sort());
    expect(matchSeed(1, 0)).not.toBe(matchSeed(1, 1));
    expect(matchSeed(1, 0)).not.toBe(matchSeed(2, 0));
  });

  it('suggests close names only', () => {
    expect(didYouMean('maxGapShar', ['maxGapShare', 'accountPrice'])).toBe('maxGapShare');
    expect(didYouMean('zzz', ['maxGapShare', 'accountPrice'])).toBeUndefined();
  });
});
