// The room's side of the agent seat API: join, view, act and wait for seats held by programs, through the same match core.
// The HTTP layer (server/http/seats.ts) reaches it with matchMaker.remoteRoomCall(roomId, 'agentCall', [request]),
// so it works whichever process holds the room; every action goes through decide/apply exactly as a person's does.
import { clientMessages, type ClientAction } from '../../shared/protocol/messages.ts';
import type { MessageErrorCode } from '../../shared/protocol/errors.ts';
import type { LogEntry } from '../../shared/match/log.ts';
import type { Actor, Refusal } from '../../shared/match/decide.ts';
import type { Match } from '../../shared/match/match.ts';
import { invalidSubmit, refereeRefusal } from '../../shared/match/referee.ts';
import { agentView, type AgentView } from '../../shared/agent/view.ts';
import { AGENT_ACTION_TYPES, detailProblems, exampleFor, fieldProblems, type AgentError } from '../../shared/agent/errors.ts';
import type { MatchHeader } from '../store/types.ts';
import type { Limits } from '../context.ts';
import { hashSecret } from '../security.ts';
import { admit, type RoomCounts } from './admit.ts';

export type AgentRequest =
  | { op: 'join'; options: { name?: unknown; role?: unknown } }
  | { op: 'view'; token: string }
  | { op: 'act'; token: string; action: unknown }
  | { op: 'wait'; token: string; after: string; ms: number };

export interface AgentReply { status: number; body: unknown }

type Answer = { ok: true; warnings?: string[] } | ({ ok: false } & Refusal);

/** What the room lends the agent seats: its match, its queue of changes and its ways to commit them. */
export interface SeatPort {
  header: MatchHeader;
  match: () => Match;
  limits: Limits;
  run<T>(fn: () => Promise<T> | T): Promise<T>;
  commit(entry: LogEntry): Promise<void>;
  commitAll(entries: LogEntry[]): Promise<void>;
  act(actor: Actor, action: ClientAction): Promise<Answer>;
  moveOn(): Promise<void>;
  presence(personId: string, connected: boolean): void;
  /** what the caps on people count (PEOPLE_PER_MATCH): agents are people too */
  counts(): RoomCounts;
}

/** An agent counts as present while it called within this long (a long-poll is at most 30 s). */
export const AGENT_PRESENT_MS = 60_000;

const STATUS: Record<string, number> = { 'invalid': 400, 'unknown-type': 400, 'not-allowed': 403, 'wrong-phase': 409, 'refused': 409, 'match-over': 409, 'slow-down': 429, 'not-joined': 401, 'server-error': 500 };

export class AgentSeats {
  private readonly lastSeen = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  async handle(req: AgentRequest, port: SeatPort): Promise<AgentReply> {
    if (req.op === 'join') return this.join(req.options, port);
    const personId = this.authenticate(port.match(), req.token);
    if (!personId) return { status: 401, body: { error: 'that seat token is not for an agent seat of this match; join with POST /api/agents/join and send "Authorization: Bearer <token>"', code: 'unknown-token' } satisfies AgentError };
    this.seen(personId, port);
    if (req.op === 'view') return { status: 200, body: this.view(port, personId) };
    if (req.op === 'wait') return this.wait(port, personId, req.after, req.ms);
    return this.act(port, personId, req.action);
  }

  /** Whether any agent counts as present now (its presence runs out with the clock). */
  get anyPresent(): boolean { return this.lastSeen.size > 0; }

  /** Agents without a call for AGENT_PRESENT_MS count as away (their team's bot takes over as for people). */
  sweep(port: SeatPort, now: number): void {
    for (const [personId, at] of this.lastSeen) {
      if (now - at < AGENT_PRESENT_MS) continue;
      this.lastSeen.delete(personId);
      port.presence(personId, false);
    }
  }

  private seen(personId: string, port: SeatPort): void {
    const was = this.lastSeen.has(personId);
    this.lastSeen.set(personId, Date.now());
    if (!was) void port.run(async () => { port.presence(personId, true); await port.moveOn(); });
  }

  private authenticate(m: Match, token: unknown): string | null {
    if (typeof token !== 'string' || token.length < 16 || token.length > 128) return null;
    const hash = hashSecret(token);
    for (const p of m.people.values()) if (p.tokenHash === hash && p.agent && !p.removed && p.role) return p.id;
    return null;
  }

  private view(port: SeatPort, personId: string): AgentView {
    return agentView(port.match(), personId, Date.now(), port.header.code);
  }

  private async join(options: { name?: unknown; role?: unknown }, port: SeatPort): Promise<AgentReply> {
    return port.run(async () => {
      const m = port.match();
      const a = admit(port.header, m, { name: options.name, ...(options.role !== undefined ? { role: options.role } : {}), agent: true }, port.counts());
      if ('status' in a) return { status: a.status, body: { error: a.text, code: a.code, ...(a.code === 'no-such-role' || a.code === 'team-full' ? { hint: `roles: ${m.rules.roles.map((r) => r.id).join(', ')}` } : {}) } };
      // an agent needs a role to play: a full match does not seat it as a watcher
      if (!a.role || !a.entry) return { status: 409, body: { error: 'every team is full; there is no seat for an agent', code: 'team-full' } };
      await port.commit(a.entry);
      this.lastSeen.set(a.personId!, Date.now());
      port.presence(a.personId!, true);
      await port.moveOn();
      return { status: 201, body: { token: a.seatToken, personId: a.personId, role: a.role, name: a.name, code: port.header.code } };
    });
  }

