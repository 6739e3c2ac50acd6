// A client for "The 2028 Window" written only from docs/protocol.md: plain fetch for the HTTP API,
// @colyseus/sdk 0.18 for the room, and the documents the protocol describes (in parts and entries, section 12).
import './websocket.ts';
import { Client, type Room } from '@colyseus/sdk';

// ---- the documents (docs/protocol.md, sections 5, 8 and 13) ------------------------------

export type ExportTier = 'open' | 'licensed' | 'embargo';

export interface Order {
  spend: Record<string, number>;
  exportTiers?: Record<string, ExportTier>;
  globalLicensing?: boolean;
  openWeights?: boolean;
  hubCompliance?: number;
}

export interface Estimate { value: number; low: number; high: number }

export interface Pending { key: number; proposalId: string; from: string; to: string; turn: number }

export interface PublicWorld {
  turn: number;
  turns: number;
  quarter: string;
  finished: boolean;
  regions: Record<string, { tier: ExportTier; compliance: number }>;
  globalLicensing: boolean;
  openWeights: boolean;
  incidents: { minor: number; major: number; catastrophic: number };
  agreements: { proposalId: string; proposer: string; accepter: string; turnsLeft: number; heldTurns: number }[];
  pending: Pending[];
  adoption: { us: number; china: number };
  pressLead: Estimate;
  ending: { id: string; title: string; text: string; scores: Record<string, number> } | null;
}

export interface RoleView {
  roleId: string;
  side: 'us' | 'china';
  world: PublicWorld;
  budget: number;
  own: { chips: number; capability: number; safeguards: number; adoption: number; powerGW: number; powerNeedGW: number; [k: string]: unknown };
  rival: Record<string, Estimate | number>;
  lead: Estimate;
  sideOrders: Record<string, Order | null>;
  lastOrder: Order | null;
  timeline: { turn: number; label: string; lead: number }[];
}

export interface FeedEvent { turn: number; kind: string; title: string; text: string; visibleTo: 'all' | 'us' | 'china'; ref?: string }

export interface ChatMessage { seq: number; at: string; from: string; fromName: string; fromRole: string | null; to: string; text: string }

export interface Welcome { personId: string; role: string | null; spectator: boolean; facilitator: boolean; seatToken: string | null; name: string }

export interface JoinOptions { name?: string; role?: string; spectator?: boolean; seatToken?: string; facilitatorKey?: string }

/** The decision on one message: `ok` (with warnings) or `error` (with the message and details). */
export interface Answer { ok: boolean; message?: string; details?: string[]; warnings?: string[] }

// ---- HTTP (section 3) --------------------------------------------------------------------

export class HttpError extends Error {
  readonly status: number;
  readonly details: string[] | undefined;
  constructor(status: number, body: { error?: string; details?: string[] }) {
    super(`${status}: ${body.error ?? 'no error text'}`);
    this.status = status;
    this.details = body.details;
  }
}

