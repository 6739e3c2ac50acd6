// A PostgreSQL server for tests: TEST_DATABASE_URL if given, otherwise a throwaway cluster on loopback
// (initdb into a temp dir, pg_ctl start on a free port, one database; stopped and deleted afterwards).
// Without PostgreSQL binaries the tests skip with a loud notice, except under CI (CI=true), where they fail.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import pg from 'pg';

export interface TestPostgres {
  /** connect here; a database of its own for this test file */
  url: string;
  /** "env" when TEST_DATABASE_URL was given, "throwaway" when this helper started a server */
  source: 'env' | 'throwaway';
  /** a schema that no one else uses, for one test's tables; dropped by stop() if not before */
  freshSchema(): Promise<string>;
  dropSchema(name: string): Promise<void>;
  /** stops the throwaway server and deletes its files (leaves a given server alone, dropping only our schemas) */
  stop(): Promise<void>;
}

export type PostgresAvailability =
  | { available: true; url: string; bin?: undefined }
  | { available: true; url?: undefined; bin: string }
  | { available: false; reason: string };

/** TEST_POSTGRES_BIN if set, else the newest /usr/lib/postgresql/<version>/bin (Debian), else initdb on PATH. */
export function findPostgresBin(): string | null {
  const chosen = process.env.TEST_POSTGRES_BIN?.trim();
  if (chosen) return existsSync(join(chosen, 'initdb')) && existsSync(join(chosen, 'pg_ctl')) ? chosen : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (versions.length) return join(root, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

/** Whether Postgres tests can run here; decided when a test file is collected, so it is synchronous. */
export function postgresAvailability(): PostgresAvailability {
  const given = process.env.TEST_DATABASE_URL?.trim();
  if (given) return { available: true, url: given };
  const bin = findPostgresBin();
  if (!bin) return { available: false, reason: 'no PostgreSQL binaries (looked in ' + (process.env.TEST_POSTGRES_BIN?.trim() || '/usr/lib/postgresql/*/bin and on PATH') + '); install them with `apt-get install postgresql`, or set TEST_DATABASE_URL' };
  if (process.getuid?.() === 0 && postgresUser() === null) return { available: false, reason: 'running as root, and there is no "postgres" user to run initdb as (initdb refuses root)' };
  return { available: true, bin };
}

/**
 * For a test file's top level: whether to run the Postgres tests. Missing PostgreSQL prints a loud notice and
 * skips; under CI it adds a failing test instead, so the run fails rather than pass without testing the store.
 */
export function requirePostgres(what: string): PostgresAvailability {
  const a = postgresAvailability();
  if (a.available) return a;
  if (process.env.CI === 'true') {
    // a failing test rather than a failing file, so the run's "N passed, N failed" line counts it
    it(`${what}: PostgreSQL is installed (required under CI)`, () => { throw new Error(`PostgreSQL is required under CI but ${a.reason}`); });
    return a;
  }
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\n!! SKIPPED: ${what}\n!! ${a.reason}\n${bar}\n`);
  return a;
}

function postgresUser(): { uid: number; gid: number } | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
    if (!line) return null;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], as: { uid: number; gid: number } | null): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], ...(as ? { uid: as.uid, gid: as.gid } : {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

let counter = 0;
const stopAtExit = new Set<() => void>();
process.once('exit', () => { for (const f of stopAtExit) f(); });

/** Starts (or connects to) the test server; call in beforeAll and stop() in afterAll. */
export async function startTestPostgres(availability: PostgresAvailability = postgresAvailability()): Promise<TestPostgres> {
  if (!availability.available) throw new Error(`PostgreSQL is not available: ${availability.reason}`);
  let url: string, source: TestPostgres['source'];
  let shutdown: () => Promise<void> = async () => undefined;
  if (availability.url !== undefined) {
    url = availability.url;
    source = 'env';
  } else {
    const bin = availability.bin;
    const as = process.getuid?.() === 0 ? postgresUser() : null;
    const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
    if (as) chownSync(dir, as.uid, as.gid);
    const data = join(dir, 'data');
    const init = await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'], as);
    if (init.code !== 0) { rmSync(dir, { recursive: true, force: true }); throw new Error(`initdb failed:\n${init.out}`); }
    // a server for tests: loopback only, socket in the temp dir; fsync off because the cluster is thrown away
    // (the store's promise still waits for the commit; only a crash of this throwaway server could lose it)
    const settings = ['-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c fsync=off', '-c full_page_writes=off', '-c max_connections=200', '-c shared_buffers=32MB'];
    let port = 0;
    let started: { code: number | null; out: string } = { code: 1, out: '' };
    for (let attempt = 0; attempt < 5 && started.code !== 0; attempt++) {
      port = await freePort();
      started = await run(join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'server.log'), '-o', [`-p ${port}`, ...settings].join(' ')], as);
    }
    const stopNow = () => { spawnSync(join(bin, 'pg_ctl'), ['stop', '-m', 'immediate', '-D', data], { cwd: tmpdir(), stdio: 'ignore', ...(as ? { uid: as.uid, gid: as.gid } : {}) }); rmSync(dir, { recursive: true, force: true }); };
    if (started.code !== 0) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      stopNow();
      throw new Error(`pg_ctl start failed:\n${started.out}\n${log}`);
    }
    stopAtExit.add(stopNow);
    shutdown = async () => {
      stopAtExit.delete(stopNow);
      await run(join(bin, 'pg_ctl'), ['stop', '-m', 'immediate', '-D', data], as);
      rmSync(dir, { recursive: true, force: true });
    };
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE game_test');
    await admin.end();
    url = `postgres://postgres@127.0.0.1:${port}/game_test`;
    source = 'throwaway';
  }

  const admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => undefined);
  const schemas = new Set<string>();
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  return {
    url,
    source,
    async freshSchema() {
      const name = `test_${tag}_${counter++}`;
      schemas.add(name);
      return name;
    },
    async dropSchema(name: string) {
      schemas.delete(name);
      await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    },
    async stop() {
      try {
        if (source === 'env') for (const name of [...schemas]) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await admin.end().catch(() => undefined);
        await shutdown();
      }
    },
  };
}
