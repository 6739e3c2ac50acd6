// What a match is on disk: its settings, rule file and seed, then an append-only log of accepted changes.
import type { Orders, Order } from '../../shared/engine/state.ts';
import type { Personality } from '../../shared/bots/personalities.ts';

export interface PhaseTimers {
  /** seconds per phase; 0 means no timer (the facilitator or everyone being ready moves on) */
  briefing: number;
  negotiation: number;
  orders: number;
  report: number;
}

export interface MatchSettings {
  /** a class session has a facilitator; an online match does not */
  mode: 'class' | 'online';
  /** public matches are listed and found by quick play; private ones only by code */
  visibility: 'public' | 'private';
  /** the rule file's name in assets/rules, or "upload" */
  rulesName: string;
  /** how many people may hold each role (teams share a role) */
  seats: Record<string, number>;
  /** who plays a role with nobody in it */
  bots: Record<string, Personality>;
  timers: PhaseTimers;
  /** seconds a role may be empty of connected people before its bot takes over */
  botTakeoverSeconds: number;
}

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

/** One accepted change. Replaying these in order from the initial state rebuilds the match. */
export type LogEntry =
  | { kind: 'person'; personId: string; name: string; role: string | null; spectator: boolean; tokenHash: string }
  | { kind: 'seat'; personId: string; role: string | null }
  | { kind: 'remove'; personId: string }
  | { kind: 'botSeat'; role: string; bot: boolean }
  | { kind: 'start' }
  | { kind: 'pause'; paused: boolean }
  | { kind: 'phase'; phase: Phase; turn: number }
  | { kind: 'draft'; turn: number; role: string; order: Order; by: string }
  | { kind: 'submit'; turn: number; role: string; order: Order; by: string }
  | { kind: 'unsubmit'; turn: number; role: string; by: string }
  | { kind: 'propose'; turn: number; proposalId: string; from: string; to: string; by: string }
  | { kind: 'respond'; turn: number; key: number; role: string; accept: boolean; by: string }
  | { kind: 'inject'; turn: number; cardId: string }
  | { kind: 'resolve'; turn: number; orders: Orders }
  | { kind: 'chat'; from: string; fromRole: string | null; to: ChatChannel; text: string }
  | { kind: 'end'; reason: string };

export type Phase = 'lobby' | 'briefing' | 'negotiation' | 'orders' | 'resolution' | 'report' | 'ended';

/** "all" is public chat, "facilitator" a note to the teacher, a role id is private to that role's team. */
export type ChatChannel = 'all' | 'facilitator' | string;

export interface StoredEntry {
  seq: number;
  /** ISO time the change was accepted (not used by the rules, only for records) */
  at: string;
  entry: LogEntry;
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
