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
import { EXPORT_TIERS } from '../../shared/rules/schema.ts';
import { api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';
import { defaultRules } from '../helpers/rules.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 2028);
/** cases per message type and phase: 8 types x 6 phases x 40 = 1,920 messages, plus the unknown-type run */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const PHASES = ['lobby', 'briefing', 'negotiation', 'orders', 'report', 'ended'] as const;
type PhaseName = (typeof PHASES)[number];
const TYPES = Object.keys(clientMessages) as ClientMessageType[];
/** the transport closes a connection whose frame is above 64 KB (by design: a flood); stay below it */
const MAX_FRAME = 60_000;

// ---- what the default rule file offers, to build payloads that get past the schema and into the game ----------

const rules = defaultRules();
const roleIds = rules.roles.map((r) => r.id);
const leverIds = [...new Set(rules.roles.flatMap((r) => r.levers.map((l) => l.id)))];
const regionIds = rules.regions.map((r) => r.id);
const proposalIds = rules.proposals.map((p) => p.id);
const eventIds = rules.events.map((e) => e.id);
const ACTIONS = ['start', 'pause', 'resume', 'extend', 'resolveNow', 'skipPhase', 'inject', 'move', 'remove', 'botSeat', 'end'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'toJSON'];
/** placeholders for the people of the match under test, filled in when sent */
const PERSON_REFS = ['$usGov', '$cnGov', '$spectator'];

// ---- hostile values ---------------------------------------------------------------------------------------

const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom('', ' ', '\t\n', '\u0000', 'a\u0000b', '\u200b', '\u202eevil', '\ud800', '\udfff\ud800', '👩🏽‍🚀', 'ｕｓＧｏｖ', 'USGOV', 'usGov ', ' all', 'null', 'undefined', 'NaN', '<script>alert(1)</script>', "'; DROP TABLE matches; --", '%s%n%x', '../../etc/passwd', '${process.exit()}', ...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 40_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 12_000 }).map((n) => '🛰'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => '\u0301'.repeat(n)) },
);

const weirdNumber: fc.Arbitrary<number | bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 1e-300, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 32, 2 ** 64, -(2 ** 63), 4, 5, 3600, 3601) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }) },
);

function nest(depth: number, inArray: boolean, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = inArray ? [v] : { a: v };
  // fast-check prints a failing case recursively; a short description keeps it from overflowing the stack
  return labelled(v as object, `${inArray ? '[' : '{a:'}…${depth} deep…`);
}

/**
 * MessagePack maps whose keys are objects (a JS Map keyed by an object, an array or a boxed value) are valid
 * MessagePack that the server's decoder refuses; the room answers "could not be decoded" before any of its
 * message code runs. JSON cannot express them, so only a hand-made client sends them.
 */
function hasObjectKeyedMap(v: unknown, seen = new Set<unknown>()): boolean {
  if (!v || typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  if (v instanceof Map) return [...v].some(([k, x]) => (k !== null && (typeof k === 'object' || typeof k === 'function')) || hasObjectKeyedMap(x, seen));
  if (v instanceof Set) return [...v].some((x) => hasObjectKeyedMap(x, seen));
  if (ArrayBuffer.isView(v)) return false;
  return Object.keys(v).some((k) => hasObjectKeyedMap((v as Record<string, unknown>)[k], seen));
}

/** An object whose own keys are the dangerous ones ("__proto__" as an own property, as JSON.parse makes it). */
const protoObject: fc.Arbitrary<Record<string, unknown>> = fc.array(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.oneof(fc.constant({ polluted: true }), fc.constant('x'), fc.constant(1))), { minLength: 1, maxLength: 4 })
  .map((entries) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.constant(undefined), fc.boolean(), weirdNumber, weirdString, fc.date({ noInvalidDate: false }), fc.uint8Array({ maxLength: 64 }),
);

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileLeaf },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 10, max: 2000 }), fc.boolean(), hostileLeaf).map(([d, arr, leaf]) => nest(d, arr, leaf)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 8000 }).map((n) => labelled(Array.from({ length: n }, (_, i) => i * 1.5), `[…${n} numbers…]`)) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2000 }).map((n) => labelled(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])), `{…${n} keys…}`)) },
  { weight: 2, arbitrary: protoObject },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 6, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }) },
);

/** An id: mostly a real one, sometimes the name of a prototype member, sometimes any string. */
const idLike = (real: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) }, { weight: 1, arbitrary: weirdString });

