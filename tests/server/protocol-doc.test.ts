// docs/protocol.md is enough to play: a client written only from it (tests/server/doc-client) plays a seat
// of a real match to its ending, its decisions are in the record, and the documented answers are the real ones.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bootServer } from '../helpers/server.ts';
import { createMatch, matchRecord, matchRules, findMatch, Seat, type Order } from './doc-client/client.ts';
import { playSeat, helpfulSplit, type Strategy } from './doc-client/player.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => { server = await bootServer(); });
afterAll(async () => { await server?.close(); });

const doc = readFileSync(fileURLToPath(new URL('../../docs/protocol.md', import.meta.url)), 'utf8');
const BOTS_BUT = (role: string) => Object.fromEntries(['usGov', 'usLab', 'cnGov', 'cnLab'].map((r) => [r, r === role ? 1 : 0]));

/** Walks a fresh seat from the lobby to the orders phase (the only seated team moves it on by being ready). */
async function toOrders(seat: Seat): Promise<void> {
  for (const phase of ['lobby', 'briefing', 'negotiation']) {
    await seat.until(() => seat.phase === phase, phase);
    expect(await seat.ask('ready', { ready: true })).toEqual({ ok: true });
  }
  await seat.until(() => seat.phase === 'orders' && seat.team()?.view?.world.turn === 0, 'the orders');
}

