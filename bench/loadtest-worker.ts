// The client side of `npm run loadtest`: a child process (forked by loadtest.ts) that creates matches over
// HTTP, joins real @colyseus/sdk 0.18 clients in batches, plays the quarters and measures how long each
// change takes to reach every client. It talks to its parent over the fork IPC channel only.
import type { Room } from '@colyseus/sdk';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadRulesFile } from '../shared/rules/load.ts';

/** What the parent asks this worker to do. */
export interface RunJob {
  type: 'run';
  worker: number;
  url: string;
  /** matches this worker creates and plays */
  matches: number;
  clientsPerMatch: number;
  /** quarters to play before the match's clients leave */
  turns: number;
  /** mean pause before a team acts on a new phase (uniform 0.5x..1.5x); 0: act at once */
  thinkMs: number;
  /** each match sends its first "ready" at a random moment in this window after "go" */
  startSpreadMs: number;
  /** clients joining at the same time */
  rampBatch: number;
  /** match creations in flight at the same time */
  createConcurrency: number;
  rulesPath: string;
  /** decode synced strings with @colyseus/schema's own decoder (slow for long strings) instead of TextDecoder */
  stockDecoder: boolean;
  /** soak: for this many ms after "go", a match that finishes is replaced by a new one (0: play each match once) */
  soakMs: number;
  /** chance, each time a client sees a new phase, that it loses its connection and comes back */
  dropRate: number;
  /**
   * class matches (mode "class"): the first client is the facilitator, who starts the match; the others are
   * students on the four teams (up to 10 a team; the team's first to join is its lead and submits), then watchers
   */
  classMatches: boolean;
  /** every client acts on the ticks of one clock shared by every process (every thinkMs from "go"): all quarters resolve at once */
  lockstep: boolean;
  /** each quarter, one team of each match writes one chat message to everyone (in the negotiation) */
  chat: boolean;
}
export type ToWorker = RunJob | { type: 'go'; epoch: number } | { type: 'stop' };

export interface WorkerStats {
  worker: number;
  matchesWanted: number;
  matchesCreated: number;
  matchesCompleted: number;
  /** matches whose engine reached an ending before the quarters asked for (a catastrophe, say) */
  matchesEndedEarly: number;
  clientsWanted: number;
  clientsConnected: number;
  /** most clients connected at the same time */
  clientsPeak: number;
  /** ms from calling joinById to the room being joined, per client */
  joinMs: number[];
  createMs: number[];
  /** ms from the last submit of a quarter to each client of the match seeing the next quarter */
  resolutionMs: number[];
  /** the same, by the quarter that resolved (0-based) */
  resolutionByQuarter: number[][];
  /** the same for the other phase changes (last "ready" of a phase to each client seeing the next phase) */
  phaseMs: number[];
  quartersResolved: number;
  /** client → server messages, by type */
  sent: Record<string, number>;
  /** server → client: state patches applied and messages received */
  patches: number;
  received: Record<string, number>;
  /** what went wrong, by kind, with how often */
  errors: Record<string, number>;
  /** ms: connecting, from the first create to the last join; playing, from "go" to the end */
  setupMs: number;
  playMs: number;
  /** this process's own CPU seconds (user + system) while joining and while playing, and its peak RSS */
  cpuSetupSeconds: number;
  cpuPlaySeconds: number;
  maxRssMB: number;
  /** how late this process's own event loop ran while playing (ms): a busy or pausing generator delays what it measures */
  loopDelay: { p50: number; p99: number; max: number };
  /** the longest synced JSON strings one client held at the end of its match (characters) */
  largestStrings: { public: number; view: number; feed: number };
  /** bytes a client received in the WebSocket frame that brought it a new quarter, one entry per client per quarter */
  quarterBytes: number[];
  /** bytes a client received in the first state patch after its match's chat message went out, per client per chat */
  chatBytes: number[];
  /** chat messages sent */
  chats: number;
  /** every byte of every WebSocket frame the clients received while playing */
  bytesReceived: number;
  /** moments (epoch ms) this process's event loop was held up for more than 100 ms while playing, and for how long */
  stalls: { at: number; ms: number }[];
  stopped: boolean;
  /** soak: connections dropped on purpose and how they came back */
  drops: { network: number; reload: number; reconnected: number; rejoined: number; failed: number };
  /** soak: finished matches whose record was read back, and those missing a quarter or out of order */
  recordsChecked: number;
  recordsBad: string[];
}
export type FromWorker =
  | { type: 'progress'; worker: number; created: number; connected: number }
  | { type: 'connected'; worker: number; created: number; connected: number }
  | { type: 'result'; stats: WorkerStats };

