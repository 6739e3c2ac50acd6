// The match record (GET /api/matches/CODE/record): its JSON shape, full or public, as the server writes it and clients read it.
import type { Side, ExportTier } from '../rules/schema.ts';
import type { SettingId } from '../rules/settings.ts';
import type { MatchState, Orders, TurnEvent, TimelinePoint } from '../engine/state.ts';
import type { PublicView } from '../engine/views.ts';
import type { ChatChannel, DiplomacyStep, ForkedFrom, MatchSettings, OrderSource } from './match.ts';

export const RECORD_FORMAT = 'the-2028-window/match-record';

export interface RecordPerson {
  name: string;
  role: string | null;
  roleName: string | null;
  spectator: boolean;
  /** moved out of the match by the facilitator */
  removed: boolean;
  /** joined through the agent seat API (a program, maybe an LLM) */
  agent: boolean;
  joinedAt: string;
}

export interface RecordChat {
  at: string;
  /** the sender's display name */
  from: string;
  fromRole: string | null;
  to: ChatChannel;
  text: string;
}

export interface RecordRole { id: string; name: string; side: Side; levers: { id: string; name: string }[] }

/** A setting a role's order changed when its quarter resolved (export tiers, licensing, open weights, hub compliance). */
export interface SettingChange {
  role: string;
  /** a setting of shared/rules/settings.ts; export tiers change one region at a time, as exportTier */
  setting: 'exportTier' | Exclude<SettingId, 'exportTiers'>;
  /** for export tiers */
  region?: string;
  from: ExportTier | boolean | number;
  to: ExportTier | boolean | number;
}

/**
 * Who made a role's order of a quarter: an agent seat (its submission or its saved draft), a person, the referee
 * (an agent missed the deadline: its draft or its bot's order, submitted for it), the role's bot, or the engine's
 * fallback (last quarter's order kept).
 */
export type PlayedBy = 'agent' | 'person' | 'referee' | 'bot' | 'previous';

/** A diplomatic step; `by` is the display name of the person who took it (never their id). */
export type RecordDiplomacy = DiplomacyStep;

export interface RecordBase {
  format: typeof RECORD_FORMAT;
  version: 1;
  code: string;
  createdAt: string;
  status: 'open' | 'finished';
  rules: { name: string; file: string; version: number };
  settings: MatchSettings;
  /** a fork: the match and quarter it was forked from, and that match's ancestors (nearest first); null otherwise */
  forkedFrom: ForkedFrom | null;
  roles: RecordRole[];
  regions: { id: string; name: string }[];
  people: RecordPerson[];
  started: boolean;
  /** why the match was ended, when it was ended by an "end" entry */
  endReason: string | null;
  ending: MatchState['ending'];
  scores: Record<string, number> | null;
  diplomacy: RecordDiplomacy[];
  chat: RecordChat[];
}

export interface FullMatchRecord extends RecordBase {
  full: true;
  seed: number;
  rulesText: string;
  /** `playedBy`: who made each role's order (a log from before order sources were logged may leave roles out); `sources`: where each role's order came from: submitted by the deadline, or by rule (its draft, a bot, last quarter's) */
  turns: { turn: number; quarter: string; orders: Orders; playedBy: Partial<Record<string, PlayedBy>>; settingsChanges: SettingChange[]; events: TurnEvent[]; state: MatchState; sources?: Record<string, OrderSource> }[];
  /** the true numbers of both sides, quarter by quarter (turn 0 is the start) */
  timeline: TimelinePoint[];
  /** the quarter being played and its events so far */
  current: { turn: number; quarter: string; events: TurnEvent[] };
  state: MatchState;
}

export interface PublicMatchRecord extends RecordBase {
  full: false;
  /** only public events (visibleTo "all") */
  turns: { turn: number; quarter: string; events: TurnEvent[] }[];
  /** the press's view of the past: estimated lead, adoption, incidents */
  timeline: PublicView['timeline'];
  current: { turn: number; quarter: string; events: TurnEvent[] };
  view: PublicView;
}

export type MatchRecord = FullMatchRecord | PublicMatchRecord;

