// Hostile payloads for every client message (fast-check arbitraries): wrong types, huge strings and arrays within the
// frame limit, deep nesting, unicode, prototype keys, NaN/Infinity/-0/huge numbers, and payloads the schema accepts so
// the game's own rules get fuzzed too. Shared by tests/server/fuzz-messages.test.ts and bench/hostile.ts.
import fc from 'fast-check';
import type { ClientMessageType } from '../../shared/protocol/messages.ts';
import { EXPORT_TIERS } from '../../shared/rules/schema.ts';
import { defaultRules } from './rules.ts';

/** the transport closes a connection whose frame is above 64 KB (by design: a flood); stay below it */
export const MAX_FRAME = 60_000;

// ---- what the default rule file offers, to build payloads that get past the schema and into the game ----------

const rules = defaultRules();
const roleIds = rules.roles.map((r) => r.id);
const leverIds = [...new Set(rules.roles.flatMap((r) => r.levers.map((l) => l.id)))];
const regionIds = rules.regions.map((r) => r.id);
const proposalIds = rules.proposals.map((p) => p.id);
const eventIds = rules.events.map((e) => e.id);
const ACTIONS = ['start', 'pause', 'resume', 'extend', 'resolveNow', 'skipPhase', 'inject', 'move', 'remove', 'botSeat', 'end'];
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'toJSON'];
/** placeholders for the people of the match under test, filled in when sent */
export const PERSON_REFS = ['$usGov', '$cnGov', '$spectator'];

// ---- hostile values ---------------------------------------------------------------------------------------

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom('', ' ', '\t\n', '\u0000', 'a\u0000b', '\u200b', '\u202eevil', '\ud800', '\udfff\ud800', '👩🏽‍🚀', 'ｕｓＧｏｖ', 'USGOV', 'usGov ', ' all', 'null', 'undefined', 'NaN', '<script>alert(1)</script>', "'; DROP TABLE matches; --", '%s%n%x', '../../etc/passwd', '${process.exit()}', ...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 40_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 12_000 }).map((n) => '🛰'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => '\u0301'.repeat(n)) },
);

export const weirdNumber: fc.Arbitrary<number | bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 1e-300, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 32, 2 ** 64, -(2 ** 63), 4, 5, 3600, 3601) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }) },
);

export function nest(depth: number, inArray: boolean, leaf: unknown): unknown {
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
export function hasObjectKeyedMap(v: unknown, seen = new Set<unknown>()): boolean {
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

export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.constant(undefined), fc.boolean(), weirdNumber, weirdString, fc.date({ noInvalidDate: false }), fc.uint8Array({ maxLength: 64 }),
);

export const hostile: fc.Arbitrary<unknown> = fc.oneof(
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

export const nearValid: Record<ClientMessageType, fc.Arbitrary<unknown>> = {
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
export function packedBytes(v: unknown, depth = 0): number {
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
export const schemaValid: Record<ClientMessageType, fc.Arbitrary<unknown>> = {
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

export const payloadFor = (type: ClientMessageType) => fc.oneof(
  { weight: 3, arbitrary: schemaValid[type] },
  { weight: 3, arbitrary: nearValid[type] },
  { weight: 1, arbitrary: tampered(nearValid[type]) },
  { weight: 2, arbitrary: hostile },
).filter((p) => packedBytes(p) < MAX_FRAME);


/** Big generated values print as a short description when fast-check reports a failing case. */
export function labelled<T extends object>(value: T, label: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => label });
  return value;
}

