// The match store's SQLite file (node:sqlite), used synchronously: opened, migrated and written by one thread.
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { DuplicateIdempotencyKeyError, StaleFenceError, type MatchActivity, type MatchHeader, type MatchSummary } from './types.ts';
import { checkHeader, checkStatus, toSummary, toHeader, type SummaryRow } from './rows.ts';

export interface SqliteFileOptions {
  path: string;
  synchronous: 'normal' | 'full';
  busyTimeoutMs: number;
  /** true when another thread checkpoints the WAL (sqlite-checkpointer.ts), so no write here ever pays for one */
  checkpointElsewhere?: boolean;
}

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
  facilitator_key_hash TEXT,
  -- raised by each new holder of the match (takeFence); appends carrying a lower number are refused
  fence INTEGER NOT NULL DEFAULT 0,
  -- the client's key for the request that created it, so a retried creation finds this match
  idempotency_key TEXT
);
-- codes stay unique forever, so a finished match's record stays addressable by its code
CREATE UNIQUE INDEX IF NOT EXISTS matches_code ON matches (code);
CREATE INDEX IF NOT EXISTS matches_newest ON matches (created_at DESC);
CREATE UNIQUE INDEX IF NOT EXISTS matches_idempotency ON matches (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- rows in the order they were written, so a busy server's appends to many matches fill the same few pages
CREATE TABLE IF NOT EXISTS entries (
  match_id TEXT NOT NULL REFERENCES matches (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_match ON entries (match_id, seq);
`;

/** Version 1 kept entries clustered by match (WITHOUT ROWID): every append to a different match wrote its own page. */
const FROM_VERSION_1 = `
ALTER TABLE entries RENAME TO entries_v1;
${SCHEMA}
INSERT INTO entries (match_id, seq, at, entry) SELECT match_id, seq, at, entry FROM entries_v1 ORDER BY match_id, seq;
DROP TABLE entries_v1;
`;

/** Version 2 had no fence and no idempotency key (added columns default to 0 and null). */
const FROM_VERSION_2 = `
ALTER TABLE matches ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE matches ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS matches_idempotency ON matches (idempotency_key) WHERE idempotency_key IS NOT NULL;
`;

/** The schema version this code writes; a newer file is refused rather than misread. */
export const SCHEMA_VERSION = 3;

interface HeaderRow {
  id: string; code: string; created_at: string; status: string; settings: string;
  rules_text: string; seed: number; facilitator_key_hash: string | null;
}
export interface EntryRow { seq: number; at: string; entry: string }

export class SqliteFile {
  private db: DatabaseSync | null;
  private readonly sql: Record<'insertMatch' | 'matchById' | 'matchIdByCode' | 'matchExists' | 'fenceOf' | 'takeFence' | 'headerByCode' | 'headerByIdempotencyKey' | 'appendEntry' | 'entries' | 'setStatus' | 'listAll' | 'listByStatus' | 'activity', StatementSync>;

  /** Opens the file, creating or upgrading its tables; throws on a file this code cannot read. */
  constructor(options: SqliteFileOptions) {
    const db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs });
    try {
      db.exec('PRAGMA journal_mode = WAL');
      // flipped bytes would otherwise surface later as a generic error on some match: stop here, naming the file
      const check = (db.prepare('PRAGMA quick_check(5)').all() as { quick_check: string }[]).map((r) => r.quick_check);
      if (check.join() !== 'ok') throw new Error(`${options.path} is damaged (SQLite quick_check: ${check.join('; ').slice(0, 300)}); move it aside and restore a backup`);
      db.exec(`PRAGMA synchronous = ${options.synchronous.toUpperCase()}`);
      db.exec('PRAGMA foreign_keys = ON');
      if (options.checkpointElsewhere) db.exec('PRAGMA wal_autocheckpoint = 0');
      db.exec('BEGIN IMMEDIATE');
      try {
        const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
        if (version > SCHEMA_VERSION) {
          throw new Error(`${options.path} was written by a newer version of the game (store schema ${version}, this one knows ${SCHEMA_VERSION})`);
        }
        if (version === 1 || version === 2) {
          // version 1's matches table is version 2's: its new columns first, since the SCHEMA in FROM_VERSION_1 indexes them
          db.exec(FROM_VERSION_2);
          if (version === 1) db.exec(FROM_VERSION_1);
        } else db.exec(SCHEMA);
        db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
        db.exec('COMMIT');
      } catch (err) {
        try { db.exec('ROLLBACK'); } catch { /* already rolled back */ }
        throw err;
      }
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    this.sql = {
      insertMatch: db.prepare(`INSERT INTO matches (id, code, created_at, status, mode, visibility, rules_name, settings, rules_text, seed, facilitator_key_hash, idempotency_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      fenceOf: db.prepare('SELECT fence FROM matches WHERE id = ?'),
      takeFence: db.prepare('UPDATE matches SET fence = fence + 1 WHERE id = ? RETURNING fence'),
      headerByIdempotencyKey: db.prepare('SELECT * FROM matches WHERE idempotency_key = ?'),
      activity: db.prepare(`SELECT m.id, m.code, m.created_at,
          COALESCE((SELECT MAX(e.at) FROM entries e WHERE e.match_id = m.id), m.created_at) AS last_at,
          (SELECT COUNT(*) FROM entries e WHERE e.match_id = m.id AND json_extract(e.entry, '$.kind') = 'person') AS people
        FROM matches m WHERE m.status = 'open' ORDER BY m.created_at, m.rowid`),
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

  /** Lets this connection checkpoint the log itself again (when the checkpoint thread is gone). */
  checkpointHere(): void {
    this.db?.exec('PRAGMA wal_autocheckpoint = 1000');
  }

  createMatch(header: MatchHeader, idempotencyKey: string | null = null): void {
    const db = this.open();
    checkHeader(header);
    db.exec('BEGIN IMMEDIATE');
    try {
      if (this.sql.matchExists.get(header.id)) throw new Error(`a match with id "${header.id}" already exists`);
      if (this.sql.matchIdByCode.get(header.code)) throw new Error(`a match with code "${header.code}" already exists (codes are never reused)`);
      if (idempotencyKey !== null && this.sql.headerByIdempotencyKey.get(idempotencyKey)) throw new DuplicateIdempotencyKeyError();
      const s = header.settings;
      this.sql.insertMatch.run(header.id, header.code, header.createdAt, header.status, s.mode, s.visibility, s.rulesName,
        JSON.stringify(s), header.rulesText, header.seed, header.facilitatorKeyHash, idempotencyKey);
      db.exec('COMMIT');
    } catch (err) {
      // SQLite may have rolled back already (a full disk does): a failing ROLLBACK must not hide why
      try { db.exec('ROLLBACK'); } catch { /* already rolled back */ }
      throw err;
    }
  }

  /**
   * Appends serialized entries (many matches' at once) in one transaction: one commit, and the pages the rows
   * share written once. Each row gets its seq, or the reason it failed alone; a failed commit throws.
   */
  appendBatch(rows: { matchId: string; at: string; json: string; fence?: number }[]): ({ seq: number } | { error: Error })[] {
    const db = this.open();
    db.exec('BEGIN IMMEDIATE');
    const results = rows.map((r) => {
      try {
        // read inside the write transaction: no other process can take the fence between this check and the insert
        const held = this.sql.fenceOf.get(r.matchId) as { fence: number } | undefined;
        if (!held) return { error: new Error(`cannot append to match "${r.matchId}": there is no such match`) };
        if (r.fence !== undefined && held.fence > r.fence) return { error: new StaleFenceError(r.matchId, r.fence, held.fence) };
        // a failed statement rolls back alone and leaves the rest of the transaction standing
        return { seq: (this.sql.appendEntry.get(r.matchId, r.at, r.json) as { seq: number }).seq };
      } catch (err) {
        return { error: err instanceof Error ? err : new Error(String(err)) };
      }
    });
    try {
      db.exec('COMMIT');
    } catch (err) {
      try { db.exec('ROLLBACK'); } catch { /* already rolled back */ }
      throw err;
    }
    return results;
  }

  load(matchId: string): { header: MatchHeader; entries: EntryRow[] } | null {
    this.open();
    const row = this.sql.matchById.get(matchId) as HeaderRow | undefined;
    if (!row) return null;
    return { header: toHeader(row, row.rules_text), entries: this.sql.entries.all(matchId) as unknown as EntryRow[] };
  }

  takeFence(matchId: string): number {
    this.open();
    const row = this.sql.takeFence.get(matchId) as { fence: number } | undefined;
    if (!row) throw new Error(`cannot take the fence of match "${matchId}": there is no such match`);
    return Number(row.fence);
  }

  findByIdempotencyKey(key: string): MatchHeader | null {
    this.open();
    const row = this.sql.headerByIdempotencyKey.get(key) as HeaderRow | undefined;
    return row ? toHeader(row, row.rules_text) : null;
  }

  activity(): MatchActivity[] {
    this.open();
    return (this.sql.activity.all() as { id: string; code: string; created_at: string; last_at: string; people: number }[])
      .map((r) => ({ id: r.id, code: r.code, createdAt: r.created_at, lastAt: r.last_at, people: Number(r.people) }));
  }

  ping(): void {
    this.open().prepare('SELECT 1').get();
  }

  findByCode(code: string): MatchHeader | null {
    this.open();
    const row = this.sql.headerByCode.get(code) as HeaderRow | undefined;
    return row ? toHeader(row, row.rules_text) : null;
  }

  setStatus(matchId: string, status: MatchHeader['status']): void {
    this.open();
    checkStatus(status);
    const { changes } = this.sql.setStatus.run(status, matchId);
    if (Number(changes) === 0) throw new Error(`cannot set the status of match "${matchId}": there is no such match`);
  }

  list(status?: MatchHeader['status']): MatchSummary[] {
    this.open();
    checkStatus(status);
    const rows = (status === undefined ? this.sql.listAll.all() : this.sql.listByStatus.all(status)) as unknown as SummaryRow[];
    return rows.map(toSummary);
  }

  close(): void {
    const db = this.db;
    this.db = null;
    db?.close();
  }
}