/** Mostly a value of the right kind, sometimes a hostile one. */
const or = <T,>(good: fc.Arbitrary<T>, weight = 4) => fc.oneof({ weight, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: hostile });

/** Adds junk keys (extra fields, prototype keys) to an object payload, or deletes some of its keys. */
const tampered = (base: fc.Arbitrary<unknown>) => fc.tuple(base, fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 })), hostile), { maxLength: 3 }), fc.boolean())
  .map(([value, extra, dropOne]) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const o: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (dropOne) delete o[Object.keys(o)[0]];
    for (const [k, v] of extra) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });

const money = fc.oneof({ weight: 6, arbitrary: fc.double({ min: 0, max: 40, noNaN: true }) as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: weirdNumber }, { weight: 1, arbitrary: hostileLeaf });
const leverKey = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...leverIds) }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) });
const order = fc.record({
  spend: or(fc.oneof({ weight: 8, arbitrary: fc.dictionary(leverKey, money, { maxKeys: 6 }) }, { weight: 1, arbitrary: fc.dictionary(leverKey, money, { minKeys: 41, maxKeys: 60 }) })),
  exportTiers: or(fc.dictionary(fc.oneof(fc.constantFrom(...regionIds), weirdString), or(fc.constantFrom(...EXPORT_TIERS, 'closed', 'OPEN')), { maxKeys: 5 })),
  globalLicensing: or(fc.boolean()),
  openWeights: or(fc.boolean()),
  hubCompliance: or(fc.double({ min: -0.5, max: 1.5, noNaN: true })),
}, { requiredKeys: [] });

const controlMix = fc.record({
    action: or(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: weirdString }), 6),
    seconds: or(fc.oneof(fc.integer({ min: -10, max: 4000 }), weirdNumber)),
    cardId: or(idLike(eventIds)),
    personId: or(idLike(PERSON_REFS)),
    role: or(fc.oneof(idLike(roleIds), fc.constant(null))),
    bot: or(fc.boolean()),
  }, { requiredKeys: [] });

const nearValid: Record<ClientMessageType, fc.Arbitrary<unknown>> = {
  draft: fc.record({ order: or(order, 6) }, { requiredKeys: [] }),
  submit: fc.record({ order: or(order, 6) }, { requiredKeys: [] }),
  unsubmit: fc.oneof(fc.constant(undefined), fc.constant({}), fc.constant(null)),
  ready: fc.record({ ready: or(fc.boolean()) }, { requiredKeys: [] }),
  chat: fc.record({
    to: or(idLike(['all', 'facilitator', ...roleIds])),
    text: or(fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('', '   ', '\n\t', 'x'.repeat(500), 'x'.repeat(501), `${' '.repeat(600)}x`, '👩🏽‍🚀'.repeat(100)), weirdString)),
  }, { requiredKeys: [] }),
  propose: fc.record({ proposalId: or(idLike(proposalIds)), to: or(idLike(roleIds)) }, { requiredKeys: [] }),
  lead: fc.record({ personId: or(idLike(PERSON_REFS)) }, { requiredKeys: [] }),
  reclaim: fc.oneof(fc.constant(undefined), fc.constant({}), fc.constant(null)),
  respond: fc.record({ key: or(fc.oneof(fc.integer({ min: -2, max: 12 }), weirdNumber)), accept: or(fc.boolean()) }, { requiredKeys: [] }),
  control: fc.oneof(
    // each action's own shape, its values sometimes hostile
    { weight: 3, arbitrary: fc.oneof(
      fc.record({ action: fc.constantFrom('start', 'pause', 'resume', 'resolveNow', 'skipPhase', 'end') }),
      fc.record({ action: fc.constant('extend'), seconds: or(fc.oneof(fc.integer({ min: -10, max: 4000 }), weirdNumber)) }),
      fc.record({ action: fc.constant('inject'), cardId: or(idLike(eventIds)) }),
      fc.record({ action: fc.constant('move'), personId: or(idLike(PERSON_REFS)), role: or(fc.oneof(idLike(roleIds), fc.constant(null))) }),
      fc.record({ action: fc.constant('remove'), personId: or(idLike(PERSON_REFS)) }),
      fc.record({ action: fc.constant('botSeat'), role: or(idLike(roleIds)), bot: or(fc.boolean()) }),
    ) },
    // any mix of the fields
    { weight: 2, arbitrary: controlMix },
  ),
};



