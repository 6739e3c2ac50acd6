// The Colyseus room of one match: seats people, validates every message, persists, calls the engine, projects views.
import { Room, type Client, ServerError, matchMaker } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import type { MessageContext } from '@colyseus/core';
import { rulesOfMatch } from '../match-rules.ts';
import { checkOrder } from '../../shared/engine/orders.ts';
import { proposalBlocked, respond as engineRespond } from '../../shared/engine/diplomacy.ts';
import { clientMessages, joinOptions, type ClientMessageType, type ControlAction } from '../../shared/protocol/messages.ts';
import type { MatchRoomStateT } from '../../shared/protocol/state.ts';
import type { LogEntry, MatchHeader } from '../store/types.ts';
import { context } from '../context.ts';
import { secretMatches, secretToken, hashSecret, newId } from '../security.ts';
import { MatchRuntime, type Person } from './runtime.ts';
import { createRoomState, project } from './project.ts';
import { undecodable } from './frames.ts';

export interface Who {
  personId: string | null;
  role: string | null;
  facilitator: boolean;
  spectator: boolean;
  /** token bucket for the soft rate limit */
  tokens: number;
  refilledAt: number;
}

type Result = { ok: true; warnings?: string[] } | { ok: false; message: string; details?: string[] };
const ok = (warnings?: string[]): Result => ({ ok: true, ...(warnings?.length ? { warnings } : {}) });
const fail = (message: string, details?: string[]): Result => ({ ok: false, message, ...(details ? { details } : {}) });

export interface MatchRoomMetadata {
  matchId: string;
  code: string;
  mode: string;
  visibility: string;
  phase: string;
  title: string;
  /** open human seats, for quick play */
  openSeats: number;
}

export class MatchRoom extends Room<{ state: MatchRoomStateT; metadata: MatchRoomMetadata }> {
  rt!: MatchRuntime;
  private header!: MatchHeader;
  private queue: Promise<unknown> = Promise.resolve();
  // a Node timer, not this.clock: with patchRate null the room clock only ticks once a second (setTimestep below)
  private phaseTimer: { clear(): void } | null = null;
  private clientsByPerson = new Map<string, Set<Client>>();
  /** the desk is projected only while one of these is connected */
  private facilitators = new Set<Client>();

  async onCreate(options: { matchId: string; internal?: string }) {
    const { store, limits, logger, internalToken } = context();
    // only the server opens match rooms (from the API or on restart); a client's matchmaking request cannot
    if (options?.internal !== internalToken) throw new ServerError(403, 'matches are created through POST /api/matches');
    const twins = await matchMaker.query({ name: 'match' });
    if (twins.some((r) => (r.metadata as MatchRoomMetadata | undefined)?.matchId === options.matchId)) throw new ServerError(409, 'this match already has a room');
    // rooms are found by join code through the API, never by the matchmaker's join-or-create
    await this.setPrivate(true);
    const loaded = await store.load(options.matchId);
    if (!loaded) throw new ServerError(404, `no match ${options.matchId}`);
    this.header = loaded.header;
    let rules;
    try { rules = rulesOfMatch(loaded.header); } catch { throw new ServerError(500, `match ${loaded.header.code}: its rule file no longer loads`); }
    this.rt = new MatchRuntime(loaded.header, rules);
    for (const { entry, at, seq } of loaded.entries) this.rt.apply(entry, at, seq);
    const now = Date.now();
    for (const team of Object.values(this.rt.teams)) team.emptySince = now;
    // the one-second tick doubles as the room clock; set before patchRate, or Colyseus runs its own 60 Hz clock per room
    this.setTimestep(() => void this.enqueue(() => this.tick()), 1000);
    // patches go out when something changed (flushSoon), not on a timer
    this.patchRate = null;
    this.autoDispose = this.rt.finished;
    this.maxMessagesPerSecond = limits.hardMessagesPerSecond;
    this.setState(createRoomState(this.rt));
    if (loaded.entries.length) logger.info({ match: this.header.code, entries: loaded.entries.length, turn: this.rt.turn, phase: this.rt.phase }, 'match restored from its log');
    // a log from before timers were logged (or cut between a phase and its timer) gives the phase its full time
    if (!this.rt.timer.endsAt && !this.rt.timer.remaining) await this.startPhaseTimer();
    else this.scheduleTimer();
    this.registerMessages();
    this.answerUndecodableFrames();
    // the metadata (code, match id) is what the API looks rooms up by: set it before anyone can ask
    await this.updateMetadata();
    await this.refresh();
  }

