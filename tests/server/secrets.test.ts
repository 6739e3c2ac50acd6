// Secrets stay secret: a short class match is played with a facilitator key and seat tokens, then every log line,
// record, CSV export, HTTP answer, store file and every byte each client received is searched for the key, each
// token and their sha-256 hashes. Only a client's own `welcome` may carry its own token. Tokens hold >= 128 bits.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { Writable } from 'node:stream';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { hashSecret } from '../../server/security.ts';
import { api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';

// ---- everything that leaves the server ------------------------------------------------------------------------

/** Every frame each client socket received, recorded below the SDK (ws is also what the SDK connects with). */
const framesBySocket = new Map<object, Buffer[]>();
const originalEmit = WebSocket.prototype.emit;
function recordFrames(this: WebSocket & { _isServer?: boolean }, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'message' && !this._isServer) {
    const data = args[0];
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data as Buffer[]) : Buffer.from(data as ArrayBuffer);
    if (!framesBySocket.has(this)) framesBySocket.set(this, []);
    framesBySocket.get(this)!.push(Buffer.from(bytes));
  }
  return originalEmit.call(this, event, ...args);
}

const logText: string[] = [];
const logSink = new Writable({ write(chunk, _enc, done) { logText.push(String(chunk)); done(); } });
/** anything written to the console or the process's stdout/stderr while the match runs (Colyseus logs there) */
const consoleText: string[] = [];

const http: { what: string; text: string }[] = [];
async function fetchText(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, { headers });
  const text = await res.text();
  http.push({ what: `GET ${path}`, text });
  return { status: res.status, text };
}

// ---- the match --------------------------------------------------------------------------------------------

let server: RunningServer & { base: string };
let dataDir: string;
let code: string, facilitatorKey: string;
const people: Record<string, Player> = {};
/** the seat token each named person was given, and whose it is */
const tokens: Record<string, string> = {};

