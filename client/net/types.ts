// The game's documents as the client receives them (types only: the server and engine code stays out of the bundle).
import type { RoleView, PublicView, PublicWorld, ViewPoint, Estimate } from '../../shared/engine/views.ts';
import type { Order, TurnEvent, TimelinePoint, MatchState } from '../../shared/engine/state.ts';
import type { RuleFile, Side } from '../../shared/rules/schema.ts';
import type { MatchRecord } from '../../shared/protocol/record.ts';
import type { ServerMessages } from '../../shared/protocol/messages.ts';
import type { ChatMessage, FeedEvent, TeamDocs, DeskTeam, DeskDocs } from '../../shared/protocol/documents.ts';

// the synced documents' types are the wire contract's (shared/protocol/documents.ts)
export type { ChatMessage, FeedEvent, TeamDocs, DeskTeam, DeskDocs };

export type { RoleView, PublicView, PublicWorld, ViewPoint, Estimate, Order, TurnEvent, TimelinePoint, MatchState, RuleFile, Side, MatchRecord };
export type MatchRecordLike = MatchRecord;
export type Welcome = ServerMessages['welcome'];
export type ServerError = ServerMessages['error'];
export type ServerOk = ServerMessages['ok'];

export type Phase = 'lobby' | 'briefing' | 'negotiation' | 'orders' | 'report' | 'ended';


export interface RoleSeat {
  id: string; name: string; side: Side; kind: string; seats: number; people: number; connected: number;
  bot: boolean; botPersonality: string; ready: boolean; submitted: boolean; drafting: boolean;
}
export interface PersonInfo { id: string; name: string; role: string; spectator: boolean; connected: boolean; /** an agent (a program) holds this seat: shown with an AI badge */ agent: boolean; /** "approval" (waiting to be let in), "queue" (waiting for a seat) or "" */ waiting?: string }

/** Everything the screens render, rebuilt from the synced room state on each patch. */
export interface Snapshot {
  code: string;
  mode: 'online' | 'class';
  title: string;
  rulesName: string;
  phase: Phase;
  turn: number;
  turns: number;
  quarter: string;
  paused: boolean;
  phaseEndsAt: number;
  phaseRemaining: number;
  endingId: string;
  roles: RoleSeat[];
  people: PersonInfo[];
  publicDoc: { view: PublicView; events: FeedEvent[]; chat: ChatMessage[] } | null;
  /** the team channels this client receives: its own, or all of them for the facilitator */
  teams: Record<string, TeamDocs>;
  desk: DeskDocs | null;
}
