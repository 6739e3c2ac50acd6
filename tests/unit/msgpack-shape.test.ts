// The byte walk that spares plain frames a second decode agrees with the decoder: whatever it calls plain decodes,
// and every cut, trailing byte, 0xC1 and extension is left to the decoder.
import { describe, it, expect } from 'vitest';
import { pack, unpack, Packr } from 'msgpackr';
import { plainMessagePack } from '../../server/rooms/msgpack-shape.ts';

const decodes = (b: Uint8Array): boolean => { try { unpack(b); return true; } catch { return false; } };

describe('plain MessagePack', () => {
  it('proves plain values whole, and nothing cut or followed by more', () => {
    const values = [null, true, 0, -1, 127, -33, 255, 65_536, 2 ** 40, 0.5, 'x', 'é'.repeat(40), 'a'.repeat(70_000), [], {}, [1, [2, [3]]],
      { order: { spend: { chips: 1.25, fabs: 3 } }, ready: true }, Buffer.from([1, 2, 3]), Array.from({ length: 20 }, (_, i) => i)];
    for (const v of values) {
      const b = pack(v);
      expect(plainMessagePack(b, 0), JSON.stringify(v)?.slice(0, 40)).toBe(true);
      for (let cut = 0; cut < b.length; cut++) expect(plainMessagePack(b.subarray(0, cut), 0)).toBe(false);
      expect(plainMessagePack(Buffer.concat([b, Buffer.from([0])]), 0)).toBe(false);
    }
  });

  it('reads the records the Colyseus SDK packs objects as, defined and used again', () => {
    const packr = new Packr();
    const order = { order: { spend: { chips: 1.25, fabs: 3 }, dilemmas: { rareEarths: 'refrain' } }, list: [{ a: 1 }, { a: 2 }, { a: 3 }] };
    const b = packr.pack(order);
    expect(b[0]).toBe(0xd4);
    expect(plainMessagePack(b, 0)).toBe(true);
    expect(unpack(b)).toEqual(order);
    for (let cut = 0; cut < b.length; cut++) expect(plainMessagePack(b.subarray(0, cut), 0)).toBe(false);
  });

  it('leaves to the decoder a map whose key is not a string, number, boolean or nil', () => {
    const objectKey = Buffer.from([0x81, 0x81, 0xa1, 0x61, 0x01, 0x02]);
    expect(plainMessagePack(objectKey, 0)).toBe(false);
    const recordKey = Buffer.concat([Buffer.from([0x92, 0xd4, 0x72, 0x40, 0x91, 0xa1, 0x61, 0x01, 0x81, 0x40, 0x05, 0x06])]);
    expect(plainMessagePack(recordKey, 0)).toBe(false);
    expect(plainMessagePack(Buffer.from([0x81, 0xa1, 0x61, 0x81, 0xa1, 0x62, 0x01]), 0)).toBe(true);
  });

  it('leaves 0xC1, extensions and deep nesting to the decoder', () => {
    expect(plainMessagePack(Buffer.from([0x91, 0xc1]), 0)).toBe(false);
    expect(plainMessagePack(pack(new Date(0)), 0)).toBe(false);
    expect(plainMessagePack(Buffer.from([0xd4, 0x72, 0x00]), 0)).toBe(false);
    const deep = Buffer.concat([Buffer.alloc(100, 0x91), Buffer.from([0x01])]);
    expect(plainMessagePack(deep, 0)).toBe(false);
    expect(plainMessagePack(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]), 0)).toBe(false);
  });

  it('never calls plain what does not decode, over random bytes', () => {
    let seed = 42;
    const rand = () => { seed = (seed * 1_103_515_245 + 12_345) >>> 0; return seed; };
    let plain = 0;
    // random bytes, and random bytes after a record's definition (so record uses and map keys come up)
    const prefix = Buffer.from([0x92, 0xd4, 0x72, 0x40, 0x92, 0xa1, 0x61, 0xa1, 0x62, 0x01, 0x02]);
    for (let i = 0; i < 40_000; i++) {
      const tail = Buffer.from(Array.from({ length: 1 + (rand() % 24) }, () => rand() % 256));
      const b = i % 2 ? Buffer.concat([prefix, tail]) : tail;
      if (plainMessagePack(b, 0)) { plain++; expect(decodes(b), b.toString('hex')).toBe(true); }
    }
    expect(plain).toBeGreaterThan(100);
  });
});
