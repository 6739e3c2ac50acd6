// The shared match store for several game processes: PostgreSQL through `pg` (pure JS), the same log as SQLite.
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { LogEntry, MatchHeader, MatchStore, MatchSummary, StoredEntry } from './types.ts';
import { checkHeader, checkStatus, toSummary, toHeader, type SummaryRow } from './rows.ts';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (DATABASE_URL); libpq's PG* variables fill in what it leaves out */
  connectionString: string;
  /**
   * the schema holding the tables (created if missing); default: the first schema on the database
   * user's search_path, normally "public". Lets several deployments (or test runs) share one database.
   */
  schema?: string;
  /** connections this process keeps open at most (default 10); mind the server's max_connections across processes */
  max?: number;
  /** milliseconds to wait for a connection before failing (default 10000) */
  connectionTimeoutMs?: number;
  /** told about errors of idle connections (a restarted database server); by default they become process warnings */
  onError?: (err: Error) => void;
}

/** The kinds of log entry the store accepts (a Record, so a kind added to types.ts fails to compile until listed). */
const KINDS: Record<LogEntry['kind'], true> = {
  person: true, seat: true, remove: true, botSeat: true, start: true, pause: true, phase: true, draft: true, submit: true,
  unsubmit: true, propose: true, respond: true, inject: true, resolve: true, chat: true, end: true, ready: true, timer: true, lead: true,
};
const ENTRY_KINDS: ReadonlySet<string> = new Set(Object.keys(KINDS));

/** The schema version this code writes; a database written by a newer version is refused rather than misread. */
const SCHEMA_VERSION = 1;
/** Any constant: the advisory lock that keeps two processes from creating the tables at the same moment. */
const SCHEMA_LOCK = 2028_0001;

/**
 * Times and JSON are TEXT so that what was stored reads back exactly as given (a timestamptz would rewrite
 * "…T10:00:00Z" as "…T10:00:00.000Z", and jsonb reorders keys); ISO times in one format sort as text.
 * The rule file is BYTEA because PostgreSQL text cannot hold a NUL character, which a YAML comment may.
 */
const schemaSql = (s: string) => `
CREATE TABLE IF NOT EXISTS ${s}.store_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.matches (
  id TEXT NOT NULL CONSTRAINT matches_id_unique PRIMARY KEY,
  -- codes stay unique forever, so a finished match's record stays addressable by its code
  code TEXT NOT NULL CONSTRAINT matches_code_unique UNIQUE,
  created_at TEXT NOT NULL,
  -- insertion order: of two matches created in the same millisecond, the later is the newer
  ord BIGINT GENERATED ALWAYS AS IDENTITY,
  status TEXT NOT NULL CHECK (status IN ('open', 'finished')),
  mode TEXT NOT NULL,
  visibility TEXT NOT NULL,
  rules_name TEXT NOT NULL,
  settings TEXT NOT NULL,
  rules_text BYTEA NOT NULL,
  seed DOUBLE PRECISION NOT NULL,
  facilitator_key_hash TEXT,
  -- the seq of the last log entry; bumping it takes the row lock that orders concurrent appends
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS matches_newest ON ${s}.matches (created_at DESC, ord DESC);
CREATE INDEX IF NOT EXISTS matches_status_newest ON ${s}.matches (status, created_at DESC, ord DESC);
CREATE TABLE IF NOT EXISTS ${s}.entries (
  match_id TEXT NOT NULL REFERENCES ${s}.matches (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (match_id, seq)
);
`;

interface HeaderRow {
  id: string; code: string; created_at: string; status: string; settings: string;
  rules_text: Buffer; seed: number; facilitator_key_hash: string | null;
}
interface EntryRow { seq: number; at: string; entry: string }

