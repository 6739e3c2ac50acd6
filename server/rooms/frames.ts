// Frames before Colyseus reads them: a flood closes the connection at once; an undecodable payload gets an error reply.
import { Protocol, type Client, type Room } from '@colyseus/core';
import { decode } from '@colyseus/schema';
import { unpack } from 'msgpackr';
import { CLOSE_CODES } from '../../shared/protocol/errors.ts';
import type { Refusal } from '../../shared/match/decide.ts';
import type { Limits } from '../context.ts';
import type { Who } from './connections.ts';
import { plainMessagePack } from './msgpack-shape.ts';

/** The protocol code sits in a frame's first byte, below its modifier bits. */
const CODE_BITS = 0x1f;

/** True when msgpackr decoded the never-used byte 0xC1 somewhere in the value (it returns a placeholder, it does not throw). */
function hasC1(v: unknown, depth = 0): boolean {
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if ((v as { constructor?: { name?: string } }).constructor?.name === 'C1Type') return true;
  if (Array.isArray(v)) return v.some((x) => hasC1(x, depth + 1));
  if (v instanceof Map) { for (const [k, x] of v) if (hasC1(k, depth + 1) || hasC1(x, depth + 1)) return true; return false; }
  for (const x of Object.values(v)) if (hasC1(x, depth + 1)) return true;
  return false;
}

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
    // a plain, whole payload decodes: only the rest is decoded here (Colyseus decodes every frame again)
    if (buffer.byteLength > it.offset && !plainMessagePack(buffer, it.offset) && hasC1(unpack(buffer.subarray(it.offset)))) return { type: type.slice(0, 50), why: 'the byte 0xC1 is never used in MessagePack' };
    return null;
  } catch (err) {
    return { type: type.slice(0, 50), why: String((err as Error)?.message ?? err).slice(0, 120) };
  }
}

interface Guarded { _onMessage(client: Client, buffer: Uint8Array): void }
interface Counted { floodWindowEndsAt?: number; floodCount?: number }

/**
 * Wraps the room's frame handler. Above HARD_MESSAGES_PER_SECOND in one second the connection closes at once with
 * code 4002 (Colyseus's own check runs on the room clock, which here ticks once a second, and keeps the socket
 * for the reconnection window). Below it, an undecodable payload is answered (as "slow down" past the soft limit).
 */
export function guardFrames(room: Room, limits: Limits, take: (who: Who) => boolean, answer: (client: Client, type: string, refusal: Refusal) => void): void {
  // Colyseus binds this method to each client as it joins, so replacing it here covers every client
  const r = room as unknown as Guarded;
  const colyseus = r._onMessage.bind(room);
  r._onMessage = (client, buffer) => {
    const counted = client as unknown as Counted;
    const now = Date.now();
    if (!counted.floodWindowEndsAt || now >= counted.floodWindowEndsAt) { counted.floodWindowEndsAt = now + 1000; counted.floodCount = 0; }
    if (++counted.floodCount! > limits.hardMessagesPerSecond) {
      if (counted.floodCount === limits.hardMessagesPerSecond + 1) client.leave(CLOSE_CODES.flood, `more than ${limits.hardMessagesPerSecond} messages a second`);
      return;
    }
    const bad = undecodable(buffer);
    if (!bad) return colyseus(client, buffer);
    const who = client.userData as Who | undefined;
    if (who && !take(who)) return answer(client, bad.type, { code: 'slow-down', message: `slow down: at most ${limits.messagesPerSecond} messages a second` });
    answer(client, bad.type, { code: 'undecodable', message: `${bad.type}: the message could not be decoded (${bad.why}); payloads are MessagePack` });
  };
}
