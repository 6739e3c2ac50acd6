// A match's settings (mode, seats, bots, timers): the wire contract's type, which the match core reads.
export type { MatchSettings, PhaseTimers } from '../protocol/match.ts';
