// The one live connection to a match room: joining by code, the seat token, reconnection (also after a server restart).
import { Client, type Room } from '@colyseus/sdk';
import { api, ApiError, normaliseCode, type MatchInfo } from './api.ts';
import { buildSnapshot } from './snapshot.ts';
import type { Snapshot, Welcome, ServerError, ServerOk } from './types.ts';
import { joinRefusalCode } from '../../shared/protocol/errors.ts';
import type { ClientMessageType, ClientPayload } from '../../shared/protocol/messages.ts';

export type Identity =
  | { kind: 'player'; name?: string; role?: string }
  | { kind: 'spectator' }
  | { kind: 'facilitator'; key: string };

export type ConnectionStatus =
  /** joining for the first time */
  | 'connecting'
  | 'connected'
  /** the connection dropped; trying to get the same seat back */
  | 'reconnecting'
  /** the facilitator removed this person */
  | 'removed'
  /** the match is over and its room is gone: read the record */
  | 'finished'
  /** the join was refused (see lastError) */
  | 'refused';

export interface ActionResult { ok: boolean; message?: string; details?: string[]; warnings?: string[] }

interface StoredSeat { token: string; name: string; role: string | null }

const seatKey = (code: string) => `w2028.seat.${code}`;
const keyKey = (code: string) => `w2028.facilitator.${code}`;

/** Seat tokens and facilitator keys, kept per join code in this browser so a reload or a restart finds the seat again. */
export const seats = {
  get(code: string): StoredSeat | null {
    try { return JSON.parse(localStorage.getItem(seatKey(normaliseCode(code))) ?? 'null'); } catch { return null; }
  },
  set(code: string, seat: StoredSeat) { localStorage.setItem(seatKey(normaliseCode(code)), JSON.stringify(seat)); },
  forget(code: string) { localStorage.removeItem(seatKey(normaliseCode(code))); },
  facilitatorKey(code: string): string | null { return localStorage.getItem(keyKey(normaliseCode(code))); },
  setFacilitatorKey(code: string, key: string) { localStorage.setItem(keyKey(normaliseCode(code)), key); },
  /** This browser's device token, made once: a facilitator's removal sticks to it (a new name does not get back in). */
  device(): string {
    let d = localStorage.getItem('w2028.device');
    if (!d) {
      const bytes = crypto.getRandomValues(new Uint8Array(18));
      d = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem('w2028.device', d);
    }
    return d;
  },
};

type Listener<T> = (value: T) => void;

