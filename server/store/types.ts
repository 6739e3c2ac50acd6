// What a match is on disk: its settings, rule file and seed, then an append-only log of accepted changes.
import type { MatchSettings } from '../../shared/match/settings.ts';
import type { LogEntry, StoredEntry } from '../../shared/match/log.ts';

// the log's entries and a match's settings belong to the match core; the store keeps them
export type { LogEntry, StoredEntry, ChatChannel } from '../../shared/match/log.ts';
export type { Phase } from '../../shared/match/phases.ts';
export type { MatchSettings, PhaseTimers } from '../../shared/match/settings.ts';

export interface MatchHeader {
  id: string;
  /** six letters, no ambiguous characters */
  code: string;
  createdAt: string;
  settings: MatchSettings;
  /** the full rule file text, so a match replays even if the file changes later */
  rulesText: string;
  seed: number;
  /** sha-256 of the facilitator key (class matches); the key itself is never stored */
  facilitatorKeyHash: string | null;
  status: 'open' | 'finished';
}

export interface MatchSummary {
  id: string;
  code: string;
  createdAt: string;
  status: MatchHeader['status'];
  mode: MatchSettings['mode'];
  visibility: MatchSettings['visibility'];
  rulesName: string;
}

/** What expiry looks at: an open match's age, its last change, and whether anyone ever joined it. */
export interface MatchActivity {
  id: string;
  code: string;
  createdAt: string;
  /** the time of the last log entry, or createdAt when the log is empty */
  lastAt: string;
  /** people who ever joined (person entries) */
  people: number;
}

/**
 * An append refused because a newer holder took the match's fence (store.takeFence) since this one did:
 * a paused or partitioned process that lost its claim cannot write into the match's log.
 */
export class StaleFenceError extends Error {
  readonly code = 'stale-fence';
  constructor(matchId: string, fence: number, current: number) {
    super(`cannot append to match "${matchId}": stale fencing number ${fence} (the match is held under ${current} now)`);
  }
}

/** A match whose stored log cannot be read back as written (a gap, an entry of unknown kind, text that is not JSON). */
export class DamagedMatchError extends Error {
  readonly code = 'damaged';
}

/** True for a DamagedMatchError, also after a room's creation passed it on as a plain error with its message. */
export function isDamaged(err: unknown): boolean {
  return err instanceof DamagedMatchError || (err as { code?: unknown })?.code === 'damaged' || /: its log is damaged|which this version does not know/.test(String((err as Error)?.message));
}

/** createMatch was given an idempotency key another match was already created with. */
export class DuplicateIdempotencyKeyError extends Error {
  readonly code = 'duplicate-idempotency-key';
  constructor() { super('a match was already created with this idempotency key'); }
}

/** The narrow interface every store implements (SQLite by default, PostgreSQL for several processes). */
export interface MatchStore {
  /** `idempotencyKey`: a client's key for this creation; a second match with the same key is refused (DuplicateIdempotencyKeyError) */
  createMatch(header: MatchHeader, options?: { idempotencyKey?: string }): Promise<void>;
  /** `fence`: the number this writer's claim got from takeFence; refused (StaleFenceError) once a newer one was taken */
  append(matchId: string, entry: LogEntry, options?: { fence?: number }): Promise<StoredEntry>;
  /** Raises the match's fencing number by one and returns it: a new holder calls it before it reads the log. */
  takeFence(matchId: string): Promise<number>;
  load(matchId: string): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null>;
  findByCode(code: string): Promise<MatchHeader | null>;
  findByIdempotencyKey(key: string): Promise<MatchHeader | null>;
  setStatus(matchId: string, status: MatchHeader['status']): Promise<void>;
  list(filter?: { status?: MatchHeader['status'] }): Promise<MatchSummary[]>;
  /** every open match's age and last change, for expiry */
  activity(): Promise<MatchActivity[]>;
  /** resolves when the store answers (readiness), rejects otherwise */
  ping(): Promise<void>;
  close(): Promise<void>;
}
