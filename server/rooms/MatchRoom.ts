// The Colyseus room of one match, an adapter: transport, who is who, persistence, views, and the next deadline.
// Every rule of who may do what when is in shared/match (decide); every change is applied there (apply).
import { Room, type Client, ServerError } from '@colyseus/core';
import type { AuthContext, MessageContext } from '@colyseus/core';
import { clientMessages, type ClientAction, type ClientMessageType, type ServerMessages } from '../../shared/protocol/messages.ts';
import { CLOSE_CODES, joinRefusalMessage } from '../../shared/protocol/errors.ts';
import type { MatchRoomStateT } from '../../shared/protocol/state.ts';
import { apply } from '../../shared/match/apply.ts';
import { decide, consequences, phaseTimer, deadlinePassed, whenDone, type Actor, type Refusal } from '../../shared/match/decide.ts';
import { botPlays, finished, newMatch, type Match } from '../../shared/match/match.ts';
import type { LogEntry } from '../../shared/match/log.ts';
import type { MatchHeader } from '../store/types.ts';
import type { ServerContext } from '../context.ts';
import { rulesOfMatch, sharedRulesText } from '../match-rules.ts';
import { createRoomState, metadataOf, project, type MatchRoomMetadata } from './project.ts';
import { admit, type RoomCounts } from './admit.ts';
import { Connections, type Who } from './connections.ts';
import { withSharedEncodeBuffer, shareFullStateBuffer } from './encode-buffer.ts';
import { guardFrames } from './frames.ts';
import { AgentSeats, type AgentReply, type AgentRequest, type SeatPort } from './agent-seats.ts';
import { refereeAtDeadline } from '../../shared/match/referee.ts';
import { resolutions } from '../resolution-queue.ts';

export type { Who } from './connections.ts';

/** Longest a patch waits for the room's changes under way (a room that never pauses still sends this often). */
const FLUSH_HOLD_MS = 25;

export type { MatchRoomMetadata } from './project.ts';

type Answer = { ok: true; warnings?: string[] } | ({ ok: false } & Refusal);

/** The room class for these services (store, logger, limits): Colyseus builds rooms itself, so they come with the class. */
export function matchRoomWith(services: ServerContext): typeof MatchRoom {
  return class extends MatchRoom { override readonly services = services; };
}

export class MatchRoom extends Room<{ state: MatchRoomStateT; metadata: MatchRoomMetadata }> {
  readonly services!: ServerContext;
  match!: Match;
  private header!: MatchHeader;
  private queue: Promise<unknown> = Promise.resolve();
  private deadline: ReturnType<typeof setTimeout> | null = null;
  private connections!: Connections;
  private botSignature = '';
  /** the store's fencing number this room took when it opened: its appends are refused once a newer holder takes one */
  private fence = 0;
  /** set once another process holds the match: nothing more is written, and the room closes */
  private replaced: string | null = null;
  private readonly agents = new AgentSeats();

