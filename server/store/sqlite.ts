// The default match store: Node's built-in SQLite (node:sqlite), one file, WAL, an append-only log per match.
// Appends are synchronous (tens of microseconds, no waiting for the event loop); a thread of its own
// (sqlite-checkpointer.ts) does the slow part, copying the log into the file.
import { Worker } from 'node:worker_threads';
import type { LogEntry, MatchActivity, MatchHeader, MatchStore, MatchSummary, StoredEntry } from './types.ts';
import { SqliteFile } from './sqlite-file.ts';
import { ENTRY_KINDS, checkedLog } from './rows.ts';
import type { CheckpointerOptions } from './sqlite-checkpointer.ts';
import { workerExecArgv } from '../worker-flags.ts';

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


/** Appends written in one transaction at most (~20-40 µs each): the rest wait for the next event-loop turn. */
const APPENDS_PER_TURN = 256;

export class SqliteMatchStore implements MatchStore {
  readonly path: string;
  private file: SqliteFile | null;
  private checkpointer: Worker | null = null;
  /** appends made during this event-loop turn, all written in one transaction when it ends */
  private pending: { matchId: string; at: string; json: string; fence?: number; entry: LogEntry; resolve: (e: StoredEntry) => void; reject: (err: Error) => void }[] = [];
  private flushScheduled = false;

  constructor(options: SqliteStoreOptions) {
    if (typeof options?.path !== 'string' || options.path === '') throw new Error('SqliteMatchStore needs a path (a file, or ":memory:")');
    this.path = options.path;
    const sync = options.synchronous ?? 'normal';
    if (sync !== 'normal' && sync !== 'full') throw new Error(`synchronous must be "normal" or "full", not ${JSON.stringify(sync)}`);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const onDisk = options.path !== ':memory:';
    this.file = new SqliteFile({ path: options.path, synchronous: sync, busyTimeoutMs, checkpointElsewhere: onDisk });
    if (onDisk) {
      const worker = startCheckpointer({ path: options.path, busyTimeoutMs, intervalMs: 1000 });
      // without the thread the log would grow for ever: this connection takes checkpoints back
      worker.once('exit', () => { if (this.checkpointer === worker) this.file?.checkpointHere(); });
      this.checkpointer = worker;
    }
  }

  /** The open file, with every earlier append written first, so a call always sees the appends made before it. */
  private open(): SqliteFile {
    if (!this.file) throw new Error('the match store is closed');
    while (this.pending.length) this.flushAppends();
    return this.file;
  }

  async createMatch(header: MatchHeader, options?: { idempotencyKey?: string }): Promise<void> {
    this.open().createMatch(header, options?.idempotencyKey ?? null);
  }

  async append(matchId: string, entry: LogEntry, options?: { fence?: number }): Promise<StoredEntry> {
    if (!this.file) throw new Error('the match store is closed');
    if (typeof matchId !== 'string' || matchId === '') throw new Error('append needs a match id');
    if (!entry || typeof entry !== 'object' || !ENTRY_KINDS.has((entry as { kind?: unknown }).kind as string)) {
      throw new Error(`cannot append to match "${matchId}": not a log entry (kind ${JSON.stringify((entry as { kind?: unknown } | null)?.kind)})`);
    }
    const json = JSON.stringify(entry);
    const at = new Date().toISOString();
    return new Promise((resolve, reject) => {
      this.pending.push({ matchId, at, json, fence: options?.fence, entry, resolve, reject });
      if (!this.flushScheduled) { this.flushScheduled = true; setImmediate(() => this.flushAppends()); }
    });
  }

  /**
   * Writes this turn's appends together (one commit for every match that changed, not one per entry).
   * Each promise settles after the commit, so an acknowledged entry is in the operating system (on disk with
   * "full") and survives the process being killed.
   */
  private flushAppends(): void {
    this.flushScheduled = false;
    let batch = this.pending;
    if (batch.length > APPENDS_PER_TURN) {
      // a burst (every match's submit at once) is written a chunk a turn: one turn holds the loop a few ms, not 100
      batch = this.pending.splice(0, APPENDS_PER_TURN);
      this.flushScheduled = true;
      setImmediate(() => this.flushAppends());
    } else this.pending = [];
    if (!batch.length) return;
    let results: ({ seq: number } | { error: Error })[];
    try {
      if (!this.file) throw new Error('the match store is closed');
      results = this.file.appendBatch(batch);
    } catch (err) {
      for (const p of batch) p.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    results.forEach((r, i) => {
      const p = batch[i];
      if ('error' in r) p.reject(r.error);
      else p.resolve({ seq: r.seq, at: p.at, entry: p.entry });
    });
  }

  async load(matchId: string): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null> {
    const found = this.open().load(matchId);
    if (!found) return null;
    return { header: found.header, entries: checkedLog(matchId, found.entries) };
  }

  async takeFence(matchId: string): Promise<number> {
    return this.open().takeFence(matchId);
  }

  async findByIdempotencyKey(key: string): Promise<MatchHeader | null> {
    return this.open().findByIdempotencyKey(key);
  }

  async activity(): Promise<MatchActivity[]> {
    return this.open().activity();
  }

  async ping(): Promise<void> {
    this.open().ping();
  }

  async findByCode(code: string): Promise<MatchHeader | null> {
    return this.open().findByCode(code);
  }

  async setStatus(matchId: string, status: MatchHeader['status']): Promise<void> {
    this.open().setStatus(matchId, status);
  }

  async list(filter?: { status?: MatchHeader['status'] }): Promise<MatchSummary[]> {
    return this.open().list(filter?.status);
  }

  /** Closes the file and stops the checkpoint thread after a last checkpoint; closing twice is harmless. */
  async close(): Promise<void> {
    // appends already accepted are written before the file closes
    if (this.file) this.open();
    const file = this.file;
    this.file = null;
    file?.close();
    const worker = this.checkpointer;
    this.checkpointer = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    // a last checkpoint is tidy, not needed: the log is replayed by whoever opens the file next
    const timeout = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(timeout);
  }
}

function startCheckpointer(options: CheckpointerOptions): Worker {
  const worker = new Worker(new URL('./sqlite-checkpointer.ts', import.meta.url), { workerData: options, execArgv: workerExecArgv() });
  // it never keeps the process alive; SQLite's own checkpoint on the last close covers a process that just exits
  worker.unref();
  worker.on('message', (msg: { warning?: string }) => { if (msg?.warning) process.emitWarning(msg.warning); });
  worker.on('error', (err) => process.emitWarning(`the SQLite checkpoint thread stopped: ${err instanceof Error ? err.message : String(err)}`));
  return worker;
}
