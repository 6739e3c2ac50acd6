// Opens the match store the server runs on: SQLite in DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MatchStore } from './types.ts';
import { SqliteMatchStore } from './sqlite.ts';
import { PostgresMatchStore, describeDatabaseUrl } from './postgres.ts';

export type { MatchStore } from './types.ts';
export { SqliteMatchStore } from './sqlite.ts';
export { PostgresMatchStore } from './postgres.ts';

export interface OpenStoreOptions {
  /**
   * which store (env STORE): "postgres" when DATABASE_URL is set and no SQLite `path` is given,
   * "sqlite" otherwise
   */
  kind?: StoreKind;
  /**
   * the SQLite file, or ":memory:"; default: `$DATA_DIR/matches.sqlite` with DATA_DIR defaulting
   * to ./data (DATA_DIR=":memory:" also gives an in-memory store). Giving a path chooses SQLite.
   */
  path?: string;
  /** PostgreSQL: postgres://user:password@host:port/database (env DATABASE_URL) */
  databaseUrl?: string;
  /** PostgreSQL: the schema for the tables (env DATABASE_SCHEMA; default the database user's own, normally public) */
  databaseSchema?: string;
  /** PostgreSQL: connections per process (env DATABASE_POOL_SIZE, default 10) */
  databasePoolSize?: number;
  /** see SqliteStoreOptions.synchronous (env SQLITE_SYNCHRONOUS, default normal) */
  synchronous?: 'normal' | 'full';
  /** the environment to read; process.env unless given (tests pass their own) */
  env?: Record<string, string | undefined>;
}

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Where the SQLite store lives for these options and environment (resolved against the working directory). */
export function storePath(options: OpenStoreOptions = {}): string {
  if (options.path !== undefined) return options.path === ':memory:' ? ':memory:' : resolve(options.path);
  const dir = (options.env ?? process.env).DATA_DIR?.trim() || './data';
  if (dir === ':memory:') return ':memory:';
  return resolve(join(dir, 'matches.sqlite'));
}

/** Opens (creating if needed) the match store: connects to PostgreSQL, or opens the SQLite file. */
export async function openStore(options: OpenStoreOptions = {}): Promise<MatchStore> {
  const env = options.env ?? process.env;
  const databaseUrl = options.databaseUrl ?? (env.DATABASE_URL?.trim() || undefined);
  const kind = options.kind ?? (env.STORE?.trim() || (databaseUrl && options.path === undefined ? 'postgres' : 'sqlite'));
  if (!(STORE_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown match store "${kind}" (STORE may be: ${STORE_KINDS.join(', ')})`);
  if (kind === 'postgres') {
    if (!databaseUrl) throw new Error('the postgres match store needs DATABASE_URL (postgres://user:password@host:port/database)');
    const poolText = env.DATABASE_POOL_SIZE?.trim();
    const max = options.databasePoolSize ?? (poolText ? Number(poolText) : undefined);
    if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new Error(`DATABASE_POOL_SIZE must be a whole number of connections, at least 1, not "${poolText ?? max}"`);
    try {
      return await PostgresMatchStore.open({ connectionString: databaseUrl, schema: options.databaseSchema ?? (env.DATABASE_SCHEMA?.trim() || undefined), max });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`cannot open the match store at ${describeDatabaseUrl(databaseUrl)}: ${why}`, { cause: err });
    }
  }
  const sync = options.synchronous ?? (env.SQLITE_SYNCHRONOUS?.trim().toLowerCase() || 'normal');
  if (sync !== 'normal' && sync !== 'full') throw new Error(`SQLITE_SYNCHRONOUS must be "normal" or "full", not "${sync}"`);
  const path = storePath(options);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // SQLite writes a header into every store it creates: an existing file of 0 bytes was truncated, and would start empty
  if (path !== ':memory:' && existsSync(path) && statSync(path).size === 0) {
    process.emitWarning(`the match store ${path} exists but holds 0 bytes: every match it held is gone (truncated by a full disk or a copy?); restore it from a backup, or delete it to start empty on purpose`);
  }
  try {
    return new SqliteMatchStore({ path, synchronous: sync });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot open the match store at ${path}: ${why}`, { cause: err });
  }
}
