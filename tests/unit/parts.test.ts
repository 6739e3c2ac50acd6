// Documents in parts (shared/protocol/parts.ts): what goes in comes back out, and a change writes only the parts it changes.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Encoder, Decoder } from '@colyseus/schema';
import { splitDocument, writeParts, assembleParts, whole, shaped, type WritableParts } from '../../shared/protocol/parts.ts';
import { DocParts, type DocPartsT } from '../../shared/protocol/state.ts';

/** Plain maps standing in for the two MapSchemas, counting the writes a change makes. */
function store(): WritableParts & { writes: string[] } {
  const writes: string[] = [];
  const map = <V>(name: string) => {
    const m = new Map<string, V>();
    return { get: (k: string) => m.get(k), keys: () => m.keys(), set: (k: string, v: V) => { writes.push(`${name} ${k}`); m.set(k, v); }, delete: (k: string) => { writes.push(`delete ${k}`); return m.delete(k); } };
  };
  return { numbers: map<number>('number'), values: map<string>('value'), version: 0, writes };
}

describe('documents in parts', () => {
  it('gives back the document it was given, key order, odd keys, nulls and empty containers included', () => {
    const doc = { b: 1.5, a: [1, { 'x/y': 'slash', 'til~de': true }, null, []], e: {}, n: null, s: 'text', z: -0.000123456789 };
    const parts = store();
    writeParts(parts, doc);
    expect(assembleParts(parts)).toEqual(doc);
    expect(JSON.stringify(assembleParts(parts))).toBe(JSON.stringify(doc));
    expect(splitDocument(doc).numbers.get('/a/1')).toBeUndefined();
    expect(splitDocument(doc).values.get('/a/1/x~1y')).toBe('"slash"');
    writeParts(parts, null);
    expect(assembleParts(parts)).toBeNull();
    expect(assembleParts(store())).toBeUndefined();
  });

  it('writes only what changed, and removes what went away', () => {
    const parts = store();
    writeParts(parts, { own: { chips: 100, power: 2 }, list: [1, 2, 3], label: 'Q1' });
    parts.writes.length = 0;
    const version = parts.version;
    expect(writeParts(parts, { own: { chips: 100, power: 2 }, list: [1, 2, 3], label: 'Q1' })).toBe(false);
    expect(parts.writes).toEqual([]);
    expect(parts.version).toBe(version);

    writeParts(parts, { own: { chips: 120.25, power: 2 }, list: [1, 2], label: 'Q1' });
    expect(parts.writes.sort()).toEqual(['delete /list/2', 'number /own/chips', 'value /list'].sort());
    expect(parts.version).toBe(version + 1);
    expect(assembleParts(parts)).toEqual({ own: { chips: 120.25, power: 2 }, list: [1, 2], label: 'Q1' });

    // a number that becomes text moves from one map to the other
    parts.writes.length = 0;
    writeParts(parts, { own: { chips: 'many', power: 2 }, list: [1, 2], label: 'Q1' });
    expect(parts.writes.sort()).toEqual(['delete /own/chips', 'value /own/chips']);
    expect(assembleParts(parts)).toEqual({ own: { chips: 'many', power: 2 }, list: [1, 2], label: 'Q1' });
  });

  it('keeps every bit of a number through the real encoder and decoder (nothing rounded to float32)', () => {
    const doc = new DocParts();
    const encoder = new Encoder(doc);
    const value = { x: 0.1 + 0.2, budget: 12.345678901234, big: 2 ** 53 - 1, tiny: 5e-324, spend: [0.36, 1 / 3] };
    writeParts(doc, value);
    const decoder = new Decoder(new DocParts());
    decoder.decode(encoder.encodeAll());
    expect(assembleParts(decoder.state as unknown as DocPartsT)).toEqual(value);
    // and a change after that, as a patch
    writeParts(doc, { ...value, x: 2 / 3 });
    decoder.decode(encoder.encode());
    expect(assembleParts(decoder.state as unknown as DocPartsT)).toEqual({ ...value, x: 2 / 3 });
  });

  it('writes a whole part as one value, and swaps it for a split one and back without leaving parts behind', () => {
    const parts = store();
    const dilemma = { cardId: 'rareEarths', title: 'Curbs', options: [{ id: 'impose', label: 'Impose' }, { id: 'refrain', label: 'Refrain' }] };
    writeParts(parts, { budget: 3, dilemmas: whole([dilemma]) });
    expect(parts.writes.filter((w) => w.includes('/dilemmas'))).toEqual(['value /dilemmas']);
    expect(assembleParts(parts)).toEqual({ budget: 3, dilemmas: [dilemma] });
    expect(splitDocument({ budget: 3, dilemmas: whole([dilemma]) }).values.get('/dilemmas')).toBe(JSON.stringify({ whole: [dilemma] }));
    // the same whole again changes nothing
    parts.writes.length = 0;
    expect(writeParts(parts, { budget: 3, dilemmas: whole([dilemma]) })).toBe(false);
    // split, then whole again: the split parts go
    writeParts(parts, { budget: 3, dilemmas: [dilemma] });
    expect(assembleParts(parts)).toEqual({ budget: 3, dilemmas: [dilemma] });
    writeParts(parts, { budget: 3, dilemmas: whole([]) });
    expect(assembleParts(parts)).toEqual({ budget: 3, dilemmas: [] });
    expect([...(parts.values as unknown as Map<string, string>).keys()].filter((k) => k.startsWith('/dilemmas/'))).toEqual([]);
  });

  it('writes a null in the shape it will take, so that its first value moves numbers and adds no path', () => {
    const parts = store();
    const shape = { spend: { chips: 0, safety: 0 } };
    writeParts(parts, { budget: 3, lastOrder: shaped(null, shape) });
    expect(assembleParts(parts)).toEqual({ budget: 3, lastOrder: null });
    expect(parts.values.get('/lastOrder')).toBe('{"keys":["spend"],"none":true}');
    expect(splitDocument({ lastOrder: shaped(null, shape) }).values.get('/lastOrder')).toBe('{"keys":["spend"],"none":true}');
    // the same null again changes nothing
    parts.writes.length = 0;
    expect(writeParts(parts, { budget: 3, lastOrder: shaped(null, shape) })).toBe(false);
    // the first order: the container's text and the numbers that moved, no new path
    const order = { spend: { chips: 1.5, safety: 0 } };
    writeParts(parts, { budget: 3, lastOrder: shaped(order, shape) });
    expect(parts.writes.sort()).toEqual(['number /lastOrder/spend/chips', 'value /lastOrder']);
    expect(assembleParts(parts)).toEqual({ budget: 3, lastOrder: order });
    // a value with more than the shape adds only what is new, and a null again keeps the shape and drops the rest
    writeParts(parts, { budget: 3, lastOrder: shaped({ spend: { chips: 2, safety: 1 }, dilemmas: { curbs: 'impose' } }, shape) });
    expect(assembleParts(parts)).toEqual({ budget: 3, lastOrder: { spend: { chips: 2, safety: 1 }, dilemmas: { curbs: 'impose' } } });
    writeParts(parts, { budget: 3, lastOrder: shaped(null, shape) });
    expect(assembleParts(parts)).toEqual({ budget: 3, lastOrder: null });
    expect([...(parts.values as unknown as Map<string, string>).keys()].filter((k) => k.includes('dilemmas'))).toEqual([]);
    // a shape that is not an object is written as a plain null
    writeParts(parts, { budget: 3, lastOrder: shaped(null, [1, 2]) });
    expect(parts.values.get('/lastOrder')).toBe('null');
  });

  it('holds exactly the parts of the last document written, whatever was written before (and when read back from the parts)', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'x/y', 't~1', '0');
    const leaf = fc.oneof(fc.constantFrom(0, 1, -0.5, 2 ** 40, null, true, false, 'q', ''), fc.double({ noNaN: true }), fc.string({ maxLength: 3 }));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(fc.array(tree, { minLength: 1, maxLength: 6 }), fc.nat(5), (docs, reread) => {
      let parts = store();
      docs.forEach((doc, i) => {
        // a document whose parts were written by another writer: the tree of what they hold is read from them
        if (i === reread) parts = { ...parts, numbers: parts.numbers, values: parts.values };
        writeParts(parts, doc);
        const want = splitDocument(doc);
        const numbers = parts.numbers as unknown as { keys(): Iterable<string> };
        const values = parts.values as unknown as { keys(): Iterable<string> };
        expect(new Map([...numbers.keys()].map((k) => [k, parts.numbers.get(k)]))).toEqual(want.numbers);
        expect(new Map([...values.keys()].map((k) => [k, parts.values.get(k)]))).toEqual(want.values);
        expect(JSON.stringify(assembleParts(parts))).toBe(JSON.stringify(doc));
      });
    }), { numRuns: 500 });
  });
});