  // ---- joining ----------------------------------------------------------------------------

  async onJoin(client: Client, rawOptions: unknown) {
    const parsed = joinOptions.safeParse(rawOptions ?? {});
    if (!parsed.success) throw new ServerError(400, `join options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`);
    const options = parsed.data;
    const who: Who = { personId: null, role: null, facilitator: false, spectator: false, tokens: context().limits.messageBurst, refilledAt: Date.now() };
    let seatToken: string | null = null;
    let name = 'Facilitator';

    await this.enqueue(async () => {
      if (options.facilitatorKey !== undefined) {
        if (!this.header.facilitatorKeyHash || !secretMatches(options.facilitatorKey, this.header.facilitatorKeyHash)) {
          throw new ServerError(403, 'that facilitator key is not this match\'s');
        }
        who.facilitator = true;
      } else if (options.seatToken !== undefined) {
        const hash = hashSecret(options.seatToken);
        const person = [...this.rt.people.values()].find((p) => p.tokenHash === hash);
        if (!person) throw new ServerError(403, 'that seat token is not for a seat in this match');
        if (person.removed) throw new ServerError(403, 'the facilitator removed you from this match');
        who.personId = person.id;
        who.role = person.role;
        who.spectator = person.spectator;
        name = person.name;
      } else if (options.spectator) {
        who.spectator = true;
        name = options.name ?? 'Spectator';
      } else {
        if (!options.name) throw new ServerError(400, 'a name is needed to join (or a seat token to come back)');
        if (this.rt.finished) throw new ServerError(409, 'this match is over; its record is still available');
        const { role, error } = this.rt.assignRole(options.role);
        if (error) throw new ServerError(error.code === 'no-such-role' ? 400 : 409, error.message);
        seatToken = secretToken();
        const personId = newId();
        await this.commit({ kind: 'person', personId, name: options.name, role, spectator: role === null, tokenHash: hashSecret(seatToken) });
        who.personId = personId;
        who.role = role;
        who.spectator = role === null;
        name = options.name;
      }
      client.userData = who;
      this.attach(client);
      this.markConnected(who.personId, true);
      await this.refresh();
      await this.advanceIfDone();
    });
    client.send('welcome', { personId: who.personId ?? '', role: who.role, spectator: who.spectator, facilitator: who.facilitator, seatToken, name });
    context().logger.info({ match: this.header.code, person: who.personId, role: who.role, facilitator: who.facilitator, spectator: who.spectator }, 'joined');
  }

  /** Gives a client the view its seat allows: its own team's channel, or everything for the facilitator. */
  private attach(client: Client): void {
    const who = client.userData as Who;
    const view = new StateView();
    if (who.facilitator) {
      for (const team of this.state.teams.values()) view.add(team);
      view.add(this.state.desk.get('desk')!);
    } else if (who.role) {
      view.add(this.state.teams.get(who.role)!);
    }
    client.view = view;
    if (who.facilitator) this.facilitators.add(client);
    if (who.personId) {
      if (!this.clientsByPerson.has(who.personId)) this.clientsByPerson.set(who.personId, new Set());
      this.clientsByPerson.get(who.personId)!.add(client);
    }
  }

  private markConnected(personId: string | null, connected: boolean): void {
    if (!personId) return;
    const person = this.rt.people.get(personId);
    if (!person) return;
    const stillThere = (this.clientsByPerson.get(personId)?.size ?? 0) > 0;
    person.connected = connected || stillThere;
    if (person.role) {
      const anyone = this.rt.members(person.role).some((p) => p.connected);
      this.rt.teams[person.role].emptySince = anyone ? null : (this.rt.teams[person.role].emptySince ?? Date.now());
    }
  }

