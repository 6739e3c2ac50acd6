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

/** The narrow interface every store implements (SQLite by default; a server database later). */
export interface MatchStore {
  createMatch(header: MatchHeader): Promise<void>;
  append(matchId: string, entry: LogEntry): Promise<StoredEntry>;
  load(matchId: string): Promise<{ header: MatchHeader; entries: StoredEntry[] } | null>;
  findByCode(code: string): Promise<MatchHeader | null>;
  setStatus(matchId: string, status: MatchHeader['status']): Promise<void>;
  list(filter?: { status?: MatchHeader['status'] }): Promise<MatchSummary[]>;
  close(): Promise<void>;
}
