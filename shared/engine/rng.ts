// Seeded random numbers: the engine's only source of chance, so a match replays byte for byte.
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** standard normal */
  normal(): number;
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser), so each turn and stream gets its own sequence. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for game dice. A class, so a fresh one costs one small object, not two closures. */
class Mulberry32 implements Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// one die that is never rolled, so that V8 keeps the shape of a die and the optimized code that rolls them
// (dice live for a quarter: a full collection between matches would otherwise find none and drop both)
export const KEPT_DIE: Rng = new Mulberry32(0);

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

/** Streams keep the resolution's dice apart from the views' dice. */
export const STREAM = { resolve: 1, intel: 2, bots: 3 } as const;

export function rngFor(seed: number, turn: number, stream: number, extra = 0): Rng {
  return new Mulberry32(mix4(seed, turn, stream, extra));
}

/** mixSeed of exactly four parts without the rest array (the simulator calls it several times a quarter). */
export function mix4(p0: number, p1: number, p2: number, p3: number): number {
  let h = step(0x9e3779b9, p0);
  h = step(h, p1);
  h = step(h, p2);
  return step(h, p3) >>> 0;
}

function step(h: number, p: number): number {
  h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