/** A connection string with its password left out, for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|key/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return 'the database (its URL does not parse)';
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const hasNul = (s: string) => s.includes('\u0000');

export class PostgresMatchStore implements MatchStore {
  /** where it is, without the password */
  readonly where: string;
  private pool: pg.Pool | null;
  private readonly t: { meta: string; matches: string; entries: string };
  private readonly schemaName: string | null;

  private constructor(pool: pg.Pool, where: string, schema: string | null) {
    this.pool = pool;
    this.where = where;
    this.schemaName = schema;
    const s = schema === null ? '' : `${quoteIdent(schema)}.`;
    this.t = { meta: `${s}store_meta`, matches: `${s}matches`, entries: `${s}entries` };
  }

  /** Connects, creates the tables if they are missing, and refuses a database written by a newer version. */
  static async open(options: PostgresStoreOptions): Promise<PostgresMatchStore> {
    if (typeof options?.connectionString !== 'string' || options.connectionString.trim() === '') {
      throw new Error('PostgresMatchStore needs a connection string (postgres://user:password@host:port/database)');
    }
    const schema = options.schema?.trim() || null;
    if (schema !== null && (schema.length > 63 || hasNul(schema))) throw new Error(`the schema name ${JSON.stringify(schema)} is not a PostgreSQL name (at most 63 characters)`);
    const max = options.max ?? 10;
    if (!Number.isInteger(max) || max < 1) throw new Error(`the pool size must be a whole number of connections, at least 1, not ${max}`);
    const where = describeDatabaseUrl(options.connectionString);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'the-2028-window',
      // a write is flushed to the database's WAL before its promise resolves, whatever the server's default
      // (an `options` parameter in the URL replaces this; a pooler may need ignore_startup_parameters = options)
      options: '-c synchronous_commit=on',
    });
    // an idle connection that breaks (the database restarted) must not take the process down
    pool.on('error', (err) => {
      if (options.onError) options.onError(err);
      else process.emitWarning(`match store (${where}): an idle connection failed: ${err.message}`);
    });
    const store = new PostgresMatchStore(pool, where, schema);
    try {
      await store.createSchema();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private async createSchema(): Promise<void> {
    const client = await this.client().connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      let qualifier: string;
      if (this.schemaName !== null) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schemaName)}`);
        qualifier = quoteIdent(this.schemaName);
      } else {
        const { rows } = await client.query<{ s: string | null }>('SELECT current_schema() AS s');
        if (!rows[0]?.s) throw new Error('no schema to create the tables in: the database user\'s search_path names none that exists (set one, or give DATABASE_SCHEMA)');
        qualifier = quoteIdent(rows[0].s);
      }
      const meta = `${qualifier}.store_meta`;
      const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [meta]);
      if (exists.rows[0]?.t) {
        const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${meta} WHERE key = 'schema_version'`);
        const version = Number(rows[0]?.value ?? 0);
        if (version > SCHEMA_VERSION) {
          throw new Error(`the database was written by a newer version of the game (store schema ${version}, this one knows ${SCHEMA_VERSION})`);
        }
      }
      await client.query(schemaSql(qualifier));
      await client.query(`INSERT INTO ${meta} (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [String(SCHEMA_VERSION)]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private client(): pg.Pool {
    if (!this.pool) throw new Error('the match store is closed');
    return this.pool;
  }

  async createMatch(header: MatchHeader): Promise<void> {
    const pool = this.client();
    checkHeader(header);
    const s = header.settings;
    for (const [what, v] of [['id', header.id], ['code', header.code], ['createdAt', header.createdAt], ['settings.mode', s.mode],
      ['settings.visibility', s.visibility], ['settings.rulesName', s.rulesName], ['facilitatorKeyHash', header.facilitatorKeyHash ?? '']] as const) {
      if (hasNul(v)) throw new Error(`cannot create match ${JSON.stringify(header.id)}: ${what} contains a NUL character`);
    }
    try {
      await pool.query(
        `INSERT INTO ${this.t.matches} (id, code, created_at, status, mode, visibility, rules_name, settings, rules_text, seed, facilitator_key_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [header.id, header.code, header.createdAt, header.status, s.mode, s.visibility, s.rulesName,
          JSON.stringify(s), Buffer.from(header.rulesText, 'utf8'), header.seed, header.facilitatorKeyHash],
      );
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'matches_code_unique') throw new Error(`a match with code "${header.code}" already exists (codes are never reused)`);
      if (e.code === '23505' && e.constraint === 'matches_id_unique') throw new Error(`a match with id "${header.id}" already exists`);
      throw err;
    }
  }

  async append(matchId: string, entry: LogEntry): Promise<StoredEntry> {
    const pool = this.client();
    if (typeof matchId !== 'string' || matchId === '') throw new Error('append needs a match id');
    if (!entry || typeof entry !== 'object' || !ENTRY_KINDS.has((entry as { kind?: unknown }).kind as string)) {
      throw new Error(`cannot append to match "${matchId}": not a log entry (kind ${JSON.stringify((entry as { kind?: unknown } | null)?.kind)})`);
    }
    const json = JSON.stringify(entry);
    const noSuchMatch = () => new Error(`cannot append to match "${matchId}": there is no such match`);
    if (hasNul(matchId)) throw noSuchMatch();
    const at = new Date().toISOString();
    // One statement, one transaction: bumping the match's last_seq locks its row, so concurrent appends to a
    // match (from any process) queue there and each gets the next seq; the primary key backs this up.
    // The promise resolves once PostgreSQL has committed it (synchronous_commit = on).
    const { rows } = await pool.query<{ seq: number }>(
      `WITH m AS (UPDATE ${this.t.matches} SET last_seq = last_seq + 1 WHERE id = $1 RETURNING id, last_seq)
       INSERT INTO ${this.t.entries} (match_id, seq, at, entry) SELECT id, last_seq, $2, $3 FROM m RETURNING seq`,
      [matchId, at, json],
    );
    if (!rows.length) throw noSuchMatch();
    return { seq: rows[0].seq, at, entry: JSON.parse(json) as LogEntry };
  }

  async load(matchId: string): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null> {
    const pool = this.client();
    if (typeof matchId !== 'string' || hasNul(matchId)) return null;
    // one snapshot for both reads, so the header and the log belong together
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = await client.query<HeaderRow>(`SELECT * FROM ${this.t.matches} WHERE id = $1`, [matchId]);
      if (!head.rows.length) { await client.query('COMMIT'); return null; }
      const entries = await client.query<EntryRow>(`SELECT seq, at, entry FROM ${this.t.entries} WHERE match_id = $1 ORDER BY seq`, [matchId]);
      await client.query('COMMIT');
      return { header: headerOf(head.rows[0]), entries: entries.rows.map((e) => ({ seq: e.seq, at: e.at, entry: JSON.parse(e.entry) as LogEntry })) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async findByCode(code: string): Promise<MatchHeader | null> {
    const pool = this.client();
    if (typeof code !== 'string' || hasNul(code)) return null;
    const { rows } = await pool.query<HeaderRow>(`SELECT * FROM ${this.t.matches} WHERE code = $1`, [code]);
    return rows.length ? headerOf(rows[0]) : null;
  }

  async setStatus(matchId: string, status: MatchHeader['status']): Promise<void> {
    const pool = this.client();
    checkStatus(status);
    const { rowCount } = typeof matchId === 'string' && !hasNul(matchId)
      ? await pool.query(`UPDATE ${this.t.matches} SET status = $1 WHERE id = $2`, [status, matchId])
      : { rowCount: 0 };
    if (!rowCount) throw new Error(`cannot set the status of match "${matchId}": there is no such match`);
  }

  async list(filter?: { status?: MatchHeader['status'] }): Promise<MatchSummary[]> {
    const pool = this.client();
    const status = filter?.status;
    checkStatus(status);
    const columns = 'id, code, created_at, status, mode, visibility, rules_name';
    const { rows } = status === undefined
      ? await pool.query<SummaryRow>(`SELECT ${columns} FROM ${this.t.matches} ORDER BY created_at DESC, ord DESC`)
      : await pool.query<SummaryRow>(`SELECT ${columns} FROM ${this.t.matches} WHERE status = $1 ORDER BY created_at DESC, ord DESC`, [status]);
    return rows.map(toSummary);
  }

  /** Waits for queries in flight, then closes every connection. */
  async close(): Promise<void> {
    if (!this.pool) return;
    const pool = this.pool;
    this.pool = null;
    await pool.end();
  }
}

function headerOf(row: HeaderRow): MatchHeader {
  return toHeader(row, row.rules_text.toString('utf8'));
}
