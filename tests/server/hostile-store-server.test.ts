// A damaged or full store, seen from a running server (issue 12, item 11): a damaged match is listed by /healthz and
// answers a 500 that says so; on a full disk a refused action changes nothing and the error says why; server errors
// carry a request id.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { matchMaker } from '@colyseus/core';
import { bootServer, api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';
import { createLogger } from '../../server/log.ts';
import type { MatchRoom } from '../../server/rooms/MatchRoom.ts';

const TWO_SEATS = { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 };
const dirs: string[] = [];
let server: Awaited<ReturnType<typeof bootServer>> | undefined;
const players: Player[] = [];
afterEach(async () => {
  await Promise.all(players.splice(0).map((p) => p.room.leave().catch(() => undefined)));
  await server?.close();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function collect(lines: Record<string, unknown>[]) {
  return createLogger({ level: 'info', destination: new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l)); done(); } }) });
}

/** The store's own SQLite connection made full, the way a full disk is: no page can be added. */
function fillStore(s: NonNullable<typeof server>): () => void {
  const db = (s.store as unknown as { file: { db: DatabaseSync } }).file.db;
  const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  db.exec(`PRAGMA max_page_count = ${pages + 4}`);
  db.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
  const insert = db.prepare('INSERT INTO filler VALUES (randomblob(64))');
  for (let i = 0; i < 100_000; i++) {
    try { insert.run(); } catch (err) { if (/full/.test((err as Error).message)) break; throw err; }
  }
  return () => { db.exec('DROP TABLE filler'); db.exec('PRAGMA max_page_count = 1073741823'); };
}

describe('a store damaged or full, under a running server', () => {
  it('a match whose log has a gap is listed by /healthz, and its code and record answer a 500 that says it is damaged', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'w2028-damaged-'));
    dirs.push(dir);
    const path = joinPath(dir, 'matches.sqlite');
    server = await bootServer({ storePath: path });
    const created = await api(server.base, '/api/matches', { mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS });
    const ana = await join(server.base, created.body.roomId, { name: 'Ana', role: 'usGov' });
    for (let i = 0; i < 3; i++) expect((await ana.ask('chat', { to: 'all', text: `hello ${i}` })).ok).toBe(true);
    await ana.room.leave();
    await server.close();
    const db = new DatabaseSync(path);
    db.prepare('DELETE FROM entries WHERE seq = 2').run();
    db.close();

    const lines: Record<string, unknown>[] = [];
    server = await bootServer({ storePath: path, logger: collect(lines) });
    const health = (await api(server.base, '/healthz')).body;
    expect(health.unrestored).toEqual([{ code: created.body.code, reason: expect.stringMatching(/log is damaged: entry 2 is missing/) }]);
    for (const route of ['', '/record', '/timeline.csv']) {
      const res = await api(server.base, `/api/matches/${created.body.code}${route}`);
      expect(res.status, route).toBe(500);
      expect(res.body, route).toMatchObject({ code: 'damaged', error: expect.stringMatching(new RegExp(`match ${created.body.code} is damaged in the store.*entry 2 is missing`)) });
    }
  });

  it('on a full disk a refused `ready` changes nothing, the answer says why, and it works once there is room', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'w2028-full-'));
    dirs.push(dir);
    server = await bootServer({ storePath: joinPath(dir, 'matches.sqlite'), limits: { messagesPerSecond: 1000, messageBurst: 1000 } });
    const created = await api(server.base, '/api/matches', { mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS });
    const ana = await join(server.base, created.body.roomId, { name: 'Ana', role: 'usGov' });
    // Wei never says ready, so Ana's flag changes without starting the match
    const wei = await join(server.base, created.body.roomId, { name: 'Wei', role: 'cnGov' });
    players.push(ana, wei);
    const room = matchMaker.getLocalRoomById(created.body.roomId) as MatchRoom;
    const free = fillStore(server);
    // the pages' last free bytes take a few entries more: flip the flag until the disk refuses one
    let flag = false;
    let refused: Awaited<ReturnType<Player['ask']>> | null = null;
    for (let i = 0; i < 500 && !refused; i++) {
      const answer = await ana.ask('ready', { ready: !flag });
      if (answer.ok) flag = !flag;
      else refused = answer;
    }
    expect(refused).toMatchObject({ ok: false, code: 'server-error', message: expect.stringMatching(/database or disk is full/) });
    expect(room.match.teams.usGov.ready).toBe(flag);
    await new Promise((r) => setTimeout(r, 100));
    expect(ana.room.state.roles.get('usGov').ready).toBe(flag);
    free();
    // its log ends with the last accepted flag: the refused one left nothing
    const readies = (await server.store.load(created.body.matchId))!.entries.filter((e) => e.entry.kind === 'ready');
    expect((readies.at(-1)?.entry as { ready?: boolean } | undefined)?.ready ?? false).toBe(flag);
    expect((await ana.ask('ready', { ready: !flag })).ok).toBe(true);
    await waitFor(() => ana.room.state.roles.get('usGov').ready === !flag, 'the ready flag');
  });

  it('a match created on a full disk answers a 500 with a request id; the log line has the id and "disk is full"', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'w2028-full-'));
    dirs.push(dir);
    const lines: Record<string, unknown>[] = [];
    server = await bootServer({ storePath: joinPath(dir, 'matches.sqlite'), logger: collect(lines) });
    fillStore(server);
    const res = await fetch(`${server.base}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS, rules: { upload: 'x'.repeat(20_000) } }) });
    expect(res.status).toBe(400);
    const made = await fetch(`${server.base}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'online', seats: TWO_SEATS, timers: NO_TIMERS }) });
    expect(made.status).toBe(500);
    const body = await made.json();
    expect(body).toMatchObject({ code: 'server-error', requestId: made.headers.get('x-request-id'), error: expect.stringContaining(body.requestId) });
    const line = lines.find((l) => l.msg === 'request failed');
    expect(line).toMatchObject({ level: 50, requestId: body.requestId, err: expect.stringMatching(/database or disk is full/) });
    // the refused upload before it: one line at info, no stack
    const refusedLines = lines.filter((l) => l.msg === 'request refused');
    expect(refusedLines.map((l) => [l.level, l.status])).toEqual([[30, 400]]);
    expect(JSON.stringify(refusedLines)).not.toMatch(/stack/);
  });
});
