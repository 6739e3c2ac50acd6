// Property-based fuzzing of every client message against a real server and real SDK clients: random and hostile
// payloads (wrong types, huge strings and arrays within the frame limit, deep nesting, unicode, prototype keys,
// NaN/Infinity/-0/huge numbers), in every phase, from every kind of sender (both teams, a spectator, the
// facilitator). The room never throws, every message gets an answer, a refused one names what was wrong and
// changes nothing, and no connection is dropped. Fixed seed, bounded runs: FUZZ_SEED / FUZZ_RUNS to explore more.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { matchMaker } from '@colyseus/core';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import type { MatchRoom } from '../../server/rooms/MatchRoom.ts';
import { clientMessages, type ClientMessageType } from '../../shared/protocol/messages.ts';
import { QUARTER_PHASES } from '../../shared/match/phases.ts';
import { api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';
import { MAX_FRAME, PERSON_REFS, PROTO_KEYS, hasObjectKeyedMap, hostileLeaf, payloadFor } from '../helpers/hostile-messages.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 2028);
/** cases per message type and phase: 8 types x 6 phases x 40 = 1,920 messages, plus the unknown-type run */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const PHASES = ['lobby', 'briefing', 'negotiation', 'orders', 'report', 'ended'] as const;
type PhaseName = (typeof PHASES)[number];
const TYPES = Object.keys(clientMessages) as ClientMessageType[];
const SENDERS = ['usGov', 'cnGov', 'spectator', 'facilitator'] as const;
type Sender = (typeof SENDERS)[number];
/** Everyone sends everything, but mostly those the message is for: the facilitator's controls, the teams' orders. */
const senderFor = (type: ClientMessageType) => fc.oneof(...SENDERS.map((s) => ({
  weight: type === 'control' ? (s === 'facilitator' ? 4 : 1) : type === 'chat' ? 1 : (s === 'usGov' || s === 'cnGov' ? 3 : 1),
  arbitrary: fc.constant(s),
})));

// ---- the server, with its logs captured -------------------------------------------------------------------

const logLines: { level: number; msg: string; raw: string }[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const raw of String(chunk).split('\n').filter(Boolean)) {
      try { const j = JSON.parse(raw); logLines.push({ level: j.level, msg: j.msg, raw }); } catch { logLines.push({ level: 60, msg: 'unparsable log line', raw }); }
    }
    done();
  },
});
const badLogs = () => logLines.filter((l) => l.level >= 50 || /room error|message failed/.test(l.msg));

let server: RunningServer & { base: string };
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();
const prototypeBefore = prototypeKeys();

beforeAll(async () => {
  const running = await startServer({
    port: 0, storePath: ':memory:', logger: createLogger({ level: 'info', destination: sink }),
    // no rate limits here: every message must reach the validation under test (the limits have their own tests)
    limits: { messagesPerSecond: 1e6, messageBurst: 1e6, hardMessagesPerSecond: 1e6, matchesPerMinutePerIp: 1e6 },
  });
  server = Object.assign(running, { base: `http://127.0.0.1:${running.port}` });
});
afterAll(async () => { await server?.close(); });

interface Table { roomId: string; matchId: string; people: Record<Sender, Player>; room: MatchRoom; rejoin: Record<Sender, Record<string, unknown>> }

/** A class match with two human teams (the labs are bots), a spectator and the facilitator, moved to `phase`. */
async function tableAt(phase: PhaseName): Promise<Table> {
  const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
  expect(created.status).toBe(201);
  const { code, facilitatorKey, matchId } = created.body;
  const roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId as string;
  const people: Record<Sender, Player> = {
    facilitator: await join(server.base, roomId, { facilitatorKey }),
    usGov: await join(server.base, roomId, { name: 'Ana', role: 'usGov' }),
    cnGov: await join(server.base, roomId, { name: 'Wei', role: 'cnGov' }),
    spectator: await join(server.base, roomId, { name: 'Projector', spectator: true }),
  };
  const room = matchMaker.getLocalRoomById(roomId) as unknown as MatchRoom;
  const rejoin: Table['rejoin'] = {
    facilitator: { facilitatorKey }, usGov: { seatToken: people.usGov.welcome.seatToken }, cnGov: { seatToken: people.cnGov.welcome.seatToken }, spectator: { name: 'Projector', spectator: true },
  };
  const steps: Record<PhaseName, string[]> = {
    lobby: [], briefing: ['start'], negotiation: ['start', 'skipPhase'], orders: ['start', 'skipPhase', 'skipPhase'],
    report: ['start', 'skipPhase', 'skipPhase', 'skipPhase'], ended: ['start', 'end'],
  };
  for (const action of steps[phase]) expect((await people.facilitator.ask('control', { action })).ok).toBe(true);
  await waitFor(() => room.match.phase === phase && people.facilitator.room.state.phase === phase, `the ${phase}`);
  return { roomId, matchId, people, room, rejoin };
}

