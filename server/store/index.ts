// Opens the match store the server runs on: SQLite in DATA_DIR by default (a server database may join later).
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MatchStore } from './types.ts';
import { SqliteMatchStore } from './sqlite.ts';

export type { MatchStore } from './types.ts';
export { SqliteMatchStore } from './sqlite.ts';

export interface OpenStoreOptions {
  /** which store; only "sqlite" exists today (env STORE, default sqlite) */
  kind?: 'sqlite';
  /**
   * the SQLite file, or ":memory:"; default: `$DATA_DIR/matches.sqlite` with DATA_DIR defaulting
   * to ./data (DATA_DIR=":memory:" also gives an in-memory store)
   */
  path?: string;
  /** see SqliteStoreOptions.synchronous (env SQLITE_SYNCHRONOUS, default normal) */
  synchronous?: 'normal' | 'full';
  /** the environment to read; process.env unless given (tests pass their own) */
  env?: Record<string, string | undefined>;
}

export const STORE_KINDS = ['sqlite'] as const;

/** Where the SQLite store lives for these options and environment (resolved against the working directory). */
export function storePath(options: OpenStoreOptions = {}): string {
  if (options.path !== undefined) return options.path === ':memory:' ? ':memory:' : resolve(options.path);
  const dir = (options.env ?? process.env).DATA_DIR?.trim() || './data';
  if (dir === ':memory:') return ':memory:';
  return resolve(join(dir, 'matches.sqlite'));
}

/** Opens (creating if needed) the match store. Async so that a networked store can connect here later. */
export async function openStore(options: OpenStoreOptions = {}): Promise<MatchStore> {
  const env = options.env ?? process.env;
  const kind = options.kind ?? (env.STORE?.trim() || 'sqlite');
  if (kind !== 'sqlite') throw new Error(`unknown match store "${kind}" (STORE may be: ${STORE_KINDS.join(', ')})`);
  const sync = options.synchronous ?? (env.SQLITE_SYNCHRONOUS?.trim().toLowerCase() || 'normal');
  if (sync !== 'normal' && sync !== 'full') throw new Error(`SQLITE_SYNCHRONOUS must be "normal" or "full", not "${sync}"`);
  const path = storePath(options);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    return new SqliteMatchStore({ path, synchronous: sync });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot open the match store at ${path}: ${why}`, { cause: err });
  }
}
