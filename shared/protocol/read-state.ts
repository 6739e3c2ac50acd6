// Reads the synced room state (shared/protocol/state.ts) back into the game's documents: the public document, each
// team channel it holds, the desk. What did not change since the last read is the same object as before.
import type { ChatMessage, FeedEvent, PublicDoc, TeamDocs, TeamView, DeskDocs, DeskTeam, DeskPerson, DeskRoom, TeamActivity } from './documents.ts';
import type { PublicView, ViewPoint } from '../engine/views.ts';
import type { MatchState, Order, TimelinePoint } from '../engine/state.ts';
import type { ChatChannel } from './match.ts';
import { assembleParts, type ReadableParts } from './parts.ts';

/** The decoded state as this reader needs it (the SDK's decoded schema objects fit it). */
interface MapLike<V> { get(k: string): V | undefined; forEach(fn: (v: V, k: string) => void): void; readonly size: number }
interface RawParts extends ReadableParts { version: number }
interface RawChat { seq: number; at: string; from: string; fromName: string; fromRole: string; to: string; text: string }
interface RawEvent { turn: number; kind: string; title: string; text: string; visibleTo: string; ref: string }
interface RawQuarter {
  turn: number; label: string; capabilityUs: number; capabilityChina: number; safeguardsUs: number; safeguardsChina: number;
  effectiveComputeUs: number; effectiveComputeChina: number; chipsUs?: number; chipsChina?: number; computeCostUs?: number; computeCostChina?: number;
  adoptionUs: number; adoptionChina: number; minor: number; major: number; catastrophic: number;
}
interface RawPress { turn: number; label: string; pressLead: number; adoptionUs: number; adoptionChina: number; minor: number; major: number; catastrophic: number }
interface RawPublic { view: RawParts; timeline: MapLike<RawPress>; finalTimeline: MapLike<RawQuarter>; events: MapLike<RawEvent>; chat: MapLike<RawChat> }
interface RawTeam {
  role: string; view: RawParts; timeline: MapLike<RawQuarter>; feed: MapLike<RawEvent>; draft: RawParts; draftBy: string; submitted: RawParts;
  submittedBy: string; lead: string; activity: MapLike<string>; chat: MapLike<RawChat>;
}
interface RawDesk { state: RawParts; timeline: MapLike<RawQuarter>; teams: RawParts; chat: MapLike<RawChat>; people: RawParts; room?: string }
export interface RawRoomState { public?: RawPublic; teams?: MapLike<RawTeam>; desk?: MapLike<RawDesk> }

export interface RoomDocuments {
  publicDoc: PublicDoc | null;
  /** the team channels this client receives: its own, or all of them for the facilitator */
  teams: Record<string, TeamDocs>;
  desk: DeskDocs | null;
}

// what was read from each decoded object, by identity (a reconnection decodes new objects: they are read afresh):
// an assembled document, a converted entry, a list of entries, a document made of others
type Cell = WeakMap<object, { key: unknown; value: unknown }>;
const assembled: Cell = new WeakMap(), converted: Cell = new WeakMap(), listed: Cell = new WeakMap(), composed: Cell = new WeakMap();

/** `make()` again only when `key` changed (compared item by item when it is an array). */
function memo<T>(cell: Cell, owner: object, key: unknown, make: () => T): T {
  const hit = cell.get(owner);
  if (hit && same(hit.key, key)) return hit.value as T;
  const value = make();
  cell.set(owner, { key, value });
  return value;
}
const same = (a: unknown, b: unknown): boolean =>
  a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]));

function parts<T>(doc: RawParts | undefined, fallback: T): T {
  if (!doc) return fallback;
  return memo(assembled, doc, doc.version, () => (assembleParts(doc) as T | undefined) ?? fallback);
}

/** A map's entries in order, each converted once per entry (entries are immutable) or when its `sig` changes. */
function list<R extends object, T>(map: MapLike<R> | undefined, convert: (r: R) => T, sig?: (r: R) => string): T[] {
  if (!map) return [];
  const items: T[] = [];
  map.forEach((r) => { items.push(memo(converted, r, sig ? sig(r) : null, () => convert(r))); });
  return memo(listed, map, items, () => items);
}

