// Table rows to match records, the same for every SQL store (SQLite, PostgreSQL).
import { DamagedMatchError, type LogEntry, type MatchHeader, type MatchSummary, type StoredEntry } from './types.ts';

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

/** The kinds of log entry the store holds; anything else is a caller's bug, or a file this version cannot read. A Record, so a kind added to types.ts fails to compile until it is listed. */
const KINDS: Record<LogEntry['kind'], true> = {
  person: true, seat: true, remove: true, botSeat: true, start: true, pause: true, phase: true, draft: true, submit: true,
  unsubmit: true, propose: true, respond: true, inject: true, resolve: true, chat: true, end: true, ready: true, timer: true, lead: true,
  referee: true,
  // the class's moderation and lesson plan (issue 13)
  approve: true, mute: true, moderation: true, seats: true, plan: true,
};
export const ENTRY_KINDS: ReadonlySet<string> = new Set(Object.keys(KINDS));

/**
 * A match's stored log, read back: every entry of a kind this version knows, numbered 1, 2, 3... without a gap.
 * Skipping an unknown entry, or replaying past a missing one, would rebuild a match that never happened.
 */
export function checkedLog(matchId: string, rows: readonly { seq: number; at: string; entry: string }[]): StoredEntry[] {
  return rows.map((row, i) => {
    const seq = Number(row.seq);
    if (seq !== i + 1) throw new DamagedMatchError(`match ${matchId}: its log is damaged: entry ${i + 1} is missing (the next one stored is ${seq})`);
    let entry: LogEntry;
    try { entry = JSON.parse(row.entry) as LogEntry; } catch { throw new DamagedMatchError(`match ${matchId}: its log is damaged: entry ${seq} is not JSON`); }
    const kind = (entry as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || !ENTRY_KINDS.has(kind)) {
      throw new DamagedMatchError(`match ${matchId}: its log is damaged: entry ${seq} has kind ${JSON.stringify(kind)}, which this version does not know (written by a newer version, or the store is damaged)`);
    }
    return { seq, at: row.at, entry };
  });
}