  async onCreate(options: { matchId: string; internal?: string }) {
    const { store, limits, logger, internalToken } = this.services;
    // only the server opens match rooms (from the API or on restart); a client's matchmaking request cannot
    if (options?.internal !== internalToken) throw new ServerError(403, 'matches are created through POST /api/matches');
    // rooms are found by join code through the API, never by the matchmaker's join-or-create
    await this.setPrivate(true);
    // this process holds the match's claim (server/cluster/rooms.ts opens rooms only then); the fence, taken
    // before the log is read, makes the store refuse any later append of a room that held the match before
    try { this.fence = await store.takeFence(options.matchId); } catch { throw new ServerError(404, `no match ${options.matchId}`); }
    const loaded = await store.load(options.matchId);
    if (!loaded) throw new ServerError(404, `no match ${options.matchId}`);
    // the header stays for the room's life: its rule file's text is the copy shared with the other rooms
    this.header = { ...loaded.header, rulesText: sharedRulesText(loaded.header.rulesText) };
    let rules;
    try { rules = rulesOfMatch(loaded.header); } catch { throw new ServerError(500, `match ${loaded.header.code}: its rule file no longer loads`); }
    this.match = newMatch(loaded.header.settings, rules, loaded.header.seed, { history: false });
    for (const stored of loaded.entries) apply(this.match, stored);
    this.connections = new Connections(this.match, Date.now());
    // the one-second tick doubles as the room clock; set before patchRate, or Colyseus runs its own 60 Hz clock per room
    this.setTimestep(() => { if (this.clockMatters()) void this.enqueue(() => this.tick()).catch((err: Error) => this.failed('tick', err)); }, 1000);
    // patches go out when something changed (flushSoon), not on a timer
    this.patchRate = null;
    this.autoDispose = finished(this.match);
    this.setState(createRoomState(this.header, this.match));
    shareFullStateBuffer(this);
    if (loaded.entries.length) logger.info({ match: this.header.code, entries: loaded.entries.length, turn: this.match.state.turn, phase: this.match.phase }, 'match restored from its log');
    // a log from before timers were logged (or cut between a phase and its timer) gives the phase its full time
    if (!this.match.timer.endsAt && !this.match.timer.remaining) await this.commitAll(phaseTimer(this.match, Date.now()));
    this.scheduleDeadline();
    for (const type of Object.keys(clientMessages) as ClientMessageType[]) {
      this.onMessage(type, (client: Client, payload: unknown, ctx: MessageContext) => this.receive(type, client, payload, ctx));
    }
    this.onMessage('*', (client: Client, type: string | number) => this.answer(client, String(type), { ok: false, code: 'unknown-type', message: `unknown message type "${String(type)}"; the types are ${Object.keys(clientMessages).join(', ')}` }));
    guardFrames(this, limits, (who) => this.connections.takeToken(who, limits, Date.now()), (client, type, refusal) => this.answer(client, type, { ok: false, ...refusal }));
    // the metadata (code, match id) is what the API looks rooms up by: set it before anyone can ask
    await this.updateMetadata();
    this.flushSoon();
  }

  // ---- joining ----------------------------------------------------------------------------

  /** Before a connection joins: its address (by TRUST_PROXY), which may hold CONNECTIONS_PER_IP and make JOINS_PER_MINUTE_PER_IP. */
  async onAuth(client: Client, _options: unknown, context: AuthContext) {
    const addresses = this.services.addresses;
    if (!addresses) return { address: undefined };
    const address = addresses.of(client, context.headers.get('x-forwarded-for'), context.ip);
    const refused = await addresses.join(address);
    if (refused) {
      this.services.logger.warn({ match: this.header.code, status: refused.status, code: refused.code, address }, 'join refused');
      throw new ServerError(refused.status, joinRefusalMessage(refused.code, refused.text));
    }
    return { address };
  }

  private counts(): RoomCounts {
    const { peoplePerMatch, connectionsPerSeat, facilitatorConnections } = this.services.limits;
    const watchers = this.clients.filter((c) => (c.userData as Who | undefined)?.seat === 'watcher').length;
    return { peoplePerMatch, connectionsPerSeat, facilitatorConnections, facilitators: this.connections.facilitators.size, watchers, openFor: (personId) => this.connections.openFor(personId) };
  }

  async onJoin(client: Client, rawOptions: unknown) {
    const admitted = await this.enqueue(async () => {
      const a = admit(this.header, this.match, rawOptions, this.counts());
      if ('status' in a) return a;
      if (a.entry) await this.commit(a.entry);
      const address = (client.auth as { address?: string } | undefined)?.address;
      const who: Who = { personId: a.personId, role: a.role, facilitator: a.facilitator, spectator: a.spectator, seat: a.seat, tokens: this.services.limits.messageBurst, refilledAt: Date.now(), address };
      client.userData = who;
      if (address !== undefined) this.services.addresses?.opened(client, address);
      this.connections.attach(client, this.state);
      this.connections.connected(who.personId, true, Date.now());
      this.flushSoon();
      await this.moveOnIfDone();
      return a;
    });
    if ('status' in admitted) {
      // a refusal is the joiner's mistake, not the server's: one line at warn, no stack
      this.services.logger.warn({ match: this.header.code, status: admitted.status, code: admitted.code }, 'join refused');
      throw new ServerError(admitted.status, joinRefusalMessage(admitted.code, admitted.text));
    }
    const who = admitted;
    const welcome: ServerMessages['welcome'] = { personId: who.personId ?? '', role: who.role, spectator: who.spectator, facilitator: who.facilitator, seat: who.seat, seatToken: who.seatToken, name: who.name };
    client.send('welcome', welcome);
    this.services.logger.info({ match: this.header.code, person: who.personId, role: who.role, seat: who.seat }, 'joined');
  }

