// The game's documents a client reads from the synced room state (state.public, a team channel, the desk): the server
// writes them in parts and entries (server/rooms/project.ts), a client reads them back with readDocuments (read-state.ts).
import type { RoleView, PublicView } from '../engine/views.ts';
import type { MatchState, Order, TurnEvent } from '../engine/state.ts';
import type { OrderSource, PhaseTimers, TeamStep } from './match.ts';

/** A change to a team's order with the names of who made it (and of the new lead). */
export type TeamActivity = TeamStep & { byName: string; leadName?: string };

/** A chat message as a reader receives it. */
export interface ChatMessage { seq: number; at: string; from: string; fromName: string; fromRole: string | null; to: string; text: string }

/** An event with the turn it happened in. */
export type FeedEvent = TurnEvent & { turn: number };

/** A role's view, with its last resolved order written out in full (every lever, every setting the role holds). */
export type TeamView = RoleView & { lastOrder: Order | null };

/** state.public: what a projector may show. */
export interface PublicDoc { view: PublicView; events: FeedEvent[]; chat: ChatMessage[] }

/** One team as the facilitator's desk shows it. */
export interface DeskTeam {
  draft: Order | null; draftBy: string | null; submitted: Order | null; submittedBy: string | null; ready: boolean; botForced: boolean;
  /** since when (epoch ms) nobody of the team is connected, or null */
  emptySince: number | null;
  /** a bot plays the role now */
  bot: boolean;
  /** the team's lead (person id) */
  lead: string | null;
  /** where its order would come from if the quarter resolved now (a saved draft is submitted at the deadline) */
  resolvesAs: OrderSource;
  /** where its order came from last quarter, or null before the first resolution */
  lastResolvedAs: OrderSource | null;
  activity: TeamActivity[];
}
export interface DeskPerson { id: string; name: string; role: string | null; spectator: boolean; connected: boolean; agent: boolean; muted?: boolean; waiting?: 'approval' | 'queue' | '' }

/** The lesson plan and the class's moderation, as the desk shows them. */
export interface DeskRoom {
  /** the lesson's planned length (0: none), when the session started (epoch ms, 0 before) */
  lessonMinutes: number;
  startedAt: number;
  /** quarters the match plays now, and the most the rule file has */
  turns: number;
  maxTurns: number;
  timers: PhaseTimers;
  approval: boolean;
  locked: boolean;
  /** waiting to be let in, and waiting for a seat, each in join order (person ids) */
  waiting: string[];
  queue: string[];
  /** seats per role now */
  seats: Record<string, number>;
}

/** A team channel's documents, read (role and draftBy are plain strings). */
export interface TeamDocs { role: string; view: TeamView | null; feed: FeedEvent[]; draft: Order | null; draftBy: string; submitted: Order | null; submittedBy: string; lead: string; activity: TeamActivity[]; chat: ChatMessage[] }

/** The desk's documents, read. */
export interface DeskDocs { state: MatchState | null; teams: Record<string, DeskTeam>; chat: ChatMessage[]; people: DeskPerson[]; room: DeskRoom | null }
