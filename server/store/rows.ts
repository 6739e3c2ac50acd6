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

/** Refuses a header that could not be stored and read back as given. */
export function checkHeader(h: MatchHeader): void {
  if (!h || typeof h !== 'object') throw new Error('createMatch needs a match header');
  const bad = (what: string) => { throw new Error(`cannot create match ${JSON.stringify(h.id ?? '?')}: ${what}`); };
  if (typeof h.id !== 'string' || h.id === '') bad('id must be a non-empty string');
  if (typeof h.code !== 'string' || h.code === '') bad('code must be a non-empty string');
  if (typeof h.createdAt !== 'string' || Number.isNaN(Date.parse(h.createdAt))) bad('createdAt must be an ISO time');
  if (!STATUSES.has(h.status)) bad(`status must be "open" or "finished", not ${JSON.stringify(h.status)}`);
  if (!h.settings || typeof h.settings !== 'object') bad('settings are missing');
  if (typeof h.settings.mode !== 'string' || typeof h.settings.visibility !== 'string' || typeof h.settings.rulesName !== 'string') bad('settings need mode, visibility and rulesName');
  if (typeof h.rulesText !== 'string') bad('rulesText must be the rule file\'s text');
  if (typeof h.seed !== 'number' || !Number.isFinite(h.seed)) bad('seed must be a finite number');
  if (h.facilitatorKeyHash !== null && typeof h.facilitatorKeyHash !== 'string') bad('facilitatorKeyHash must be a string or null');
}
