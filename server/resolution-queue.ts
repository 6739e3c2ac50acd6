// One queue per process for the rooms' heavy moments (a quarter's resolution, a room's projection and patch):
// run in order, a few milliseconds' worth per event-loop turn, so a burst of rooms never holds the loop for long.

/** Milliseconds of queued work one event-loop turn may run before it yields (a task already started finishes). */
export const TURN_BUDGET_MS = 4;
/**
 * A queue that has fallen behind may take longer turns, up to this: a quarter of how long its oldest task has
 * waited. Everything else the process does runs between turns unbudgeted, so at a 4 ms share a backlog of a
 * thousand rooms (a burst after a GC pause, while sockets keep the rest of each turn busy) took seconds to clear.
 */
export const CATCH_UP_MS = 16;

export class ResolutionQueue {
  private tasks: (() => void)[] = [];
  /** when each task was queued, beside it: how long the oldest waited is the latency the queue adds */
  private queuedAt: number[] = [];
  private head = 0;
  private scheduled = false;
  /** the longest one turn held the loop (ms), and how many turns ran: what the load test and the tests read */
  longestTurnMs = 0;
  /** the same in this thread's CPU time: on a busy machine the wall clock also counts time the process waited for a core */
  longestTurnCpuMs = 0;
  turns = 0;
  /** the longest a task waited between being queued and starting (ms) */
  longestWaitMs = 0;

  readonly budgetMs: number;
  readonly catchUpMs: number;
  private readonly now: () => number;

  constructor(budgetMs = TURN_BUDGET_MS, now: () => number = () => performance.now(), catchUpMs = CATCH_UP_MS) {
    this.budgetMs = budgetMs;
    this.now = now;
    this.catchUpMs = Math.max(budgetMs, catchUpMs);
  }

  /** Runs fn in a later turn, in order with every other room's; its result (or error) comes back by the promise. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push(() => {
        try { resolve(fn()); } catch (err) { reject(err); }
      });
    });
  }

  /** Like run, for work nobody waits on (a task must catch its own errors: one that throws is dropped, the rest run). */
  push(task: () => void): void {
    this.tasks.push(task);
    this.queuedAt.push(this.now());
    if (!this.scheduled) { this.scheduled = true; setImmediate(this.drain); }
  }

  get waiting(): number { return this.tasks.length - this.head; }

  private readonly drain = (): void => {
    const start = this.now();
    const cpuStart = threadCpuMicros();
    this.turns++;
    const behind = start - this.queuedAt[this.head];
    const budget = Math.min(this.catchUpMs, Math.max(this.budgetMs, behind / 4));
    // at least one task a turn, then as many as fit in this turn's budget; I/O and timers run between turns
    do {
      const task = this.tasks[this.head];
      const waited = this.now() - this.queuedAt[this.head];
      if (waited > this.longestWaitMs) this.longestWaitMs = waited;
      this.tasks[this.head++] = noop;
      try { task(); } catch { /* the task's own; the others still run */ }
    } while (this.head < this.tasks.length && this.now() - start < budget);
    this.longestTurnMs = Math.max(this.longestTurnMs, this.now() - start);
    this.longestTurnCpuMs = Math.max(this.longestTurnCpuMs, (threadCpuMicros() - cpuStart) / 1000);
    if (this.head === this.tasks.length) { this.tasks = []; this.queuedAt = []; this.head = 0; }
    else if (this.head > 1024) { this.tasks = this.tasks.slice(this.head); this.queuedAt = this.queuedAt.slice(this.head); this.head = 0; }
    if (this.head < this.tasks.length) setImmediate(this.drain);
    else this.scheduled = false;
  };
}

const noop = () => undefined;

/** This thread's CPU time (µs), where Node has it (process.threadCpuUsage: Node 23.9 and later). */
const threadCpu = (process as unknown as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
function threadCpuMicros(): number {
  if (!threadCpu) return 0;
  const u = threadCpu.call(process);
  return u.user + u.system;
}

/** The process's queue: every room of this process shares it, so their bursts take turns. */
export const resolutions = new ResolutionQueue();
