// Table rows to match records, the same for every SQL store (SQLite, PostgreSQL).
import type { MatchHeader, MatchSummary } from './types.ts';

export const STATUSES: ReadonlySet<string> = new Set<MatchHeader['status']>(['open', 'finished']);

export function checkStatus(status: string | undefined): void {
  if (status !== undefined && !STATUSES.has(status)) throw new Error(`a match's status is "open" or "finished", not ${JSON.stringify(status)}`);
}

export interface SummaryRow { id: string; code: string; created_at: string; status: string; mode: string; visibility: string; rules_name: string }

export function toSummary(r: SummaryRow): MatchSummary {
  return {
    id: r.id, code: r.code, createdAt: r.created_at, status: r.status as MatchHeader['status'],
    mode: r.mode as MatchSummary['mode'], visibility: r.visibility as MatchSummary['visibility'], rulesName: r.rules_name,
  };
}

export interface HeaderFields {
  id: string; code: string; created_at: string; settings: string; seed: number;
  facilitator_key_hash: string | null; status: string;
}

/** rulesText comes decoded by the caller (SQLite stores text, PostgreSQL bytes). */
export function toHeader(row: HeaderFields, rulesText: string): MatchHeader {
  return {
    id: row.id, code: row.code, createdAt: row.created_at, settings: JSON.parse(row.settings) as MatchHeader['settings'],
    rulesText, seed: row.seed, facilitatorKeyHash: row.facilitator_key_hash, status: row.status as MatchHeader['status'],
  };
}
