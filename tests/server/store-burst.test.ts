// A burst of appends (every match's submit at once) is written a chunk per event-loop turn, in order, none lost.
import { describe, it, expect } from 'vitest';
import { SqliteMatchStore } from '../../server/store/sqlite.ts';
import { makeHeader } from '../helpers/store-contract.ts';
import type { LogEntry } from '../../shared/match/log.ts';

describe('SQLite appends in a burst', () => {
  it('write a thousand appends over several turns, each match\'s in order, and let the loop run between', async () => {
    const store = new SqliteMatchStore({ path: ':memory:' });
    const headers = Array.from({ length: 4 }, () => makeHeader());
    for (const h of headers) await store.createMatch(h);
    let turnsBetween = 0;
    let settled = 0;
    const seen: number[] = [];
    // a turn of the loop counted each time this runs: it can only run between two chunks
    const tick = () => { turnsBetween++; if (settled < 1000) setImmediate(tick); };
    setImmediate(tick);
    const appends = Array.from({ length: 1000 }, (_, i) => {
      const entry: LogEntry = { kind: 'chat', from: 'p1', fromRole: 'usGov', to: 'all', text: `message ${i}` };
      return store.append(headers[i % 4].id, entry).then((stored) => { settled++; seen.push(turnsBetween); return stored; });
    });
    const stored = await Promise.all(appends);
    // every append landed, and each match's seqs rise in the order they were made
    for (let m = 0; m < 4; m++) {
      const seqs = stored.filter((_, i) => i % 4 === m).map((s) => s.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(250);
      expect((await store.load(headers[m].id))!.entries.map((e) => e.entry)).toHaveLength(250);
    }
    // not one transaction in one turn: the first appends settled several turns before the last
    expect(seen[seen.length - 1] - seen[0]).toBeGreaterThanOrEqual(2);
    await store.close();
  });
});
