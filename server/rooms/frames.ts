// Colyseus closes a connection whose message payload is not MessagePack; the room answers it with an error instead.
import { Protocol } from '@colyseus/core';
import { decode } from '@colyseus/schema';
import { unpack } from 'msgpackr';

/** The protocol code sits in a frame's first byte, below its modifier bits. */
const CODE_BITS = 0x1f;

/** Why a data frame (a message, or a request expecting a reply) cannot be decoded; null when it can, or is not one. */
export function undecodable(buffer: Uint8Array | undefined): { type: string; why: string } | null {
  if (!buffer || buffer.length === 0) return null;
  const code = buffer[0] & CODE_BITS;
  if (code !== Protocol.ROOM_DATA && code !== Protocol.ROOM_REQUEST) return null;
  const it = { offset: 1 };
  let type = '?';
  try {
    if (code === Protocol.ROOM_REQUEST) decode.number(buffer as never, it);
    type = decode.stringCheck(buffer as never, it) ? decode.string(buffer as never, it) : String(decode.number(buffer as never, it));
    if (buffer.byteLength > it.offset) unpack(buffer.subarray(it.offset));
    return null;
  } catch (err) {
    return { type: type.slice(0, 50), why: String((err as Error)?.message ?? err).slice(0, 120) };
  }
}
