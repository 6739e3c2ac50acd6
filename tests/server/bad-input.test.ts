// Bad, oversized, out-of-phase and unauthorised messages get a clear error and change nothing; the room carries on.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { matchMaker } from '@colyseus/core';
import { bootServer, api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
let code: string, roomId: string, facilitatorKey: string;
let teacher: Player, usGov: Player, cnGov: Player;
beforeAll(async () => {
  server = await bootServer();
  const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
  ({ code, facilitatorKey } = created.body);
  roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId;
  teacher = await join(server.base, roomId, { facilitatorKey });
  usGov = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
  cnGov = await join(server.base, roomId, { name: 'Wei', role: 'cnGov' });
});
afterAll(async () => { await server?.close(); });

const truth = () => JSON.stringify(teacher.desk()?.state);

describe('bad input', () => {
  it('answers messages in the wrong phase, from the wrong person or for the wrong role with an error', async () => {
    expect(await usGov.ask('submit', { order: { spend: { bis: 1 } } })).toMatchObject({ ok: false, message: expect.stringMatching(/orders open after the negotiation; it is now the lobby/) });
    expect(await usGov.ask('control', { action: 'start' })).toMatchObject({ ok: false, message: expect.stringMatching(/only the facilitator/) });
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    await waitFor(() => usGov.room.state.phase === 'briefing', 'briefing');
    const before = truth();
    // a proposal only the US may make, and an answer only its addressee may give
    expect(await cnGov.ask('propose', { proposalId: 'hubCompliancePact', to: 'usGov' })).toMatchObject({ ok: false, message: expect.stringMatching(/cannot propose/) });
    expect((await usGov.ask('propose', { proposalId: 'hubCompliancePact', to: 'cnGov' })).ok).toBe(true);
    await waitFor(() => usGov.team()?.view.world.pending.length === 1, 'the pending proposal');
    const key = usGov.team().view.world.pending[0].key;
    expect(await usGov.ask('respond', { key, accept: true })).toMatchObject({ ok: false, message: expect.stringMatching(/made to cnGov, not usGov/) });
    expect(await usGov.ask('chat', { to: 'nobody', text: 'hi' })).toMatchObject({ ok: false, message: expect.stringMatching(/not a channel/) });
    expect(await usGov.ask('draft', { order: { spend: { trainng: 1 } } })).toMatchObject({ ok: false, details: [expect.stringMatching(/has no lever "trainng"/)] });
    // the only change is the one accepted proposal
    const after = JSON.parse(truth());
    expect(after.pending).toHaveLength(1);
    expect(JSON.stringify({ ...after, pending: [], nextProposalKey: 0 })).toBe(JSON.stringify({ ...JSON.parse(before), pending: [], nextProposalKey: 0 }));
  });

  it('refuses hostile payloads with a reason and keeps the connection and the state', async () => {
    const before = truth();
    const hostile: [string, unknown][] = [
      ['draft', null],
      ['draft', 'order'],
      ['draft', { order: { spend: { bis: 'lots' } } }],
      ['draft', { order: { spend: { bis: -3 } } }],
      ['draft', { order: { spend: { bis: 1e308 * 10 } } }],
      ['draft', { order: { spend: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 1])) } }],
      ['draft', { order: { spend: { ['__proto__']: 1, constructor: 2 } } }],
      ['draft', { order: { spend: {}, exportTiers: { china: 'closed' } } }],
      ['draft', { order: { spend: {} }, extra: { deep: { deeper: { deepest: [[[[1]]]] } } } }],
      ['chat', { to: 'all', text: 'x'.repeat(10_000) }],
      ['chat', { to: 'all', text: '   ' }],
      ['respond', { key: -1, accept: 'yes' }],
      ['control', { action: 'explode' }],
      ['ready', { ready: 'maybe' }],
      ['submit', [1, 2, 3]],
    ];
    for (const [type, payload] of hostile) {
      const reply = await usGov.ask(type, payload);
      expect(reply.ok, `${type} ${JSON.stringify(payload)?.slice(0, 60)}`).toBe(false);
      expect(reply.message).toBeTruthy();
    }
    // a frame whose payload is not MessagePack (a 16-byte string cut off after one byte) is answered, not hung up on
    // (sent by cnGov: usGov has used up its messages for this second)
    const errorsBefore = cnGov.errors.length;
    cnGov.room.connection.send(new Uint8Array([13, 0xa4, ...new TextEncoder().encode('chat'), 0xd9, 0x10, 0x41]));
    await waitFor(() => cnGov.errors.length > errorsBefore, 'the undecodable-frame error');
    expect(cnGov.room.connection.isOpen).toBe(true);
    expect(cnGov.errors.at(-1)).toMatchObject({ type: 'chat', message: expect.stringMatching(/^chat: the message could not be decoded .*MessagePack/) });
    usGov.room.send('nonsense', { a: 1 });
    await waitFor(() => usGov.errors.some((e) => /unknown message type "nonsense"/.test(e.message)), 'the unknown-type error');
    expect(usGov.room.connection.isOpen).toBe(true);
    expect(truth()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('slows down a client that sends too fast instead of dropping it', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const replies = await Promise.all(Array.from({ length: 40 }, () => usGov.ask('ready', { ready: true })));
    expect(replies.some((r) => r.ok)).toBe(true);
    expect(replies.some((r) => !r.ok && /slow down/.test(r.message!))).toBe(true);
    expect(usGov.room.connection.isOpen).toBe(true);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await usGov.ask('ready', { ready: false })).ok).toBe(true);
  });

  it('closes a connection that floods a message above the size limit, and the seat comes back with its token', async () => {
    const flooder = await join(server.base, roomId, { name: 'Big', role: 'usGov' }).catch((e) => e);
    expect(String(flooder)).toMatch(/team is full/);
    const token = usGov.welcome.seatToken!;
    const closed = new Promise<number>((resolve) => usGov.room.onLeave((code: number) => resolve(code)));
    usGov.room.reconnection.enabled = false;
    usGov.room.send('chat', { to: 'all', text: 'y'.repeat(100_000) });
    expect(await closed).toBeGreaterThan(1000);
    // the match goes on for everyone else
    expect((await cnGov.ask('ready', { ready: true })).ok).toBe(true);
    const back = await join(server.base, roomId, { seatToken: token });
    expect(back.welcome.personId).toBe(usGov.welcome.personId);
    expect(back.welcome.role).toBe('usGov');
    await waitFor(() => back.team() !== null, 'the team channel');
    usGov = back;
  });

  it('refuses facilitator keys and seat tokens that are not this match\'s', async () => {
    await expect(join(server.base, roomId, { facilitatorKey: 'x'.repeat(22) })).rejects.toThrow(/facilitator key is not this match/);
    await expect(join(server.base, roomId, { seatToken: 'y'.repeat(22) })).rejects.toThrow(/seat token is not for a seat in this match/);
    const other = await api(server.base, '/api/matches', { mode: 'online', timers: NO_TIMERS });
    const otherRoom = (await api(server.base, `/api/matches/${other.body.code}`)).body.roomId;
    const stranger = await join(server.base, otherRoom, { name: 'Sam' });
    await expect(join(server.base, roomId, { seatToken: stranger.welcome.seatToken })).rejects.toThrow(/seat token is not for a seat/);
    await expect(join(server.base, roomId, { name: '\u0000\u200b' })).rejects.toThrow(/name/);
    await expect(join(server.base, roomId, { name: 'x'.repeat(40) })).rejects.toThrow(/at most 24/);
    // the record: public without the key, 403 with a wrong key, full with the right one
    expect((await api(server.base, `/api/matches/${code}/record`)).body.full).toBe(false);
    expect((await api(server.base, `/api/matches/${code}/record?key=${'z'.repeat(22)}`)).status).toBe(403);
    expect((await api(server.base, `/api/matches/${code}/decisions.csv`)).status).toBe(403);
    expect((await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey })).body.full).toBe(true);
  });

  it('never lets a client open a second room for a match, or matchmake into a private one', async () => {
    const matchId = (await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey })).body.matchId
      ?? (await server.store.findByCode(code))!.id;
    const twin = await api(server.base, '/matchmake/create/match', { matchId });
    expect(twin.status).toBeGreaterThanOrEqual(400);
    const sneak = await api(server.base, '/matchmake/joinOrCreate/match', { name: 'Sneaky' });
    expect(sneak.status).toBeGreaterThanOrEqual(400);
    const rooms = await matchMaker.query({ name: 'match' });
    expect(rooms.filter((r) => (r.metadata as { code?: string })?.code === code)).toHaveLength(1);
  });

  it('answers bad HTTP requests with a clear JSON error', async () => {
    const bad = await api(server.base, '/api/matches', { mode: 'tournament', seats: { usGvo: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.join()).toMatch(/mode/);
    const misspelt = await api(server.base, '/api/matches', { seats: { usGvo: 2 } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.details[0]).toMatch(/no role "usGvo"/);
    const upload = await api(server.base, '/api/matches', { rules: { upload: 'name: x\nroles: []\n' } });
    expect(upload.status).toBe(400);
    expect(upload.body.details[0]).toMatch(/^upload\.yaml:\d+:\d+/);
    const notJson = await fetch(`${server.base}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/not valid JSON/);
    expect((await api(server.base, '/api/matches/ZZZZZZ')).status).toBe(404);
    // the room survived everything above
    expect(matchMaker.getLocalRoomById(roomId)).toBeTruthy();
  });
});