beforeAll(async () => {
  WebSocket.prototype.emit = recordFrames as typeof WebSocket.prototype.emit;
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[m].bind(console);
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => { consoleText.push(args.map(String).join(' ')); original(...args); });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => { consoleText.push(String(chunk)); return (original as (...a: unknown[]) => boolean)(chunk, ...rest); }) as typeof stream.write);
  }
  dataDir = mkdtempSync(joinPath(tmpdir(), 'secrets-test-'));
  const running = await startServer({ port: 0, storePath: joinPath(dataDir, 'matches.sqlite'), logger: createLogger({ level: 'trace', destination: logSink }) });
  server = Object.assign(running, { base: `http://127.0.0.1:${running.port}` });
  const base = server.base;

  const created = await api(base, '/api/matches', { mode: 'class', seats: { usGov: 2, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
  expect(created.status).toBe(201);
  ({ code, facilitatorKey } = created.body);
  const roomId = (await api(base, `/api/matches/${code}`)).body.roomId;
  people.teacher = await join(base, roomId, { facilitatorKey });
  people.ana = await join(base, roomId, { name: 'Ana', role: 'usGov' });
  people.ben = await join(base, roomId, { name: 'Ben', role: 'usGov' });
  people.wei = await join(base, roomId, { name: 'Wei', role: 'cnGov' });
  people.projector = await join(base, roomId, { name: 'Projector', spectator: true });
  for (const name of ['ana', 'ben', 'wei']) tokens[name] = people[name].welcome.seatToken!;

  // someone leaves and comes back with the token their browser kept; strangers try keys that are not this match's
  await people.ben.room.leave();
  people.benAgain = await join(base, roomId, { seatToken: tokens.ben });
  expect(people.benAgain.welcome.personId).toBe(people.ben.welcome.personId);
  await expect(join(base, roomId, { seatToken: `${tokens.wei.slice(0, -2)}xx` })).rejects.toThrow(/not for a seat/);
  await expect(join(base, roomId, { facilitatorKey: `${facilitatorKey.slice(0, -2)}xx` })).rejects.toThrow(/not this match/);

  // a quarter and a half of play: chat, drafts, a proposal, orders, the report, then the facilitator ends it
  const { teacher, ana, benAgain, wei } = people;
  expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
  expect((await ana.ask('chat', { to: 'all', text: 'Hello from the US' })).ok).toBe(true);
  expect((await wei.ask('chat', { to: 'facilitator', text: 'A question for the teacher' })).ok).toBe(true);
  expect((await teacher.ask('chat', { to: 'all', text: 'Ten minutes left' })).ok).toBe(true);
  expect((await ana.ask('draft', { order: { spend: { bis: 1 } } })).ok).toBe(true);
  expect((await benAgain.ask('draft', { order: { spend: { bis: 2 } } })).ok).toBe(true);
  expect((await teacher.ask('control', { action: 'skipPhase' })).ok).toBe(true);
  await waitFor(() => ana.room.state.phase === 'negotiation', 'the negotiation');
  await wei.ask('propose', { proposalId: 'jointSafetyEvals', to: 'usGov' });
  expect((await teacher.ask('control', { action: 'skipPhase' })).ok).toBe(true);
  await waitFor(() => ana.room.state.phase === 'orders', 'the orders');
  expect((await ana.ask('submit', { order: { spend: { bis: 1 } } })).ok).toBe(true);
  expect((await wei.ask('submit', { order: { spend: {} } })).ok).toBe(true);
  await waitFor(() => ana.room.state.phase === 'report', 'the report');

  // the record and exports while the match runs: public, and full with the key (header and query)
  for (const path of ['/api/matches', `/api/matches/${code}`, `/api/matches/${code}/rules`, `/api/matches/${code}/record`, `/api/matches/${code}/timeline.csv`, '/healthz']) {
    expect((await fetchText(base, path)).status).toBe(200);
  }
  expect((await fetchText(base, `/api/matches/${code}/record`, { 'x-facilitator-key': facilitatorKey })).status).toBe(200);
  expect((await fetchText(base, `/api/matches/${code}/decisions.csv?key=${encodeURIComponent(facilitatorKey)}`)).status).toBe(200);
  expect((await fetchText(base, `/api/matches/${code}/record?key=${encodeURIComponent(`${facilitatorKey}x`)}`)).status).toBe(403);

  expect((await teacher.ask('control', { action: 'skipPhase' })).ok).toBe(true);
  await waitFor(() => ana.room.state.phase === 'briefing' && ana.room.state.turn === 1, 'the second quarter');
  expect((await wei.ask('chat', { to: 'usGov', text: 'Shall we talk?' })).ok).toBe(true);
  expect((await teacher.ask('control', { action: 'end' })).ok).toBe(true);
  await waitFor(() => ana.room.state.phase === 'ended', 'the end');

  // after the end: everything is public
  for (const path of [`/api/matches/${code}/record`, `/api/matches/${code}/timeline.csv`, `/api/matches/${code}/decisions.csv`, `/api/matches/${code}`]) {
    expect((await fetchText(base, path)).status).toBe(200);
  }
  expect((await fetchText(base, `/api/matches/${code}/record`, { 'x-facilitator-key': facilitatorKey })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  for (const p of Object.values(people)) if (p.room.connection.isOpen) await Promise.race([p.room.leave().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  await server?.close();
  vi.restoreAllMocks();
  WebSocket.prototype.emit = originalEmit;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// ---- the search -------------------------------------------------------------------------------------------

/** Each secret in the forms it could leak in: as given, and its sha-256 (hex, as the store keeps it). */
function forms(secret: string): string[] {
  return [secret, hashSecret(secret), Buffer.from(secret, 'base64url').toString('hex'), Buffer.from(secret, 'base64url').toString('base64')];
}
function secrets(): { name: string; owner: string | null; values: string[] }[] {
  return [
    { name: 'the facilitator key', owner: null, values: forms(facilitatorKey) },
    ...Object.entries(tokens).map(([name, token]) => ({ name: `${name}'s seat token`, owner: name, values: forms(token) })),
  ];
}
function leaks(where: string, text: string): string[] {
  return secrets().flatMap((s) => s.values.filter((v) => text.includes(v)).map((v) => `${s.name} (${v === s.values[0] ? 'as is' : 'a hash or re-encoding'}) in ${where}`));
}

/** Whether a frame is a room message of the given type (ROOM_DATA, then the type as a msgpack string). */
function isMessage(frame: Buffer, type: string): boolean {
  const name = Buffer.from(type);
  return (frame[0] & 31) === 13 && frame[1] === (0xa0 | name.length) && frame.subarray(2, 2 + name.length).equals(name);
}

describe('secrets', () => {
  it('are random, at least 128 bits, and distinct', () => {
    const all = [facilitatorKey, ...Object.values(tokens)];
    expect(new Set(all).size).toBe(all.length);
    for (const s of all) {
      expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
      const bytes = Buffer.from(s, 'base64url');
      expect(bytes.toString('base64url')).toBe(s);
      expect(bytes.length * 8).toBeGreaterThanOrEqual(128);
      // not a counter or a constant: a fair share of distinct byte values
      expect(new Set(bytes).size).toBeGreaterThan(bytes.length / 2);
    }
  });

  it('never reach the logs (structured or console)', () => {
    const logs = logText.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toMatch(/"msg":"joined"/);
    expect(leaks('the structured logs', logs)).toEqual([]);
    expect(leaks('console output', consoleText.join('\n'))).toEqual([]);
  });

  it('never reach a record, a CSV export or any other HTTP answer', () => {
    if (process.env.SHOW_HTTP) for (const h of http) console.log(h.what, h.text.slice(0, 400));
    expect(http.some((h) => h.what.includes('/decisions.csv') && h.text.split('\n').length > 2)).toBe(true);
    expect(http.some((h) => h.what.endsWith('/record') && h.text.includes('"full":true'))).toBe(true);
    expect(http.flatMap((h) => leaks(h.what, h.text))).toEqual([]);
  });

  it('never reach a client except its own token in its own welcome', () => {
    let frames = 0;
    const found: string[] = [];
    const sawOwnWelcome = new Set<string>();
    for (const [name, player] of Object.entries(people)) {
      const socket = (player.room.connection as unknown as { transport: { ws: object } }).transport.ws;
      const received = framesBySocket.get(socket) ?? [];
      expect(received.length, `${name} received frames`).toBeGreaterThan(2);
      frames += received.length;
      const own = name === 'benAgain' ? null : name;
      for (const frame of received) {
        const text = frame.toString('latin1') + frame.toString('utf8');
        for (const s of secrets()) {
          for (const v of s.values) {
            if (!text.includes(v)) continue;
            if (s.owner === own && v === s.values[0] && isMessage(frame, 'welcome')) { sawOwnWelcome.add(name); continue; }
            found.push(`${s.name} in a frame ${name} received: ${JSON.stringify(frame.toString('utf8').slice(0, 120))}`);
          }
        }
      }
      // and in what the SDK decoded from them
      found.push(...leaks(`${name}'s synced state`, JSON.stringify(player.room.state.toJSON())));
      const messages = JSON.stringify([player.oks, player.errors]);
      found.push(...leaks(`${name}'s ok and error messages`, messages));
    }
    // the search does see a token where one is: in each new person's own welcome
    expect([...sawOwnWelcome].sort()).toEqual(['ana', 'ben', 'wei']);
    expect(people.ana.welcome.seatToken).toBe(tokens.ana);
    expect(people.teacher.welcome.seatToken).toBeNull();
    expect(people.benAgain.welcome.seatToken).toBeNull();
    expect(frames).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });

  it('are kept in the store only as hashes', () => {
    const files = readdirSync(dataDir).filter((f) => f.startsWith('matches.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(files.map((f) => readFileSync(joinPath(dataDir, f))));
    const text = bytes.toString('latin1');
    for (const s of secrets()) expect(text.includes(s.values[0]), `${s.name} in the store`).toBe(false);
    // the hashes are there (that is how a returning person and the facilitator are recognised)
    expect(text.includes(hashSecret(tokens.ana))).toBe(true);
  });
});