// The SDK picks its WebSocket when it is first imported: make it take the `ws` package (see
// tests/helpers/node-websocket.ts: Node's built-in one has been seen holding frames back).
(globalThis as { WebSocket?: unknown }).WebSocket = undefined;
// the SDK narrates every automatic reconnection on the console; a soak makes thousands (they are counted instead)
const info = console.info.bind(console);
console.info = (...args: unknown[]) => { if (!(typeof args[0] === 'string' && args[0].startsWith('[Colyseus reconnection]'))) info(...args); };
const { Client } = await import('@colyseus/sdk');
const { decode } = await import('@colyseus/schema');

type StringDecoder = (bytes: Uint8Array, it: { offset: number }) => string;
/**
 * @colyseus/schema 5 decodes a string by appending one character at a time: a 50 KB JSON document becomes
 * ~50,000 linked string pieces that survive into the old generation. One generator process decoding every
 * patch for thousands of clients then spends its time in 60–120 ms scavenges, and those pauses would be
 * counted as server latency. Long strings are decoded with TextDecoder instead (same bytes, same result
 * for the UTF-8 the encoder writes); --stock-decoder keeps the library's own.
 */
function useFastStringDecoder(): void {
  const table = decode as unknown as { string: StringDecoder };
  const stock = table.string;
  const utf8 = new TextDecoder();
  table.string = (bytes, it) => {
    if (!ArrayBuffer.isView(bytes)) return stock(bytes, it);
    const o = it.offset, prefix = bytes[o];
    let length: number, start: number;
    if (prefix < 0xc0) return stock(bytes, it); // fixstr: at most 31 bytes
    else if (prefix === 0xd9) { length = bytes[o + 1]; start = o + 2; }
    else if (prefix === 0xda) { length = bytes[o + 1] | (bytes[o + 2] << 8); start = o + 3; }
    else if (prefix === 0xdb) { length = (bytes[o + 1] | (bytes[o + 2] << 8) | (bytes[o + 3] << 16) | (bytes[o + 4] << 24)) >>> 0; start = o + 5; }
    else return stock(bytes, it);
    if (length < 64) return stock(bytes, it);
    length = Math.min(length, bytes.length - start);
    it.offset = start + length;
    return utf8.decode(bytes.subarray(start, start + length));
  };
}

interface Bot {
  match: MatchRun;
  /** a player on a team, the class's facilitator, or a watcher */
  kind: 'player' | 'facilitator' | 'watcher';
  role: string;
  /** index among the role's members: members take turns acting for their team */
  member: number;
  room: Room<any, any> | null;
  key: string;
  acted: string;
  left: boolean;
  /** the seat token from "welcome": how a reloaded page gets its seat back */
  seatToken: string | null;
  /** away on purpose (a dropped connection or a reload) until it is back */
  away: boolean;
  /** when it last came back (performance.now()): latencies across an absence are not the server's */
  backAt: number;
  joinedAt: number;
  /** from "welcome": a class team's lead is the person whose id the team's channel names */
  personId: string;
  /** the next frame's size is what this change cost the client */
  measureFrame: 'quarter' | 'chat' | null;
  /** a chat went out in this client's match and its first patch since has not come yet */
  awaitingChat: boolean;
}

interface MatchRun {
  index: number;
  roomId: string;
  code: string;
  bots: Bot[];
  byRole: Map<string, Bot[]>;
  /** the time of the last action (ready or submit) sent at each phase key, by any of the match's teams */
  lastAct: Map<string, number>;
  done: boolean;
  broken: boolean;
  timers: Set<NodeJS.Timeout>;
  /** class matches: the facilitator's key from the creation */
  facilitatorKey: string | null;
}