/** What the server holds for a match, to prove a refused message changed nothing. */
function serverTruth(room: MatchRoom): string {
  const rt = room.match;
  return JSON.stringify({ phase: rt.phase, paused: rt.paused, state: rt.state, teams: rt.teams, chat: rt.chat, feed: rt.feed, people: [...rt.people.values()], quarters: rt.quarters.length, timer: rt.timer, endReason: rt.endReason });
}

/** Waits until the facilitator has every patch sent so far (a refused no-op answered after them), then reads the desk. */
async function deskSettled(facilitator: Player): Promise<string> {
  const reply = await facilitator.ask('__sync', null);
  expect(reply.ok).toBe(false);
  return JSON.stringify(facilitator.desk());
}

/** A facilitator action the room would accept that moves the match out of the phase under test or throws a client out. */
function wouldMoveOn(payload: unknown, table: Table): boolean {
  const parsed = clientMessages.control.safeParse(payload);
  if (!parsed.success) return false;
  const a = parsed.data;
  const phase = table.room.match.phase;
  const ids = Object.values(table.people).map((p) => p.welcome.personId);
  switch (a.action) {
    case 'start': return phase === 'lobby';
    case 'end': return phase !== 'ended';
    case 'skipPhase': return phase !== 'lobby' && phase !== 'ended';
    case 'resolveNow': return (QUARTER_PHASES as string[]).includes(phase);
    case 'remove': case 'move': return ids.includes(a.personId);
    default: return false;
  }
}

function fillRefs(payload: unknown, table: Table): unknown {
  if (!payload || typeof payload !== 'object' || !('personId' in (payload as object))) return payload;
  const p = payload as { personId: unknown };
  const ref = typeof p.personId === 'string' && PERSON_REFS.includes(p.personId) ? p.personId.slice(1) as Sender : null;
  if (ref) p.personId = table.people[ref].welcome.personId;
  return payload;
}

const show = (v: unknown): string => {
  try { return String(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))).slice(0, 300); } catch (err) { return `(a value JSON cannot print: ${(err as Error).message})`; }
};

const tally = { cases: 0, refused: 0, accepted: 0, unencodable: 0, oversize: 0, undecodable: 0, skippedMovesOn: 0, byType: {} as Record<string, number>, acceptedByType: {} as Record<string, number>, refusedByGame: 0, phasesSeen: {} as Record<string, Set<string>> };

/** Sends one message and checks every promise the room makes about it. */
async function sendAndCheck(table: Table, sender: Sender, type: string, rawPayload: unknown): Promise<void> {
  const payload = fillRefs(rawPayload, table);
  const { people, room } = table;
  if (sender === 'facilitator' && type === 'control' && wouldMoveOn(payload, table)) { tally.skippedMovesOn++; return; }
  const player = people[sender];
  // what the SDK cannot encode (a value nested too deep for its encoder, a BigInt beyond 64 bits) is never sent
  let frame: number;
  try { frame = (player.room as unknown as { packr: { pack(v: unknown): Uint8Array } }).packr.pack(payload).byteLength; } catch { tally.unencodable++; return; }
  if (frame > MAX_FRAME) { tally.oversize++; return; }
  const deskBefore = await deskSettled(people.facilitator);
  const truthBefore = serverTruth(room);
  const logBefore = (await server.store.load(table.matchId))!.entries.length;
  const badBefore = badLogs().length;
  const phase = room.match.phase;
  if (hasObjectKeyedMap(payload)) {
    // the decoder refuses the frame (see hasObjectKeyedMap): an error answers it, the connection stays, nothing changes
    const undecoded = await player.ask(type, payload);
    expect(undecoded, `${sender} sent an undecodable ${type}`).toMatchObject({ ok: false, message: expect.stringMatching(/could not be decoded/) });
    expect(player.room.connection.isOpen).toBe(true);
    tally.undecodable++;
    expect(serverTruth(room), `server state after an undecodable ${type}`).toBe(truthBefore);
    expect((await server.store.load(table.matchId))!.entries.length).toBe(logBefore);
    expect(badLogs().slice(badBefore).map((l) => l.raw)).toEqual([]);
    return;
  }
  const reply = await player.ask(type, payload);
  tally.cases++;
  tally.byType[type] = (tally.byType[type] ?? 0) + 1;
  (tally.phasesSeen[type] ??= new Set()).add(phase);
  const context = `${sender} sent ${type} ${show(payload)} in the ${phase}`;
  expect(badLogs().slice(badBefore).map((l) => l.raw), context).toEqual([]);
  for (const s of SENDERS) expect(people[s].room.connection.isOpen, `${s}'s connection after ${context}`).toBe(true);
  if (reply.ok) { tally.accepted++; tally.acceptedByType[type] = (tally.acceptedByType[type] ?? 0) + 1; return; }
  tally.refused++;
  // past the schema: refused by the game's own rules (phase, role, budget, permissions)
  if (!/the message is not valid/.test(reply.message ?? '')) tally.refusedByGame++;
  expect(typeof reply.message, context).toBe('string');
  expect(reply.message!.length, context).toBeGreaterThan(0);
  if (reply.details !== undefined) expect(reply.details.every((d) => typeof d === 'string' && d.length > 0), context).toBe(true);
  expect(serverTruth(room), `server state after the refused ${context}`).toBe(truthBefore);
  expect((await server.store.load(table.matchId))!.entries.length, `log after the refused ${context}`).toBe(logBefore);
  expect(await deskSettled(people.facilitator), `facilitator's desk after the refused ${context}`).toBe(deskBefore);
}

