// What one change costs on the wire: the bytes each client's socket receives for one quarter's resolution and one chat
// message, after the join (whose full picture is sent once), with a full chat history and quarters behind.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { WebSocket } from 'ws';
import { bootServer, api, join, waitFor, sleep, NO_TIMERS, type Player } from '../helpers/server.ts';
import { defaultRules } from '../helpers/rules.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
// many chat messages are sent quickly to fill the histories: the rate limits are not what this test is about
beforeAll(async () => { server = await bootServer({ limits: { messagesPerSecond: 1000, messageBurst: 1000, hardMessagesPerSecond: 5000 } }); });
afterAll(async () => { await server?.close(); });

const rules = defaultRules();
const ROLES = ['usGov', 'usLab', 'cnGov', 'cnLab'];
/** a quarter's update to a player, besides the news it brings to read (200-1,200 bytes of events and dilemmas) */
const QUARTER_BUDGET = 2048;
const CHAT_BUDGET = 1024;

/** Counts the bytes of every WebSocket message a client's socket receives from now on. */
function meter(p: Player): { bytes: number } {
  const m = { bytes: 0 };
  const ws = (p.room.connection.transport as unknown as { ws: WebSocket }).ws;
  ws.on('message', (data: ArrayBuffer | Buffer) => { m.bytes += data.byteLength; });
  return m;
}

/** Every lever of the role gets the same share of a small budget, and intelligence is spent (so estimates change). */
function orderFor(role: string, quarter: number): { spend: Record<string, number> } {
  const levers = rules.roles.find((r) => r.id === role)!.levers;
  return { spend: Object.fromEntries(levers.map((l, i) => [l.id, Math.round((0.3 + 0.01 * i + 0.02 * quarter) * 100) / 100])) };
}

/**
 * The news a player holds, as bytes by item: each event of the feed (its title, text, kind, audience and card) and each
 * dilemma put to the role (as the one JSON part it is sent as), in UTF-8: what a quarter brings to read.
 */
function newsOf(p: Player): Map<string, number> {
  const team = p.team();
  const bytes = (s: string | undefined) => Buffer.byteLength(s ?? '');
  const items = new Map<string, number>();
  for (const e of (team?.feed ?? []) as { turn: number; title: string; text: string; kind: string; visibleTo: string; ref?: string }[]) {
    items.set(`event ${e.turn} ${e.kind} ${e.ref ?? ''} ${e.title} ${e.text}`, bytes(e.title) + bytes(e.text) + bytes(e.kind) + bytes(e.visibleTo) + bytes(e.ref));
  }
  for (const d of (team?.view?.dilemmas ?? []) as { cardId: string }[]) items.set(`dilemma ${d.cardId}`, bytes(JSON.stringify(d)));
  return items;
}

/** Bytes of the news items held now that were not held before. */
function newNews(before: Map<string, number>, now: Map<string, number>): number {
  let n = 0;
  for (const [k, b] of now) if (!before.has(k)) n += b;
  return n;
}

