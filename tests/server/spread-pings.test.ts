// The transport's keep-alive pings go out a slice at a time over the interval, not to every socket in one loop,
// and a socket that stops answering is still cut after the same number of missed pongs.
import { describe, it, expect, afterEach } from 'vitest';
import { SpreadPingTransport, PING_SLICE_MS } from '../../server/spread-pings.ts';

interface FakeSocket { readyState: number; pingCount: number; pings: number[]; terminated: boolean; ping(): void; terminate(): void }

/** A socket as the transport sees it; one that answers resets its count, as Colyseus's pong handler does. */
function socket(answers: boolean, pings: number[][], i: number): FakeSocket {
  const s: FakeSocket = {
    readyState: 1, pingCount: 0, pings: [], terminated: false,
    ping() { s.pings.push(performance.now()); pings[i] = s.pings; if (answers) queueMicrotask(() => { s.pingCount = 0; }); },
    terminate() { s.terminated = true; s.readyState = 3; },
  };
  return s;
}

/** The transport's socket set and its (protected) ping loop, opened up for the test. */
type Opened = { wss: { clients: Set<unknown> }; pingInterval: NodeJS.Timeout; autoTerminateUnresponsiveClients(interval: number, retries: number): void };

let transport: SpreadPingTransport | null = null;
afterEach(() => {
  if (transport) clearInterval((transport as unknown as Opened).pingInterval);
  transport = null;
});

describe('spread keep-alive pings', () => {
  it('pings each socket once per interval, a share of them every slice', async () => {
    transport = new SpreadPingTransport({ noServer: true });
    const opened = transport as unknown as Opened;
    const pings: number[][] = [];
    const sockets = Array.from({ length: 40 }, (_, i) => socket(true, pings, i));
    for (const s of sockets) opened.wss.clients.add(s);
    const interval = PING_SLICE_MS * 4;
    const start = performance.now();
    opened.autoTerminateUnresponsiveClients(interval, 2);
    await new Promise((r) => setTimeout(r, interval * 2 + PING_SLICE_MS));
    clearInterval(opened.pingInterval);
    // every socket had its ping in each of the two rounds, and none was cut
    for (const s of sockets) {
      expect(s.pings.length).toBeGreaterThanOrEqual(2);
      expect(s.terminated).toBe(false);
    }
    // the first round's pings left at four different moments, ten sockets each, not forty at once
    const firstRound = sockets.map((s) => Math.floor((s.pings[0] - start) / PING_SLICE_MS));
    const bySlice = new Map<number, number>();
    for (const slot of firstRound) bySlice.set(slot, (bySlice.get(slot) ?? 0) + 1);
    expect(bySlice.size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...bySlice.values())).toBeLessThanOrEqual(20);
  });

  it('cuts a socket that missed its pongs, and only that one', async () => {
    transport = new SpreadPingTransport({ noServer: true });
    const opened = transport as unknown as Opened;
    const pings: number[][] = [];
    const silent = socket(false, pings, 0);
    const answering = socket(true, pings, 1);
    opened.wss.clients.add(silent);
    opened.wss.clients.add(answering);
    opened.autoTerminateUnresponsiveClients(PING_SLICE_MS * 2, 2);
    // two pings unanswered, then the third round cuts it
    await new Promise((r) => setTimeout(r, PING_SLICE_MS * 2 * 3 + PING_SLICE_MS * 2));
    expect(silent.terminated).toBe(true);
    expect(silent.pings.length).toBe(2);
    expect(answering.terminated).toBe(false);
    expect(answering.pings.length).toBeGreaterThanOrEqual(3);
  });
});