  async onDrop(client: Client, code?: number) {
    const who = client.userData as Who | undefined;
    await this.left(client);
    // a flood was closed on purpose: no place is kept for a quick reconnection (the seat token still works)
    if (code === CLOSE_CODES.flood) return;
    try {
      const back = await this.allowReconnection(client, this.services.limits.reconnectSeconds);
      back.userData = who;
      if (who?.address !== undefined) this.services.addresses?.opened(back, who.address);
      this.connections.attach(back, this.state);
      await this.enqueue(() => { this.connections.connected(who?.personId ?? null, true, Date.now()); this.flushSoon(); });
    } catch {
      // gone for good; the seat stays theirs and their seat token still works
    }
  }

  async onLeave(client: Client) { await this.left(client); }

  private async left(client: Client): Promise<void> {
    const who = client.userData as Who | undefined;
    this.connections.detach(client);
    this.services.addresses?.closed(client, who?.address);
    await this.enqueue(() => { this.connections.connected(who?.personId ?? null, false, Date.now()); this.flushSoon(); });
  }

  // ---- messages ---------------------------------------------------------------------------

  private async receive(type: ClientMessageType, client: Client, payload: unknown, ctx: MessageContext) {
    const who = client.userData as Who | undefined;
    let result: Answer;
    if (!who) result = { ok: false, code: 'not-joined', message: 'you have not joined this match yet' };
    else if (!this.connections.takeToken(who, this.services.limits, Date.now())) result = { ok: false, code: 'slow-down', message: `slow down: at most ${this.services.limits.messagesPerSecond} messages a second` };
    else {
      const parsed = clientMessages[type].safeParse(payload);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`);
        // a hostile payload can raise hundreds of issues: the first ten say enough
        result = { ok: false, code: 'invalid', message: `${type}: the message is not valid`, details: details.length > 10 ? [...details.slice(0, 10), `…and ${details.length - 10} more`] : details };
      } else {
        try {
          result = await this.enqueue(() => this.act(who, { type, payload: parsed.data } as ClientAction));
        } catch (err) {
          this.services.logger.error({ match: this.header.code, type, err: (err as Error).message }, 'message failed');
          result = { ok: false, code: 'server-error', message: `${type}: the server could not apply it (${(err as Error).message})` };
        }
      }
    }
    if (ctx?.id !== undefined) return result.ok ? result : ctx.reject(result);
    this.answer(client, type, result);
    return undefined;
  }

  /** Exactly one answer per message; an accepted one follows the patch it caused, so the sender sees the new state with the ok. */
  private answer(client: Client, type: string, result: Answer): void {
    if (result.ok) client.send('ok', { type, ...(result.warnings ? { warnings: result.warnings } : {}) }, { afterNextPatch: true });
    else client.send('error', { type, code: result.code, message: result.message, ...(result.details ? { details: result.details } : {}) });
  }

  private async act(who: Who, action: ClientAction): Promise<Answer> {
    const decision = decide(this.match, who as Actor, action, Date.now(), { maxChatChars: this.services.limits.maxChatChars });
    if ('refusal' in decision) return { ok: false, ...decision.refusal };
    await this.commitAll(decision.entries);
    await this.moveOnIfDone();
    return { ok: true, ...(decision.warnings ? { warnings: decision.warnings } : {}) };
  }

  // ---- agent seats (the JSON seat API, server/http/seats.ts) ---------------------------------------

  /** One call of the agent seat API, reached with matchMaker.remoteRoomCall from whichever process got the request. */
  async agentCall(request: AgentRequest): Promise<AgentReply> {
    return this.agents.handle(request, this.seatPort());
  }

  private seatPort(): SeatPort {
    return {
      header: this.header, match: () => this.match, limits: this.services.limits,
      run: (fn) => this.enqueue(fn), commit: (e) => this.commit(e), commitAll: (e) => this.commitAll(e),
      act: (actor, action) => this.act(actor as Who, action), moveOn: () => this.moveOnIfDone(),
      presence: (personId, on) => { this.connections.connected(personId, on, Date.now()); this.flushSoon(); },
      counts: () => this.counts(),
    };
  }

  // ---- persistence and what follows a change ---------------------------------------------------

  /** changes queued or under way: a flush waits for them (briefly), so a burst of changes makes one patch, not two */
  private changing = 0;

  /** Runs changes one at a time, so each is decided against the match the previous one left. */
  private enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    this.changing++;
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined).then(() => {
      if (--this.changing === 0 && this.flushHeld) { this.flushHeld = false; this.flushSoon(); }
    });
    return run;
  }

  private async commitAll(entries: LogEntry[]): Promise<void> { for (const e of entries) await this.commit(e); }

  /** Persists an accepted change, applies it, moves connections it concerns, then commits what follows from it. */
  private async commit(entry: LogEntry): Promise<void> {
    const m = this.match;
    if (this.replaced) throw new Error(`this room no longer holds the match (${this.replaced})`);
    let stored;
    try {
      stored = await this.services.store.append(this.header.id, entry, { fence: this.fence });
    } catch (err) {
      if ((err as { code?: string }).code === 'stale-fence') {
        this.services.cluster?.fenced(this.header.id);
        this.claimLost('its append was refused by fencing');
      }
      throw err;
    }
    // a quarter's resolution takes its turn with the other rooms' (many matches resolving at once do not hold the loop)
    if (entry.kind === 'resolve') await resolutions.run(() => apply(m, stored));
    else apply(m, stored);
    if (entry.kind === 'seat') this.connections.reseat(entry.personId, this.state);
    if (entry.kind === 'remove') this.connections.closeAll(entry.personId, CLOSE_CODES.removed, 'the facilitator removed you from the match');
    await this.commitAll(consequences(m, entry, Date.now()));
    this.scheduleDeadline();
    if (finished(m) && !this.autoDispose) {
      await this.services.store.setStatus(this.header.id, 'finished');
      this.autoDispose = true;
      this.services.logger.info({ match: this.header.code, ending: m.state.ending?.id }, 'match finished');
    }
    this.flushSoon();
  }

  /** A Node timer for the phase's deadline (the room clock only ticks once a second); the log holds the deadline itself. */
  private scheduleDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
    const { endsAt } = this.match.timer;
    if (!endsAt || this.match.paused || finished(this.match)) return;
    // a Node timer may fire a millisecond before Date.now() reaches the deadline: then it is set again, not lost;
    // agent-held teams that did not submit get their draft or their bot's order first (shared/match/referee.ts)
    this.deadline = setTimeout(() => void this.enqueue(async () => {
      if (!deadlinePassed(this.match, Date.now()).length) { this.scheduleDeadline(); return; }
      await this.commitAll(refereeAtDeadline(this.match, Date.now()));
      await this.commitAll(deadlinePassed(this.match, Date.now()));
    }).catch((err: Error) => this.failed('deadline', err)), Math.max(0, endsAt - Date.now()));
  }

  private async moveOnIfDone(): Promise<void> { await this.commitAll(whenDone(this.match, Date.now())); }

  /** Each second: a team whose people have been away too long goes to its bot, and the match may move on. */
  private async tick(): Promise<void> {
    this.agents.sweep(this.seatPort(), Date.now());
    if (this.botFlags() === this.botSignature) return;
    this.flushSoon();
    await this.moveOnIfDone();
  }

  /**
   * Whether the time can change anything: a team whose people are all away and whose bot does not play yet (as the
   * last patch showed), or an agent whose presence runs out. Most rooms, every second, have neither (1,250 rooms
   * would otherwise each queue a tick a second for nothing).
   */
  private clockMatters(): boolean {
    if (this.agents.anyPresent) return true;
    const roles = this.match.rules.roles;
    for (let i = 0; i < roles.length; i++) if (this.match.teams[roles[i].id].emptySince !== null && this.botSignature[i] !== '1') return true;
    return false;
  }

  private botFlags(): string {
    const now = Date.now();
    return this.match.rules.roles.map((r) => (botPlays(this.match, r.id, now) ? '1' : '0')).join('');
  }

  // ---- views ------------------------------------------------------------------------------------

  private flushPending = false;
  private flushHeld = false;
  private heldSince = 0;
  /** Projects once and sends once per burst of changes: each synced field then changes at most once per patch. */
  private flushSoon(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    // in turn with every other room's projection and resolution: a burst is spread over event-loop turns
    resolutions.push(() => {
      this.flushPending = false;
      // a change still under way (a ready whose phase change is being stored) flushes when done: one patch for both
      const now = Date.now();
      if (this.changing > 0 && now - (this.heldSince ||= now) < FLUSH_HOLD_MS) { this.flushHeld = true; return; }
      this.heldSince = 0;
      // which teams bots play, as this patch shows them: the tick sends another when time changes it
      this.botSignature = this.botFlags();
      // each client's patch and the ok replies that follow it leave in one socket write, not one write per frame
      const sockets = this.connections.corkAll(this.clients);
      try {
        project(this.match, this.state, Date.now(), this.match.timer, { desk: this.connections.facilitators.size > 0 });
        withSharedEncodeBuffer(this, () => this.broadcastPatch());
        void this.updateMetadata();
      } catch (err) {
        this.services.logger.error({ match: this.header.code, err: (err as Error).message, stack: (err as Error).stack }, 'could not send the state patch');
      } finally {
        for (const socket of sockets) socket.uncork();
      }
    });
  }

  private async updateMetadata(): Promise<void> {
    const meta = metadataOf(this.header, this.match);
    const old = this.metadata as MatchRoomMetadata | undefined;
    if (!old || old.phase !== meta.phase || old.openSeats !== meta.openSeats || old.code !== meta.code || old.turns !== meta.turns || JSON.stringify(old.seats) !== JSON.stringify(meta.seats)) await this.setMetadata(meta);
  }

  /** Work the room does by itself (its tick, a deadline) that could not be stored: logged, never an unhandled rejection. */
  private failed(what: string, err: Error): void {
    if (this.replaced) return;
    this.services.logger.error({ match: this.header.code, what, err: err.message }, 'room work failed');
  }

  onUncaughtException(error: Error, methodName: string) {
    // a refused join is the joiner's mistake, logged once at warn where it was refused: no second line, no stack
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof ServerError && cause.code < 500) return;
    this.services.logger.error({ match: this.header?.code, method: methodName, err: error.message, stack: error.stack }, 'room error');
  }

  /**
   * Another process holds the match now (its claim lapsed while this one was paused or cut off): write nothing
   * more and close, so the clients reload and find the match's one room by code.
   */
  claimLost(reason: string): void {
    if (this.replaced) return;
    this.replaced = reason;
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
    this.services.logger.warn({ match: this.header?.code, reason }, 'this room no longer holds the match: closing it');
    void this.disconnect(CLOSE_CODES.moved);
  }

  /** The match expired (server/cluster/expiry.ts): it ends with the reason in its log, and the room closes. */
  async expire(reason: string): Promise<void> {
    await this.enqueue(() => this.commit({ kind: 'end', reason }));
    await this.disconnect();
  }

  async onDispose() {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.header) this.services.cluster?.disposed(this.header.id, this.roomId);
  }
}
