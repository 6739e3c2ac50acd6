// The WebSocket transport with its keep-alive pings spread over the interval. Colyseus pings every socket in one
// loop each interval: at 5,000 sockets that loop and the pongs that answer it held the event loop 100+ ms every 3 s.
import { WebSocketTransport } from '@colyseus/ws-transport';

/** How often a slice of the sockets is pinged: each socket still once per interval, a share of them every 50 ms. */
export const PING_SLICE_MS = 50;

interface PingedSocket {
  readyState: number;
  pingCount: number;
  ping(data?: unknown, mask?: boolean, cb?: (err?: Error) => void): void;
  terminate(): void;
}

const OPEN = 1;
const noop = () => undefined;

export class SpreadPingTransport extends WebSocketTransport {
  /** Same rule as Colyseus's (a socket that missed pingMaxRetries pongs is cut), the work a slice at a time. */
  protected override autoTerminateUnresponsiveClients(pingInterval: number, pingMaxRetries: number): void {
    const slices = Math.max(1, Math.round(pingInterval / PING_SLICE_MS));
    let round: PingedSocket[] = [];
    let next = 0;
    let slice = 0;
    this.pingInterval = setInterval(() => {
      // one round is the sockets open when it began; a socket that joins mid-round waits for the next
      if (slice === 0) { round = Array.from(this.wss.clients) as unknown as PingedSocket[]; next = 0; }
      const end = Math.ceil((round.length * (slice + 1)) / slices);
      for (; next < end; next++) {
        const socket = round[next];
        if (socket.readyState !== OPEN) continue;
        if (socket.pingCount >= pingMaxRetries) { socket.terminate(); continue; }
        socket.pingCount++;
        socket.ping(noop);
      }
      slice = (slice + 1) % slices;
    }, pingInterval / slices);
    this.pingInterval.unref();
  }
}
