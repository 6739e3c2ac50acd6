// The synced state of a match room (@colyseus/schema). Hidden parts are view-filtered: a client receives
// only the team channel of its own role (the facilitator: all of them, and the desk). Histories are maps a change
// appends to, documents are split into parts: a change sends what changed (docs/protocol.md, section 12).
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

/**
 * A JSON document split into parts by path (docs/protocol.md, section 12.1; shared/protocol/parts.ts): a change sends
 * the parts that changed, never the whole document again.
 */
export const DocParts = schema({
  /** the document's numbers, by path (float64: @colyseus/schema's "number" may round a fraction to float32) */
  numbers: t.map('float64'),
  /** every other part by path, as JSON: a string, boolean or null; an object's keys; an array's length */
  values: t.map('string'),
  /** moves on with every change, so a reader may keep what it assembled while it stays */
  version: t.uint32(),
}, 'DocParts');

/** One chat message; the same entry sits in every chat map that may read it (and is sent once to each client). */
export const ChatEntry = schema({
  seq: t.number(),
  at: t.string(),
  from: t.string(),
  fromName: t.string(),
  /** the sender's role, or "" for none */
  fromRole: t.string(),
  to: t.string(),
  text: t.string(),
}, 'ChatEntry');

/** One event of the feed; a public one is the same entry in the public events and in every team's feed. */
export const FeedEntry = schema({
  turn: t.number(),
  kind: t.string(),
  title: t.string(),
  text: t.string(),
  visibleTo: t.string(),
  /** the event card's or proposal's id, or "" for none */
  ref: t.string(),
}, 'FeedEntry');

/**
 * One quarter of a timeline, per side (a role's timeline, and the true one once the match is over); fractions as float64.
 * Its lead is capabilityUs - capabilityChina (the engine's definition), so it is not sent.
 */
export const QuarterPoint = schema({
  turn: t.number(),
  label: t.string(),
  capabilityUs: t.float64(),
  capabilityChina: t.float64(),
  safeguardsUs: t.float64(),
  safeguardsChina: t.float64(),
  effectiveComputeUs: t.float64(),
  effectiveComputeChina: t.float64(),
  /** only in the true timeline at the end */
  chipsUs: t.float64().optional(),
  chipsChina: t.float64().optional(),
  computeCostUs: t.float64().optional(),
  computeCostChina: t.float64().optional(),
  adoptionUs: t.float64(),
  adoptionChina: t.float64(),
  minor: t.number(),
  major: t.number(),
  catastrophic: t.number(),
}, 'QuarterPoint');

/** One quarter of the public timeline: the press's estimate of the lead, adoption and incidents. */
export const PressPoint = schema({
  turn: t.number(),
  label: t.string(),
  pressLead: t.float64(),
  adoptionUs: t.float64(),
  adoptionChina: t.float64(),
  minor: t.number(),
  major: t.number(),
  catastrophic: t.number(),
}, 'PressPoint');

/** What everyone in the room may read (a projector shows it): the public view, its history, events and chat. */
export const PublicChannel = schema({
  /** { world: PublicWorld } */
  view: t.ref(DocParts),
  /** one point per quarter so far, by index ("0" is the start) */
  timeline: t.map(PressPoint),
  /** the true numbers of both sides per quarter, only once the match is over (empty before) */
  finalTimeline: t.map(QuarterPoint),
  /** every public event so far, by its place in the match's feed */
  events: t.map(FeedEntry),
  /** the last 100 messages to everyone, by seq */
  chat: t.map(ChatEntry),
}, 'PublicChannel');

/**
 * The view tag a team's members receive their channel with (server/rooms/connections.ts): only they receive its chat.
 * The facilitator receives every channel without it and reads every message once, in the desk's chat.
 */
export const TEAM_MEMBER = 1;

/** A team's private channel (docs/protocol.md, section 12). */
export const TeamChannel = schema({
  role: t.string(),
  /** the engine's view for this role without its world (the public one) and timeline: own side exact, the rival as estimates */
  view: t.ref(DocParts),
  /** one point per quarter, by index: own side exact, the rival as estimated now */
  timeline: t.map(QuarterPoint),
  /** events this side may read, every quarter so far, by their place in the match's feed */
  feed: t.map(FeedEntry),
  /** the team's shared draft and its submitted order for this quarter (an Order or null) */
  draft: t.ref(DocParts),
  draftBy: t.string(),
  submitted: t.ref(DocParts),
  /** who pressed Submit (a display name; empty when nothing is submitted) */
  submittedBy: t.string(),
  /** the person id of the team's lead, who submits and takes back */
  lead: t.string(),
  /** this quarter's changes to the order, who made each: JSON TeamActivity by seq (the last 50) */
  activity: t.map('string'),
  /** the last 200 messages this team may read (public ones included), by seq; sent to the team's members only */
  chat: t.map(ChatEntry).view(TEAM_MEMBER),
}, 'TeamChannel');

/** The facilitator's desk: the true state of both sides, every team's draft, every chat. */
export const Desk = schema({
  /** the engine's MatchState without its timeline */
  state: t.ref(DocParts),
  /** the state's timeline: the true numbers of both sides per quarter, by index */
  timeline: t.map(QuarterPoint),
  teams: t.ref(DocParts),
  /** the last 500 messages the facilitator may read, by seq */
  chat: t.map(ChatEntry),
  people: t.ref(DocParts),
  /** the lesson plan and the class's moderation (DeskRoom, JSON) */
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
  /** the public view, its timeline, public events and public chat: what a projector may show */
  public: t.ref(PublicChannel),
  teams: t.map(TeamChannel).view(),
  desk: t.map(Desk).view(),
}, 'MatchRoomState');

export type MatchRoomStateT = SchemaType<typeof MatchRoomState>;
export type RoleSeatT = SchemaType<typeof RoleSeat>;
export type PersonInfoT = SchemaType<typeof PersonInfo>;
export type TeamChannelT = SchemaType<typeof TeamChannel>;
export type DeskT = SchemaType<typeof Desk>;
export type PublicChannelT = SchemaType<typeof PublicChannel>;
export type DocPartsT = SchemaType<typeof DocParts>;
export type ChatEntryT = SchemaType<typeof ChatEntry>;
export type FeedEntryT = SchemaType<typeof FeedEntry>;
export type QuarterPointT = SchemaType<typeof QuarterPoint>;
export type PressPointT = SchemaType<typeof PressPoint>;
