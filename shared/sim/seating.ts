// Who sits in each seat of a simulated match: parsing `--bots`, the deterministic "mixed" seating,
// the seed of each match of a run, and "did you mean" for misspelt names.
import { PERSONALITIES, type Personality } from '../bots/personalities.ts';
import type { Seating } from './botMatch.ts';
import { closest } from '../rules/suggest.ts';
import { isPlanner } from '../bots/planner.ts';

/** A mistake in how a command was called: reported as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A seat's bot: a personality, or "mixed" (a personality drawn per match from the match's seed). */
export type SeatChoice = Personality | 'mixed';
/** Role id → seat choice, for every role of the rules. */
export type BotsSpec = Record<string, SeatChoice>;

export const SEAT_CHOICES: readonly SeatChoice[] = [...PERSONALITIES, 'mixed'];

/** The scripted personalities, which "mixed" draws from: the planners look ahead and cost a hundred times more. */
export const SCRIPTED: readonly Personality[] = PERSONALITIES.filter((p) => !isPlanner(p));

function isSeatChoice(s: string): s is SeatChoice {
  return (SEAT_CHOICES as readonly string[]).includes(s);
}

/** The list's own copy of a name split from the command line: the bots compare personalities by name every order,
 *  and a string the parser cut out compares slower than the one the code was written with. */
function canonical(s: SeatChoice): SeatChoice {
  return SEAT_CHOICES.find((c) => c === s) ?? s;
}

/** Parses `--bots`: a comma-separated list of `role=personality`, and optionally one bare
 *  personality (or `mixed`) for every seat not named. Without a list every seat is status-quo.
 *  Examples: `usGov=hawk,cnLab=dove`, `mixed`, `hawk,cnGov=dove`, `mixed,usGov=status-quo`.
 *  Throws a UsageError naming the problem. */
export function parseBots(text: string | undefined, roleIds: readonly string[]): BotsSpec {
  let base: SeatChoice = 'status-quo';
  const spec: BotsSpec = {};
  if (text === undefined) {
    for (const id of roleIds) spec[id] = base;
    return spec;
  }
  const seen = new Set<string>();
  let sawBase = false;
  const tokens = text.split(',').map((t) => t.trim());
  if (tokens.every((t) => t === '')) throw new UsageError(`--bots needs a value such as usGov=hawk,cnLab=dove or mixed`);
  for (const token of tokens) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (!isSeatChoice(token)) {
        if (roleIds.includes(token)) throw new UsageError(`--bots: "${token}" needs a personality, e.g. ${token}=hawk`);
        throw new UsageError(`--bots: unknown personality "${token}"${hint(token, SEAT_CHOICES)}; choose from ${SEAT_CHOICES.join(', ')}`);
      }
      if (sawBase) throw new UsageError(`--bots: more than one personality for all seats ("${base}" and "${token}")`);
      sawBase = true;
      base = canonical(token);
      continue;
    }
    const role = token.slice(0, eq).trim();
    const who = token.slice(eq + 1).trim();
    if (!roleIds.includes(role)) {
      throw new UsageError(`--bots: unknown role "${role}"${hint(role, roleIds)}; roles are ${roleIds.join(', ')}`);
    }
    if (who === '') throw new UsageError(`--bots: ${role}= needs a personality, e.g. ${role}=hawk`);
    if (!isSeatChoice(who)) {
      throw new UsageError(`--bots: unknown personality "${who}" for ${role}${hint(who, SEAT_CHOICES)}; choose from ${SEAT_CHOICES.join(', ')}`);
    }
    if (seen.has(role)) throw new UsageError(`--bots: ${role} is given twice`);
    seen.add(role);
    spec[role] = canonical(who);
  }
  const out: BotsSpec = {};
  for (const id of roleIds) out[id] = spec[id] ?? base;
  return out;
}

/** Short human form: "all status-quo", "all mixed", "usGov=hawk, others status-quo". */
export function describeBots(spec: BotsSpec): string {
  const counts = new Map<SeatChoice, number>();
  for (const c of Object.values(spec)) counts.set(c, (counts.get(c) ?? 0) + 1);
  let common: SeatChoice = 'status-quo';
  let most = -1;
  for (const [c, k] of counts) if (k > most || (k === most && c === 'status-quo')) { common = c; most = k; }
  const others = Object.entries(spec).filter(([, c]) => c !== common);
  if (!others.length) return `all ${common}`;
  return `${others.map(([r, c]) => `${r}=${c}`).join(', ')}, others ${common}`;
}

/** Restricts a spec to the roles of one rule file (for comparisons of files with different roles). */
export function specFor(spec: BotsSpec, roleIds: readonly string[], fallback: SeatChoice = 'status-quo'): BotsSpec {
  const out: BotsSpec = {};
  for (const id of roleIds) out[id] = spec[id] ?? fallback;
  return out;
}

/** murmur3-style 32-bit mixing of a few integers; safe for integers beyond 32 bits. */
export function hash32(...parts: number[]): number {
  let h = 0x2545f491;
  for (const p of parts) {
    h = mixIn(h, p);
    h = mixIn(h, Math.floor(p / 4294967296)); // high bits of large seeds
  }
  h ^= h >>> 16;
  return h >>> 0;
}

/** hash32 of exactly three parts, without the rest array and the closure (every match asks it for its seed and each seat). */
function hash3(p0: number, p1: number, p2: number): number {
  let h = 0x2545f491;
  h = mixIn(h, p0);
  h = mixIn(h, Math.floor(p0 / 4294967296));
  h = mixIn(h, p1);
  h = mixIn(h, Math.floor(p1 / 4294967296));
  h = mixIn(h, p2);
  h = mixIn(h, Math.floor(p2 / 4294967296));
  h ^= h >>> 16;
  return h >>> 0;
}

/** One step of hash32's mixing. */
function mixIn(h: number, p: number): number {
  h = Math.imul(h ^ (p >>> 0), 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/** The seed of match `index` (0-based) of a run started with `seed`. */
export function matchSeed(seed: number, index: number): number {
  return hash3(seed, index, 0x5eed);
}

/** The seating of one match: fixed seats as given, mixed seats drawn from the match's seed. */
export function seatingFor(spec: BotsSpec, roleIds: readonly string[], seedOfMatch: number): Seating {
  const seating: Seating = {};
  for (let j = 0; j < roleIds.length; j++) {
    const c = spec[roleIds[j]] ?? 'status-quo';
    seating[roleIds[j]] = c === 'mixed' ? SCRIPTED[hash3(seedOfMatch, j, 0xb075) % SCRIPTED.length] : c;
  }
  return seating;
}

// ---------------------------------------------------------------------------------------------
// Did you mean

/** The closest candidate, when it is close enough to be a likely misspelling (the rule checker's judgement). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates) ?? undefined;
}

/** " (did you mean X?)" or "". */
export function hint(word: string, candidates: readonly string[]): string {
  const m = didYouMean(word, candidates);
  return m !== undefined ? ` (did you mean ${m}?)` : '';
}
