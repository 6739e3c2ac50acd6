// Which room holds a match, found or opened atomically: every ask by code, on any process, gets the one room there is.
// A process opens a room only after it took the match's claim (claim.ts); the room then takes the store's fence.
import { matchMaker } from '@colyseus/core';
import type { Logger } from '../log.ts';
import type { MatchHeader, MatchStore } from '../store/types.ts';
import type { Claims } from './claim.ts';
import { parseHolder } from './claim.ts';

/** What a room tells the cluster (MatchRoom calls these). */
export interface RoomCluster {
  /** the room closed: its claim is let go (if it is still this process's) */
  disposed(matchId: string, roomId: string): void;
  /** an append of this room was refused by fencing: another process holds the match now */
  fenced(matchId: string): void;
}

/** A room this process opened: closed when a newer holder took it over, ended when it expires. */
interface Closable { claimLost(reason: string): void; expire(reason: string): Promise<void> }

export class NoRoomError extends Error {
  readonly status = 503;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MatchRooms implements RoomCluster {
  /** claims this process holds: match id → the claim's value and its room (null while opening) */
  private readonly held = new Map<string, { raw: string; roomId: string | null; code: string }>();
  /** asks in flight on this process, so concurrent asks for one match share one answer */
  private readonly asking = new Map<string, Promise<string>>();
  private renewing: ReturnType<typeof setInterval> | null = null;
  /** appends refused by fencing since start (rooms that found themselves replaced) */
  fencedAppends = 0;
  /** claims lost to another process since start */
  claimsLost = 0;

  readonly claims: Claims;
  private readonly store: MatchStore;
  private readonly logger: Logger;
  private readonly internalToken: string;
  private readonly leaseMs: number;

  constructor(claims: Claims, store: MatchStore, logger: Logger, internalToken: string, leaseMs: number) {
    this.claims = claims;
    this.store = store;
    this.logger = logger;
    this.internalToken = internalToken;
    this.leaseMs = leaseMs;
  }

  /** Starts renewing this process's leases (a third of the lease, so two renewals may fail before it lapses). */
  start(): void {
    this.renewing = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.renewing.unref();
  }

  /** The codes of the matches whose rooms are open here (what /healthz lists, so a sampler can count rooms per match). */
  localMatches(): string[] {
    return [...this.held.values()].filter((h) => h.roomId && matchMaker.getLocalRoomById(h.roomId)).map((h) => h.code);
  }

  /** The room holding a match: found wherever it is, or opened here from the store. Concurrent asks all get the same one. */
  roomFor(header: MatchHeader): Promise<string> {
    const inFlight = this.asking.get(header.id);
    if (inFlight) return inFlight;
    const ask = this.find(header).finally(() => this.asking.delete(header.id));
    this.asking.set(header.id, ask);
    return ask;
  }

  /** Whether a live room (anywhere) holds the match, without opening one. */
  async liveHolder(matchId: string): Promise<string | null> {
    const h = await this.claims.holder(matchId);
    if (!h?.roomId) return null;
    if (h.processId === matchMaker.processId) return matchMaker.getLocalRoomById(h.roomId) ? h.roomId : null;
    return (await this.claims.isAlive(h.processId)) ? h.roomId : null;
  }

  private async find(header: MatchHeader): Promise<string> {
    const me = matchMaker.processId;
    // long enough for a paused holder's lease to lapse, and for another process to finish opening
    const giveUp = Date.now() + this.leaseMs * 2 + 5000;
    for (;;) {
      const h = await this.claims.holder(header.id);
      if (h) {
        if (h.processId === me) {
          if (h.roomId && matchMaker.getLocalRoomById(h.roomId)) return h.roomId;
          if (!this.held.has(header.id)) {
            // a claim of this process with no room behind it (the room closed as its claim was renewed): let it go
            await this.claims.release(header.id, h.raw);
            continue;
          }
        } else if (!(await this.claims.isAlive(h.processId))) {
          // its process died (SIGKILL closes its Redis connections at once): only one asker's release matches
          this.logger.info({ match: header.code, process: h.processId }, 'the process holding the match is gone: taking it over');
          await this.claims.release(header.id, h.raw);
          continue;
        } else if (h.roomId) return h.roomId;
        // being opened by another process (or a paused one whose lease has not lapsed yet): wait for it
      } else if (await this.claims.take(header.id, me, null)) {
        return this.open(header);
      }
      if (Date.now() > giveUp) throw new NoRoomError(`match ${header.code}: no process opened its room in time`);
      await sleep(50);
    }
  }

  private async open(header: MatchHeader): Promise<string> {
    const me = matchMaker.processId;
    const pending = { raw: `${me} -`, roomId: null as string | null, code: header.code };
    this.held.set(header.id, pending);
    let roomId: string;
    try {
      // always here, on the process holding the claim: never Colyseus's remote create, which creates
      // locally as well when the chosen process is slow to answer
      const room = await matchMaker.handleCreateRoom('match', { matchId: header.id, internal: this.internalToken });
      roomId = room.roomId;
    } catch (err) {
      this.held.delete(header.id);
      await this.claims.release(header.id, pending.raw).catch(() => undefined);
      throw err;
    }
    const raw = `${me} ${roomId}`;
    this.held.set(header.id, { raw, roomId, code: header.code });
    if (!(await this.claims.setRoom(header.id, me, roomId))) {
      this.lost(header.id, 'the claim lapsed while the room opened');
      throw new NoRoomError(`match ${header.code}: another process took it while it opened here`);
    }
    return roomId;
  }

  private async renew(): Promise<void> {
    const held = [...this.held].map(([matchId, h]) => ({ matchId, raw: h.raw }));
    let results;
    try {
      results = await this.claims.renew(held);
    } catch {
      // Redis is down: rooms play on (the store's fence guards the log); leases are taken again when it is back
      return;
    }
    results.forEach((r, i) => {
      const { matchId, raw } = held[i];
      // only a claim still as it was renewed (not one whose room was set meanwhile)
      if (this.held.get(matchId)?.raw !== raw) return;
      if (r === 'retaken') this.logger.info({ match: this.held.get(matchId)?.code }, 'claim taken again (Redis lost it)');
      if (r === 'lost') this.lost(matchId, 'another process holds the match now');
    });
  }

  private lost(matchId: string, reason: string): void {
    const h = this.held.get(matchId);
    this.held.delete(matchId);
    if (!h) return;
    this.claimsLost++;
    const room = h.roomId ? (matchMaker.getLocalRoomById(h.roomId) as unknown as Closable | undefined) : undefined;
    room?.claimLost(reason);
  }

  /**
   * Ends an expired match: through its room when it is open here, under its claim and a fresh fence when no
   * process holds it; a match held by another process is left to that process's sweep. True when it was ended.
   */
  async expire(matchId: string, _code: string, reason: string): Promise<boolean> {
    const mine = this.held.get(matchId);
    const room = mine?.roomId ? (matchMaker.getLocalRoomById(mine.roomId) as unknown as Closable | undefined) : undefined;
    if (room) { await room.expire(reason); return true; }
    if (mine) return false;
    const me = matchMaker.processId;
    if (!(await this.claims.take(matchId, me, null))) {
      const h = await this.claims.holder(matchId);
      if (!h || (h.processId !== me && await this.claims.isAlive(h.processId))) return false;
      await this.claims.release(matchId, h.raw);
      if (!(await this.claims.take(matchId, me, null))) return false;
    }
    try {
      const fence = await this.store.takeFence(matchId);
      await this.store.append(matchId, { kind: 'end', reason }, { fence });
      await this.store.setStatus(matchId, 'finished');
      return true;
    } finally {
      await this.claims.release(matchId, `${me} -`).catch(() => undefined);
    }
  }

  disposed(matchId: string, roomId: string): void {
    const h = this.held.get(matchId);
    if (!h || h.roomId !== roomId) return;
    this.held.delete(matchId);
    void this.claims.release(matchId, h.raw).catch(() => undefined);
  }

  fenced(matchId: string): void {
    this.fencedAppends++;
    const h = this.held.get(matchId);
    this.held.delete(matchId);
    if (h) this.claimsLost++;
  }

  /** Lets go of every claim (a clean shutdown), so other processes take the matches over at once. */
  async close(): Promise<void> {
    if (this.renewing) clearInterval(this.renewing);
    const held = [...this.held];
    this.held.clear();
    await Promise.all(held.map(([matchId, h]) => this.claims.release(matchId, h.raw).catch(() => undefined)));
  }
}

export { parseHolder };
