// The debrief screen's controller: loads the report and the branches with this browser's key or seat, forks a quarter.
import { seats } from '../net/session.ts';
import { debriefApi, type Comparison, type Credentials, type Debrief, type ForkAnswer, type OddsCurve } from '../net/debrief.ts';
import type { BeliefSeries } from '../charts/debrief.ts';

export type LoadedDebrief = Awaited<ReturnType<typeof debriefApi.report>>;

/** This browser's right to the match: the facilitator key it created the class with, or the seat it played. */
export function credentialsFor(code: string): Credentials {
  return { key: seats.facilitatorKey(code), seatToken: seats.get(code)?.token ?? null };
}

export class DebriefCtrl {
  readonly code: string;
  readonly credentials: Credentials;
  report: LoadedDebrief | null = null;
  comparison: Comparison | null = null;
  error: string | null = null;

  constructor(code: string, credentials: Credentials = credentialsFor(code)) {
    this.code = code;
    this.credentials = credentials;
  }

  async load(): Promise<void> {
    try {
      this.report = await debriefApi.report(this.code, this.credentials);
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
      return;
    }
    await this.loadComparison();
  }

  /** The odds curve (a few hundred re-runs per quarter, in the server's worker). */
  loadOdds(seeds = 200): Promise<OddsCurve> {
    return debriefApi.odds(this.code, this.credentials, seeds);
  }

  async loadComparison(): Promise<void> {
    try { this.comparison = await debriefApi.compare(this.code, this.credentials); } catch { this.comparison = null; }
  }

  /** Forks the match at a quarter; the new match is this browser's to run (a class keeps the same key). */
  async fork(quarter: number): Promise<ForkAnswer> {
    const answer = await debriefApi.fork(this.code, quarter, this.credentials);
    if (answer.facilitatorKey) seats.setFacilitatorKey(answer.code, answer.facilitatorKey);
    await this.loadComparison();
    return answer;
  }

  /** Forks may be made here: a class's facilitator, or a player of an online match that is over. */
  canFork(): boolean {
    return !!this.credentials.key || (!!this.credentials.seatToken && this.report?.status === 'finished');
  }
}

/** Each side's estimate of the rival's capability, for the chart. */
export function beliefSeries(d: Debrief, side: 'us' | 'china'): BeliefSeries {
  const rival = side === 'us' ? d.sides.china : d.sides.us;
  return {
    label: `${side === 'us' ? d.sides.us : d.sides.china} on ${rival}'s capability`,
    points: d.belief.points.filter((p) => p.side === side && p.stat === 'capability').map((p) => ({ quarter: p.quarter, value: p.value, low: p.low, high: p.high, truth: p.truth })),
  };
}

/** The quarters a fork can start at: 0 to the last one the match played before its end. */
export function forkQuarters(d: Debrief): { turn: number; quarter: string }[] {
  const played = d.report.actual.quarters;
  const last = d.finished ? played - 1 : played;
  const out: { turn: number; quarter: string }[] = [];
  for (let t = 0; t <= last; t++) {
    const label = d.lead[t + 1]?.quarter ?? d.belief.points.find((p) => p.turn === t)?.quarter ?? `quarter ${t + 1}`;
    out.push({ turn: t, quarter: label });
  }
  return out;
}