async function http<T>(base: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<T> {
  const res = await fetch(`${base}${path}`, init?.body === undefined
    ? { headers: init?.headers }
    : { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify(init.body) });
  const body = await res.json() as T & { error?: string; details?: string[] };
  if (!res.ok) throw new HttpError(res.status, body);
  return body;
}

export interface CreatedMatch { matchId: string; code: string; roomId: string; facilitatorKey: string | null; joinUrl: string }
export interface MatchInfo {
  code: string; status: 'open' | 'finished'; mode: 'online' | 'class'; title: string; roomId: string | null; phase: string;
  roles: { id: string; name: string; side: 'us' | 'china'; seats: number }[];
}
export interface RecordRole { id: string; name: string; side: 'us' | 'china'; levers: { id: string; name: string }[] }
export interface MatchRecordDoc {
  full: boolean;
  status: 'open' | 'finished';
  roles: RecordRole[];
  regions: { id: string; name: string }[];
  ending: PublicWorld['ending'];
  scores: Record<string, number> | null;
  turns: { turn: number; quarter: string; orders?: Record<string, Order>; events: FeedEvent[]; settingsChanges?: { role: string; setting: string; region?: string; from: unknown; to: unknown }[] }[];
  [k: string]: unknown;
}

/** A lever as the match's rule file describes it (docs/protocol.md, section 3: GET /api/matches/:code/rules). */
export interface LeverRule { id: string; name: string; category: string; effect: string; help: string; statusQuo: number }
export interface RoleRule {
  id: string; name: string; side: 'us' | 'china'; kind: string; blurb: string;
  budget: { perTurn: number; growth: number; carryOver: number };
  levers: LeverRule[];
  settings: ('exportTiers' | 'globalLicensing' | 'openWeights' | 'hubCompliance')[];
}
export interface ProposalRule {
  id: string; title: string; text: string; proposers: string[]; turns: number; needsSweetSpot: boolean; safetyAgreement: boolean;
  binds: { role: string; lever?: string; setting?: string; region?: string; atMost?: number; atLeast?: number; value?: string | boolean | number }[];
}
export interface RulesDoc {
  name: string; version: number; calendar: { startYear: number; startQuarter: number; turns: number };
  roles: RoleRule[];
  regions: { id: string; name: string; alignment: 'us' | 'china' | 'tier2'; exportTier: ExportTier }[];
  proposals: ProposalRule[];
  events: { id: string; title: string }[];
  endings: { id: string; title: string }[];
}

export const createMatch = (base: string, settings: Record<string, unknown>) => http<CreatedMatch>(base, '/api/matches', { body: settings });
export const findMatch = (base: string, code: string) => http<MatchInfo>(base, `/api/matches/${encodeURIComponent(code)}`);
export const matchRules = (base: string, code: string) => http<RulesDoc>(base, `/api/matches/${encodeURIComponent(code)}/rules`);
export const matchRecord = (base: string, code: string, facilitatorKey?: string) =>
  http<MatchRecordDoc>(base, `/api/matches/${encodeURIComponent(code)}/record`, facilitatorKey ? { headers: { 'x-facilitator-key': facilitatorKey } } : undefined);

// ---- the synced state (section 12) ------------------------------------------------------

/** Section 12.1: a document in parts, put together again from its root path "". */
function assemble(doc: any, path = ''): any {
  const n = doc?.numbers.get(path);
  if (n !== undefined) return n;
  const text = doc?.values.get(path);
  if (text === undefined) return undefined;
  const v = JSON.parse(text);
  if (v === null || typeof v !== 'object') return v;
  const child = (k: string | number) => assemble(doc, `${path}/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`);
  if (Array.isArray(v.keys)) return Object.fromEntries(v.keys.map((k: string) => [k, child(k)]));
  return Array.from({ length: v.length }, (_, i) => child(i));
}

/** A map of entries, in order. */
const entries = (map: any): any[] => (map ? [...map.values()] : []);
const event = (e: any): FeedEvent => ({ turn: e.turn, kind: e.kind, title: e.title, text: e.text, visibleTo: e.visibleTo, ...(e.ref ? { ref: e.ref } : {}) });
const chat = (m: any): ChatMessage => ({ seq: m.seq, at: m.at, from: m.from, fromName: m.fromName, fromRole: m.fromRole || null, to: m.to, text: m.text });

// ---- the room (sections 5, 7, 12) --------------------------------------------------------

/** One connection to a match room, with the documents of section 12 read. */
export class Seat {
  readonly room: Room;
  readonly welcome: Welcome;
  /** every `ok` / `error` message received (answers to `send`, section 7) */
  readonly answers: ({ kind: 'ok' | 'error'; type: string } & Answer)[] = [];
  private waiters: { type: string; resolve: (a: Answer) => void }[] = [];

  private constructor(room: Room, welcome: Welcome) {
    this.room = room;
    this.welcome = welcome;
  }

  /** GET /api/matches/:code for the room id, then joinById with the join options; waits for `welcome`. */
  static async join(base: string, code: string, options: JoinOptions): Promise<Seat> {
    const info = await findMatch(base, code);
    if (!info.roomId) throw new Error(`match ${code} has no room: it is ${info.status}`);
    const room = await new Client(base).joinById(info.roomId, options);
    let seat: Seat | null = null;
    const early: [string, any][] = [];
    // registered before the next await, as the document advises
    room.onMessage('ok', (m: any) => (seat ? seat.answer('ok', m) : early.push(['ok', m])));
    room.onMessage('error', (m: any) => (seat ? seat.answer('error', m) : early.push(['error', m])));
    const welcome = await new Promise<Welcome>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no welcome message')), 5000);
      room.onMessage('welcome', (w: Welcome) => { clearTimeout(t); resolve(w); });
    });
    seat = new Seat(room, welcome);
    for (const [kind, m] of early) seat.answer(kind as 'ok' | 'error', m);
    return seat;
  }

  private answer(kind: 'ok' | 'error', m: { type: string; message?: string; details?: string[]; warnings?: string[] }): void {
    const a = { kind, ok: kind === 'ok', ...m };
    this.answers.push(a);
    const i = this.waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(a);
  }

  /** room.request: the decision as a reply (section 7); refusals come back as { ok: false, message, details }. */
  async ask(type: string, payload: unknown): Promise<Answer> {
    try {
      const r = await this.room.request(type, payload) as { ok: true; warnings?: string[] };
      return { ok: true, ...(r?.warnings ? { warnings: r.warnings } : {}) };
    } catch (err) {
      const e = err as Error & { reason?: { message: string; details?: string[] } };
      if (e.name === 'rejected' && e.reason) return { ok: false, message: e.reason.message, ...(e.reason.details ? { details: e.reason.details } : {}) };
      return { ok: false, message: `${e.name}: ${e.message}` };
    }
  }

  /** room.send, then the next `ok` or `error` message of that type. */
  send(type: string, payload: unknown, ms = 5000): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to ${type}`)), ms);
      this.waiters.push({ type, resolve: (a) => { clearTimeout(t); resolve(a); } });
      this.room.send(type, payload);
    });
  }

  get state(): any { return this.room.state; }
  get phase(): string { return this.state.phase; }
  get turn(): number { return this.state.turn; }

  /** this seat's team channel (section 12), read; null for watchers and before it arrives */
  team(): { view: RoleView | null; feed: FeedEvent[]; draft: Order | null; draftBy: string; submitted: Order | null; chat: ChatMessage[] } | null {
    const role = this.welcome.role;
    const ch = role ? this.state.teams?.get(role) : undefined;
    const pub = this.publicDoc();
    const own = ch ? assemble(ch.view) : undefined;
    if (!ch || !own || !pub) return null;
    // section 12.2: the role view's world is the public one, its timeline the channel's entries
    const timeline = entries(ch.timeline).map((p: any) => ({ turn: p.turn, label: p.label, lead: p.capabilityUs - p.capabilityChina }));
    return {
      view: { ...own, world: pub.view.world, timeline }, feed: entries(ch.feed).map(event), draft: assemble(ch.draft) ?? null,
      draftBy: ch.draftBy, submitted: assemble(ch.submitted) ?? null, chat: entries(ch.chat).map(chat),
    };
  }

  publicDoc(): { view: { world: PublicWorld }; events: FeedEvent[]; chat: ChatMessage[] } | null {
    const p = this.state.public;
    const view = p ? assemble(p.view) : undefined;
    return view ? { view, events: entries(p.events).map(event), chat: entries(p.chat).map(chat) } : null;
  }

  /** resolves when `test` holds for the synced state (checked on every state change) */
  until(test: () => boolean, what: string, ms = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { off(); reject(new Error(`timed out waiting for ${what}`)); }, ms);
      const off = this.onChange(() => { if (test()) { clearTimeout(t); off(); resolve(); } });
    });
  }

  /** calls `fn` after every state patch; returns a function that stops it */
  onChange(fn: () => void): () => void {
    const cb = () => fn();
    this.room.onStateChange(cb);
    return () => this.room.onStateChange.remove(cb);
  }

  leave(): Promise<number> { return this.room.leave(true); }
}
