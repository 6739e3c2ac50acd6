// The default match store: Node's built-in SQLite (node:sqlite), one file, WAL, an append-only log per match.
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import type { LogEntry, MatchHeader, MatchStore, MatchSummary, StoredEntry } from './types.ts';
import { STATUSES, checkStatus, toSummary, toHeader, type SummaryRow } from './rows.ts';

export interface SqliteStoreOptions {
  /** a file path, or ":memory:" for a store that lives as long as the process */
  path: string;
  /**
   * "normal" (default): a write is in the operating system once its call returns, so killing the
   * process (even SIGKILL) loses nothing; a power cut may lose the last moments. "full" also waits
   * for the disk (fsync) on every write: safe against power loss, about six times slower.
   */
  synchronous?: 'normal' | 'full';
  /** milliseconds to wait for another process's write lock before failing (default 5000) */
  busyTimeoutMs?: number;
}

/** The kinds of log entry the store accepts; anything else is a caller's bug. A Record, so a kind added to types.ts fails to compile until it is listed. */
const KINDS: Record<LogEntry['kind'], true> = {
  person: true, seat: true, remove: true, botSeat: true, start: true, pause: true, phase: true, draft: true, submit: true,
  unsubmit: true, propose: true, respond: true, inject: true, resolve: true, chat: true, end: true,
};
const ENTRY_KINDS: ReadonlySet<string> = new Set(Object.keys(KINDS));

const SCHEMA = `
CREATE TABLE IF NOT EXISTS matches (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'finished')),
  mode TEXT NOT NULL,
  visibility TEXT NOT NULL,
  rules_name TEXT NOT NULL,
  settings TEXT NOT NULL,
  rules_text TEXT NOT NULL,
  seed REAL NOT NULL,
  facilitator_key_hash TEXT
);
-- codes stay unique forever, so a finished match's record stays addressable by its code
CREATE UNIQUE INDEX IF NOT EXISTS matches_code ON matches (code);
CREATE INDEX IF NOT EXISTS matches_newest ON matches (created_at DESC);
CREATE TABLE IF NOT EXISTS entries (
  match_id TEXT NOT NULL REFERENCES matches (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (match_id, seq)
) WITHOUT ROWID;
`;

/** The schema version this code writes; a newer file is refused rather than misread. */
const SCHEMA_VERSION = 1;

interface HeaderRow {
  id: string; code: string; created_at: string; status: string; settings: string;
  rules_text: string; seed: number; facilitator_key_hash: string | null;
}
interface EntryRow { seq: number; at: string; entry: string }
interface PendingAppend { matchId: string; at: string; json: string; resolve: (e: StoredEntry) => void; reject: (err: Error) => void }

export class SqliteMatchStore implements MatchStore {
  readonly path: string;
  private db: DatabaseSync | null;
  private readonly sql: {
    insertMatch: StatementSync;
    matchById: StatementSync;
    matchIdByCode: StatementSync;
    matchExists: StatementSync;
    headerByCode: StatementSync;
    appendEntry: StatementSync;
    entries: StatementSync;
    setStatus: StatementSync;
    listAll: StatementSync;
    listByStatus: StatementSync;
  };

  constructor(options: SqliteStoreOptions) {
    if (typeof options?.path !== 'string' || options.path === '') throw new Error('SqliteMatchStore needs a path (a file, or ":memory:")');
    this.path = options.path;
    const sync = options.synchronous ?? 'normal';
    if (sync !== 'normal' && sync !== 'full') throw new Error(`synchronous must be "normal" or "full", not ${JSON.stringify(sync)}`);
    const db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA synchronous = ${sync.toUpperCase()}`);
      db.exec('PRAGMA foreign_keys = ON');
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version > SCHEMA_VERSION) {
        throw new Error(`${options.path} was written by a newer version of the game (store schema ${version}, this one knows ${SCHEMA_VERSION})`);
      }
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(SCHEMA);
        db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    this.sql = {
      insertMatch: db.prepare(`INSERT INTO matches (id, code, created_at, status, mode, visibility, rules_name, settings, rules_text, seed, facilitator_key_hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      matchById: db.prepare('SELECT * FROM matches WHERE id = ?'),
      matchIdByCode: db.prepare('SELECT id FROM matches WHERE code = ?'),
      matchExists: db.prepare('SELECT 1 AS found FROM matches WHERE id = ?'),
      headerByCode: db.prepare('SELECT * FROM matches WHERE code = ?'),
      // the next seq is computed inside the same statement, so two writers can never share one
      appendEntry: db.prepare(`INSERT INTO entries (match_id, seq, at, entry)
        SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3 FROM entries WHERE match_id = ?1 RETURNING seq`),
      entries: db.prepare('SELECT seq, at, entry FROM entries WHERE match_id = ? ORDER BY seq'),
      setStatus: db.prepare('UPDATE matches SET status = ? WHERE id = ?'),
      listAll: db.prepare('SELECT id, code, created_at, status, mode, visibility, rules_name FROM matches ORDER BY created_at DESC, rowid DESC'),
      listByStatus: db.prepare('SELECT id, code, created_at, status, mode, visibility, rules_name FROM matches WHERE status = ? ORDER BY created_at DESC, rowid DESC'),
    };
  }

  private open(): DatabaseSync {
    if (!this.db) throw new Error('the match store is closed');
    return this.db;
  }

