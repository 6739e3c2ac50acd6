// One scratch buffer for every room's patches in this process, instead of one per room (128 KB each once grown:
// 160 MB of memory at 1,250 matches). Safe because a room's patch is encoded and copied out in one synchronous call:
// when every client has a view (a match room gives each one), @colyseus/schema copies each client's bytes
// (concatBytes) before the next room encodes, so nothing keeps pointing into the buffer.
import type { Room } from '@colyseus/core';

interface WithEncoder { _serializer?: { encoder?: { sharedBuffer: Uint8Array }; hasFilters?: boolean } }

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
