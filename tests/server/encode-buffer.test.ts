// Every room's patches are encoded in one buffer of the process (server/rooms/encode-buffer.ts): matches changing at
// the same moment must still each reach their own clients whole, with nothing of another match in them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, sleep, NO_TIMERS, type Player } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => { server = await bootServer({ limits: { messagesPerSecond: 1000, messageBurst: 1000, hardMessagesPerSecond: 5000 } }); });
afterAll(async () => { await server?.close(); });

const ROLES = ['usGov', 'usLab', 'cnGov', 'cnLab'];

describe('one encode buffer for every room', () => {
  it('keeps three matches that change at once apart: each client decodes its own match, chat and quarter', async () => {
    const matches: { code: string; players: Player[]; watcher: Player }[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api(server.base, '/api/matches', { mode: 'online', visibility: 'private', seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 }, timers: NO_TIMERS });
      const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
      const players: Player[] = [];
      for (const role of ROLES) players.push(await join(server.base, roomId, { name: `${created.body.code} ${role}`, role }));
      matches.push({ code: created.body.code, players, watcher: await join(server.base, roomId, { spectator: true }) });
    }
    // every match's players talk and get ready at the same moment, so the rooms patch one after the other
    for (let round = 0; round < 6; round++) {
      const said = await Promise.all(matches.flatMap((m) => m.players.map((p, i) => p.ask('chat', { to: 'all', text: `${m.code} says ${round}.${i} ${'x'.repeat(100 + 120 * i)}` }))));
      expect(said.every((r) => r.ok), JSON.stringify(said.find((r) => !r.ok))).toBe(true);
    }
    // lobby, briefing, negotiation: every match's readies at once, each step
    for (let step = 0; step < 5 && !matches.every((m) => m.players[0].room.state.phase === 'orders'); step++) {
      const phases = matches.map((m) => m.players[0].room.state.phase);
      await Promise.all(matches.flatMap((m) => m.players.map((p) => p.ask('ready', { ready: true }))));
      await waitFor(() => matches.every((m, i) => m.players.every((p) => p.room.state.phase !== phases[i])), 'the next phase everywhere');
    }
    await sleep(300);
    for (const m of matches) {
      for (const p of [...m.players, m.watcher]) {
        const chat = p.publicDoc()?.chat ?? [];
        expect(chat.length, `${m.code}: every message reached this client`).toBe(24);
        for (const msg of chat) expect(msg.text.startsWith(`${m.code} says`), `${m.code} got "${msg.text.slice(0, 20)}"`).toBe(true);
        expect(p.room.state.code).toBe(m.code);
        expect(p.errors).toEqual([]);
      }
      for (const [i, p] of m.players.entries()) expect(p.team()?.view?.roleId).toBe(ROLES[i]);
    }
    // and a quarter each, resolved at once: every client sees its own match's next quarter
    await waitFor(() => matches.every((m) => m.players.every((p) => p.room.state.phase === 'orders')), 'orders everywhere', 10_000);
    await Promise.all(matches.flatMap((m) => m.players.map((p) => p.ask('submit', { order: { spend: {} } }))));
    await waitFor(() => matches.every((m) => [...m.players, m.watcher].every((p) => p.room.state.turn === 1)), 'the next quarter everywhere', 10_000);
    for (const m of matches) for (const p of m.players) expect(p.team()?.view?.budget).toBeGreaterThan(0);
    for (const m of matches) for (const p of [...m.players, m.watcher]) await p.room.leave();
  });
});

describe('one join buffer for every room', () => {
  it('gives late joiners of three matches, joining at once, each its own match whole', async () => {
    const codes: string[] = [];
    const rooms: string[] = [];
    const first: Player[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api(server.base, '/api/matches', { mode: 'online', visibility: 'private', seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 }, timers: NO_TIMERS });
      const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
      codes.push(created.body.code);
      rooms.push(roomId);
      // one player in each, who fills the public chat with this match's own words
      const p = await join(server.base, roomId, { name: `${created.body.code} first`, role: 'usGov' });
      first.push(p);
      for (let k = 0; k < 5; k++) expect((await p.ask('chat', { to: 'all', text: `${created.body.code} line ${k} ${'y'.repeat(300)}` })).ok).toBe(true);
    }
    // the other three seats of every match and a watcher each join at the same moment
    const late = await Promise.all(rooms.flatMap((roomId, i) => [
      ...ROLES.slice(1).map((role) => join(server.base, roomId, { name: `${codes[i]} ${role}`, role }).then((p) => ({ i, role, p }))),
      join(server.base, roomId, { spectator: true }).then((p) => ({ i, role: null as string | null, p })),
    ]));
    await sleep(300);
    for (const { i, role, p } of late) {
      expect(p.room.state.code).toBe(codes[i]);
      const chat = p.publicDoc()?.chat ?? [];
      expect(chat.length, `${codes[i]}: the joiner has the match's chat`).toBe(5);
      for (const msg of chat) expect(msg.text.startsWith(`${codes[i]} line`)).toBe(true);
      // a player's join brought its own team's channel and no other
      if (role) expect(p.team()?.view?.roleId).toBe(role);
      expect(p.errors).toEqual([]);
    }
    for (const p of [...first, ...late.map((l) => l.p)]) await p.room.leave();
  });
});
