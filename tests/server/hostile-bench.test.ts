// A slice of `npm run bench:hostile` (issue 12): 5,000 hostile messages and requests against one server process while
// five honest matches play. No crash, no change to the attacked matches, every refusal answered, every attack kind seen.
import { describe, it, expect } from 'vitest';
import { runHostileBench } from '../../bench/hostile.ts';

// the honest matches' p99 limit is the benchmark's 250 ms under CI; on a development machine shared by other jobs
// (seven on two cores, say) a looser bound still catches a room held up for seconds
const P99_LIMIT = process.env.CI ? 250 : 5000;

describe('the hostile-load benchmark, a slice', () => {
  it('5,000 hostile messages and requests, 5 honest matches: every refusal answered, nothing changed, no crash', async () => {
    const r = await runHostileBench({ messages: 5000, matches: 5, seed: 12 });
    expect(r.hostile.total).toBe(5000);
    expect(r.hostile.unanswered).toBe(0);
    expect(r.hostile.accepted).toBe(0);
    expect(r.hostile.floodsClosed).toBeGreaterThan(0);
    expect(r.hostile.floodsOpen).toBe(0);
    expect(r.server).toMatchObject({ crashed: false, exitCode: 0, errorLines: 0 });
    expect(r.server.targetEntriesAfter).toBe(r.server.targetEntriesBefore);
    for (const kind of ['ws: undecodable frame', 'ws: unknown type', 'ws: fuzzed chat', 'ws: flood', 'http: code enumeration', 'http: non-JSON body', 'http: foreign origin', 'http: broken or invisible name', 'http: mutated rule file']) {
      expect(r.hostile.byKind[kind], kind).toBeGreaterThan(0);
    }
    // enumeration runs into the look-up limit: a 429 with Retry-After (checked for each one by the benchmark)
    expect(r.hostile.statuses['429']).toBeGreaterThan(0);
    expect(r.honest.quartersResolved).toBeGreaterThan(0);
    expect(r.honest.latencyMs.p99).toBeLessThan(P99_LIMIT);
    // the benchmark's own verdict, minus the latency bound (asserted above with this machine's limit)
    expect(r.failures.filter((f) => !/p99/.test(f))).toEqual([]);
  }, 90_000);
});
