// HTTP helpers for the game server's JSON API (docs/protocol.md section 3); every error becomes an ApiError.
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { MatchRecordLike } from './types.ts';

export class ApiError extends Error {
  status: number;
  details: string[];
  constructor(status: number, message: string, details: string[] = []) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'the game server cannot be reached; check the connection');
  }
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; details?: unknown };
    const details = Array.isArray(b.details) ? b.details.map(String) : [];
    throw new ApiError(res.status, typeof b.error === 'string' ? b.error : `the server answered ${res.status}`, details);
  }
  return body as T;
}

export const apiGet = <T>(path: string, headers: Record<string, string> = {}) => call<T>(path, { headers });
export const apiPost = <T>(path: string, body: unknown = {}) =>
  call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export interface RulesSummary {
  name: string;
  title: string;
  description: string;
  turns: number;
  calendar: { startYear: number; startQuarter: number; turns: number };
  roles: { id: string; name: string; side: 'us' | 'china'; kind: string; blurb: string }[];
}

export interface MatchInfo {
  code: string;
  status: 'open' | 'finished';
  mode: 'online' | 'class';
  title: string;
  roomId: string | null;
  phase: string;
  roles: { id: string; name: string; side: 'us' | 'china'; seats: number }[];
}

export interface CreateMatchBody {
  mode?: 'online' | 'class';
  visibility?: 'public' | 'private';
  rules?: string | { upload: string };
  seats?: Record<string, number>;
  bots?: Record<string, string>;
  timers?: Partial<Record<'briefing' | 'negotiation' | 'orders' | 'report', number>>;
  botTakeoverSeconds?: number;
  lessonMinutes?: number;
  classSize?: number;
  turns?: number;
  /** a class's joiners wait on the desk until the facilitator lets them in */
  approval?: boolean;
}

export interface CreatedMatch { matchId: string; code: string; /** null when the match was stored but its room opens on the first ask by code */ roomId: string | null; facilitatorKey: string | null; joinUrl: string }

/** Join codes are six capital letters; people type them in any case, with spaces or dashes. */
export const normaliseCode = (code: string) => code.toUpperCase().replace(/[^A-Z]/g, '');

/**
 * Creates a match, retrying a lost answer (no connection, 5xx) with the same Idempotency-Key: the server then
 * answers with the match the first try stored, facilitator key included, instead of creating a second one.
 */
async function createMatch(body: CreateMatchBody): Promise<CreatedMatch> {
  const key = crypto.randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call<CreatedMatch>('/api/matches', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    } catch (err) {
      const status = (err as ApiError).status ?? 0;
      if (attempt >= 4 || (status !== 0 && status < 500)) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

export const api = {
  rules: () => apiGet<RulesSummary[]>('/api/rules'),
  create: (body: CreateMatchBody) => createMatch(body),
  quickPlay: () => apiPost<{ code: string; roomId: string; created: boolean }>('/api/quickplay'),
  publicMatches: () => apiGet<{ code: string; title: string; phase: string; openSeats: number }[]>('/api/matches'),
  match: (code: string) => apiGet<MatchInfo>(`/api/matches/${encodeURIComponent(normaliseCode(code))}`),
  matchRules: (code: string) => apiGet<RuleFile>(`/api/matches/${encodeURIComponent(normaliseCode(code))}/rules`),
  record: (code: string, key?: string | null) =>
    apiGet<MatchRecordLike>(`/api/matches/${encodeURIComponent(normaliseCode(code))}/record`, key ? { 'x-facilitator-key': key } : {}),
  /** links for the outcome screen's export buttons: a finished match's record is open to all, so no key (proxies log URLs) */
  exportUrl: (code: string, what: 'record' | 'timeline.csv' | 'decisions.csv') =>
    `/api/matches/${encodeURIComponent(normaliseCode(code))}/${what}`,
};