  private takeToken(personId: string, limits: Limits): boolean {
    const now = Date.now();
    const b = this.buckets.get(personId) ?? { tokens: limits.messageBurst, at: now };
    b.tokens = Math.min(limits.messageBurst, b.tokens + ((now - b.at) / 1000) * limits.messagesPerSecond);
    b.at = now;
    this.buckets.set(personId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private async act(port: SeatPort, personId: string, raw: unknown): Promise<AgentReply> {
    const refuse = (status: number, body: AgentError): AgentReply => ({ status, body });
    if (!this.takeToken(personId, port.limits)) return refuse(429, { error: `slow down: at most ${port.limits.messagesPerSecond} actions a second per seat`, code: 'slow-down' });
    const view = () => this.view(port, personId);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return refuse(400, { error: 'the body must be a JSON object {"type": ..., "payload": {...}}', code: 'invalid', fields: [{ field: 'body', problem: 'not an object', allowed: '{"type": "submit", "payload": {"order": {...}}}' }], example: exampleFor('submit', view()) });
    const { type, payload, ...rest } = raw as { type?: unknown; payload?: unknown };
    const extra = Object.keys(rest);
    if (typeof type !== 'string' || !(AGENT_ACTION_TYPES as readonly string[]).includes(type)) {
      return refuse(400, { error: `type: ${JSON.stringify(type ?? null)} is not an action; use one of ${AGENT_ACTION_TYPES.join(', ')}`, code: 'invalid', fields: [{ field: 'type', problem: 'not an action type', allowed: `one of ${AGENT_ACTION_TYPES.join(', ')}` }], example: exampleFor('submit', view()) });
    }
    if (extra.length) return refuse(400, { error: `the body has fields it should not (${extra.join(', ')}): send only "type" and "payload"`, code: 'invalid', fields: extra.map((f) => ({ field: f, problem: 'unknown field', allowed: 'leave it out' })), example: exampleFor(type, view()) });
    const parsed = clientMessages[type as (typeof AGENT_ACTION_TYPES)[number]].safeParse(payload ?? {});
    if (!parsed.success) {
      const v = view();
      const fields = fieldProblems(parsed.error.issues, 'payload', v);
      return refuse(400, { error: `${type}: ${fields.map((f) => `${f.field}: ${f.problem} (allowed: ${f.allowed})`).join('; ')}`, code: 'invalid', fields, example: exampleFor(type, v) });
    }
    const action = { type, payload: parsed.data } as ClientAction;
    return port.run(async () => {
      const m = port.match();
      const person = m.people.get(personId)!;
      const actor: Actor = { personId, role: person.role, facilitator: false, spectator: person.spectator };
      const blocked = refereeRefusal(m, actor, type);
      if (blocked) return refuse(403, { error: blocked.message, code: blocked.code });
      const answer = await port.act(actor, action);
      if (answer.ok) return { status: 200, body: { ok: true, type, ...(answer.warnings ? { warnings: answer.warnings } : {}), stamp: `${m.state.turn}:${m.phase}` } };
      // an agent's invalid submission counts against it this quarter (three hand the quarter to the bot)
      const strikes = type === 'submit' ? invalidSubmit(m, actor, answer) : [];
      if (strikes.length) await port.commitAll(strikes);
      const v = view();
      const fields = answer.code === 'invalid' ? detailProblems(answer.details, v) : undefined;
      const hint = strikes.length ? `invalid submissions this quarter: ${v.referee.invalidSubmitsThisQuarter} of ${v.referee.limit}${v.referee.botPlaysThisQuarter ? ': the bot plays this quarter for your team' : ''}` : undefined;
      const body: AgentError = { error: answer.details?.length ? `${answer.message}: ${answer.details.join('; ')}` : answer.message, code: answer.code as MessageErrorCode, ...(fields?.length ? { fields } : {}), ...(answer.details ? { details: answer.details } : {}), example: exampleFor(type, v), ...(hint ? { hint } : {}) };
      return refuse(STATUS[answer.code] ?? 400, body);
    });
  }

  /** Returns as soon as the stamp (quarter and phase) differs from `after`, or after `ms`; the caller loops for longer waits. */
  private async wait(port: SeatPort, personId: string, after: string, ms: number): Promise<AgentReply> {
    const stamp = () => `${port.match().state.turn}:${port.match().phase}`;
    const until = Date.now() + Math.max(0, Math.min(ms, 1500));
    while (stamp() === after && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const changed = stamp() !== after;
    return { status: 200, body: { changed, stamp: stamp(), ...(changed ? { view: this.view(port, personId) } : {}) } };
  }
}
