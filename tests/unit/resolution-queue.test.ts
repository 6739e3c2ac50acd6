// The process's resolution queue: many rooms' heavy moments run in order, a few milliseconds per event-loop turn.
import { describe, it, expect } from 'vitest';
import { ResolutionQueue } from '../../server/resolution-queue.ts';

/** Holds the thread for ms, as a quarter's resolution or a room's projection does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* working */ }
}

describe('the resolution queue', () => {
  it('yields to the event loop between matches once a turn has used its budget', async () => {
    // no catch-up (its limit is the budget): every turn stops at 4 ms
    const queue = new ResolutionQueue(4, undefined, 4);
    const order: string[] = [];
    // a timer due at once stands for everything else the process has to do (sockets, other rooms' timers)
    let ticks = 0;
    const ticker = setInterval(() => { ticks++; }, 0);
    const seen: number[] = [];
    const done = Array.from({ length: 6 }, (_, i) => queue.run(() => { seen.push(ticks); order.push(`match ${i}`); busy(5); return i; }));
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4, 5]);
    clearInterval(ticker);
    expect(order).toEqual(['match 0', 'match 1', 'match 2', 'match 3', 'match 4', 'match 5']);
    // each 5 ms resolution had a turn of its own, and the timer ran between every two of them
    expect(queue.turns).toBe(6);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    // no turn held the loop much longer than one task
    expect(queue.longestTurnMs).toBeLessThan(50);
  });

  it('runs cheap work together in one turn, and nothing before the current turn ends', async () => {
    const queue = new ResolutionQueue(4);
    let ran = 0;
    const done = Array.from({ length: 100 }, () => queue.run(() => { ran++; }));
    expect(ran).toBe(0);
    await Promise.all(done);
    expect(ran).toBe(100);
    expect(queue.turns).toBeLessThanOrEqual(2);
  });

  it('takes longer turns while it is behind, never more than its catch-up limit', async () => {
    let clock = 0;
    const queue = new ResolutionQueue(4, () => clock, 16);
    // forty 1 ms tasks queued at once, then the loop is held 200 ms elsewhere before the first turn (a GC pause)
    const done = Array.from({ length: 40 }, () => queue.run(() => { clock += 1; }));
    clock += 200;
    await Promise.all(done);
    // 16 ms turns while the oldest task has waited 64 ms or more (a quarter of the wait), not 4 ms ones
    expect(queue.turns).toBe(3);
    expect(queue.longestTurnMs).toBe(16);
    // the last of them started 239 ms after it was queued
    expect(queue.longestWaitMs).toBe(239);
  });

  it('keeps the short budget when nothing has waited', async () => {
    let clock = 0;
    const queue = new ResolutionQueue(4, () => clock, 16);
    const done = Array.from({ length: 12 }, () => queue.run(() => { clock += 1; }));
    await Promise.all(done);
    expect(queue.longestTurnMs).toBeLessThanOrEqual(8);
    expect(queue.turns).toBeGreaterThanOrEqual(2);
  });

  it('hands an error back to its room and goes on with the others', async () => {
    const queue = new ResolutionQueue(4);
    const failing = queue.run(() => { throw new Error('this match could not resolve'); });
    const next = queue.run(() => 'the next match');
    let pushed = false;
    queue.push(() => { throw new Error('nobody waits on this'); });
    queue.push(() => { pushed = true; });
    await expect(failing).rejects.toThrow('could not resolve');
    expect(await next).toBe('the next match');
    await new Promise((r) => setImmediate(r));
    expect(pushed).toBe(true);
    expect(queue.waiting).toBe(0);
  });
});
