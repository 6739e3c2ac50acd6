// Loaded into the load test's server child (node --import): the server's own event-loop delay, JS heap and resolution
// queue, one line a second on stdout ("loadtest-probe {json}"); SIGUSR2 starts the measured window afresh.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';

interface Queue { longestTurnMs: number; longestTurnCpuMs: number; longestWaitMs?: number; turns: number; waiting: number }
// worker threads (the store's checkpointer, rule checks) inherit --import: only the main thread reports
if (isMainThread) await start();

async function start(): Promise<void> {
  // the server's own queue (the same module instance); a server from before it existed has none
  const queue: Queue | null = await import('../server/resolution-queue.ts').then((m) => m.resolutions as Queue, () => null);

  // 1 ms resolution: a stall of a few ms is what this looks for
  const whole = monitorEventLoopDelay({ resolution: 1 });
  const second = monitorEventLoopDelay({ resolution: 1 });
  whole.enable();
  second.enable();
  // garbage collection: its pauses hold the loop too, so a stall can be told from one
  const gc = { secondMaxMs: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { gc.secondMaxMs = Math.max(gc.secondMaxMs, e.duration); gc.maxMs = Math.max(gc.maxMs, e.duration); gc.totalMs += e.duration; }
  }).observe({ entryTypes: ['gc'] });
  let queueDeepest = 0;
  let secondDeepest = 0;
  let queueTurnsAt = 0;
  process.on('SIGUSR2', () => {
    whole.reset();
    gc.maxMs = 0;
    gc.totalMs = 0;
    queueDeepest = 0;
    if (queue) { queue.longestTurnMs = 0; queue.longestTurnCpuMs = 0; queue.longestWaitMs = 0; queueTurnsAt = queue.turns; }
  });
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const depth = setInterval(() => { if (queue) { secondDeepest = Math.max(secondDeepest, queue.waiting); queueDeepest = Math.max(queueDeepest, secondDeepest); } }, 5);
  depth.unref();
  const report = setInterval(() => {
    // the heap only (process.memoryUsage() also reads RSS from the kernel: the parent samples /proc for that)
    const heap = getHeapStatistics().used_heap_size;
    const line = {
      at: Date.now(),
      secondMaxMs: ms(second.max),
      p50Ms: ms(whole.percentile(50)), p99Ms: ms(whole.percentile(99)), maxMs: ms(whole.max),
      heapMB: Math.round(heap / 1048576),
      gc: { secondMaxMs: Math.round(gc.secondMaxMs * 10) / 10, maxMs: Math.round(gc.maxMs * 10) / 10, totalMs: Math.round(gc.totalMs) },
      queue: queue ? { longestTurnMs: Math.round(queue.longestTurnMs * 100) / 100, longestTurnCpuMs: Math.round(queue.longestTurnCpuMs * 100) / 100, longestWaitMs: Math.round((queue.longestWaitMs ?? 0) * 10) / 10, turns: queue.turns - queueTurnsAt, deepest: queueDeepest, secondDeepest } : null,
    };
    second.reset();
    secondDeepest = 0;
    gc.secondMaxMs = 0;
    process.stdout.write(`loadtest-probe ${JSON.stringify(line)}\n`);
  }, 1000);
  report.unref();
}
