// The match store on SQLite: the contract every store keeps (tests/helpers/store-contract.ts), then SQLite's own promises.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteMatchStore } from '../../server/store/sqlite.ts';
import { openStore, storePath } from '../../server/store/index.ts';
import { storeContract, makeHeader, appendUntilKilled } from '../helpers/store-contract.ts';

// ---------------------------------------------------------------------------------------------

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  while (tempDirs.length) rmSync(tempDirs.pop()!, { recursive: true, force: true });
});

storeContract('SQLite file', () => {
  const path = join(tempDir(), 'matches.sqlite');
  return { open: async () => new SqliteMatchStore({ path }), persistent: true };
});
storeContract('SQLite file, synchronous full', () => {
  const path = join(tempDir(), 'matches.sqlite');
  return { open: async () => new SqliteMatchStore({ path, synchronous: 'full' }), persistent: true };
});
storeContract('SQLite :memory:', () => ({ open: async () => new SqliteMatchStore({ path: ':memory:' }), persistent: false }));
storeContract('openStore() with DATA_DIR', () => {
  const env = { DATA_DIR: join(tempDir(), 'nested', 'data') };
  return { open: () => openStore({ env }), persistent: true };
});

describe('SQLite match store', () => {
  it('writes a WAL-mode file, and two connections to one file share the log without sharing a seq', async () => {
    const path = join(tempDir(), 'm.sqlite');
    const a = new SqliteMatchStore({ path });
    const b = new SqliteMatchStore({ path });
    const h = makeHeader();
    await a.createMatch(h);
    const seqs: number[] = [];
    for (let i = 0; i < 10; i++) seqs.push((await (i % 2 ? a : b).append(h.id, { kind: 'pause', paused: i % 2 === 0 })).seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(b.createMatch(makeHeader({ code: h.code }))).rejects.toThrow(/already exists/);
    const raw = new DatabaseSync(path, { readOnly: true });
    expect((raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    raw.close();
    await a.close();
    await b.close();
  });

  it('refuses a file written by a newer schema instead of misreading it', async () => {
    const path = join(tempDir(), 'future.sqlite');
    const raw = new DatabaseSync(path);
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    expect(() => new SqliteMatchStore({ path })).toThrow(/newer version/);
  });

  it('loses nothing that append resolved when the process is killed with SIGKILL', async () => {
    const path = join(tempDir(), 'killed.sqlite');
    const h = makeHeader();
    const setup = new SqliteMatchStore({ path });
    await setup.createMatch(h);
    await setup.close();
    const storeUrl = new URL('../../server/store/sqlite.ts', import.meta.url).href;
    // the child appends as fast as it can and reports each seq once append has resolved
    const reported = await appendUntilKilled(`import { SqliteMatchStore } from ${JSON.stringify(storeUrl)};
      const store = new SqliteMatchStore({ path: ${JSON.stringify(path)} });`, h.id);
    const after = new SqliteMatchStore({ path });
    const loaded = (await after.load(h.id))!;
    expect(loaded.entries.length).toBeGreaterThanOrEqual(reported);
    expect(loaded.entries.map((e) => e.seq)).toEqual(loaded.entries.map((_, i) => i + 1));
    expect(loaded.entries[reported - 1].entry).toEqual({ kind: 'chat', from: 'p', fromRole: null, to: 'all', text: `message ${reported - 1}` });
    expect((await after.append(h.id, { kind: 'start' })).seq).toBe(loaded.entries.length + 1);
    await after.close();
  });

  it('upgrades a file written by store schema 1 (entries clustered by match) without losing an entry', async () => {
    const path = join(tempDir(), 'v1.sqlite');
    const raw = new DatabaseSync(path);
    raw.exec(`CREATE TABLE matches (id TEXT PRIMARY KEY, code TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('open', 'finished')),
        mode TEXT NOT NULL, visibility TEXT NOT NULL, rules_name TEXT NOT NULL, settings TEXT NOT NULL, rules_text TEXT NOT NULL, seed REAL NOT NULL, facilitator_key_hash TEXT);
      CREATE UNIQUE INDEX matches_code ON matches (code);
      CREATE TABLE entries (match_id TEXT NOT NULL REFERENCES matches (id), seq INTEGER NOT NULL, at TEXT NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (match_id, seq)) WITHOUT ROWID;
      PRAGMA user_version = 1;`);
    const h = makeHeader();
    raw.prepare('INSERT INTO matches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(h.id, h.code, h.createdAt, h.status, h.settings.mode, h.settings.visibility,
      h.settings.rulesName, JSON.stringify(h.settings), h.rulesText, h.seed, h.facilitatorKeyHash);
    for (let seq = 1; seq <= 3; seq++) raw.prepare('INSERT INTO entries VALUES (?, ?, ?, ?)').run(h.id, seq, new Date().toISOString(), JSON.stringify({ kind: 'pause', paused: seq % 2 === 1 }));
    raw.close();
    const store = new SqliteMatchStore({ path });
    expect((await store.load(h.id))!.entries.map((e) => [e.seq, e.entry])).toEqual([[1, { kind: 'pause', paused: true }], [2, { kind: 'pause', paused: false }], [3, { kind: 'pause', paused: true }]]);
    expect((await store.append(h.id, { kind: 'start' })).seq).toBe(4);
    await store.close();
    const check = new DatabaseSync(path, { readOnly: true });
    expect((check.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(3);
    check.close();
    // the upgraded file fences like a new one
    const again = new SqliteMatchStore({ path });
    const fence = await again.takeFence(h.id);
    await again.takeFence(h.id);
    await expect(again.append(h.id, { kind: 'start' }, { fence })).rejects.toThrow(/stale fencing number/);
    await again.close();
  });
});

describe('openStore', () => {
  it('puts the file at $DATA_DIR/matches.sqlite, ./data by default, and supports :memory:', () => {
    expect(storePath({ env: {} })).toBe(join(process.cwd(), 'data', 'matches.sqlite'));
    expect(storePath({ env: { DATA_DIR: '/srv/game' } })).toBe('/srv/game/matches.sqlite');
    expect(storePath({ env: { DATA_DIR: ':memory:' } })).toBe(':memory:');
    expect(storePath({ path: ':memory:', env: { DATA_DIR: '/srv/game' } })).toBe(':memory:');
  });

  it('creates the data directory and opens SQLite by default', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const store = await openStore({ env: { DATA_DIR: dir } });
    expect(store).toBeInstanceOf(SqliteMatchStore);
    expect(existsSync(join(dir, 'matches.sqlite'))).toBe(true);
    await store.close();
    const mem = await openStore({ env: { DATA_DIR: ':memory:' } });
    expect((mem as SqliteMatchStore).path).toBe(':memory:');
    await mem.close();
  });

  it('names what is wrong with its settings', async () => {
    await expect(openStore({ env: { STORE: 'mongodb', DATA_DIR: ':memory:' } })).rejects.toThrow(/unknown match store "mongodb".*sqlite, postgres/);
    await expect(openStore({ env: { STORE: 'postgres', DATA_DIR: ':memory:' } })).rejects.toThrow(/needs DATABASE_URL/);
    await expect(openStore({ env: { SQLITE_SYNCHRONOUS: 'sometimes', DATA_DIR: ':memory:' } })).rejects.toThrow(/SQLITE_SYNCHRONOUS/);
    const file = join(tempDir(), 'not-a-dir');
    await (await openStore({ path: file })).close();
    await expect(openStore({ env: { DATA_DIR: file } })).rejects.toThrow();
  });
});