/** A rough upper bound of a value's MessagePack size, to keep frames under the transport's limit. */
function packedBytes(v: unknown, depth = 0): number {
  if (depth > 5000) return Infinity;
  if (typeof v === 'string') return Buffer.byteLength(v) + 5;
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 9;
  if (v instanceof Uint8Array) return v.byteLength + 5;
  if (v instanceof Date) return 15;
  if (v instanceof Map) return 5 + [...v].reduce((n, [k, x]) => n + packedBytes(k, depth + 1) + packedBytes(x, depth + 1), 0);
  if (v instanceof Set) return 5 + [...v].reduce((n, x) => n + packedBytes(x, depth + 1), 0);
  if (Array.isArray(v)) { let n = 5; for (let i = 0; i < v.length; i++) n += packedBytes(v[i], depth + 1); return n; }
  if (typeof v === 'object') { let n = 5; for (const k of Object.keys(v as object)) n += Buffer.byteLength(k) + 5 + packedBytes((v as Record<string, unknown>)[k], depth + 1); return n; }
  return 16;
}

/** Payloads the schema accepts, so the game's own rules (phase, role, budget, permissions) get fuzzed too. */
const validOrder = fc.constantFrom(...rules.roles).chain((role) => fc.record({
  // one role's levers and settings (often not the sender's role: "has no lever", "does not set")
  spend: fc.dictionary(fc.constantFrom(...role.levers.map((l) => l.id)), fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true })), { maxKeys: 3 }),
  ...(role.settings.includes('exportTiers') ? { exportTiers: fc.dictionary(fc.constantFrom(...regionIds), fc.constantFrom(...EXPORT_TIERS), { maxKeys: 3 }) } : {}),
  ...(role.settings.includes('globalLicensing') ? { globalLicensing: fc.boolean() } : {}),
  ...(role.settings.includes('openWeights') ? { openWeights: fc.boolean() } : {}),
  ...(role.settings.includes('hubCompliance') ? { hubCompliance: fc.double({ min: 0, max: 1, noNaN: true }) } : {}),
}, { requiredKeys: ['spend'] }));
const schemaValid: Record<ClientMessageType, fc.Arbitrary<unknown>> = {
  draft: fc.record({ order: validOrder }),
  submit: fc.record({ order: validOrder }),
  unsubmit: fc.constantFrom(undefined, {}),
  ready: fc.record({ ready: fc.boolean() }),
  chat: fc.record({ to: fc.constantFrom('all', 'facilitator', 'team', ...roleIds), text: fc.string({ minLength: 1, maxLength: 80 }).filter((t) => t.trim() !== '') }),
  propose: fc.record({ proposalId: fc.constantFrom(...proposalIds), to: fc.constantFrom(...roleIds) }),
  lead: fc.record({ personId: fc.constantFrom(...PERSON_REFS) }),
  reclaim: fc.constantFrom(undefined, {}),
  respond: fc.record({ key: fc.integer({ min: 1, max: 12 }), accept: fc.boolean() }),
  control: fc.oneof(
    fc.record({ action: fc.constantFrom('start', 'pause', 'resume', 'resolveNow', 'skipPhase', 'end') }),
    fc.record({ action: fc.constant('extend'), seconds: fc.integer({ min: 5, max: 3600 }) }),
    fc.record({ action: fc.constant('inject'), cardId: fc.constantFrom(...eventIds) }),
    fc.record({ action: fc.constant('move'), personId: fc.constantFrom(...PERSON_REFS), role: fc.oneof(fc.constantFrom(...roleIds), fc.constant(null)) }),
    fc.record({ action: fc.constant('remove'), personId: fc.constantFrom(...PERSON_REFS) }),
    fc.record({ action: fc.constant('botSeat'), role: fc.constantFrom(...roleIds), bot: fc.boolean() }),
  ),
};

const payloadFor = (type: ClientMessageType) => fc.oneof(
  { weight: 3, arbitrary: schemaValid[type] },
  { weight: 3, arbitrary: nearValid[type] },
  { weight: 1, arbitrary: tampered(nearValid[type]) },
  { weight: 2, arbitrary: hostile },
).filter((p) => packedBytes(p) < MAX_FRAME);

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

/** Big generated values print as a short description when fast-check reports a failing case. */
function labelled<T extends object>(value: T, label: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => label });
  return value;
}

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