describe('fuzzing every client message', () => {
  for (const phase of PHASES) {
    it(`in the ${phase}: hostile payloads of every type from every sender are answered, and refused ones change nothing`, async () => {
      let table = await tableAt(phase);
      for (const [i, type] of TYPES.entries()) {
        // an accepted message may have moved the match on (every team ready, both orders in): start again in this phase
        if (table.room.match.phase !== phase || table.room.match.paused) {
          for (const p of Object.values(table.people)) await p.room.leave();
          table = await tableAt(phase);
        }
        await fc.assert(
          fc.asyncProperty(senderFor(type), payloadFor(type), (sender, payload) => sendAndCheck(table, sender, type, payload)),
          { seed: SEED + PHASES.indexOf(phase) * 100 + i, numRuns: RUNS, endOnFailure: true },
        );
      }
      for (const p of Object.values(table.people)) await p.room.leave();
    });
  }

  it('answers unknown message types (prototype names, unicode, numbers) with an error, from anyone', async () => {
    const table = await tableAt('briefing');
    const typeArb = fc.oneof(fc.constantFrom(...PROTO_KEYS, '*', '', ' ', '__sync', 'draft ', 'DRAFT', 'welcome', 'ok', 'error', '_$b'), fc.string({ unit: 'grapheme', maxLength: 30 }))
      .filter((t) => !(TYPES as string[]).includes(t));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SENDERS), typeArb, hostileLeaf, async (sender, type, payload) => {
        const before = badLogs().length;
        const reply = await table.people[sender].ask(type, payload);
        tally.cases++;
        tally.byType['(unknown type)'] = (tally.byType['(unknown type)'] ?? 0) + 1;
        expect(reply.ok).toBe(false);
        expect(reply.message).toMatch(/unknown message type/);
        expect(badLogs().slice(before)).toEqual([]);
      }),
      { seed: SEED + 999, numRuns: RUNS * 3, endOnFailure: true },
    );
    for (const p of Object.values(table.people)) await p.room.leave();
  });

  it('left nothing behind: no room error logged, no prototype polluted', () => {
    expect(badLogs().map((l) => l.raw)).toEqual([]);
    expect(prototypeKeys()).toBe(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const phases = Object.fromEntries(Object.entries(tally.phasesSeen).map(([t, s]) => [t, [...s].sort().join('/')]));
    console.log(`fuzz-messages: ${tally.cases} messages sent and checked (seed ${SEED}, ${RUNS} runs per type and phase): ${tally.refused} refused with an error (${tally.refusedByGame} of them past the schema, by the game's rules), ${tally.accepted} accepted ${JSON.stringify(tally.acceptedByType)}; `
      + `${tally.undecodable} with object-keyed maps answered "could not be decoded" with the connection kept, `
      + `${tally.unencodable} payloads the SDK could not encode and ${tally.oversize} above ${MAX_FRAME} bytes not sent, ${tally.skippedMovesOn} facilitator actions skipped as they would end the phase\n`
      + `  per type: ${JSON.stringify(tally.byType)}\n  phases reached per type: ${JSON.stringify(phases)}`);
    expect(tally.cases).toBeGreaterThan(TYPES.length * PHASES.length * RUNS * 0.8);
  });
});
