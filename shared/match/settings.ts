// A match's settings as chosen when it was created: mode, seats, bots, timers; part of the stored header and the record.
import type { Personality } from '../bots/personalities.ts';
import type { TimedPhase } from './phases.ts';

/** seconds per phase; 0 means no timer (the facilitator or everyone being ready moves on) */
export type PhaseTimers = Record<TimedPhase, number>;

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