  async createMatch(header: MatchHeader): Promise<void> {
    const db = this.open();
    checkHeader(header);
    db.exec('BEGIN IMMEDIATE');
    try {
      if (this.sql.matchExists.get(header.id)) throw new Error(`a match with id "${header.id}" already exists`);
      if (this.sql.matchIdByCode.get(header.code)) throw new Error(`a match with code "${header.code}" already exists (codes are never reused)`);
      const s = header.settings;
      this.sql.insertMatch.run(header.id, header.code, header.createdAt, header.status, s.mode, s.visibility, s.rulesName,
        JSON.stringify(s), header.rulesText, header.seed, header.facilitatorKeyHash);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Appends waiting for this event-loop turn's transaction. */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;

  async append(matchId: string, entry: LogEntry): Promise<StoredEntry> {
    this.open();
    if (typeof matchId !== 'string' || matchId === '') throw new Error('append needs a match id');
    if (!entry || typeof entry !== 'object' || !ENTRY_KINDS.has((entry as { kind?: unknown }).kind as string)) {
      throw new Error(`cannot append to match "${matchId}": not a log entry (kind ${JSON.stringify((entry as { kind?: unknown } | null)?.kind)})`);
    }
    const json = JSON.stringify(entry);
    const at = new Date().toISOString();
    return new Promise((resolve, reject) => {
      this.pending.push({ matchId, at, json, resolve, reject });
      if (!this.flushScheduled) { this.flushScheduled = true; setImmediate(() => this.flushAppends()); }
    });
  }

  /**
   * Writes every append made during one event-loop turn (all rooms together) in one transaction: one WAL commit
   * instead of one per entry. Each promise settles only after the commit, so an acknowledged entry is in the
   * operating system (or on disk with "full") and survives the process being killed.
   */
  private flushAppends(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    const db = this.db;
    const failAll = (items: PendingAppend[], err: unknown) => { for (const p of items) p.reject(err instanceof Error ? err : new Error(String(err))); };
    if (!db) return failAll(batch, new Error('the match store is closed'));
    try { db.exec('BEGIN IMMEDIATE'); } catch (err) { return failAll(batch, err); }
    const written: { p: PendingAppend; seq: number }[] = [];
    for (const p of batch) {
      try {
        if (!this.sql.matchExists.get(p.matchId)) { p.reject(new Error(`cannot append to match "${p.matchId}": there is no such match`)); continue; }
        // the next seq is computed inside the statement, so two writers can never share one; a failed statement
        // rolls back alone and leaves the rest of the transaction standing
        const row = this.sql.appendEntry.get(p.matchId, p.at, p.json) as { seq: number };
        written.push({ p, seq: row.seq });
      } catch (err) {
        p.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    try {
      db.exec('COMMIT');
    } catch (err) {
      try { db.exec('ROLLBACK'); } catch { /* already rolled back */ }
      return failAll(written.map((w) => w.p), err);
    }
    for (const { p, seq } of written) p.resolve({ seq, at: p.at, entry: JSON.parse(p.json) as LogEntry });
  }

  async load(matchId: string): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null> {
    this.open();
    const row = this.sql.matchById.get(matchId) as HeaderRow | undefined;
    if (!row) return null;
    const entries = (this.sql.entries.all(matchId) as unknown as EntryRow[]).map((e) => ({ seq: e.seq, at: e.at, entry: JSON.parse(e.entry) as LogEntry }));
    return { header: headerOf(row), entries };
  }

  async findByCode(code: string): Promise<MatchHeader | null> {
    this.open();
    const row = this.sql.headerByCode.get(code) as HeaderRow | undefined;
    return row ? headerOf(row) : null;
  }

  async setStatus(matchId: string, status: MatchHeader['status']): Promise<void> {
    this.open();
    checkStatus(status);
    const { changes } = this.sql.setStatus.run(status, matchId);
    if (Number(changes) === 0) throw new Error(`cannot set the status of match "${matchId}": there is no such match`);
  }

  async list(filter?: { status?: MatchHeader['status'] }): Promise<MatchSummary[]> {
    this.open();
    const status = filter?.status;
    checkStatus(status);
    const rows = (status === undefined ? this.sql.listAll.all() : this.sql.listByStatus.all(status)) as unknown as SummaryRow[];
    return rows.map(toSummary);
  }

  async close(): Promise<void> {
    if (!this.db) return;
    // appends already accepted are written before the file closes
    this.flushAppends();
    const db = this.db;
    this.db = null;
    db.close();
  }
}

function headerOf(row: HeaderRow): MatchHeader {
  return toHeader(row, row.rules_text);
}

/** Refuses a header that could not be stored and read back as given. */
export function checkHeader(h: MatchHeader): void {
  if (!h || typeof h !== 'object') throw new Error('createMatch needs a match header');
  const bad = (what: string) => { throw new Error(`cannot create match ${JSON.stringify(h.id ?? '?')}: ${what}`); };
  if (typeof h.id !== 'string' || h.id === '') bad('id must be a non-empty string');
  if (typeof h.code !== 'string' || h.code === '') bad('code must be a non-empty string');
  if (typeof h.createdAt !== 'string' || Number.isNaN(Date.parse(h.createdAt))) bad('createdAt must be an ISO time');
  if (!STATUSES.has(h.status)) bad(`status must be "open" or "finished", not ${JSON.stringify(h.status)}`);
  if (!h.settings || typeof h.settings !== 'object') bad('settings are missing');
  if (typeof h.settings.mode !== 'string' || typeof h.settings.visibility !== 'string' || typeof h.settings.rulesName !== 'string') bad('settings need mode, visibility and rulesName');
  if (typeof h.rulesText !== 'string') bad('rulesText must be the rule file\'s text');
  if (typeof h.seed !== 'number' || !Number.isFinite(h.seed)) bad('seed must be a finite number');
  if (h.facilitatorKeyHash !== null && typeof h.facilitatorKeyHash !== 'string') bad('facilitatorKeyHash must be a string or null');
}