const send = (m: FromWorker) => process.send?.(m);
const bump = (r: Record<string, number>, k: string, n = 1) => { r[k] = (r[k] ?? 0) + n; };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** fetch, tried once more when the connection itself failed (a kept-alive socket the server had just closed). */
async function fetchAgain(url: string, init: RequestInit): Promise<Response> {
  try { return await fetch(url, init); } catch (err) {
    bump(stats.errors, `HTTP connection failed once (retried): ${(err as Error).message.slice(0, 80)}`);
    return fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  }
}

let job: RunJob;
let stats: WorkerStats;
const matches: MatchRun[] = [];
let levers: Record<string, string> = {};
let roles: string[] = [];
let started = false;
let stopping = false;
let finished = false;
let goAt = 0;
/** lockstep: the shared clock's zero (epoch ms), the same in every client process */
let epoch = 0;
let setupStart = 0;
let connectedNow = 0;
let resolveGo: (() => void) | null = null;
let cpuAtGo = 0;
let stallTimer: NodeJS.Timeout | null = null;
const loop = monitorEventLoopDelay({ resolution: 10 });
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

process.on('message', (m: ToWorker) => {
  if (m.type === 'run') void run(m).catch((err: Error) => { bump(stats.errors, `worker: ${err.message}`); void finish(); });
  else if (m.type === 'go') { epoch = m.epoch; resolveGo?.(); }
  else if (m.type === 'stop') { stopping = true; stats.stopped = true; resolveGo?.(); void finish(); }
});
// the parent went away: never linger
process.on('disconnect', () => process.exit(0));

async function run(m: RunJob): Promise<void> {
  job = m;
  stats = {
    worker: m.worker, matchesWanted: m.matches, matchesCreated: 0, matchesCompleted: 0, matchesEndedEarly: 0,
    clientsWanted: m.matches * m.clientsPerMatch, clientsConnected: 0, clientsPeak: 0, joinMs: [], createMs: [],
    resolutionMs: [], resolutionByQuarter: [], phaseMs: [], quartersResolved: 0, sent: {}, patches: 0, received: {}, errors: {},
    setupMs: 0, playMs: 0, cpuSetupSeconds: 0, cpuPlaySeconds: 0, maxRssMB: 0, loopDelay: { p50: 0, p99: 0, max: 0 }, largestStrings: { public: 0, view: 0, feed: 0 }, quarterBytes: [], chatBytes: [], chats: 0, bytesReceived: 0, stalls: [], stopped: false,
    drops: { network: 0, reload: 0, reconnected: 0, rejoined: 0, failed: 0 }, recordsChecked: 0, recordsBad: [],
  };
  if (!m.stockDecoder) useFastStringDecoder();
  const rules = loadRulesFile(m.rulesPath);
  roles = rules.roles.map((r) => r.id);
  levers = Object.fromEntries(rules.roles.map((r) => [r.id, r.levers[0].id]));
  setupStart = performance.now();

  await createMatches();
  await connectClients();
  stats.setupMs = performance.now() - setupStart;
  cpuAtGo = cpuNow();
  stats.cpuSetupSeconds = cpuAtGo;
  send({ type: 'connected', worker: job.worker, created: stats.matchesCreated, connected: stats.clientsConnected });
  if (!stopping) await new Promise<void>((r) => { resolveGo = r; });
  if (stopping) return;
  started = true;
  goAt = performance.now();
  cpuAtGo = cpuNow();
  loop.enable();
  let tick = Date.now();
  stallTimer = setInterval(() => {
    const now = Date.now();
    if (now - tick - 50 > 100 && stats.stalls.length < 1000) stats.stalls.push({ at: tick, ms: now - tick - 50 });
    tick = now;
  }, 50);
  for (const match of matches) {
    if (match.broken) continue;
    const start = job.lockstep ? 0 : Math.random() * job.startSpreadMs;
    for (const bot of match.bots) later(match, start, () => consider(bot));
  }
  checkAllDone();
}

// ---- setting up -----------------------------------------------------------------------------

async function createMatches(): Promise<void> {
  let next = 0;
  const one = async () => {
    while (next < job.matches && !stopping) {
      const match = await createMatch(next++);
      if (match) matches.push(match);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, job.createConcurrency) }, one));
  matches.sort((a, b) => a.index - b.index);
}