  async onDrop(client: Client) {
    const who = client.userData as Who | undefined;
    this.detach(client);
    await this.enqueue(async () => { this.markConnected(who?.personId ?? null, false); await this.refresh(); });
    try {
      const back = await this.allowReconnection(client, context().limits.reconnectSeconds);
      back.userData = who;
      this.attach(back);
      await this.enqueue(async () => { this.markConnected(who?.personId ?? null, true); await this.refresh(); });
    } catch {
      // gone for good; the seat stays theirs and their seat token still works
    }
  }

  async onLeave(client: Client) {
    const who = client.userData as Who | undefined;
    this.detach(client);
    await this.enqueue(async () => { this.markConnected(who?.personId ?? null, false); await this.refresh(); });
  }

  private detach(client: Client): void {
    const who = client.userData as Who | undefined;
    this.facilitators.delete(client);
    if (who?.personId) this.clientsByPerson.get(who.personId)?.delete(client);
  }

  // ---- messages ---------------------------------------------------------------------------

  private registerMessages(): void {
    for (const type of Object.keys(clientMessages) as ClientMessageType[]) {
      this.onMessage(type, (client: Client, payload: unknown, ctx: MessageContext) => this.receive(type, client, payload, ctx));
    }
    this.onMessage('*', (client: Client, type: string | number, _payload: unknown) => {
      client.send('error', { type: String(type), message: `unknown message type "${String(type)}"; the types are ${Object.keys(clientMessages).join(', ')}` });
    });
  }