describe('a client written from docs/protocol.md', () => {
  it('plays the US Government through every quarter to the ending, and the record holds its orders', async () => {
    const created = await createMatch(server.base, { mode: 'online', seats: BOTS_BUT('usGov'), bots: { cnGov: 'hawk', cnLab: 'opportunist' } });
    expect(created.code).toMatch(/^[A-HJKMNP-Z]{6}$/);
    expect(created.facilitatorKey).toBeNull();

    // the split the lever help suggests, and global licensing on from the third quarter if the role holds that setting
    const base = helpfulSplit(0.9);
    const strategy: Strategy = (view, role) => ({ ...base(view, role), ...(view.world.turn >= 2 && role.settings.includes('globalLicensing') ? { globalLicensing: true } : {}) });
    const played = await playSeat({ base: server.base, code: created.code.toLowerCase(), name: '  Doc   Client ', role: 'usGov', strategy, rejoinAfterQuarter: 2 });

    expect(played.role).toBe('usGov');
    expect(played.seatToken.length).toBeGreaterThanOrEqual(16);
    // it left after two quarters and came back with its seat token (no catastrophe can come that early)
    expect(played.rejoined).toBe(true);
    // it plays faster than 8 messages a second: the only refusals are the documented "slow down", retried
    for (const r of played.refusals) expect(r).toMatch(/slow down: at most 8 messages a second/);
    expect(played.endingId).not.toBe('');
    expect(played.ending?.id).toBe(played.endingId);
    expect(Object.keys(played.ending!.scores).sort()).toEqual(['cnGov', 'cnLab', 'usGov', 'usLab']);
    const quarters = played.submitted.length;
    if (played.endingId !== 'catastrophe') expect(quarters).toBe(10);
    expect(played.submitted.map((s) => s.turn)).toEqual([...Array(quarters).keys()]);
    // every quarter went through the documented phases, in order; the report shows the quarters resolved so far,
    // and the last quarter resolves straight into the ending
    const expected = ['lobby/0'];
    for (let t = 0; t < quarters; t++) expected.push(`briefing/${t}`, `negotiation/${t}`, `orders/${t}`, ...(t < quarters - 1 ? [`report/${t + 1}`] : []));
    expect(played.phases).toEqual(expected);

    // finished: the record is full for anyone, and each quarter resolved the client's own order
    const info = await findMatch(server.base, created.code);
    expect(info).toMatchObject({ status: 'finished', roomId: null, phase: 'ended' });
    const record = await matchRecord(server.base, created.code);
    expect(record.full).toBe(true);
    expect(record.ending?.id).toBe(played.endingId);
    expect(record.turns).toHaveLength(quarters);
    const levers = record.roles.find((r) => r.id === 'usGov')!.levers.map((l) => l.id);
    expect((await matchRules(server.base, created.code)).roles.find((r) => r.id === 'usGov')!.levers.map((l) => l.id)).toEqual(levers);
    for (const { turn, order } of played.submitted) {
      const resolved = record.turns[turn].orders!.usGov;
      for (const lever of levers) expect(resolved.spend[lever]).toBeCloseTo(order.spend[lever], 9);
      expect(Object.keys(order.spend).sort()).toEqual([...levers].sort());
      expect(Object.values(order.spend).every((v) => v > 0)).toBe(true);
      // the bots played the other roles
      for (const other of ['usLab', 'cnGov', 'cnLab']) expect(Object.keys(record.turns[turn].orders![other].spend).length).toBeGreaterThan(0);
    }
    expect(record.turns[2].settingsChanges).toContainEqual({ role: 'usGov', setting: 'globalLicensing', from: false, to: true });
    expect(record.turns[1].settingsChanges?.some((c) => c.setting === 'globalLicensing')).toBe(false);
    // whatever the bots proposed to the client was answered as the document describes
    for (const r of played.responded) expect(r.ok).toBe(true);
  });

  it('gets the documented error answers', async () => {
    const created = await createMatch(server.base, { seats: BOTS_BUT('usGov') });
    const seat = await Seat.join(server.base, created.code, { name: 'Ada', role: 'usGov' });
    expect(seat.welcome).toMatchObject({ role: 'usGov', spectator: false, facilitator: false, name: 'Ada' });

    // a full team, and a role that does not exist: the join fails with the documented status and text
    await expect(Seat.join(server.base, created.code, { name: 'Late', role: 'usGov' })).rejects.toMatchObject({ code: 409, message: expect.stringMatching(/team is full/) });
    await expect(Seat.join(server.base, created.code, { name: 'Lost', role: 'usGvo' })).rejects.toMatchObject({ code: 400, message: expect.stringMatching(/there is no role "usGvo"/) });
    await expect(Seat.join(server.base, created.code, { seatToken: 'not-a-real-token-at-all' })).rejects.toMatchObject({ code: 403 });

    // out of phase, and an unknown message type (as an `error` message, and as a rejected request)
    expect(await seat.ask('submit', { order: { spend: {} } })).toEqual({ ok: false, message: 'orders open after the negotiation; it is now the lobby' });
    expect(await seat.send('teleport', { to: 'moon' })).toMatchObject({ ok: false, type: 'teleport', message: expect.stringMatching(/^unknown message type "teleport"; the types are draft, submit/) });
    expect((await seat.ask('teleport', {})).message).toMatch(/^no_handler/);
    expect(await seat.send('ready', { ready: 'yes' })).toMatchObject({ ok: false, message: 'ready: the message is not valid', details: ['ready: Invalid input: expected boolean, received string'] });

    await toOrders(seat);
    const budget = seat.team()!.view!.budget;
    expect(budget).toBe(12);
    // over budget: an `error` naming the budget, with send and with request alike
    const over = { order: { spend: { bis: 100 } } };
    const sent = await seat.send('submit', over);
    expect(sent).toMatchObject({ ok: false, type: 'submit', message: 'submit: the order is not valid' });
    expect(sent.details).toEqual(['spend: the order spends $100.00B but US Government has $12.00B this quarter']);
    expect(await seat.ask('submit', over)).toEqual({ ok: false, message: 'submit: the order is not valid', details: sent.details });
    const misspelt = await seat.ask('draft', { order: { spend: { bsi: 1 } } });
    expect(misspelt.details![0]).toMatch(/^spend\.bsi: US Government has no lever "bsi" \(did you mean "bis"\?\); its levers are powerGrid, bis,/);
    expect((await seat.ask('submit', { order: { spend: {}, openWeights: true } })).details).toEqual(['openWeights: US Government does not set openWeights']);
    expect((await seat.ask('ready', { ready: true })).message).toBe('there is nothing to be ready for in the orders; submit your order instead');
    expect((await seat.ask('unsubmit', {})).message).toBe('there is no submission to take back');
    expect((await seat.ask('control', { action: 'start' })).message).toMatch(/^only the facilitator can do that/);
    expect((await seat.ask('chat', { to: 'usGov', text: 'hi' })).message).toMatch(/^chat: that is your own team/);
    // nothing refused reached the team's draft; an accepted draft does, and submit then unsubmit work
    expect(seat.team()!.draft).toBeNull();
    expect(await seat.ask('draft', { order: { spend: { bis: 1 } } })).toEqual({ ok: true });
    await seat.until(() => seat.team()?.draft?.spend.bis === 1 && seat.team()?.draftBy === 'Ada', 'the shared draft');
    await seat.leave();
  });

  it('accepts the example orders it gives for each default role', async () => {
    const examples = Object.fromEntries([...doc.matchAll(/<!-- example-order: (\w+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => [m[1], JSON.parse(m[2]) as Order]));
    expect(Object.keys(examples).sort()).toEqual(['cnGov', 'cnLab', 'usGov', 'usLab']);
    const created = await createMatch(server.base, { seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 } });
    const seats = await Promise.all(Object.keys(examples).map((role) => Seat.join(server.base, created.code, { name: `Team ${role}`, role })));
    for (const s of seats) expect((await s.ask('ready', { ready: true })).ok).toBe(true);
    await seats[0].until(() => seats[0].phase === 'briefing', 'the briefing');
    for (const s of seats) {
      const role = s.welcome.role!;
      await s.until(() => s.team() !== null, `${role}'s channel`);
      const total = Object.values(examples[role].spend).reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(s.team()!.view!.budget + 1e-6);
      expect(await s.ask('draft', { order: examples[role] }), role).toEqual({ ok: true });
    }
    await Promise.all(seats.map((s) => s.leave()));
  });
});