async function createMatch(index: number): Promise<MatchRun | null> {
  const seats: Record<string, number> = {};
  for (const r of roles) seats[r] = 0;
  for (const b of plan()) if (b.kind === 'player') seats[b.role]++;
  const timers = { briefing: 0, negotiation: 0, orders: 0, report: 0 };
  const body = job.classMatches ? { mode: 'class', seats, timers } : { mode: 'online', visibility: 'private', seats, timers };
  for (let attempt = 0; ; attempt++) {
    const t = performance.now();
    try {
      const res = await fetchAgain(`${job.url}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      if (res.status === 429 && attempt < 30 && !stopping) { bump(stats.errors, 'create: 429 rate limited (retried)'); await sleep(2000); continue; }
      if (res.status !== 201) { bump(stats.errors, `create: HTTP ${res.status} ${text.slice(0, 120)}`); return null; }
      const created = JSON.parse(text) as { roomId: string; code: string; facilitatorKey?: string | null };
      stats.createMs.push(performance.now() - t);
      stats.matchesCreated++;
      return { index, roomId: created.roomId, code: created.code, bots: [], byRole: new Map(), lastAct: new Map(), done: false, broken: false, timers: new Set(), facilitatorKey: created.facilitatorKey ?? null };
    } catch (err) {
      bump(stats.errors, `create: ${(err as Error).message}`);
      return null;
    }
  }
}

/** Most people on one class team (server/http/api.ts shares a class out up to 10 a team); the rest watch. */
const CLASS_TEAM_MOST = 10;

/**
 * Who a match's clients are. Online: roles in order, then the extra people on the first roles. Class: the
 * facilitator, then students dealt round the teams up to 10 a team, then watchers.
 */
function plan(): { kind: Bot['kind']; role: string; member: number }[] {
  const out: { kind: Bot['kind']; role: string; member: number }[] = [];
  const perRole = new Map<string, number>();
  const students = job.classMatches ? job.clientsPerMatch - 1 : job.clientsPerMatch;
  if (job.classMatches) out.push({ kind: 'facilitator', role: '', member: 0 });
  for (let i = 0; i < students; i++) {
    const role = roles[i % roles.length];
    const member = perRole.get(role) ?? 0;
    if (job.classMatches && member >= CLASS_TEAM_MOST) { out.push({ kind: 'watcher', role: '', member: i }); continue; }
    perRole.set(role, member + 1);
    out.push({ kind: 'player', role, member });
  }
  return out;
}

function botsFor(match: MatchRun): Bot[] {
  for (const { kind, role, member } of plan()) {
    const bot: Bot = { match, kind, role, member, room: null, key: '', acted: '', left: false, seatToken: null, away: false, backAt: 0, joinedAt: 0, personId: '', measureFrame: null, awaitingChat: false };
    match.bots.push(bot);
    if (kind !== 'player') continue;
    if (!match.byRole.has(role)) match.byRole.set(role, []);
    match.byRole.get(role)!.push(bot);
  }
  return match.bots;
}

function joinOptionsOf(bot: Bot): Record<string, unknown> {
  if (bot.kind === 'facilitator') return { facilitatorKey: bot.match.facilitatorKey };
  if (bot.kind === 'watcher') return { spectator: true, name: `Watcher ${bot.match.index}-${bot.member}` };
  return { name: `Load ${bot.match.index}-${bot.role}-${bot.member}`, role: bot.role };
}

async function connectClients(): Promise<void> {
  const pending = matches.flatMap(botsFor);
  for (let i = 0; i < pending.length && !stopping; i += job.rampBatch) {
    await Promise.all(pending.slice(i, i + job.rampBatch).map(joinOne));
    send({ type: 'progress', worker: job.worker, created: stats.matchesCreated, connected: stats.clientsConnected });
  }
  for (const match of matches) if (match.bots.some((b) => !b.room)) breakMatch(match, 'join: match left out because one of its clients could not join');
}

async function joinOne(bot: Bot): Promise<boolean> {
  if (bot.match.broken) return false;
  const t = performance.now();
  try {
    const room = await new Client(job.url).joinById(bot.match.roomId, joinOptionsOf(bot));
    stats.joinMs.push(performance.now() - t);
    stats.clientsConnected++;
    connectedNow++;
    stats.clientsPeak = Math.max(stats.clientsPeak, connectedNow);
    attach(bot, room);
    return true;
  } catch (err) {
    bump(stats.errors, `join: ${(err as Error).message.slice(0, 140)}`);
    bot.match.broken = true;
    return false;
  }
}

function attach(bot: Bot, room: Room<any, any>): void {
  bot.room = room;
  bot.joinedAt = performance.now();
  room.onMessage('welcome', (w: { seatToken?: string | null; personId?: string }) => {
    bump(stats.received, 'welcome');
    if (w?.seatToken) bot.seatToken = w.seatToken;
    if (w?.personId) bot.personId = w.personId;
  });
  // the SDK's own listener came first: by now the frame is decoded and onState has said what it carried
  const ws = (room.connection as unknown as { transport?: { ws?: { addEventListener?: (type: 'message', fn: (ev: { data: ArrayBuffer | Uint8Array }) => void) => void } } }).transport?.ws;
  ws?.addEventListener?.('message', (ev) => {
    if (!started) return;
    const bytes = ev.data.byteLength;
    stats.bytesReceived += bytes;
    if (bot.measureFrame === 'quarter') stats.quarterBytes.push(bytes);
    else if (bot.measureFrame === 'chat') stats.chatBytes.push(bytes);
    bot.measureFrame = null;
  });
  room.onMessage('ok', () => bump(stats.received, 'ok'));
  room.onMessage('error', (e: { type?: string; message?: string }) => {
    bump(stats.received, 'error');
    bump(stats.errors, `server error reply to ${e?.type}: ${String(e?.message).slice(0, 140)}`);
  });
  room.onMessage('*', (type: string | number) => bump(stats.received, String(type)));
  room.onStateChange(() => { if (bot.room === room) onState(bot); });
  room.onError((code: number, message?: string) => bump(stats.errors, `room error ${code}: ${message ?? ''}`));
  room.onReconnect(() => { if (bot.room !== room) return; stats.drops.reconnected++; back(bot); });
  room.onLeave((code: number) => {
    if (bot.room !== room) return;
    if (!bot.left) { connectedNow--; bot.left = true; }
    if (!bot.match.done && !stopping && !finished) bump(stats.errors, `left the room unexpectedly (code ${code})`);
  });
}

// ---- soak: connections that drop and come back ----------------------------------------------

/** Half the time the network drops (the SDK reconnects by itself), half the time the page reloads (a new client joins with the seat token). */
function drop(bot: Bot): void {
  const room = bot.room;
  if (!room || bot.away || bot.match.done) return;
  bot.away = true;
  if (Math.random() < 0.5 && performance.now() - bot.joinedAt > 10_000) {
    stats.drops.network++;
    const ws = (room.connection as unknown as { transport?: { ws?: { terminate?: () => void } } }).transport?.ws;
    if (ws?.terminate) { ws.terminate(); return; }
  }
  stats.drops.reload++;
  bot.room = null;
  void room.leave(true).catch(() => undefined);
  later(bot.match, 500 + Math.random() * 2500, () => void rejoin(bot));
}

async function rejoin(bot: Bot): Promise<void> {
  if (bot.match.done || stopping || finished) return;
  try {
    if (!bot.seatToken) throw new Error('no seat token was given at the first join');
    const room = await new Client(job.url).joinById(bot.match.roomId, { seatToken: bot.seatToken });
    stats.drops.rejoined++;
    attach(bot, room);
    back(bot);
    onState(bot);
  } catch (err) {
    stats.drops.failed++;
    bump(stats.errors, `rejoin with the seat token: ${(err as Error).message.slice(0, 140)}`);
    breakMatch(bot.match, 'a match lost a client that could not come back');
  }
}

function back(bot: Bot): void {
  bot.away = false;
  bot.backAt = performance.now();
  // what it missed while away is in the state it has now: act on it
  bot.acted = '';
  if (bot.room && started) consider(bot);
}

/** Reads a finished match's record back and checks that every quarter it played is there, once, in order. */
async function checkRecord(match: MatchRun, quarters: number): Promise<void> {
  try {
    const res = await fetchAgain(`${job.url}/api/matches/${match.code}/record`, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const record = await res.json() as { turns?: { turn: number }[] };
    const turns = (record.turns ?? []).map((t) => t.turn);
    stats.recordsChecked++;
    const expected = Array.from({ length: quarters }, (_, i) => i);
    if (JSON.stringify(turns) !== JSON.stringify(expected) && stats.recordsBad.length < 20) stats.recordsBad.push(`${match.code}: quarters ${turns.join(',')} where ${quarters} were played`);
  } catch (err) {
    bump(stats.errors, `record of a finished match: ${(err as Error).message.slice(0, 140)}`);
  }
}

/** Soak: a finished match makes way for a new one while the soak lasts, so the number of matches stays up. */
async function replace(): Promise<void> {
  const match = await createMatch(matches.length);
  if (!match || stopping || finished) return;
  matches.push(match);
  stats.matchesWanted++;
  const bots = botsFor(match);
  stats.clientsWanted += bots.length;
  const joined = await Promise.all(bots.map(joinOne));
  if (!joined.every(Boolean)) { breakMatch(match, 'join: a replacement match could not seat every client'); return; }
  for (const bot of bots) later(match, Math.random() * 1000, () => consider(bot));
}

function breakMatch(match: MatchRun, why: string): void {
  if (!match.broken) bump(stats.errors, why);
  match.broken = true;
  closeMatch(match);
}

// ---- playing --------------------------------------------------------------------------------

function onState(bot: Bot): void {
  stats.patches++;
  const state = bot.room!.state;
  if (bot.awaitingChat) { bot.awaitingChat = false; bot.measureFrame = 'chat'; }
  const key = `${state.phase}/${state.turn}`;
  if (key === bot.key) return;
  const now = performance.now();
  const previous = bot.key;
  bot.key = key;
  const match = bot.match;
  const actedAt = match.lastAct.get(previous);
  // a client that was away sees the change when it comes back: that wait is the absence, not the server
  if (actedAt !== undefined && bot.backAt < actedAt) {
    if (previous.startsWith('orders/')) {
      stats.resolutionMs.push(now - actedAt);
      if (started) bot.measureFrame = 'quarter';
      const q = Number(previous.slice('orders/'.length));
      (stats.resolutionByQuarter[q] ??= []).push(now - actedAt);
      if (match.bots.every((b) => b.key !== previous && b.key !== '')) stats.quartersResolved++;
    } else stats.phaseMs.push(now - actedAt);
  }
  if (started && job.dropRate > 0 && !match.done && !stopping && Math.random() < job.dropRate) { drop(bot); return; }
  if (started) consider(bot);
}

/** A bot that speaks for its team this quarter acts on the phase it sees: ready, or submit an order. */
function consider(bot: Bot): void {
  const match = bot.match;
  if (match.done || match.broken || stopping || !bot.room || bot.away) return;
  const state = bot.room.state;
  const phase: string = state.phase, turn: number = state.turn;
  // turns count from 0: after T quarters the state is at turn T; a soak plays every match to its ending
  if (phase === 'ended' || (turn >= job.turns && !job.soakMs)) { matchProgress(match); return; }
  const key = `${phase}/${turn}`;
  if (bot.acted === key) return;
  // a class starts when its facilitator says so; watchers only watch
  if (bot.kind !== 'player') {
    if (bot.kind !== 'facilitator' || phase !== 'lobby') return;
    bot.acted = key;
    later(match, delayFor(phase), () => {
      if (!bot.room || match.done || stopping || bot.key !== key) return;
      match.lastAct.set(key, performance.now());
      bot.room.send('control', { action: 'start' });
      bump(stats.sent, 'control');
    });
    return;
  }
  if (phase === 'lobby' && job.classMatches) return;
  if (!['lobby', 'briefing', 'negotiation', 'report', 'orders'].includes(phase)) return;
  const team = match.byRole.get(bot.role)!;
  // in a class only the team's lead may submit (its first to join); anyone on the team may say it is ready
  const lead = job.classMatches && phase === 'orders' ? team.find((b) => b.personId && b.personId === bot.room?.state.teams?.get(bot.role)?.lead) : undefined;
  if ((lead ?? team[turn % team.length]) !== bot) return;
  bot.acted = key;
  if (job.chat && phase === 'negotiation' && roles[turn % roles.length] === bot.role) {
    // the chat goes out on its own, before the team's ready, so its patch is the chat's alone
    later(match, job.lockstep ? 0 : delayFor(phase) / 2, () => {
      if (!bot.room || match.done || stopping || bot.key !== key) return;
      for (const b of match.bots) b.awaitingChat = true;
      bot.room.send('chat', { to: 'all', text: `Quarter ${turn + 1}: we hold our course on compute and will report back.` });
      bump(stats.sent, 'chat');
      stats.chats++;
    });
  }
  later(match, delayFor(phase), () => {
    if (!bot.room || match.done || stopping || bot.key !== key) return;
    if (phase === 'orders') {
      let budget = 0;
      // the team view is synced in parts: its numbers by path
      try { budget = bot.room.state.teams?.get(bot.role)?.view?.numbers?.get('/budget') ?? 0; }
      catch { bump(stats.errors, 'could not read the team view'); }
      if (!budget) bump(stats.errors, 'no budget in the team view (sent an empty order)');
      match.lastAct.set(key, performance.now());
      bot.room.send('submit', { order: { spend: { [levers[bot.role]]: Math.floor(budget * 50) / 100 } } });
      bump(stats.sent, 'submit');
    } else {
      match.lastAct.set(key, performance.now());
      bot.room.send('ready', { ready: true });
      bump(stats.sent, 'ready');
    }
  });
}

/** How long a team thinks before acting: a jittered pause, or (lockstep) until the next tick of the shared clock. */
function delayFor(phase: string): number {
  const period = job.thinkMs > 0 ? job.thinkMs : 1000;
  if (job.lockstep) { const now = Date.now(); return epoch + Math.ceil((now - epoch + 1) / period) * period - now; }
  return phase === 'lobby' || job.thinkMs <= 0 ? 0 : job.thinkMs * (0.5 + Math.random());
}

function later(match: MatchRun, ms: number, fn: () => void): void {
  const t = setTimeout(() => { match.timers.delete(t); fn(); }, ms);
  match.timers.add(t);
}

/** A match is done when every one of its clients has seen the last quarter asked for resolve (or the end). */
function matchProgress(match: MatchRun): void {
  if (match.done) return;
  const over = (b: Bot) => { const s = b.room?.state; return !b.away && !!s && (s.phase === 'ended' || (s.turn >= job.turns && !job.soakMs)); };
  if (!match.bots.every(over)) return;
  match.done = true;
  stats.matchesCompleted++;
  const player = match.bots.find((b) => b.kind === 'player') ?? match.bots[0];
  const s = player.room!.state;
  if (job.soakMs) {
    recordChecks.push(checkRecord(match, s.turn));
    if (performance.now() - goAt < job.soakMs && !stopping) { replacing++; void replace().finally(() => { replacing--; checkAllDone(); }); }
  }
  if (s.phase === 'ended' && s.turn < job.turns) stats.matchesEndedEarly++;
  const team = s.teams?.get(player.role);
  const big = stats.largestStrings;
  big.public = Math.max(big.public, String(s.public ?? '').length);
  big.view = Math.max(big.view, String(team?.view ?? '').length);
  big.feed = Math.max(big.feed, String(team?.feed ?? '').length);
  closeMatch(match);
  checkAllDone();
}

function closeMatch(match: MatchRun): void {
  for (const t of match.timers) clearTimeout(t);
  match.timers.clear();
  for (const bot of match.bots) {
    if (bot.room && !bot.left) { bot.left = true; connectedNow--; void bot.room.leave(true).catch(() => undefined); }
    // a soak plays thousands of matches: a finished one's clients (and their synced state) are let go
    if (match.done) bot.room = null;
  }
}

let replacing = 0;
const recordChecks: Promise<void>[] = [];
function checkAllDone(): void {
  if (started && replacing === 0 && matches.every((m) => m.done || m.broken)) void finish();
}

async function finish(): Promise<void> {
  if (finished) return;
  finished = true;
  if (!stats) process.exit(0);
  stats.playMs = goAt ? performance.now() - goAt : 0;
  if (!stats.setupMs) { stats.setupMs = performance.now() - setupStart; stats.cpuSetupSeconds = cpuNow(); }
  else stats.cpuPlaySeconds = cpuNow() - cpuAtGo;
  stats.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  loop.disable();
  if (stallTimer) clearInterval(stallTimer);
  if (loop.count) stats.loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  for (const match of matches) closeMatch(match);
  await Promise.all(recordChecks);
  send({ type: 'result', stats });
  // give the leave frames a moment to go out, then go
  await sleep(500);
  process.exit(0);
}
