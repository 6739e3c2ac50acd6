// The odds curve: from each quarter, the rest of the match re-run by the built-in bots over many seeds; each ending's share.
import type { MatchState } from '../engine/state.ts';
import { quarterLabel } from '../engine/state.ts';
import { cloneState } from '../engine/setup.ts';
import { resolveTurnInPlace } from '../engine/resolve.ts';
import { mixSeed } from '../engine/rng.ts';
import { isPlanner } from '../bots/planner.ts';
import type { Personality } from '../bots/personalities.ts';
import { botNegotiation, botOrders, type Seating } from '../sim/botMatch.ts';
import type { Source } from './branch.ts';

export interface OddsPoint {
  /** the quarter the re-runs start from (0: before the first quarter); the last point is the match's end */
  turn: number;
  quarter: string;
  /** ending id → share of the re-runs that ended there (0..1) */
  odds: Record<string, number>;
}

export interface TurningPoint {
  turn: number;
  quarter: string;
  /** how far the odds moved over the quarter (total variation distance, 0..1) */
  moved: number;
  /** the actual ending's odds before and after the quarter */
  from: number;
  to: number;
  sentence: string;
}

export interface OddsCurve {
  seeds: number;
  endings: { id: string; title: string }[];
  points: OddsPoint[];
  /** the quarters whose play moved the odds most (three at most) */
  turningPoints: TurningPoint[];
  /** the re-runs' cost: quarters resolved */
  quartersResolved: number;
}

/** The bots the re-runs use: the match's own for each role; the look-ahead planners play as opportunists (they cost ~100× more). */
export function oddsSeating(src: Source): Seating {
  const out: Seating = {};
  for (const r of src.rules.roles) {
    const p: Personality = src.settings.bots[r.id] ?? 'status-quo';
    out[r.id] = isPlanner(p) ? 'opportunist' : p;
  }
  return out;
}

export function oddsCurve(src: Source, seeds = 200): OddsCurve {
  const { rules, original: m } = src;
  const seating = oddsSeating(src);
  const starts: MatchState[] = m.quarters.map((q, i) => (i === 0 ? q.before! : m.quarters[i - 1].state!));
  const ids = rules.endings.map((e) => e.id);
  const points: OddsPoint[] = [];
  let quartersResolved = 0;
  for (const start of starts) {
    const counts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
    for (let i = 0; i < seeds; i++) {
      const s = cloneState(start);
      // new dice for the rest of the match; the past is the match's own
      s.seed = mixSeed(start.seed, start.turn, i, 0x0dd5) >>> 0;
      while (!s.finished) {
        botNegotiation(rules, s, seating);
        resolveTurnInPlace(rules, s, botOrders(rules, s, seating));
        quartersResolved++;
      }
      counts[s.ending!.id]++;
    }
    points.push({ turn: start.turn, quarter: quarterLabel(rules, start.turn), odds: Object.fromEntries(ids.map((id) => [id, counts[id] / seeds])) });
  }
  const end = m.state;
  if (end.finished && end.ending) points.push({ turn: end.turn, quarter: 'The end', odds: Object.fromEntries(ids.map((id) => [id, id === end.ending!.id ? 1 : 0])) });
  const actual = end.ending?.id ?? null;
  const title = (id: string) => rules.endings.find((e) => e.id === id)?.title ?? id;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const moves: TurningPoint[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1].odds, b = points[i].odds;
    const moved = ids.reduce((sum, id) => sum + Math.abs(b[id] - a[id]), 0) / 2;
    const q = points[i - 1];
    // the ending whose odds moved most over the quarter, and the one the match reached if it is another
    const named = [...ids].sort((x, y) => Math.abs(b[y] - a[y]) - Math.abs(b[x] - a[x])).slice(0, 1);
    if (actual && !named.includes(actual)) named.push(actual);
    const parts = named.map((id) => `${title(id)} ${b[id] >= a[id] ? 'rose' : 'fell'} from ${pct(a[id])} to ${pct(b[id])}`);
    moves.push({ turn: q.turn, quarter: q.quarter, moved, from: actual ? a[actual] : 0, to: actual ? b[actual] : 0, sentence: `In ${q.quarter} the odds moved by ${pct(moved)}: ${parts.join('; ')}.` });
  }
  const turningPoints = moves.filter((t) => t.moved > 0).sort((x, y) => y.moved - x.moved).slice(0, 3);
  return { seeds, endings: rules.endings.map((e) => ({ id: e.id, title: e.title })), points, turningPoints, quartersResolved };
}
