// Pure statistics for the simulator: compact per-match records, percentiles, means, ending counts
// and the two-proportion z-test used to compare two rule files. No I/O, no clock, no randomness.

/** Compact results of a run of matches; match i of the run is at index i of every array. */
export interface MatchRecords {
  n: number;
  roleIds: string[];
  endingIds: string[];
  /** index into endingIds; -1 when a match ended without a known ending */
  ending: Int32Array;
  /** final lead in months: US capability minus China capability */
  lead: Float64Array;
  /** one array per role, in roleIds order */
  scores: Float64Array[];
  minor: Int32Array;
  major: Int32Array;
  catastrophic: Int32Array;
  /** event card ids, and per card whether it fired in match i (1) or not (0) */
  cardIds: string[];
  fired: Uint8Array[];
}

export function allocRecords(n: number, roleIds: string[], endingIds: string[], cardIds: string[] = []): MatchRecords {
  return {
    n,
    roleIds: [...roleIds],
    endingIds: [...endingIds],
    cardIds: [...cardIds],
    fired: cardIds.map(() => new Uint8Array(n)),
    ending: new Int32Array(n),
    lead: new Float64Array(n),
    scores: roleIds.map(() => new Float64Array(n)),
    minor: new Int32Array(n),
    major: new Int32Array(n),
    catastrophic: new Int32Array(n),
  };
}

/** What a finished match contributes to the records (a subset of the engine's MatchState). */
export interface FinishedMatch {
  ending: { id: string; scores: Record<string, number> } | null;
  sides: { us: { capability: number }; china: { capability: number } };
  incidents: { minor: number; major: number; catastrophic: number };
}

/** Records one finished match; `cards` are the ids of the event cards it drew (repeats allowed). */
export function recordMatch(rec: MatchRecords, i: number, state: FinishedMatch, cards?: Iterable<string>): void {
  if (cards) for (const id of cards) { const k = rec.cardIds.indexOf(id); if (k >= 0) rec.fired[k][i] = 1; }
  rec.ending[i] = state.ending ? rec.endingIds.indexOf(state.ending.id) : -1;
  rec.lead[i] = state.sides.us.capability - state.sides.china.capability;
  for (let r = 0; r < rec.roleIds.length; r++) rec.scores[r][i] = state.ending?.scores[rec.roleIds[r]] ?? 0;
  rec.minor[i] = state.incidents.minor;
  rec.major[i] = state.incidents.major;
  rec.catastrophic[i] = state.incidents.catastrophic;
}

/** Copies a chunk's records into the whole run's records, starting at match `offset`. */
export function copyRecords(into: MatchRecords, chunk: MatchRecords, offset: number): void {
  into.ending.set(chunk.ending, offset);
  into.lead.set(chunk.lead, offset);
  for (let r = 0; r < into.scores.length; r++) into.scores[r].set(chunk.scores[r], offset);
  into.minor.set(chunk.minor, offset);
  into.major.set(chunk.major, offset);
  into.catastrophic.set(chunk.catastrophic, offset);
  for (let k = 0; k < into.fired.length; k++) into.fired[k].set(chunk.fired[k], offset);
}

/** The buffers of a record set, for transferring it between threads without copying. */
export function recordBuffers(rec: MatchRecords): ArrayBuffer[] {
  return [rec.ending, rec.lead, ...rec.scores, rec.minor, rec.major, rec.catastrophic, ...rec.fired].map((a) => a.buffer as ArrayBuffer);
}

// ---------------------------------------------------------------------------------------------
// Basic statistics

/** Percentile of values already sorted ascending, by linear interpolation between closest ranks
 *  (the usual "type 7" definition: p = 0 is the minimum, p = 1 the maximum). NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (p <= 0) return sorted[0];
  if (p >= 1) return sorted[n - 1];
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * frac;
}

/** Percentiles of unsorted values (the input is not changed). */
export function percentiles(values: ArrayLike<number>, ps: number[]): number[] {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return ps.map((p) => percentileSorted(sorted, p));
}

