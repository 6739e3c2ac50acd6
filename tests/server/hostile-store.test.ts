// A damaged store never fails quietly (issue 12, item 11): an emptied file is warned about loudly, flipped bytes stop
// the start with a message naming the file, and a log entry of unknown kind (or a gap in a log) is an error, not skipped.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../server/store/index.ts';
import type { MatchHeader } from '../../server/store/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'w2028-hostile-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = (i: number): MatchHeader => ({
  id: `match${i}`, code: `CODE${String(i).padStart(2, 'A')}`.slice(0, 6) + i, createdAt: new Date(0).toISOString(), rulesText: 'x'.repeat(2000), seed: i,
  settings: { mode: 'online', visibility: 'private', rulesName: 'default.yaml', seats: { usGov: 1 }, bots: { usGov: 'status-quo' }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 }, botTakeoverSeconds: 120 },
  facilitatorKeyHash: null, status: 'open',
});

async function storeWithMatches(path: string, n: number): Promise<void> {
  const store = await openStore({ path });
  for (let i = 0; i < n; i++) {
    await store.createMatch(header(i));
    for (let k = 0; k < 5; k++) await store.append(`match${i}`, { kind: 'chat', personId: 'p', to: 'all', text: `hello ${k}` } as never);
  }
  await store.close();
}

describe('hostile store files', () => {
  it('an existing store file of 0 bytes is warned about loudly', async () => {
    const path = join(dir, 'empty.sqlite');
    writeFileSync(path, '');
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    try {
      const store = await openStore({ path });
      await store.close();
      await new Promise((r) => setImmediate(r));
    } finally { process.off('warning', listen); }
    expect(warnings.join('\n')).toMatch(/empty\.sqlite.*0 bytes/);
  });

  it('flipped bytes in the store stop the start with a message naming the file', async () => {
    const path = join(dir, 'flipped.sqlite');
    await storeWithMatches(path, 60);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(40_000);
    // garbage over pages in the middle of the file (the first page, the header, stays intact)
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 4096 * 3);
    closeSync(fd);
    await expect(openStore({ path })).rejects.toThrow(/flipped\.sqlite.*damaged/);
  });

  it('a log entry of a kind this version does not know is an error, not skipped', async () => {
    const path = join(dir, 'unknown.sqlite');
    await storeWithMatches(path, 1);
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO entries (match_id, seq, at, entry) VALUES (?, ?, ?, ?)').run('match0', 6, new Date(0).toISOString(), JSON.stringify({ kind: 'teleport' }));
    db.close();
    const store = await openStore({ path });
    try {
      await expect(store.load('match0')).rejects.toThrow(/match0.*entry 6.*"teleport"/);
    } finally { await store.close(); }
  });

  it('a log with an entry missing in the middle is an error', async () => {
    const path = join(dir, 'gap.sqlite');
    await storeWithMatches(path, 1);
    const db = new DatabaseSync(path);
    db.prepare('DELETE FROM entries WHERE match_id = ? AND seq = 3').run('match0');
    db.close();
    const store = await openStore({ path });
    try {
      await expect(store.load('match0')).rejects.toThrow(/match0.*entry 3 is missing/);
    } finally { await store.close(); }
  });
});
