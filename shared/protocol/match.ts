// The words of a match that cross the wire (phases, chat channels, settings, diplomatic steps); the match core uses them too.
import type { Personality } from '../bots/personalities.ts';

export type Phase = 'lobby' | 'briefing' | 'negotiation' | 'orders' | 'resolution' | 'report' | 'ended';
/** The phases a timer can limit. */
export type TimedPhase = 'briefing' | 'negotiation' | 'orders' | 'report';

/** "all" is public chat, "facilitator" a note to the teacher, "team" the sender's own team, a role id is private to that role's team. */
export type ChatChannel = 'all' | 'facilitator' | 'team' | string;

/**
 * Where a role's resolved order came from: the team submitted it, its saved draft was submitted at the deadline,
 * a bot played the role, or nothing was saved and the engine kept the last quarter's order.
 */
export type OrderSource = 'submitted' | 'draft' | 'bot' | 'previous';

/** One change to a team's order this quarter, as the team (and the facilitator) sees it: who made it and what it touched. */
export interface TeamStep {
  kind: 'draft' | 'submit' | 'unsubmit' | 'lead';
  seq: number;
  at: string;
  /** the person's id ("bot" for a bot) */
  by: string;
  /** the levers and settings a draft or a submission changed from the one before */
  changed?: string[];
  /** for "lead": the new lead's id */
  lead?: string;
}

/** seconds per phase; 0 means no timer (the facilitator or everyone being ready moves on) */
export type PhaseTimers = Record<TimedPhase, number>;

/** A match's settings as chosen when it was created: part of the stored header and of the record. */
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
  /** a fork: the match and quarter it was forked from (absent for a match played from the start) */
  forkedFrom?: ForkedFrom;
  /** a shorter lesson: the match plays this many quarters (from the rule file's start) and judges its ending at the last one */
  turns?: number;
  /** the lesson's length in minutes the set-up planned for (shown on the desk) */
  lessonMinutes?: number;
  /** a class's joiners wait for the facilitator's approval (the desk lists them); absent: they join at once */
  approval?: boolean;
  /** agent seats (the JSON seat API) allowed; absent in matches from before agent seats (then: not allowed) */
  agents?: boolean;
}

/** Where a fork came from: its parent match and the quarter, then the parent's own ancestors, nearest first. */
export interface ForkedFrom { match: string; quarter: number; ancestors: { match: string; quarter: number }[] }

/** A diplomatic step as the record lists it. */
export type DiplomacyStep =
  | { kind: 'propose'; seq: number; at: string; turn: number; key: number; proposalId: string; from: string; to: string; by: string }
  | { kind: 'respond'; seq: number; at: string; turn: number; key: number; proposalId: string; from: string; to: string; accept: boolean; by: string };