describe('bytes per change', () => {
  it('sends a quarter as the numbers that moved and its news, and a chat message in under 1 KB, whatever came before', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 }, timers: NO_TIMERS });
    const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
    const teacher = await join(server.base, roomId, { facilitatorKey: created.body.facilitatorKey });
    const players: Record<string, Player> = {};
    for (const role of ROLES) players[role] = await join(server.base, roomId, { name: `Player ${role}`, role });
    const projector = await join(server.base, roomId, { spectator: true });
    const clients: Record<string, Player> = { ...players, teacher, projector };
    const meters = Object.fromEntries(Object.entries(clients).map(([k, p]) => [k, meter(p)]));
    const settle = async () => { await sleep(250); };
    const readyAll = async (phase: string) => {
      await waitFor(() => teacher.room.state.phase === phase, phase);
      for (const p of Object.values(players)) expect((await p.ask('ready', { ready: true })).ok).toBe(true);
    };
    await teacher.ask('control', { action: 'start' });

    // full histories: more public messages than the public chat keeps, and a team channel's private chat full
    const long = (i: number) => `${i} ${'long message '.repeat(40)}`.slice(0, 500);
    for (let i = 0; i < 110; i++) expect((await players[ROLES[i % 4]].ask('chat', { to: 'all', text: long(i) })).ok).toBe(true);
    for (let i = 0; i < 210; i++) expect((await players.usGov.ask('chat', { to: i % 2 ? 'team' : 'cnGov', text: long(i) })).ok).toBe(true);
    for (let i = 0; i < 30; i++) expect((await teacher.ask('chat', { to: ROLES[i % 4], text: long(i) })).ok).toBe(true);
    await settle();

    // the last order of a quarter resolves it: its sender also receives its own submission, so it is not counted then
    const quarterBytes: Record<string, number>[] = [];
    const quarterText: Record<string, number>[] = [];
    for (let quarter = 0; quarter < 4; quarter++) {
      await readyAll('briefing');
      await readyAll('negotiation');
      await waitFor(() => teacher.room.state.phase === 'orders', 'orders');
      const last = ROLES[quarter];
      for (const role of ROLES.filter((r) => r !== last)) expect((await players[role].ask('submit', { order: orderFor(role, quarter) })).ok).toBe(true);
      await settle();
      const before = Object.fromEntries(Object.entries(meters).map(([k, m]) => [k, m.bytes]));
      const newsBefore = Object.fromEntries(ROLES.map((r) => [r, newsOf(players[r])]));
      expect((await players[last].ask('submit', { order: orderFor(last, quarter) })).ok).toBe(true);
      await waitFor(() => teacher.room.state.phase === 'report', 'report');
      await settle();
      quarterBytes.push(Object.fromEntries(Object.entries(meters).filter(([k]) => k !== last).map(([k, m]) => [k, m.bytes - before[k]])));
      quarterText.push(Object.fromEntries(ROLES.map((r) => [r, newNews(newsBefore[r], newsOf(players[r]))])));
      for (const p of Object.values(players)) await p.ask('ready', { ready: true });
    }

    const chatBytes: Record<string, Record<string, number>> = {};
    for (const [label, from, to] of [['public', 'usGov', 'all'], ['team', 'usGov', 'team'], ['to a rival team', 'usGov', 'cnGov']] as const) {
      const before = Object.fromEntries(Object.entries(meters).map(([k, m]) => [k, m.bytes]));
      expect((await players[from].ask('chat', { to, text: long(999) })).ok).toBe(true);
      await settle();
      chatBytes[label] = Object.fromEntries(Object.entries(meters).filter(([k]) => k !== from).map(([k, m]) => [k, m.bytes - before[k]]));
    }
    console.log('bytes per quarter (quarters 1-4):', JSON.stringify(quarterBytes));
    console.log('bytes per 500-character chat message:', JSON.stringify(chatBytes));

    // each player's update is small, whatever the history behind it: the numbers that moved, and the news to read
    // (events, a dilemma put to the role), which is the quarter's news; the first resolution too, as the join brought
    // the orders' shape (every lever's path) before any was given
    console.log('of which news to read:', JSON.stringify(quarterText));
    for (const [i, q] of quarterBytes.entries()) {
      for (const role of ROLES) if (role in q) expect(q[role] - quarterText[i][role], `${role}, quarter ${i + 1}, besides ${quarterText[i][role]} bytes of news`).toBeLessThan(QUARTER_BUDGET);
    }
    expect(quarterBytes.at(-1)!.projector).toBeLessThan(1024);
    // a chat message costs about its own size to each client that may read it, and nothing to the others
    for (const [label, by] of Object.entries(chatBytes)) for (const [who, bytes] of Object.entries(by)) expect(bytes, `${label} chat to ${who}`).toBeLessThan(CHAT_BUDGET);
    expect(chatBytes.team.cnGov).toBeLessThan(100);
    expect(chatBytes.team.projector).toBeLessThan(100);
    for (const p of Object.values(clients)) await p.room.leave();
  });
});
