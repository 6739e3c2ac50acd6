// The debrief routes (docs/protocol.md section 18): the report, forking a match at a quarter, comparing its branches.
import { ApiError, normaliseCode } from './api.ts';
import type { Debrief } from '../../shared/debrief/debrief.ts';
import type { Comparison } from '../../shared/debrief/compare.ts';
import type { ForkAnswer } from '../../shared/protocol/debrief.ts';
import type { OddsCurve } from '../../shared/debrief/odds.ts';

export type { OddsCurve } from '../../shared/debrief/odds.ts';
export type { Debrief } from '../../shared/debrief/debrief.ts';
export type { Comparison, ComparedBranch } from '../../shared/debrief/compare.ts';
export type { ForkAnswer } from '../../shared/protocol/debrief.ts';

/** What proves the right to see or fork: the facilitator key (a class), a seat token (an online match that is over). */
export interface Credentials { key?: string | null; seatToken?: string | null }

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try { res = await fetch(path, init); } catch { throw new ApiError(0, 'the game server cannot be reached; check the connection'); }
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; details?: unknown };
    throw new ApiError(res.status, typeof b.error === 'string' ? b.error : `the server answered ${res.status}`, Array.isArray(b.details) ? b.details.map(String) : []);
  }
  return body as T;
}

const path = (code: string, what: string) => `/api/matches/${encodeURIComponent(normaliseCode(code))}/${what}`;
const headers = (c: Credentials): Record<string, string> => (c.key ? { 'x-facilitator-key': c.key } : {});

export const debriefApi = {
  report: (code: string, c: Credentials) => call<Debrief & { code: string; status: string; forkedFrom: ForkAnswer['forkedFrom'] | null }>(path(code, 'debrief'), { headers: headers(c) }),
  odds: (code: string, c: Credentials, seeds = 200) => call<OddsCurve>(`${path(code, 'odds')}?seeds=${seeds}`, { headers: headers(c) }),
  /** the class report's link (the key rides in the query string, as the API allows) */
  classReportUrl: (code: string, c: Credentials) => `${path(code, 'class-report.csv')}${c.key ? `?key=${encodeURIComponent(c.key)}` : ''}`,
  compare: (code: string, c: Credentials) => call<Comparison>(path(code, 'compare'), { headers: headers(c) }),
  fork: (code: string, quarter: number, c: Credentials) => call<ForkAnswer>(path(code, 'fork'), {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers(c) },
    body: JSON.stringify({ quarter, ...(c.seatToken && !c.key ? { seatToken: c.seatToken } : {}) }),
  }),
};
