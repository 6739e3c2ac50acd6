// The match log's entry types: every accepted change, in order; replaying them from the start rebuilds a match.
import type { Order, Orders } from '../engine/state.ts';
import type { ChatChannel, OrderSource, Phase, PhaseTimers } from '../protocol/match.ts';

export type { ChatChannel } from '../protocol/match.ts';

/**
 * The phase timer after a change: `endsAt` (epoch ms) while it runs, `remaining` (ms) while paused, both 0 when the
 * phase has no timer. Written at the moment the deadline is set, paused, resumed or extended, so a restarted server
 * finds the same deadline (and a paused phase the same time left) instead of starting the phase's full time again.
 */
export interface TimerEntry { kind: 'timer'; cause: 'phase' | 'pause' | 'resume' | 'extend' | 'plan'; endsAt: number; remaining: number }

/** One accepted change. Orders are treated as opaque data here: the engine reads them. */
export type LogEntry =
  /**
   * `deviceHash`: the joining browser's device token, hashed, so a removal sticks to the browser, not only the seat;
   * `waiting`: the facilitator approves joiners and has not yet let this one in (`wanted`: the team they asked for)
   */
  | { kind: 'person'; personId: string; name: string; role: string | null; spectator: boolean; tokenHash: string; deviceHash?: string; agent?: boolean; waiting?: boolean; wanted?: string }
  /** the facilitator let a waiting joiner in (a seat entry follows, or they wait in the queue for one) */
  | { kind: 'approve'; personId: string }
  /** the facilitator muted (or unmuted) a person: their chat is refused */
  | { kind: 'mute'; personId: string; muted: boolean }
  /** how joining works from now on: the facilitator approves each joiner; the lobby is locked to newcomers */
  | { kind: 'moderation'; approval?: boolean; locked?: boolean }
  /** a team's size from now on (how many people may hold the role) */
  | { kind: 'seats'; role: string; seats: number }
  /** the lesson plan from now on: how many quarters the match plays (its ending judged after the last) and each phase's timer */
  | { kind: 'plan'; turns: number; timers: PhaseTimers }
  | { kind: 'seat'; personId: string; role: string | null }
  /** `undo`: the facilitator lets a removed person back in (their seat token works again) */
  | { kind: 'remove'; personId: string; undo?: boolean }
  | { kind: 'botSeat'; role: string; bot: boolean }
  | { kind: 'start' }
  | { kind: 'pause'; paused: boolean }
  | { kind: 'phase'; phase: Phase; turn: number }
  | { kind: 'ready'; role: string; ready: boolean }
  | { kind: 'draft'; turn: number; role: string; order: Order; by: string }
  | { kind: 'submit'; turn: number; role: string; order: Order; by: string }
  | { kind: 'unsubmit'; turn: number; role: string; by: string }
  /** the team's lead (who submits and takes back) is now this person; `by` who passed it on ("facilitator" for the teacher) */
  | { kind: 'lead'; role: string; personId: string; by: string }
  | { kind: 'propose'; turn: number; proposalId: string; from: string; to: string; by: string }
  | { kind: 'respond'; turn: number; key: number; role: string; accept: boolean; by: string }
  | { kind: 'inject'; turn: number; cardId: string }
  /** `sources`: where each role's order came from (logs from before it have none) */
  | { kind: 'resolve'; turn: number; orders: Orders; sources?: Record<string, OrderSource> }
  | { kind: 'chat'; from: string; fromRole: string | null; to: ChatChannel; text: string }
  /** a referee rule for agent seats (shared/match/referee.ts): an invalid submission counted, a missed deadline filled in */
  | { kind: 'referee'; turn: number; role: string; rule: 'invalid-submit' | 'missed-deadline'; by: string; detail: string }
  | TimerEntry
  | { kind: 'end'; reason: string };

export type LogEntryKind = LogEntry['kind'];

/** An entry as stored: its place in the log and when it was accepted (records only; the rules never read `at`). */
export interface StoredEntry {
  seq: number;
  /** ISO time the change was accepted */
  at: string;
  entry: LogEntry;
}
