// A walk over a MessagePack payload's bytes that builds nothing: most frames are plain and whole, and proving that
// without decoding spares the frame check a second decode (Colyseus decodes every frame it is handed).

/** Bytes of the argument that follows each fixed-size type byte (nil, booleans, floats, ints); -1 for the others. */
const FIXED = new Int8Array(256).fill(-1);
for (const [b, n] of [[0xc0, 0], [0xc2, 0], [0xc3, 0], [0xca, 4], [0xcb, 8], [0xcc, 1], [0xcd, 2], [0xce, 4], [0xcf, 8], [0xd0, 1], [0xd1, 2], [0xd2, 4], [0xd3, 8]]) FIXED[b] = n;

/** Containers nested deeper than this are left to the full check (a decoder recurses on them). */
const MAX_DEPTH = 64;

/**
 * True when the bytes from `start` are exactly one MessagePack value made of nil, booleans, numbers, strings, binary,
 * arrays, maps and msgpackr's records (extension "r", one byte id: what the Colyseus SDK packs objects as), no deeper
 * than MAX_DEPTH. False means "not proven" (another extension, the unused byte 0xC1, a cut or trailing byte, deep
 * nesting): the caller decodes to find out.
 */
export function plainMessagePack(buf: Uint8Array, start: number): boolean {
  const end = buf.length;
  let at = start;
  // values still to read at each open container; the payload itself is one value
  const open: number[] = [1];
  // whether each open container is a map: its even places are keys, which decode only as a string, number, boolean or nil
  const isMap: boolean[] = [false];
  // the number of keys of each record defined so far in this payload, by id (0-63)
  const records: number[] = [];
  const len = (n: number): number => {
    if (at + n > end) return -1;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + buf[at + i];
    at += n;
    return v;
  };
  /** The key count of a record's key array of plain strings, read past; -1 when it is anything else. */
  const recordKeys = (): number => {
    if (at >= end) return -1;
    const h = buf[at++];
    const n = h >= 0x90 && h <= 0x9f ? h & 0x0f : h === 0xdc ? len(2) : -1;
    if (n < 0) return -1;
    for (let i = 0; i < n; i++) {
      if (at >= end) return -1;
      const k = buf[at++];
      const size = k >= 0xa0 && k <= 0xbf ? k & 0x1f : k === 0xd9 ? len(1) : k === 0xda ? len(2) : -1;
      if (size < 0 || (at += size) > end) return -1;
    }
    return n;
  };
  while (open.length) {
    const top = open.length - 1;
    if (open[top] === 0) { open.pop(); isMap.pop(); continue; }
    const key = isMap[top] && open[top] % 2 === 0;
    open[top]--;
    if (at >= end) return false;
    const b = buf[at++];
    if (key && !((b <= 0x7f && records[b & 0x3f] === undefined) || b >= 0xe0 || (b >= 0xa0 && b <= 0xc3 && b !== 0xc1) || (b >= 0xca && b <= 0xd3) || (b >= 0xd9 && b <= 0xdb))) return false;
    let items = 0;
    const map = (b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf;
    if (b <= 0x3f || b >= 0xe0) continue;
    if (b <= 0x7f) {
      // a use of a record defined earlier: its values follow; else a plain number
      const keys = records[b & 0x3f];
      if (keys === undefined) continue;
      items = keys;
    } else if (b <= 0x8f) items = (b & 0x0f) * 2;
    else if (b <= 0x9f) items = b & 0x0f;
    else if (b <= 0xbf) { at += b & 0x1f; if (at > end) return false; continue; }
    else if (FIXED[b] >= 0) { at += FIXED[b]; if (at > end) return false; continue; }
    else if (b === 0xc4 || b === 0xd9) { const n = len(1); if (n < 0 || (at += n) > end) return false; continue; }
    else if (b === 0xc5 || b === 0xda) { const n = len(2); if (n < 0 || (at += n) > end) return false; continue; }
    else if (b === 0xc6 || b === 0xdb) { const n = len(4); if (n < 0 || (at += n) > end) return false; continue; }
    else if (b === 0xdc) items = len(2);
    else if (b === 0xdd) items = len(4);
    else if (b === 0xde) { items = len(2); if (items >= 0) items *= 2; }
    else if (b === 0xdf) { items = len(4); if (items >= 0) items *= 2; }
    else if (b === 0xd4 && buf[at] === 0x72) {
      // a record's definition: its id, its keys (an array of strings), then its first values
      if (at + 2 > end) return false;
      const id = buf[at + 1] & 0x3f;
      at += 2;
      items = recordKeys();
      if (items < 0) return false;
      records[id] = items;
    }
    // 0xc1, and the extensions (0xc7-0xc9, 0xd4-0xd8): not proven plain
    else return false;
    if (items < 0 || items > end - at) return false;
    if (items > 0) {
      if (open.length >= MAX_DEPTH) return false;
      open.push(items);
      isMap.push(map);
    }
  }
  return at === end;
}
