// The debrief computed off the room's thread: one worker thread runs the counterfactual replays and the odds curve's re-runs, so no room stalls.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { debriefMatch, type Debrief } from '../shared/debrief/debrief.ts';
import { prepare } from '../shared/debrief/branch.ts';
import { oddsCurve, type OddsCurve } from '../shared/debrief/odds.ts';
import { rulesOfMatch } from './match-rules.ts';
import type { MatchHeader, StoredEntry } from './store/types.ts';
import { workerExecArgv } from './worker-flags.ts';

const TAG = 'the-2028-window/debrief-worker';

/** What the worker computes: the debrief, or the odds curve over `seeds` re-runs per quarter. */
export type Task = { kind: 'debrief' } | { kind: 'odds'; seeds: number };
interface Job { id: number; task: Task; header: Pick<MatchHeader, 'rulesText' | 'settings' | 'seed'>; entries: StoredEntry[] }
type Reply = { id: number; ok: true; result: Debrief | OddsCurve; ms: number } | { id: number; ok: false; error: string };

/** Computes a debrief in this thread (the worker's body; also the fallback when worker threads are off). */
export function computeDebrief(header: Job['header'], entries: readonly StoredEntry[]): Debrief {
  return debriefMatch(rulesOfMatch(header), header.settings, header.seed, entries);
}

export function computeOdds(header: Job['header'], entries: readonly StoredEntry[], seeds: number): OddsCurve {
  return oddsCurve(prepare(rulesOfMatch(header), header.settings, header.seed, entries), seeds);
}

function compute(task: Task, header: Job['header'], entries: readonly StoredEntry[]): Debrief | OddsCurve {
  return task.kind === 'odds' ? computeOdds(header, entries, task.seeds) : computeDebrief(header, entries);
}

if (!isMainThread && workerData?.tag === TAG) {
  parentPort!.on('message', (job: Job) => {
    const t = performance.now();
    let reply: Reply;
    try { reply = { id: job.id, ok: true, result: compute(job.task, job.header, job.entries), ms: performance.now() - t }; } catch (err) { reply = { id: job.id, ok: false, error: err instanceof Error ? err.message : String(err) }; }
    parentPort!.postMessage(reply);
  });
}

/** One worker thread, started on first use, jobs queued in it in order; idle, it does not keep the process alive. */
export class DebriefWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private waiting = new Map<number, { resolve: (d: never) => void; reject: (e: Error) => void }>();
  /** the last job's compute time in the worker, ms */
  lastMs = 0;
  private readonly inThread: boolean;

  constructor(options: { inThread?: boolean } = {}) {
    this.inThread = options.inThread ?? process.env.DEBRIEF_WORKER === '0';
  }

  run(header: Job['header'], entries: StoredEntry[]): Promise<Debrief> {
    return this.submit<Debrief>({ kind: 'debrief' }, header, entries);
  }

  odds(header: Job['header'], entries: StoredEntry[], seeds: number): Promise<OddsCurve> {
    return this.submit<OddsCurve>({ kind: 'odds', seeds }, header, entries);
  }

  private submit<T>(task: Task, header: Job['header'], entries: StoredEntry[]): Promise<T> {
    if (this.inThread) {
      const t = performance.now();
      const result = compute(task, header, entries) as T;
      this.lastMs = performance.now() - t;
      return Promise.resolve(result);
    }
    const w = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (d: never) => void, reject });
      w.ref();
      w.postMessage({ id, task, header: { rulesText: header.rulesText, settings: header.settings, seed: header.seed }, entries } satisfies Job);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL(import.meta.url), { workerData: { tag: TAG }, execArgv: workerExecArgv() });
    w.unref();
    w.on('message', (r: Reply) => {
      const job = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (!this.waiting.size) w.unref();
      if (!job) return;
      if (r.ok) { this.lastMs = r.ms; job.resolve(r.result as never); } else job.reject(new Error(r.error));
    });
    w.on('error', (err) => this.fail(err));
    w.on('exit', (code) => { if (this.worker === w) this.worker = null; if (code !== 0) this.fail(new Error(`the debrief worker stopped (exit ${code})`)); });
    this.worker = w;
    return w;
  }

  private fail(err: Error): void {
    for (const job of this.waiting.values()) job.reject(err);
    this.waiting.clear();
    this.worker = null;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
