// Nothing lost: a dropped connection comes back to its seat, and a server killed mid-match brings every match back.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { matchMaker } from '@colyseus/core';
import { bootServer, api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';

const ROLES = ['usGov', 'usLab', 'cnGov', 'cnLab'] as const;
const LEVER: Record<string, string> = { usGov: 'bis', usLab: 'training', cnGov: 'fabs', cnLab: 'training' };

async function playUntil(teacher: Player, players: Record<string, Player>, turn: number, phase: string) {
  while (!(teacher.room.state.turn === turn && teacher.room.state.phase === phase)) {
    const here = `${teacher.room.state.phase}/${teacher.room.state.turn}`;
    await waitFor(() => Object.values(players).every((p) => `${p.room.state.phase}/${p.room.state.turn}` === here), `everyone at ${here}`).catch((e) => { throw new Error(`${e.message}; players at ${Object.values(players).map((p) => `${p.room.state.phase}/${p.room.state.turn}`).join(" ")}; teacher ${teacher.room.state.phase}/${teacher.room.state.turn}`); });
    if (teacher.room.state.phase === 'orders') for (const r of ROLES) await players[r].ask('submit', { order: { spend: { [LEVER[r]]: 3 } } });
    else for (const r of ROLES) await players[r].ask('ready', { ready: true });
    await waitFor(() => `${teacher.room.state.phase}/${teacher.room.state.turn}` !== here, `${here} to close`);
  }
}

describe('a dropped connection', () => {
  let server: Awaited<ReturnType<typeof bootServer>> | undefined;
  afterAll(async () => { await server?.close(); });

  it('reconnects to the same seat by itself', async () => {
    server = await bootServer();
    const created = await api(server.base, '/api/matches', { mode: 'online', timers: NO_TIMERS });
    const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usLab' });
    ana.room.reconnection.minUptime = 0;
    const reconnected = new Promise<void>((resolve) => ana.room.onReconnect(() => resolve()));
    // cut the socket without a goodbye, as a train going into a tunnel would
    const room = matchMaker.getLocalRoomById(roomId) as unknown as { clients: { sessionId: string; ref: { terminate(): void } }[] };
    room.clients.find((c) => c.sessionId === ana.room.sessionId)!.ref.terminate();
    await waitFor(() => ana.room.state.people.get(ana.welcome.personId)?.connected === false || true, 'the drop');
    await reconnected;
    await waitFor(() => ana.room.state.people.get(ana.welcome.personId)?.connected === true, 'the seat marked connected again');
    expect((await ana.ask('ready', { ready: true })).ok).toBe(true);
    await waitFor(() => ana.room.state.phase === 'briefing', 'the match starting');
    expect(ana.team().view.roleId).toBe('usLab');
  });
});

describe('a server killed mid-match', () => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'w2028-restart-'));
  let child: ChildProcess | null = null;
  afterAll(() => { child?.kill('SIGKILL'); rmSync(dataDir, { recursive: true, force: true }); });

  const freePort = () => new Promise<number>((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
  async function start(port: number): Promise<ChildProcess> {
    const proc = spawn(process.execPath, [fileURLToPath(new URL('../../server/cli/serve.ts', import.meta.url))], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => false, 'nothing', 0).catch(() => undefined);
    const t0 = Date.now();
    for (;;) {
      try { if ((await fetch(`${base}/healthz`)).ok) return proc; } catch { /* not yet */ }
      if (Date.now() - t0 > 15_000) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('comes back at the same quarter with every submission, draft and chat, and people retake their seats', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = await start(port);
    const created = await api(base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 }, timers: NO_TIMERS });
    const { code, facilitatorKey } = created.body;
    let roomId = (await api(base, `/api/matches/${code}`)).body.roomId;
    let teacher = await join(base, roomId, { facilitatorKey });
    let players: Record<string, Player> = {};
    for (const r of ROLES) players[r] = await join(base, roomId, { name: r, role: r });
    const tokens = Object.fromEntries(ROLES.map((r) => [r, players[r].welcome.seatToken!]));
    await teacher.ask('control', { action: 'start' });
    await playUntil(teacher, players, 2, 'orders');
    // mid-quarter: two teams have submitted, one has a draft, and there is a chat
    expect((await players.usGov.ask('submit', { order: { spend: { bis: 2.5 } } })).ok).toBe(true);
    expect((await players.cnGov.ask('submit', { order: { spend: { fabs: 4.25 } } })).ok).toBe(true);
    expect((await players.usLab.ask('draft', { order: { spend: { training: 20.5 } } })).ok).toBe(true);
    expect((await players.cnLab.ask('chat', { to: 'all', text: 'Still here?' })).ok).toBe(true);
    await waitFor(() => teacher.desk()?.chat.length === 1 && teacher.room.state.roles.get('cnGov').submitted, 'the changes to land');
    const before = { state: JSON.stringify(teacher.desk()!.state), phase: teacher.room.state.phase, turn: teacher.room.state.turn };

    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    for (const p of [teacher, ...Object.values(players)]) { p.room.reconnection.enabled = false; p.room.removeAllListeners?.(); }
    child = await start(port);

    // the same code finds the match again, in a new room
    const info = (await api(base, `/api/matches/${code}`)).body;
    expect(info.status).toBe('open');
    roomId = info.roomId;
    teacher = await join(base, roomId, { facilitatorKey });
    players = {};
    for (const r of ROLES) players[r] = await join(base, roomId, { seatToken: tokens[r] });
    for (const r of ROLES) expect(players[r].welcome.role).toBe(r);
    await waitFor(() => teacher.desk() !== null && teacher.room.state.phase === 'orders', 'the restored state');
    expect(teacher.room.state.turn).toBe(before.turn);
    expect(JSON.stringify(teacher.desk()!.state)).toBe(before.state);
    expect(teacher.room.state.roles.get('usGov').submitted).toBe(true);
    expect(teacher.room.state.roles.get('cnGov').submitted).toBe(true);
    expect(teacher.room.state.roles.get('usLab').submitted).toBe(false);
    await waitFor(() => players.usLab.team()?.draft?.spend?.training === 20.5, 'the draft');
    expect(players.usGov.publicDoc().chat[0].text).toBe('Still here?');

    // and the quarter finishes with the submissions made before the crash
    expect((await players.usLab.ask('submit', { order: players.usLab.team().draft })).ok).toBe(true);
    expect((await players.cnLab.ask('submit', { order: { spend: { training: 3 } } })).ok).toBe(true);
    await waitFor(() => teacher.room.state.turn === before.turn + 1, 'the quarter to resolve');
    const record = (await api(base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey })).body;
    const last = record.turns.at(-1).orders;
    expect(last.usGov.spend.bis).toBe(2.5);
    expect(last.cnGov.spend.fabs).toBe(4.25);
    expect(last.usLab.spend.training).toBe(20.5);
    for (const p of [teacher, ...Object.values(players)]) await p.room.leave().catch(() => undefined);
  });

  it('stops cleanly on SIGTERM, and what it held is there on the next start', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child?.kill('SIGKILL');
    child = await start(port);
    const created = await api(base, '/api/matches', { mode: 'online', timers: NO_TIMERS });
    const { roomId } = (await api(base, `/api/matches/${created.body.code}`)).body;
    const ana = await join(base, roomId, { name: 'Ana', role: 'usGov' });
    expect((await ana.ask('chat', { to: 'all', text: 'before the restart' })).ok).toBe(true);
    ana.room.reconnection.enabled = false;
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = await start(port);
    const again = (await api(base, `/api/matches/${created.body.code}`)).body;
    const back = await join(base, again.roomId, { seatToken: ana.welcome.seatToken });
    await waitFor(() => back.publicDoc()?.chat?.length === 1, 'the chat from before');
    await back.room.leave();
  });
});