export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  return sum / n;
}

/** Rounds for reports, so summaries are short and compare equal across runs. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no -0
}

/** Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export interface ZTest {
  /** B's share minus A's share */
  diff: number;
  z: number;
  /** two-sided p-value */
  p: number;
}

/** Two-proportion z-test with the pooled proportion: is x1/n1 different from x2/n2?
 *  When both shares are 0 or both are 1 there is no evidence of a difference: z = 0, p = 1. */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest {
  if (n1 <= 0 || n2 <= 0) return { diff: 0, z: 0, p: 1 };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { diff: p2 - p1, z: 0, p: 1 };
  const z = (p2 - p1) / se;
  const p = Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
  return { diff: p2 - p1, z, p };
}

// ---------------------------------------------------------------------------------------------
// Summaries of a run

export interface Spread {
  p10: number;
  p50: number;
  p90: number;
}

export interface Summary {
  matches: number;
  /** ending id → number of matches, every ending of the rules listed (in rule-file order), zeros included */
  endings: Record<string, number>;
  leadMonths: Spread & { mean: number };
  scores: Record<string, { mean: number; p10: number; p90: number }>;
  incidents: {
    /** mean incidents per match */
    minor: number;
    major: number;
    catastrophic: number;
    /** share (0..1) of matches with at least one catastrophic incident */
    catastropheShare: number;
  };
  /** event card id → number of matches in which it fired (every card of the rules, zeros included) */
  cards: Record<string, number>;
}

export const NO_ENDING = '(none)';

export function summarize(rec: MatchRecords): Summary {
  const endings: Record<string, number> = {};
  for (const id of rec.endingIds) endings[id] = 0;
  let none = 0;
  for (let i = 0; i < rec.n; i++) {
    const e = rec.ending[i];
    if (e < 0) none++;
    else endings[rec.endingIds[e]]++;
  }
  if (none) endings[NO_ENDING] = none;

  const [l10, l50, l90] = percentiles(rec.lead, [0.1, 0.5, 0.9]);
  const scores: Summary['scores'] = {};
  rec.roleIds.forEach((role, r) => {
    const [p10, p90] = percentiles(rec.scores[r], [0.1, 0.9]);
    scores[role] = { mean: round(mean(rec.scores[r])), p10: round(p10), p90: round(p90) };
  });
  let withCatastrophe = 0;
  for (let i = 0; i < rec.n; i++) if (rec.catastrophic[i] > 0) withCatastrophe++;
  return {
    matches: rec.n,
    endings,
    leadMonths: { p10: round(l10), p50: round(l50), p90: round(l90), mean: round(mean(rec.lead)) },
    scores,
    incidents: {
      minor: round(mean(rec.minor)),
      major: round(mean(rec.major)),
      catastrophic: round(mean(rec.catastrophic)),
      catastropheShare: rec.n ? round(withCatastrophe / rec.n, 5) : 0,
    },
    cards: Object.fromEntries(rec.cardIds.map((id, k) => [id, rec.fired[k].reduce((a, b) => a + b, 0)])),
  };
}

export interface EndingComparison {
  id: string;
  a: number;
  b: number;
  /** percentage points, B minus A */
  diffPoints: number;
  z: number;
  pValue: number;
  significant: boolean;
}

/** Per ending (the union of both runs' endings, A's order first), counts and a two-proportion z-test. */
export function compareEndings(a: Summary, b: Summary, alpha = 0.05): EndingComparison[] {
  const ids = [...Object.keys(a.endings)];
  for (const id of Object.keys(b.endings)) if (!ids.includes(id)) ids.push(id);
  return ids.map((id) => {
    const xa = a.endings[id] ?? 0;
    const xb = b.endings[id] ?? 0;
    const t = twoProportionZTest(xa, a.matches, xb, b.matches);
    return { id, a: xa, b: xb, diffPoints: round(t.diff * 100, 2), z: round(t.z, 3), pValue: round(t.p, 5), significant: t.p < alpha };
  });
}
