// The synced state of a match room (@colyseus/schema). Hidden parts are view-filtered: a client receives
// only the team channel of its own role (the facilitator: all of them, and the desk).
import { schema, t, type SchemaType } from '@colyseus/schema';

/** One role's seats, as everyone in the room may see them. */
export const RoleSeat = schema({
  id: t.string(),
  name: t.string(),
  side: t.string(),
  kind: t.string(),
  /** how many people may hold it */
  seats: t.uint8(),
  people: t.uint8(),
  connected: t.uint8(),
  /** a bot plays it now (no one seated, handed over, or its people are away) */
  bot: t.boolean(),
  botPersonality: t.string(),
  ready: t.boolean(),
  submitted: t.boolean(),
  /** someone on the team has started a draft this quarter */
  drafting: t.boolean(),
}, 'RoleSeat');

export const PersonInfo = schema({
  id: t.string(),
  name: t.string(),
  role: t.string(),
  spectator: t.boolean(),
  connected: t.boolean(),
  /** an agent (a program) holds this seat: clients show an AI badge */
  agent: t.boolean(),
  /** "approval": waiting for the facilitator to let them in; "queue": waiting for a seat (every team full); "" otherwise */
  waiting: t.string(),
}, 'PersonInfo');

/** A team's private channel: JSON documents described in docs/protocol.md. */
export const TeamChannel = schema({
  role: t.string(),
  /** the engine's view for this role: own side exact, the rival as estimates (RoleView) */
  view: t.string(),
  /** events this side may read, every quarter so far */
  feed: t.string(),
  /** the team's shared draft and its submitted order for this quarter (Order or "null") */
  draft: t.string(),
  draftBy: t.string(),
  submitted: t.string(),
  /** who pressed Submit (a display name; empty when nothing is submitted) */
  submittedBy: t.string(),
  /** the person id of the team's lead, who submits and takes back */
  lead: t.string(),
  /** this quarter's changes to the order, who made each (TeamStep[] with names) */
  activity: t.string(),
  /** chat this team may read */
  chat: t.string(),
}, 'TeamChannel');

/** The facilitator's desk: the true state of both sides, every team's draft, every chat. */
export const Desk = schema({
  state: t.string(),
  teams: t.string(),
  chat: t.string(),
  people: t.string(),
  /** the lesson plan and the class's moderation (DeskRoom) */
  room: t.string(),
}, 'Desk');

export const MatchRoomState = schema({
  code: t.string(),
  mode: t.string(),
  title: t.string(),
  rulesName: t.string(),
  phase: t.string(),
  turn: t.uint8(),
  turns: t.uint8(),
  quarter: t.string(),
  paused: t.boolean(),
  /** epoch ms when the phase timer runs out; 0 when there is no timer */
  phaseEndsAt: t.number(),
  /** ms left when paused */
  phaseRemaining: t.number(),
  endingId: t.string(),
  roles: t.map(RoleSeat),
  people: t.map(PersonInfo),
  /** the public view (PublicView), public events and public chat as JSON: what a projector may show */
  public: t.string(),
  teams: t.map(TeamChannel).view(),
  desk: t.map(Desk).view(),
}, 'MatchRoomState');

export type MatchRoomStateT = SchemaType<typeof MatchRoomState>;
export type RoleSeatT = SchemaType<typeof RoleSeat>;
export type PersonInfoT = SchemaType<typeof PersonInfo>;
export type TeamChannelT = SchemaType<typeof TeamChannel>;
export type DeskT = SchemaType<typeof Desk>;
