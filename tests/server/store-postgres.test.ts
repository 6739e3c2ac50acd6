// The match store on PostgreSQL: the same contract as SQLite (tests/helpers/store-contract.ts) against a real
// server (TEST_DATABASE_URL, or a throwaway one started here), then what only a shared database must promise.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { PostgresMatchStore } from '../../server/store/postgres.ts';
import { openStore } from '../../server/store/index.ts';
import { storeContract, makeHeader, appendUntilKilled } from '../helpers/store-contract.ts';
import { requirePostgres, startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';

const availability = requirePostgres('the PostgreSQL match store tests (tests/server/store-postgres.test.ts)');

describe.skipIf(!availability.available)('PostgreSQL match store', () => {
  let server: TestPostgres;
  let startedIn = 0;
  const began = Date.now();
  beforeAll(async () => {
    server = await startTestPostgres(availability);
    startedIn = Date.now() - began;
  }, 120_000);
  afterAll(async () => {
    const t = Date.now();
    await server?.stop();
    console.log(`PostgreSQL (${server?.source}): started in ${startedIn} ms, whole file ${Date.now() - began} ms, stopped in ${Date.now() - t} ms`);
  });

  /** Each contract test gets a schema of its own on the shared server, dropped afterwards. */
  const harness = (open: (url: string, schema: string) => Promise<PostgresMatchStore | Awaited<ReturnType<typeof openStore>>>) => async () => {
    const schema = await server.freshSchema();
    return { open: () => open(server.url, schema), persistent: true, cleanup: () => server.dropSchema(schema) };
  };
  storeContract('PostgreSQL', harness((url, schema) => PostgresMatchStore.open({ connectionString: url, schema })));
  storeContract('PostgreSQL, pool of one connection', harness((url, schema) => PostgresMatchStore.open({ connectionString: url, schema, max: 1 })));
  storeContract('openStore() with DATABASE_URL', harness((url, schema) => openStore({ env: { DATABASE_URL: url, DATABASE_SCHEMA: schema } })));

  describe('what a shared database must promise', () => {
    it('openStore picks PostgreSQL for DATABASE_URL, SQLite when a path or STORE=sqlite says so', async () => {
      const schema = await server.freshSchema();
      const env = { DATABASE_URL: server.url, DATABASE_SCHEMA: schema, DATA_DIR: ':memory:' };
      const a = await openStore({ env });
      expect(a).toBeInstanceOf(PostgresMatchStore);
      await a.close();
      const b = await openStore({ env, path: ':memory:' });
      expect(b).not.toBeInstanceOf(PostgresMatchStore);
      await b.close();
      const c = await openStore({ env: { ...env, STORE: 'sqlite' } });
      expect(c).not.toBeInstanceOf(PostgresMatchStore);
      await c.close();
      await expect(openStore({ env: { ...env, DATABASE_POOL_SIZE: 'lots' } })).rejects.toThrow(/DATABASE_POOL_SIZE/);
      await server.dropSchema(schema);
    });

    it('names the database without its password when it cannot connect', async () => {
      const err = await openStore({ env: { DATABASE_URL: 'postgres://game:hunter2-secret@127.0.0.1:1/nowhere' } }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/cannot open the match store at postgres:\/\/game:\*\*\*@127\.0\.0\.1:1\/nowhere/);
      expect((err as Error).message).not.toContain('hunter2');
    });

    it('lets two processes create the tables at once, and refuses a database written by a newer version', async () => {
      const schema = await server.freshSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresMatchStore.open({ connectionString: server.url, schema })));
      const h = makeHeader();
      await stores[0].createMatch(h);
      expect((await stores[3].findByCode(h.code))!.id).toBe(h.id);
      for (const s of stores) await s.close();
      const raw = new pg.Client({ connectionString: server.url });
      await raw.connect();
      await raw.query(`UPDATE "${schema}".store_meta SET value = '99' WHERE key = 'schema_version'`);
      await raw.end();
      await expect(PostgresMatchStore.open({ connectionString: server.url, schema })).rejects.toThrow(/newer version/);
      await server.dropSchema(schema);
    });

    it('keeps seqs consecutive when many processes append to one match at once', async () => {
      const schema = await server.freshSchema();
      const setup = await PostgresMatchStore.open({ connectionString: server.url, schema });
      const h = makeHeader();
      await setup.createMatch(h);
      const storeUrl = new URL('../../server/store/postgres.ts', import.meta.url).href;
      const script = (n: number) => `
        import { PostgresMatchStore } from ${JSON.stringify(storeUrl)};
        const store = await PostgresMatchStore.open({ connectionString: ${JSON.stringify(server.url)}, schema: ${JSON.stringify(schema)}, max: 4 });
        await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(${JSON.stringify(h.id)}, { kind: 'chat', from: 'p${n}', fromRole: null, to: 'all', text: 'm' + i })));
        await store.close();`;
      const runs = Array.from({ length: 3 }, (_, n) => new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script(n)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => { stderr += d; });
        child.on('exit', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`writer ${n} exited ${code}: ${stderr}`))));
      }));
      await Promise.all([...runs, ...Array.from({ length: 50 }, (_, i) => setup.append(h.id, { kind: 'chat', from: 'here', fromRole: null, to: 'all', text: `m${i}` }))]);
      const entries = (await setup.load(h.id))!.entries;
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      for (const who of ['here', 'p0', 'p1', 'p2']) expect(entries.filter((e) => e.entry.kind === 'chat' && e.entry.from === who)).toHaveLength(50);
      await setup.close();
      await server.dropSchema(schema);
    });

    it('loses nothing that append resolved when the writing process is killed with SIGKILL', async () => {
      const schema = await server.freshSchema();
      const setup = await PostgresMatchStore.open({ connectionString: server.url, schema });
      const h = makeHeader();
      await setup.createMatch(h);
      const storeUrl = new URL('../../server/store/postgres.ts', import.meta.url).href;
      const reported = await appendUntilKilled(`import { PostgresMatchStore } from ${JSON.stringify(storeUrl)};
        const store = await PostgresMatchStore.open({ connectionString: ${JSON.stringify(server.url)}, schema: ${JSON.stringify(schema)} });`, h.id);
      const loaded = (await setup.load(h.id))!;
      expect(loaded.entries.length).toBeGreaterThanOrEqual(reported);
      expect(loaded.entries.map((e) => e.seq)).toEqual(loaded.entries.map((_, i) => i + 1));
      expect(loaded.entries[reported - 1].entry).toEqual({ kind: 'chat', from: 'p', fromRole: null, to: 'all', text: `message ${reported - 1}` });
      expect((await setup.append(h.id, { kind: 'start' })).seq).toBe(loaded.entries.length + 1);
      await setup.close();
      await server.dropSchema(schema);
    });
  });
});

// Under CI a missing PostgreSQL has already failed this file (requirePostgres throws); elsewhere the skip is reported above.
