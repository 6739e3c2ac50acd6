// Secrets and codes: join codes people can read aloud, 128-bit tokens stored only as hashes.
import { randomBytes, randomInt, createHash, timingSafeEqual } from 'node:crypto';

/** Letters that cannot be mistaken for one another when read from a projector (no I, L, O, 0, 1). */
const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ';

export function joinCode(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += CODE_LETTERS[randomInt(CODE_LETTERS.length)];
  return code;
}

export function normaliseCode(input: string): string {
  return input.trim().toUpperCase().replace(/[\s-]/g, '');
}

export const isJoinCode = (s: string) => /^[A-HJ-KM-NP-Z]{6}$/.test(s) && [...s].every((c) => CODE_LETTERS.includes(c));

/** 128 random bits, URL-safe. */
export function secretToken(): string {
  return randomBytes(16).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function newId(): string {
  return randomBytes(9).toString('base64url');
}

/** A seed from the operating system's randomness; the match is deterministic from here on. */
export function newSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}
