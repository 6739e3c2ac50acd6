// The default match store: Node's built-in SQLite (node:sqlite), one file, WAL, an append-only log per match,
// written by a thread of its own (sqlite-worker.ts) so that disk waits never hold up a match.
import { Worker } from 'node:worker_threads';
import type { LogEntry, MatchHeader, MatchStore, MatchSummary, StoredEntry } from './types.ts';
import { checkStatus } from './rows.ts';
import { SqliteFile, type AppendRow, type AppendResult, type EntryRow, type SqliteFileOptions } from './sqlite-file.ts';
import type { StoreCall, StoreReply } from './sqlite-worker.ts';

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

interface PendingAppend extends AppendRow { resolve: (e: StoredEntry) => void; reject: (err: Error) => void }
type Op = StoreCall['op'];
type ArgsOf<O extends Op> = Extract<StoreCall, { op: O }>['args'];

export class SqliteMatchStore implements MatchStore {
  readonly path: string;
  private worker: Worker | null;
  private dead: Error | null = null;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** appends made during this event-loop turn, written together in one transaction */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed: Promise<void> | null = null;

  constructor(options: SqliteStoreOptions) {
    if (typeof options?.path !== 'string' || options.path === '') throw new Error('SqliteMatchStore needs a path (a file, or ":memory:")');
    this.path = options.path;
    const sync = options.synchronous ?? 'normal';
    if (sync !== 'normal' && sync !== 'full') throw new Error(`synchronous must be "normal" or "full", not ${JSON.stringify(sync)}`);
    const fileOptions: SqliteFileOptions = { path: options.path, synchronous: sync, busyTimeoutMs: options.busyTimeoutMs ?? 5000 };
    // opened (and upgraded) once here, so a file this code cannot read fails now rather than on the first call
    if (options.path !== ':memory:') new SqliteFile(fileOptions).close();
    // the thread runs with this process's flags, less those that only make sense for the main script
    const execArgv = process.execArgv.filter((a) => !/^--(input-type|eval|print|cpu-prof|heap-prof)/.test(a));
    const worker = new Worker(new URL('./sqlite-worker.ts', import.meta.url), { workerData: fileOptions, execArgv });
    worker.unref();
    worker.on('message', (reply: StoreReply) => this.settle(reply));
    worker.on('error', (err) => this.fail(err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => this.fail(new Error(`the match store's thread stopped (exit code ${code})`)));
    this.worker = worker;
  }

  private call<O extends Op>(op: O, ...args: ArgsOf<O>): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    if (!this.worker || (this.closed && op !== 'close')) return Promise.reject(new Error('the match store is closed'));
    // earlier appends go first, so a call always sees every append made before it
    if (op !== 'appendBatch') this.flushAppends();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // the thread keeps the process alive only while it owes an answer
      if (this.calls.size === 0) this.worker!.ref();
      this.calls.set(id, { resolve, reject });
      this.worker!.postMessage({ id, op, args } as StoreCall);
    });
  }

  private settle(reply: StoreReply): void {
    const call = this.calls.get(reply.id);
    if (!call) return;
    this.calls.delete(reply.id);
    if (this.calls.size === 0) this.worker?.unref();
    if (reply.ok) call.resolve(reply.value);
    else call.reject(new Error(reply.message));
  }

  private fail(err: Error): void {
    if (this.closed && !this.calls.size) return;
    this.dead ??= err;
    for (const call of this.calls.values()) call.reject(err);
    this.calls.clear();
    for (const p of this.pending) p.reject(err);
    this.pending = [];
  }

  async createMatch(header: MatchHeader): Promise<void> {
    await this.call('createMatch', header);
  }

  async append(matchId: string, entry: LogEntry): Promise<StoredEntry> {
    if (this.closed) throw new Error('the match store is closed');
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
   * Sends this turn's appends as one batch. Each promise settles only after the thread's commit, so an
   * acknowledged entry is in the operating system (on disk with "full") and survives the process being killed.
   */
  private flushAppends(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    this.call('appendBatch', batch.map(({ matchId, at, json }) => ({ matchId, at, json }))).then(
      (results) => (results as AppendResult[]).forEach((r, i) => {
        const p = batch[i];
        if ('error' in r) p.reject(new Error(r.error));
        else p.resolve({ seq: r.seq, at: p.at, entry: JSON.parse(p.json) as LogEntry });
      }),
      (err: Error) => { for (const p of batch) p.reject(err); },
    );
  }

  async load(matchId: string): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null> {
    const found = await this.call('load', matchId) as { header: MatchHeader; entries: EntryRow[] } | null;
    if (!found) return null;
    return { header: found.header, entries: found.entries.map((e) => ({ seq: e.seq, at: e.at, entry: JSON.parse(e.entry) as LogEntry })) };
  }

  async findByCode(code: string): Promise<MatchHeader | null> {
    return await this.call('findByCode', code) as MatchHeader | null;
  }

  async setStatus(matchId: string, status: MatchHeader['status']): Promise<void> {
    checkStatus(status);
    await this.call('setStatus', matchId, status);
  }

  async list(filter?: { status?: MatchHeader['status'] }): Promise<MatchSummary[]> {
    checkStatus(filter?.status);
    return await this.call('list', filter?.status) as MatchSummary[];
  }

  /** Writes what was accepted, closes the file and ends the thread; closing twice is harmless. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    const worker = this.worker;
    if (!worker || this.dead) { this.closed = Promise.resolve(); void worker?.terminate(); return this.closed; }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const done = this.call('close');
    this.closed = done.then(() => exited, () => worker.terminate().then(() => undefined));
    return this.closed;
  }
}
