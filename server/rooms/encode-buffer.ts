// One scratch buffer for every room's patches in this process, instead of one per room (128 KB each once grown:
// 160 MB of memory at 1,250 matches). Safe because a room's patch is encoded and copied out in one synchronous call:
// when every client has a view (a match room gives each one), @colyseus/schema copies each client's bytes
// (concatBytes) before the next room encodes, so nothing keeps pointing into the buffer.
import type { Room } from '@colyseus/core';

interface WithEncoder { _serializer?: { encoder?: { sharedBuffer: Uint8Array }; hasFilters?: boolean } }

/** The serializer's join path: the whole state for a joining client, encoded into (and cached in) fullEncodeBuffer. */
interface FullState {
  fullEncodeBuffer: Uint8Array;
  needFullEncode: boolean;
  getFullState(client?: unknown, timing?: unknown): Uint8Array;
}

let shared: Uint8Array | null = null;

/** Runs a room's patch on the process's buffer; a patch that outgrew it leaves the grown one as the buffer for all. */
export function withSharedEncodeBuffer(room: Room, patch: () => void): void {
  const serializer = (room as unknown as WithEncoder)._serializer;
  const encoder = serializer?.encoder;
  if (!encoder) { patch(); return; }
  // a client without a view is sent the encoded patch as a view into the buffer itself (no copy): the room then
  // patches on a buffer of its own
  if (!serializer.hasFilters || room.clients.some((c) => !c.view)) {
    if (encoder.sharedBuffer === shared) encoder.sharedBuffer = new Uint8Array(shared.length);
    patch();
    return;
  }
  if (!shared || shared.length < encoder.sharedBuffer.length) shared = encoder.sharedBuffer;
  encoder.sharedBuffer = shared;
  try {
    patch();
  } finally {
    // the encoder replaces its buffer when a patch does not fit: keep the bigger one for every room
    if (encoder.sharedBuffer.length > shared.length) shared = encoder.sharedBuffer;
  }
}

let fullShared: Uint8Array | null = null;

/**
 * A join's whole state is encoded in one buffer of the process too, instead of each room keeping its own 64 KB
 * (80 MB of memory at 1,250 rooms, for something a room uses when someone joins). The room then keeps no encoded
 * copy between joins (each join encodes afresh), and each joiner is sent a copy of its bytes, never a view into
 * the buffer another room's join will write over.
 */
export function shareFullStateBuffer(room: Room): void {
  const serializer = (room as unknown as { _serializer?: Partial<FullState> })._serializer;
  if (!serializer || !(serializer.fullEncodeBuffer instanceof Uint8Array) || typeof serializer.getFullState !== 'function') return;
  const own = serializer as FullState;
  const encodeFor = own.getFullState.bind(own);
  fullShared ??= own.fullEncodeBuffer;
  own.fullEncodeBuffer = fullShared;
  own.getFullState = (client, timing) => {
    // the buffer's first byte is the frame's kind, the same for every room; the cache in it may be another room's
    own.needFullEncode = true;
    // (a state too big for the buffer is encoded into a bigger one the encoder makes for that call)
    return Buffer.from(encodeFor(client, timing));
  };
}