export class Signal<T> {
  private fns = new Set<Listener<T>>();
  on(fn: Listener<T>): () => void { this.fns.add(fn); return () => this.fns.delete(fn); }
  emit(v: T) { for (const fn of [...this.fns]) fn(v); }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MatchSession {
  readonly code: string;
  identity: Identity;
  status: ConnectionStatus = 'connecting';
  welcome: Welcome | null = null;
  snapshot: Snapshot | null = null;
  lastError: { status: number; message: string } | null = null;
  /** reconnection attempts since the connection dropped, for the banner */
  attempts = 0;

  readonly onState = new Signal<Snapshot>();
  readonly onStatus = new Signal<ConnectionStatus>();
  readonly onWelcome = new Signal<Welcome>();
  readonly onServerError = new Signal<ServerError>();
  readonly onServerOk = new Signal<ServerOk>();

  private client = new Client(location.origin);
  private room: Room | null = null;
  private closed = false;
  private rejoining = false;

  constructor(code: string, identity: Identity) {
    this.code = normaliseCode(code);
    this.identity = identity;
  }

  /** Joins the match; rejects with an ApiError (status, message) when the server refuses. */
  async start(known?: MatchInfo): Promise<void> {
    this.setStatus('connecting');
    await this.join(known);
  }

  private joinOptions(): Record<string, unknown> {
    const id = this.identity;
    if (id.kind === 'facilitator') return { facilitatorKey: id.key };
    if (id.kind === 'spectator') return { spectator: true };
    const seat = seats.get(this.code);
    if (seat) return { seatToken: seat.token };
    if (!id.name) throw new ApiError(400, 'a name is needed to join');
    return { name: id.name, device: seats.device(), ...(id.role ? { role: id.role } : {}) };
  }

  /** `known`: the match as just looked up (saves a round trip on the first join; rejoins always look again). */
  private async join(known?: MatchInfo): Promise<void> {
    const info = known ?? await api.match(this.code);
    if (info.status === 'finished' || !info.roomId) {
      this.setStatus('finished');
      return;
    }
    const options = this.joinOptions();
    let room: Room;
    try {
      room = await this.client.joinById(info.roomId, options);
    } catch (err) {
      const e = err as { code?: number; message?: string };
      const status = typeof e.code === 'number' ? e.code : 0;
      const message = e.message ?? 'could not join';
      if (status === 403 && options.seatToken) {
        if (joinRefusalCode(message) === 'removed') { this.lastError = { status, message }; this.setStatus('removed'); throw new ApiError(status, message); }
        seats.forget(this.code); // a token from another match or an old database: join afresh
      }
      if (joinRefusalCode(message) === 'match-over') { this.setStatus('finished'); return; }
      this.lastError = { status, message };
      throw new ApiError(status, message);
    }
    this.attach(room);
  }

  private attach(room: Room): void {
    this.room = room;
    this.attempts = 0;
    room.onMessage('welcome', (w: Welcome) => {
      this.welcome = w;
      if (this.identity.kind === 'player' && w.seatToken) seats.set(this.code, { token: w.seatToken, name: w.name, role: w.role });
      else if (this.identity.kind === 'player') {
        const old = seats.get(this.code);
        if (old) seats.set(this.code, { ...old, name: w.name, role: w.role });
      }
      this.onWelcome.emit(w);
      this.setStatus('connected');
    });
    room.onMessage('ok', (m: ServerOk) => this.onServerOk.emit(m));
    room.onMessage('error', (m: ServerError) => this.onServerError.emit(m));
    room.onStateChange((state: unknown) => {
      this.snapshot = buildSnapshot(state, this.snapshot);
      this.onState.emit(this.snapshot);
    });
    room.onDrop(() => {
      if (this.room !== room) return;
      this.setStatus('reconnecting');
      void this.watchDrop(room);
    });
    room.onReconnect(() => {
      if (this.room !== room) return;
      this.attempts = 0;
      this.setStatus('connected');
    });
    room.onLeave((code: number) => {
      if (this.room !== room || this.closed) return;
      if (code === 4003) { this.setStatus('removed'); return; }
      void this.rejoin();
    });
  }

  /** While the SDK retries, check whether the room still exists; after a restart it has a new id. */
  private async watchDrop(room: Room): Promise<void> {
    const started = Date.now();
    while (this.room === room && this.status === 'reconnecting' && !this.closed) {
      await sleep(1500);
      if (this.room !== room || this.status !== 'reconnecting') return;
      try {
        const info = await api.match(this.code);
        if (info.roomId !== room.roomId || Date.now() - started > 10_000) {
          room.reconnection.enabled = false;
          room.removeAllListeners();
          this.room = null;
          void this.rejoin();
          return;
        }
      } catch { /* the server is down: keep waiting */ }
    }
  }

  /** Joins again with the seat token (or key) until it works: after a server restart or a failed reconnection. */
  private async rejoin(): Promise<void> {
    if (this.rejoining || this.closed) return;
    this.rejoining = true;
    this.setStatus('reconnecting');
    try {
      for (this.attempts = 1; !this.closed; this.attempts++) {
        this.onStatus.emit(this.status);
        try {
          await this.join();
          return;
        } catch (err) {
          const status = (err as ApiError).status ?? 0;
          // refusals other than "not reachable / no room yet" will not change by retrying
          if (status === 403 || status === 400 || status === 409) { this.setStatus(this.status === 'removed' ? 'removed' : 'refused'); return; }
        }
        await sleep(Math.min(5000, 800 * this.attempts));
      }
    } finally {
      this.rejoining = false;
    }
  }

  private setStatus(s: ConnectionStatus) {
    this.status = s;
    this.onStatus.emit(s);
  }

  /** Sends a message and resolves with the server's decision (never throws). */
  async act<T extends ClientMessageType>(type: T, payload: ClientPayload<T>): Promise<ActionResult> {
    const room = this.room;
    if (!room || this.status !== 'connected') return { ok: false, message: 'not connected to the match; reconnecting…' };
    try {
      const r = (await room.request(type as never, payload as never)) as { ok: boolean; warnings?: string[] } | undefined;
      return { ok: true, warnings: r?.warnings };
    } catch (err) {
      const reason = (err as { reason?: { message?: string; details?: string[] } }).reason;
      if (reason) return { ok: false, message: reason.message, details: reason.details };
      return { ok: false, message: (err as Error).message || 'the server did not answer' };
    }
  }

  /** Fire-and-forget (drafts while typing): the answer comes as an ok/error message. */
  send(type: string, payload: unknown): void {
    this.room?.send(type as never, payload as never);
  }

  async close(): Promise<void> {
    this.closed = true;
    const room = this.room;
    this.room = null;
    if (room) await room.leave(true).catch(() => undefined);
  }
}