  private async receive(type: ClientMessageType, client: Client, payload: unknown, ctx: MessageContext) {
    const who = client.userData as Who | undefined;
    let result: Result;
    if (!who) result = fail('you have not joined this match yet');
    else if (!this.takeToken(who)) result = fail(`slow down: at most ${context().limits.messagesPerSecond} messages a second`);
    else {
      const parsed = clientMessages[type].safeParse(payload);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`);
        // a hostile payload can raise hundreds of issues: the first ten say enough
        result = fail(`${type}: the message is not valid`, details.length > 10 ? [...details.slice(0, 10), `…and ${details.length - 10} more`] : details);
      } else {
        try {
          result = await this.enqueue(async () => {
            const r = await this.act(type, who, parsed.data as never);
            if (r.ok) { await this.refresh(); await this.advanceIfDone(); }
            return r;
          });
        } catch (err) {
          context().logger.error({ match: this.header.code, type, err: (err as Error).message }, 'message failed');
          result = fail(`${type}: the server could not apply it (${(err as Error).message})`);
        }
      }
    }
    if (ctx?.id !== undefined) return result.ok ? result : ctx.reject(result);
    // an accepted message's answer follows the patch it caused, so the sender sees the new state with the ok
    if (result.ok) client.send('ok', { type, ...(result.warnings ? { warnings: result.warnings } : {}) }, { afterNextPatch: true });
    else client.send('error', { type, message: result.message, ...(result.details ? { details: result.details } : {}) });
    return undefined;
  }

  /** A payload that is not MessagePack gets an error reply (within the sender's rate limit) instead of a closed connection. */
  private answerUndecodableFrames(): void {
    // Colyseus binds this method to each client as it joins, so replacing it here covers every client
    const room = this as unknown as { _onMessage(client: Client, buffer: Uint8Array): void };
    const colyseus = room._onMessage.bind(this);
    room._onMessage = (client, buffer) => {
      const bad = undecodable(buffer);
      if (!bad) return colyseus(client, buffer);
      const who = client.userData as Who | undefined;
      if (who && !this.takeToken(who)) return;
      client.send('error', { type: bad.type, message: `${bad.type}: the message could not be decoded (${bad.why}); payloads are MessagePack` });
    };
  }

  private takeToken(who: Who): boolean {
    const { messagesPerSecond, messageBurst } = context().limits;
    const now = Date.now();
    who.tokens = Math.min(messageBurst, who.tokens + ((now - who.refilledAt) / 1000) * messagesPerSecond);
    who.refilledAt = now;
    if (who.tokens < 1) return false;
    who.tokens -= 1;
    return true;
  }

  private async act(type: ClientMessageType, who: Who, msg: never): Promise<Result> {
    switch (type) {
      case 'draft': return this.draft(who, msg);
      case 'submit': return this.submit(who, msg);
      case 'unsubmit': return this.unsubmit(who);
      case 'ready': return this.ready(who, msg);
      case 'chat': return this.chat(who, msg);
      case 'propose': return this.propose(who, msg);
      case 'respond': return this.respond(who, msg);
      case 'control': return this.control(who, msg);
    }
  }

  private teamMember(who: Who): string | Result {
    if (who.facilitator) return fail('the facilitator does not hold a role');
    if (!who.role) return fail('you are watching; join a team to play');
    return who.role;
  }

  private async draft(who: Who, msg: { order: unknown }): Promise<Result> {
    const role = this.teamMember(who);
    if (typeof role !== 'string') return role;
    if (!['briefing', 'negotiation', 'orders'].includes(this.rt.phase)) return fail(`drafts are for the quarter's briefing, negotiation and orders; it is now the ${this.rt.phase}`);
    if (this.rt.teams[role].submitted) return fail('your team has submitted; take the submission back to edit the draft');
    const check = checkOrder(this.rt.rules, this.rt.state, role, msg.order);
    if (!check.ok) return fail('draft: the order is not valid', check.errors);
    await this.commit({ kind: 'draft', turn: this.rt.turn, role, order: check.order, by: who.personId! });
    return ok(check.warnings);
  }

  private async submit(who: Who, msg: { order: unknown }): Promise<Result> {
    const role = this.teamMember(who);
    if (typeof role !== 'string') return role;
    if (this.rt.phase !== 'orders') return fail(`orders open after the negotiation; it is now the ${this.rt.phase}`);
    const check = checkOrder(this.rt.rules, this.rt.state, role, msg.order);
    if (!check.ok) return fail('submit: the order is not valid', check.errors);
    await this.commit({ kind: 'submit', turn: this.rt.turn, role, order: check.order, by: who.personId! });
    return ok(check.warnings);
  }

  private async unsubmit(who: Who): Promise<Result> {
    const role = this.teamMember(who);
    if (typeof role !== 'string') return role;
    if (this.rt.phase !== 'orders' || !this.rt.teams[role].submitted) return fail('there is no submission to take back');
    await this.commit({ kind: 'unsubmit', turn: this.rt.turn, role, by: who.personId! });
    return ok();
  }

  private async ready(who: Who, msg: { ready: boolean }): Promise<Result> {
    const role = this.teamMember(who);
    if (typeof role !== 'string') return role;
    const phases = this.header.settings.mode === 'online' ? ['lobby', 'briefing', 'negotiation', 'report'] : ['briefing', 'negotiation', 'report'];
    if (!phases.includes(this.rt.phase)) return fail(`there is nothing to be ready for in the ${this.rt.phase}${this.rt.phase === 'orders' ? '; submit your order instead' : ''}`);
    this.rt.teams[role].ready = msg.ready;
    return ok();
  }

  private async chat(who: Who, msg: { to: string; text: string }): Promise<Result> {
    if (who.spectator && !who.facilitator) return fail('spectators cannot chat');
    const { maxChatChars } = context().limits;
    if (msg.text.length > maxChatChars) return fail('chat: the message is not valid', [`text: a chat message can be at most ${maxChatChars} characters`]);
    const roles = this.rt.rules.roles.map((r) => r.id);
    const channels = ['all', ...(this.header.settings.mode === 'class' ? ['facilitator'] : []), ...roles];
    if (!channels.includes(msg.to)) return fail(`chat: "${msg.to}" is not a channel; use ${channels.join(', ')}`);
    if (msg.to === who.role) return fail('chat: that is your own team; write to "all", another role or the facilitator');
    await this.commit({ kind: 'chat', from: who.facilitator ? 'facilitator' : who.personId!, fromRole: who.role, to: msg.to, text: msg.text });
    return ok();
  }

  private async propose(who: Who, msg: { proposalId: string; to: string }): Promise<Result> {
    const role = this.teamMember(who);
    if (typeof role !== 'string') return role;
    if (!['briefing', 'negotiation', 'orders'].includes(this.rt.phase)) return fail(`proposals are made during a quarter's briefing, negotiation or orders; it is now the ${this.rt.phase}`);
    const blocked = proposalBlocked(this.rt.rules, this.rt.state, msg.proposalId, role, msg.to);
    if (blocked) return fail(`propose: ${blocked}`);
    await this.commit({ kind: 'propose', turn: this.rt.turn, proposalId: msg.proposalId, from: role, to: msg.to, by: who.personId! });
    const key = this.rt.state.pending[this.rt.state.pending.length - 1].key;
    const answer = this.rt.botAnswer(key, Date.now());
    if (answer) await this.commit(answer);
    return ok();
  }

  private async respond(who: Who, msg: { key: number; accept: boolean }): Promise<Result> {
    const role = this.teamMember(who);
    if (typeof role !== 'string') return role;
    const dry = engineRespond(this.rt.rules, this.rt.state, msg.key, role, msg.accept);
    if (!dry.ok) return fail(`respond: ${dry.error}`);
    await this.commit({ kind: 'respond', turn: this.rt.turn, key: msg.key, role, accept: msg.accept, by: who.personId! });
    return ok();
  }

  private async control(who: Who, action: ControlAction): Promise<Result> {
    if (!who.facilitator) return fail('only the facilitator can do that (join with the facilitator key)');
    const rt = this.rt;
    if (rt.finished && action.action !== 'end') return fail('the match is over');
    switch (action.action) {
      case 'start':
        if (rt.phase !== 'lobby') return fail('the match has already started');
        await this.commit({ kind: 'start' });
        return ok();
      case 'pause': {
        if (rt.paused) return fail('the match is already paused');
        const { endsAt, remaining } = rt.timer;
        await this.commit({ kind: 'pause', paused: true });
        if (endsAt) await this.commit({ kind: 'timer', cause: 'pause', endsAt: 0, remaining: Math.max(0, endsAt - Date.now()) });
        else if (remaining) await this.commit({ kind: 'timer', cause: 'pause', endsAt: 0, remaining });
        return ok();
      }
      case 'resume': {
        if (!rt.paused) return fail('the match is not paused');
        const { remaining } = rt.timer;
        await this.commit({ kind: 'pause', paused: false });
        if (remaining) await this.commit({ kind: 'timer', cause: 'resume', endsAt: Date.now() + remaining, remaining: 0 });
        return ok();
      }
      case 'extend': {
        const { endsAt, remaining } = rt.timer;
        if (!endsAt && !remaining) return fail('this phase has no timer to extend');
        const ms = action.seconds * 1000;
        await this.commit(rt.paused ? { kind: 'timer', cause: 'extend', endsAt: 0, remaining: remaining + ms } : { kind: 'timer', cause: 'extend', endsAt: endsAt + ms, remaining: 0 });
        return ok();
      }
      case 'resolveNow':
        if (!['briefing', 'negotiation', 'orders'].includes(rt.phase)) return fail(`there are no orders to resolve in the ${rt.phase}`);
        await this.resolveQuarter();
        return ok();
      case 'skipPhase':
        if (rt.phase === 'lobby' || rt.phase === 'ended') return fail(`the ${rt.phase} has no next phase to skip to`);
        await this.advance();
        return ok();
      case 'inject':
        if (!rt.rules.events.some((e) => e.id === action.cardId)) return fail(`there is no event "${action.cardId}"; the deck has ${rt.rules.events.map((e) => e.id).join(', ')}`);
        if (rt.phase === 'lobby') return fail('start the match before injecting events');
        await this.commit({ kind: 'inject', turn: rt.turn, cardId: action.cardId });
        return ok();
      case 'move': {
        const person = rt.people.get(action.personId);
        if (!person || person.removed) return fail(`there is no person "${action.personId}"`);
        if (action.role !== null && !rt.rules.roles.some((r) => r.id === action.role)) return fail(`there is no role "${action.role}"`);
        await this.commit({ kind: 'seat', personId: person.id, role: action.role });
        this.reattach(person);
        return ok();
      }
      case 'remove': {
        const person = rt.people.get(action.personId);
        if (!person || person.removed) return fail(`there is no person "${action.personId}"`);
        await this.commit({ kind: 'remove', personId: person.id });
        for (const c of this.clientsByPerson.get(person.id) ?? []) c.leave(4003, 'the facilitator removed you from the match');
        return ok();
      }
      case 'botSeat':
        if (!rt.rules.roles.some((r) => r.id === action.role)) return fail(`there is no role "${action.role}"`);
        await this.commit({ kind: 'botSeat', role: action.role, bot: action.bot });
        return ok();
      case 'end':
        if (rt.finished) return fail('the match is already over');
        await this.commit({ kind: 'end', reason: 'the facilitator ended the match' });
        return ok();
    }
  }

  /** After a move, a person's clients see their new team's channel instead of the old one. */
  private reattach(person: Person): void {
    for (const c of this.clientsByPerson.get(person.id) ?? []) {
      const who = c.userData as Who;
      who.role = person.role;
      who.spectator = person.spectator;
      this.attach(c);
    }
  }

  // ---- the turn machine -------------------------------------------------------------------

  /** Runs changes one at a time, so each is validated against the state the previous one left. */
  private enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Persists an accepted change, applies it, and lets the match move on if everyone is done. */
  private async commit(entry: LogEntry): Promise<void> {
    const stored = await context().store.append(this.header.id, entry);
    this.rt.apply(entry, stored.at, stored.seq);
    if (entry.kind === 'start' || entry.kind === 'phase' || entry.kind === 'resolve') await this.enteredPhase();
    if (entry.kind === 'timer' || entry.kind === 'pause') this.scheduleTimer();
    if (this.rt.finished) await this.finished();
    await this.refresh();
  }

  private async enteredPhase(): Promise<void> {
    await this.startPhaseTimer();
    if (this.rt.phase === 'negotiation') {
      for (const entry of this.rt.botProposalEntries(Date.now())) {
        if (entry.kind !== 'propose' || proposalBlocked(this.rt.rules, this.rt.state, entry.proposalId, entry.from, entry.to)) continue;
        const stored = await context().store.append(this.header.id, entry);
        this.rt.apply(entry, stored.at, stored.seq);
        const answer = this.rt.botAnswer(this.rt.state.pending[this.rt.state.pending.length - 1].key, Date.now());
        if (answer) { const a = await context().store.append(this.header.id, answer); this.rt.apply(answer, a.at, a.seq); }
      }
    }
  }

  /** A phase just began: its deadline goes to the log (a paused match keeps the whole time in hand). */
  private async startPhaseTimer(): Promise<void> {
    this.phaseTimer?.clear();
    const ms = this.rt.phaseSeconds() * 1000;
    if (ms <= 0 || this.rt.finished) return;
    await this.commit(this.rt.paused ? { kind: 'timer', cause: 'phase', endsAt: 0, remaining: ms } : { kind: 'timer', cause: 'phase', endsAt: Date.now() + ms, remaining: 0 });
  }

  private scheduleTimer(): void {
    this.phaseTimer?.clear();
    const endsAt = this.rt.timer.endsAt;
    if (!endsAt || this.rt.paused) return;
    const phase = this.rt.phase, turn = this.rt.turn;
    const handle = setTimeout(() => void this.enqueue(async () => {
      if (this.rt.phase === phase && this.rt.turn === turn && !this.rt.paused) await this.advance();
    }), Math.max(0, endsAt - Date.now()));
    this.phaseTimer = { clear: () => clearTimeout(handle) };
  }

  private async advance(): Promise<void> {
    const next = this.rt.nextPhase();
    if (next === 'resolve') return this.resolveQuarter();
    if (next === this.rt.phase) return;
    await this.commit(this.rt.phase === 'lobby' ? { kind: 'start' } : { kind: 'phase', phase: next, turn: this.rt.turn });
  }

  private async resolveQuarter(): Promise<void> {
    await this.commit({ kind: 'resolve', turn: this.rt.turn, orders: this.rt.ordersToResolve(Date.now()) });
  }

  /** Moves on when every team people play is done; runs after each change and each second. */
  private async advanceIfDone(): Promise<void> {
    const rt = this.rt;
    if (rt.paused || rt.finished) return;
    const now = Date.now();
    if (rt.phase === 'lobby') {
      if (this.header.settings.mode !== 'online') return;
      const seated = rt.rules.roles.filter((r) => rt.members(r.id).some((p) => p.connected));
      if (seated.length && seated.every((r) => rt.teams[r.id].ready)) await this.advance();
      return;
    }
    if (!rt.anyoneConnected()) return;
    if (rt.everyoneDone(now)) await this.advance();
  }

  /** Each second: a team whose people have been away too long goes to its bot, and the match may move on. */
  private async tick(): Promise<void> {
    if (this.botFlags() === this.botSignature) return;
    await this.refresh();
    await this.advanceIfDone();
  }

  private async finished(): Promise<void> {
    this.phaseTimer?.clear();
    await context().store.setStatus(this.header.id, 'finished');
    this.autoDispose = true;
    context().logger.info({ match: this.header.code, ending: this.rt.state.ending?.id }, 'match finished');
  }

  /** Schedules one projection of the runtime into the synced state, and its patch, for this burst of changes. */
  private async refresh(): Promise<void> {
    this.botSignature = this.botFlags();
    this.flushSoon();
  }

  private flushPending = false;
  // Project once and send once per burst: each synced field then changes at most once per patch.
  private flushSoon(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    setImmediate(() => {
      this.flushPending = false;
      // each client's patch and the ok replies that follow it leave in one socket write, not one write per frame
      const sockets = corkAll(this.clients);
      try {
        project(this.rt, this.state, Date.now(), this.rt.timer, { desk: this.facilitators.size > 0 });
        this.broadcastPatch();
        void this.updateMetadata();
      } catch (err) {
        context().logger.error({ match: this.header.code, err: (err as Error).message, stack: (err as Error).stack }, 'could not send the state patch');
      } finally {
        for (const socket of sockets) socket.uncork();
      }
    });
  }

  private botSignature = '';
  private botFlags(): string {
    const now = Date.now();
    return this.rt.rules.roles.map((r) => (this.rt.botPlays(r.id, now) ? '1' : '0')).join('');
  }

  private async updateMetadata(): Promise<void> {
    const rt = this.rt;
    const openSeats = rt.rules.roles.reduce((n, r) => n + Math.max(0, rt.seatsFor(r.id) - rt.members(r.id).length), 0);
    const meta: MatchRoomMetadata = { matchId: this.header.id, code: this.header.code, mode: this.header.settings.mode, visibility: this.header.settings.visibility, phase: rt.phase, title: rt.rules.name, openSeats };
    const old = this.metadata as MatchRoomMetadata | undefined;
    if (!old || old.phase !== meta.phase || old.openSeats !== meta.openSeats || old.code !== meta.code) await this.setMetadata(meta);
  }

  onUncaughtException(error: Error, methodName: string) {
    context().logger.error({ match: this.header?.code, method: methodName, err: error.message, stack: error.stack }, 'room error');
  }

  async onDispose() {
    this.phaseTimer?.clear();
  }
}

/** The TCP sockets under the clients' WebSockets (ws keeps it as `_socket`), corked; a client on another transport is left alone. */
function corkAll(clients: Iterable<Client>): { uncork(): void }[] {
  const sockets: { cork(): void; uncork(): void }[] = [];
  for (const c of clients) {
    const socket = (c as unknown as { ref?: { _socket?: { cork?: () => void; uncork?: () => void; destroyed?: boolean } } }).ref?._socket;
    if (socket && typeof socket.cork === 'function' && typeof socket.uncork === 'function' && !socket.destroyed) {
      socket.cork();
      sockets.push(socket as { cork(): void; uncork(): void });
    }
  }
  return sockets;
}