const chatMessage = (r: RawChat): ChatMessage => ({ seq: r.seq, at: r.at, from: r.from, fromName: r.fromName, fromRole: r.fromRole || null, to: r.to as ChatChannel, text: r.text });
const feedEvent = (r: RawEvent): FeedEvent => ({ turn: r.turn, kind: r.kind as FeedEvent['kind'], title: r.title, text: r.text, visibleTo: r.visibleTo as FeedEvent['visibleTo'], ...(r.ref ? { ref: r.ref } : {}) });
const pressPoint = (r: RawPress): PublicView['timeline'][number] => ({ turn: r.turn, label: r.label, pressLead: r.pressLead, adoption: { us: r.adoptionUs, china: r.adoptionChina }, incidents: { minor: r.minor, major: r.major, catastrophic: r.catastrophic } });
const viewPoint = (r: RawQuarter): ViewPoint => ({
  turn: r.turn, label: r.label, lead: r.capabilityUs - r.capabilityChina, capability: { us: r.capabilityUs, china: r.capabilityChina }, safeguards: { us: r.safeguardsUs, china: r.safeguardsChina },
  effectiveCompute: { us: r.effectiveComputeUs, china: r.effectiveComputeChina }, adoption: { us: r.adoptionUs, china: r.adoptionChina },
  incidents: { minor: r.minor, major: r.major, catastrophic: r.catastrophic },
});
const truePoint = (r: RawQuarter): TimelinePoint => ({ ...viewPoint(r), chips: { us: r.chipsUs ?? 0, china: r.chipsChina ?? 0 }, computeCost: { us: r.computeCostUs ?? 0, china: r.computeCostChina ?? 0 } });
/** a timeline point's numbers change (past estimates follow the error a side has now): converted again when they do */
const quarterSig = (r: RawQuarter): string => [r.turn, r.label, r.capabilityUs, r.capabilityChina, r.safeguardsUs, r.safeguardsChina, r.effectiveComputeUs, r.effectiveComputeChina,
  r.chipsUs, r.chipsChina, r.computeCostUs, r.computeCostChina, r.adoptionUs, r.adoptionChina, r.minor, r.major, r.catastrophic].join();
const pressSig = (r: RawPress): string => [r.turn, r.label, r.pressLead, r.adoptionUs, r.adoptionChina, r.minor, r.major, r.catastrophic].join();

function publicDocOf(p: RawPublic | undefined): PublicDoc | null {
  if (!p) return null;
  const view = parts<{ world: PublicView['world'] } | null>(p.view, null);
  if (!view) return null;
  const timeline = list(p.timeline, pressPoint, pressSig);
  const final = p.finalTimeline?.size ? list(p.finalTimeline, truePoint, quarterSig) : null;
  const events = list(p.events, feedEvent);
  const chat = list(p.chat, chatMessage);
  const publicView = memo(composed, p.view, [view, timeline, final], (): PublicView => ({ world: view.world, timeline, finalTimeline: final }));
  return memo(composed, p, [publicView, events, chat], () => ({ view: publicView, events, chat }));
}

function activityOf(map: MapLike<string> | undefined): TeamActivity[] {
  if (!map) return [];
  const texts: string[] = [];
  map.forEach((t) => texts.push(t));
  return memo(listed, map, texts.join('\n'), () => texts.map((t) => JSON.parse(t) as TeamActivity));
}

function teamOf(t: RawTeam, role: string, world: PublicView['world'] | undefined): TeamDocs {
  const own = parts<Omit<TeamView, 'world' | 'timeline'> | null>(t.view, null);
  const timeline = list(t.timeline, viewPoint, quarterSig);
  // the role's world is the public one
  const view = own && world ? memo(composed, t.view, [own, world, timeline], (): TeamView => ({ ...own, world, timeline } as TeamView)) : null;
  return {
    role, view, feed: list(t.feed, feedEvent), draft: parts<Order | null>(t.draft, null), draftBy: t.draftBy ?? '',
    submitted: parts<Order | null>(t.submitted, null), submittedBy: t.submittedBy ?? '', lead: t.lead ?? '', activity: activityOf(t.activity), chat: list(t.chat, chatMessage),
  };
}

function deskOf(d: RawDesk | undefined, teams: Record<string, TeamDocs>): DeskDocs | null {
  if (!d) return null;
  // each team's activity comes from its channel (the facilitator receives every channel)
  const shown = parts<Record<string, Omit<DeskTeam, 'activity'>>>(d.teams, {});
  const activities = Object.keys(shown).map((r) => teams[r]?.activity ?? []);
  const deskTeams = memo(composed, d.teams, [shown, ...activities], () => Object.fromEntries(Object.entries(shown).map(([r, t], i) => [r, { ...t, activity: activities[i] }])));
  const own = parts<Omit<MatchState, 'timeline'> | null>(d.state, null);
  const timeline = list(d.timeline, truePoint, quarterSig);
  const state = own ? memo(composed, d.state, [own, timeline], (): MatchState => ({ ...own, timeline })) : null;
  return { state, teams: deskTeams, chat: list(d.chat, chatMessage), people: parts<DeskPerson[]>(d.people, []), room: roomOf(d.room) };
}

/** The documents this client holds now. */
export function readDocuments(state: RawRoomState): RoomDocuments {
  const publicDoc = publicDocOf(state.public);
  const teams: Record<string, TeamDocs> = {};
  state.teams?.forEach((t, role) => { teams[role] = teamOf(t, role, publicDoc?.view.world); });
  return { publicDoc, teams, desk: deskOf(state.desk?.get('desk'), teams) };
}

// the desk's room is one small JSON string: parsed again only when it changed, so an unchanged one stays the same object
let lastRoom: { text: string; room: DeskRoom | null } = { text: '', room: null };
function roomOf(text: string | undefined): DeskRoom | null {
  if (!text) return null;
  if (text !== lastRoom.text) {
    let room: DeskRoom | null = null;
    try { room = JSON.parse(text) as DeskRoom; } catch { room = null; }
    lastRoom = { text, room };
  }
  return lastRoom.room;
}
