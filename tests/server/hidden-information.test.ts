// What each client receives, decoded: no hidden number of the other side and no other team's draft, ever.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';
import { hiddenNumbers, numbersIn } from '../helpers/secrets.ts';
import { defaultRules } from '../helpers/rules.ts';
import type { Side } from '../../shared/rules/schema.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => { server = await bootServer(); });
afterAll(async () => { await server?.close(); });

const rules = defaultRules();
const SIDE: Record<string, Side> = { usGov: 'us', usLab: 'us', cnGov: 'china', cnLab: 'china' };
// each team drafts an amount no one else could produce by chance
const DRAFT: Record<string, [string, number]> = { usGov: ['bis', 1.23457], usLab: ['safety', 2.34561], cnGov: ['greyMarket', 0.345671], cnLab: ['distillation', 0.0456781] };

/** Decoding problems the SDK reports on the console (an entry it cannot place, a definition mismatch): a client that met one holds less than it was sent. */
function decodeProblems(): { problems: string[]; stop(): void } {
  const problems: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => { problems.push(args.map(String).join(' ').slice(0, 200)); error(...args); };
  return { problems, stop: () => { console.error = error; } };
}

describe('hidden information', () => {
  it('never reaches a client that may not see it', async () => {
    const decoding = decodeProblems();
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 1, cnGov: 1, cnLab: 1 }, timers: NO_TIMERS });
    const { roomId } = (await api(server.base, `/api/matches/${created.body.code}`)).body;
    const teacher = await join(server.base, roomId, { facilitatorKey: created.body.facilitatorKey });
    const players: Record<string, Player> = {};
    for (const role of Object.keys(SIDE)) players[role] = await join(server.base, roomId, { name: role, role });
    const projector = await join(server.base, roomId, { spectator: true });
    expect(projector.welcome.spectator).toBe(true);
    await teacher.ask('control', { action: 'start' });

    let q = 0;
    // this quarter's amounts: last quarter's resolved orders of one's own side are meant to be seen, this quarter's drafts not
    const amountOf = (role: string) => DRAFT[role][1] + q * 1e-4;
    const check = async () => {
      await new Promise((r) => setTimeout(r, 150));
      const truth = teacher.desk()!.state;
      for (const [role, p] of Object.entries(players)) {
        const seen = numbersIn(p.room.state.toJSON());
        const rival: Side = SIDE[role] === 'us' ? 'china' : 'us';
        for (const secret of hiddenNumbers(rules, truth, rival)) expect(seen.has(secret), `${role} received the rival's ${secret}`).toBe(false);
        for (const other of Object.keys(DRAFT)) if (other !== role) expect(seen.has(amountOf(other)), `${role} received ${other}'s draft`).toBe(false);
        // a team sees only its own channel and never the facilitator's desk
        expect([...(p.room.state.teams?.keys() ?? [])]).toEqual([role]);
        expect(p.room.state.desk?.size ?? 0).toBe(0);
      }
      const watched = numbersIn(projector.room.state.toJSON());
      for (const side of ['us', 'china'] as const) for (const secret of hiddenNumbers(rules, truth, side)) expect(watched.has(secret), `the projector received ${secret}`).toBe(false);
      for (const role of Object.keys(DRAFT)) expect(watched.has(amountOf(role))).toBe(false);
      expect(projector.room.state.teams?.size ?? 0).toBe(0);
    };

    for (let quarter = 0; quarter < 3; quarter++, q++) {
      for (const phase of ['briefing', 'negotiation']) {
        await waitFor(() => teacher.room.state.phase === phase, phase);
        for (const [role, [lever]] of Object.entries(DRAFT)) expect((await players[role].ask('draft', { order: { spend: { [lever]: amountOf(role) } } })).ok).toBe(true);
        await check();
        for (const p of Object.values(players)) await p.ask('ready', { ready: true });
      }
      await waitFor(() => teacher.room.state.phase === 'orders', 'orders');
      // three teams submit; the projector and the rival still learn nothing while the fourth thinks
      for (const role of ['usGov', 'usLab', 'cnGov']) expect((await players[role].ask('submit', { order: { spend: { [DRAFT[role][0]]: amountOf(role) } } })).ok).toBe(true);
      await check();
      expect((await players.cnLab.ask('submit', { order: { spend: { [DRAFT.cnLab[0]]: amountOf('cnLab') } } })).ok).toBe(true);
      await waitFor(() => teacher.room.state.phase === 'report', 'report');
      q += 0.5; // resolved: this quarter's orders are now last quarter's, seen by their own side
      await check();
      q -= 0.5;
      for (const p of Object.values(players)) await p.ask('ready', { ready: true });
    }

    // chat: a team's own channel, a message to the rival team, a message to the facilitator (an entry sent to several
    // readers is still sent only to them)
    await waitFor(() => teacher.room.state.phase === 'briefing', 'briefing');
    const secret = (from: string, to: string) => `secret-${from}-to-${to}`;
    const sent: [string, string, string[]][] = [
      ['usGov', 'team', ['usGov']], ['cnLab', 'team', ['cnLab']], ['usGov', 'cnGov', ['usGov', 'cnGov']], ['cnGov', 'facilitator', ['cnGov']], ['usLab', 'all', Object.keys(SIDE)],
    ];
    for (const [from, to] of sent) expect((await players[from].ask('chat', { to, text: secret(from, to) })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    for (const [from, to, readers] of sent) {
      for (const [role, p] of Object.entries(players)) {
        expect(JSON.stringify(p.room.state.toJSON()).includes(secret(from, to)), `${role} and ${from}'s message to ${to}`).toBe(readers.includes(role));
        expect(p.team().chat.some((m: { text: string }) => m.text === secret(from, to)), `${role} reads ${from}'s message to ${to}`).toBe(readers.includes(role));
      }
      expect(JSON.stringify(projector.room.state.toJSON()).includes(secret(from, to))).toBe(to === 'all');
      expect(teacher.desk().chat.some((m: { text: string }) => m.text === secret(from, to)), `the desk has ${from}'s message to ${to}`).toBe(true);
    }
    decoding.stop();
    expect(decoding.problems).toEqual([]);
  });
});
