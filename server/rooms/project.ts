// Projects a match into the synced room state: public parts for all, team channels per role, the desk; only what changed.
import type { MapSchema } from '@colyseus/schema';
import {
  MatchRoomState, RoleSeat, PersonInfo, TeamChannel, Desk, ChatEntry, FeedEntry, QuarterPoint, PressPoint,
  type MatchRoomStateT, type ChatEntryT, type FeedEntryT, type QuarterPointT, type PressPointT,
} from '../../shared/protocol/state.ts';
import { roleView, publicView, type PublicView, type ViewPoint } from '../../shared/engine/views.ts';
import { ruleIndex } from '../../shared/engine/ruleIndex.ts';
import { quarterLabel, type Order, type TimelinePoint, type TurnEvent } from '../../shared/engine/state.ts';
import type { MatchHeader } from '../store/types.ts';
import { botPlays, chatVisibleTo, members as membersOf, personality, seatsFor, type ChatMessage, type Match, type Person } from '../../shared/match/match.ts';
import { queue, waitingList } from '../../shared/match/class-seats.ts';
import { fileTurns } from '../../shared/match/lesson.ts';
import { completeOrder } from '../../shared/match/orders.ts';
import { orderSources } from '../../shared/match/team.ts';
import type { TeamActivity } from '../../shared/protocol/documents.ts';
import type { TeamStep } from '../../shared/protocol/match.ts';
import { writeParts, whole, shaped } from '../../shared/protocol/parts.ts';

/** What the matchmaker lists for a room: the API finds rooms by code and quick play by open seats. */
export interface MatchRoomMetadata {
  matchId: string; code: string; mode: string; visibility: string; phase: string; title: string;
  /** open human seats, for quick play */
  openSeats: number;
  /** each role's seats now (the facilitator may change a team's size): the join form offers these */
  seats?: Record<string, number>;
  /** the quarters the match plays now (the facilitator may add or drop some): the rule file the API gives says as many */
  turns?: number;
}

export function metadataOf(header: MatchHeader, m: Match): MatchRoomMetadata {
  const openSeats = m.rules.roles.reduce((n, r) => n + Math.max(0, seatsFor(m, r.id) - membersOf(m, r.id).length), 0);
  const seats = Object.fromEntries(m.rules.roles.map((r) => [r.id, seatsFor(m, r.id)]));
  return { matchId: header.id, code: header.code, mode: header.settings.mode, visibility: header.settings.visibility, phase: m.phase, title: m.rules.name, openSeats, seats, turns: m.rules.calendar.turns };
}

export function createRoomState(header: MatchHeader, rt: Match): MatchRoomStateT {
  const s = new MatchRoomState();
  s.code = header.code;
  s.mode = header.settings.mode;
  s.title = rt.rules.name;
  s.rulesName = header.settings.rulesName;
  s.turns = rt.rules.calendar.turns;
  for (const role of rt.rules.roles) {
    const seat = new RoleSeat();
    seat.id = role.id;
    seat.name = role.name;
    seat.side = role.side;
    seat.kind = role.kind;
    seat.seats = seatsFor(rt, role.id);
    s.roles.set(role.id, seat);
    const team = new TeamChannel();
    team.role = role.id;
    s.teams.set(role.id, team);
  }
  s.desk.set('desk', new Desk());
  return s;
}

/** A role's order spending nothing (the rule index's zeroed levers, only read here): the shape its orders take. */
const nothingSpent = (rt: Match, roleId: string): Order => ({ spend: ruleIndex(rt.rules).spendTemplate[roleId] ?? {} });

/** Assigns only when the value changed, so unchanged fields are not sent again. */
function put<T extends object, K extends keyof T>(o: T, k: K, v: T[K]): void {
  if (o[k] !== v) o[k] = v;
}

/** What was last projected, by identity: apply replaces (never mutates) states, orders and feeds. */
interface Projected {
  state: unknown;
  /** events of the feed already in the state, and chat messages (the desk's separately: it may lag behind) */
  events: number;
  chat: number;
  deskChat: number;
  drafts: Record<string, unknown>;
  submitted: Record<string, unknown>;
  deskState: unknown;
}
const caches = new WeakMap<MatchRoomStateT, Projected>();

/** How many messages each chat map keeps (the newest). */
const PUBLIC_CHAT = 100;
const TEAM_CHAT = 200;
const DESK_CHAT = 500;
const ACTIVITY = 50;

/**
 * Brings the whole synced state up to date with the match; cheap enough to call after every change. Histories
 * (feeds, chat, timelines) get only their new entries, documents only their changed parts (docs/protocol.md, 12).
 * The desk is kept up to date only while a facilitator is there to read it (`desk: false` leaves it as it was).
 */
export function project(rt: Match, s: MatchRoomStateT, now: number, timer: { endsAt: number; remaining: number }, options: { desk: boolean } = { desk: true }): void {
  const rules = rt.rules;
  put(s, 'phase', rt.phase);
  put(s, 'turn', rt.state.turn);
  put(s, 'quarter', rt.state.finished ? `End of ${quarterLabel(rules, rules.calendar.turns - 1)}` : quarterLabel(rules, rt.state.turn));
  put(s, 'paused', rt.paused);
  put(s, 'turns', rules.calendar.turns);
  put(s, 'phaseEndsAt', timer.endsAt);
  put(s, 'phaseRemaining', timer.remaining);
  put(s, 'endingId', rt.state.ending?.id ?? '');

  for (const role of rules.roles) {
    const seat = s.roles.get(role.id)!;
    const members = membersOf(rt, role.id);
    const team = rt.teams[role.id];
    put(seat, 'seats', seatsFor(rt, role.id));
    put(seat, 'people', members.length);
    put(seat, 'connected', members.filter((p) => p.connected).length);
    put(seat, 'bot', botPlays(rt, role.id, now));
    put(seat, 'botPersonality', personality(rt, role.id));
    put(seat, 'ready', team.ready);
    put(seat, 'submitted', team.submitted !== null);
    put(seat, 'drafting', team.draft !== null);
  }

  for (const p of rt.people.values()) {
    let info = s.people.get(p.id);
    if (p.removed) { if (info) s.people.delete(p.id); continue; }
    if (!info) { info = new PersonInfo(); info.id = p.id; s.people.set(p.id, info); }
    put(info, 'name', p.name);
    put(info, 'role', p.role ?? '');
    put(info, 'spectator', p.spectator);
    put(info, 'connected', p.connected);
    put(info, 'agent', p.agent);
    put(info, 'waiting', waitingOf(p));
  }

  let cache = caches.get(s);
  if (!cache) { cache = { state: null, events: 0, chat: 0, deskChat: 0, drafts: {}, submitted: {}, deskState: null }; caches.set(s, cache); }
  const pub = s.public;

  // new events (the feed only grows): in the public events and the feeds of the sides that may read it
  const eventCount = rt.feed.reduce((n, f) => n + f.events.length, 0);
  if (eventCount > cache.events) {
    const events = rt.feed.flatMap((f) => f.events.map((e) => ({ turn: f.turn, ...e })));
    for (let i = cache.events; i < events.length; i++) {
      const e = events[i];
      const key = String(i);
      const shared = e.visibleTo === 'all' ? feedEntry(e) : null;
      if (shared) pub.events.set(key, shared);
      for (const role of rules.roles) if (shared || e.visibleTo === role.side) s.teams.get(role.id)!.feed.set(key, shared ?? feedEntry(e));
    }
  }
  const stateChanged = cache.state !== rt.state || cache.events !== eventCount;
  cache.state = rt.state;
  cache.events = eventCount;

  if (stateChanged) {
    const pv = publicView(rules, rt.state);
    writeParts(pub.view, { world: pv.world });
    pv.timeline.forEach((p, i) => pressPoint(pub.timeline, i, p));
    if (pv.finalTimeline) pv.finalTimeline.forEach((p, i) => quarterPoint(pub.finalTimeline, i, p, true));
  }

  // new chat messages, to every chat map that may read them
  const chat = rt.chat.slice(cache.chat);
  cache.chat = rt.chat.length;
  if (chat.length) {
    appendChat(s, pub.chat, chat.filter((m) => m.to === 'all'), PUBLIC_CHAT);
    for (const role of rules.roles) appendChat(s, s.teams.get(role.id)!.chat, chat.filter((m) => chatVisibleTo(rt, m, { role: role.id, facilitator: false })), TEAM_CHAT);
  }

  for (const role of rules.roles) {
    const channel = s.teams.get(role.id)!;
    const team = rt.teams[role.id];
    if (stateChanged) {
      const last = rt.quarters[rt.quarters.length - 1];
      const lastOrder = last?.orders[role.id] && last.before ? completeOrder(rules, last.before, role.id, last.orders[role.id]) : null;
      // the world is the public one (state.public.view); the timeline has its own entries
      const { world: _world, timeline, ...view } = roleView(rules, rt.state, role.id);
      // a dilemma is text to read, put and answered as one: one part, not a part per path; orders not given yet are
      // written in their shape, so that the first quarter moves numbers instead of adding every lever's path
      const sideOrders = Object.fromEntries(Object.entries(view.sideOrders).map(([id, o]) => [id, shaped(o, o ?? nothingSpent(rt, id))]));
      writeParts(channel.view, { ...view, dilemmas: whole(view.dilemmas), sideOrders, lastOrder: shaped(lastOrder, lastOrder ?? completeOrder(rules, rt.state, role.id, nothingSpent(rt, role.id))) });
      timeline.forEach((p, i) => quarterPoint(channel.timeline, i, p, false));
    }
    if (!(role.id in cache.drafts) || cache.drafts[role.id] !== team.draft) { writeParts(channel.draft, team.draft); cache.drafts[role.id] = team.draft; }
    put(channel, 'draftBy', team.draftBy ? rt.people.get(team.draftBy)?.name ?? '' : '');
    put(channel, 'submittedBy', team.submittedBy ? nameOf(rt, team.submittedBy) : '');
    put(channel, 'lead', team.lead ?? '');
    writeActivity(rt, channel.activity, role.id);
    if (!(role.id in cache.submitted) || cache.submitted[role.id] !== team.submitted) { writeParts(channel.submitted, team.submitted); cache.submitted[role.id] = team.submitted; }
  }

  if (!options.desk) return;
  const desk = s.desk.get('desk')!;
  if (cache.deskState !== rt.state) {
    const { timeline, roles, ...state } = rt.state;
    const shapedRoles = Object.fromEntries(Object.entries(roles).map(([id, r]) => [id, { ...r, lastOrder: shaped(r.lastOrder, r.lastOrder ?? nothingSpent(rt, id)) }]));
    writeParts(desk.state, { ...state, roles: shapedRoles });
    timeline.forEach((p, i) => quarterPoint(desk.timeline, i, p, true));
    cache.deskState = rt.state;
  }
  const sources = orderSources(rt, now);
  const lastSources = rt.quarters[rt.quarters.length - 1]?.sources ?? null;
  // each team's activity is in its channel, which the facilitator receives too
  writeParts(desk.teams, Object.fromEntries(rules.roles.map((r) => {
    const t = rt.teams[r.id];
    return [r.id, { draft: t.draft, draftBy: t.draftBy, submitted: t.submitted, submittedBy: t.submittedBy, ready: t.ready, botForced: t.botForced, emptySince: t.emptySince, bot: botPlays(rt, r.id, now), lead: t.lead, resolvesAs: sources[r.id], lastResolvedAs: lastSources?.[r.id] ?? null }];
  })));
  if (cache.deskChat !== rt.chat.length) {
    appendChat(s, desk.chat, rt.chat.slice(cache.deskChat).filter((m) => chatVisibleTo(rt, m, { role: null, facilitator: true })), DESK_CHAT);
    cache.deskChat = rt.chat.length;
  }
  writeParts(desk.people, [...rt.people.values()].filter((p) => !p.removed).map((p) => ({ id: p.id, name: p.name, role: p.role, spectator: p.spectator, connected: p.connected, agent: p.agent, muted: p.muted, waiting: waitingOf(p) })));
  // the lesson plan and the class's moderation: small, and changed only by the desk, so one JSON string
  put(desk, 'room', JSON.stringify({
    lessonMinutes: rt.settings.lessonMinutes ?? 0, startedAt: rt.startedAt ? Date.parse(rt.startedAt) : 0,
    turns: rules.calendar.turns, maxTurns: fileTurns(rules), timers: rt.settings.timers,
    approval: rt.moderation.approval, locked: rt.moderation.locked,
    waiting: waitingList(rt).map((p) => p.id), queue: queue(rt).map((p) => p.id),
    seats: Object.fromEntries(rules.roles.map((r) => [r.id, seatsFor(rt, r.id)])),
  }));
}

/**
 * The entry of a chat message for one more map: the public chat's when it is there (then every reader receives it
 * once), else a new one. Only the public chat's entries are shared: @colyseus/schema 5 sends a shared entry to a view
 * in the order the entry was first put, which a reader of a later map only (another team) cannot decode.
 */
function chatEntry(s: MatchRoomStateT, m: ChatMessage): ChatEntryT {
  const found = s.public.chat.get(String(m.seq));
  if (found) return found;
  const entry = new ChatEntry();
  entry.seq = m.seq; entry.at = m.at; entry.from = m.from; entry.fromName = m.fromName; entry.fromRole = m.fromRole ?? ''; entry.to = m.to; entry.text = m.text;
  return entry;
}

/** Adds messages to a chat map by seq and drops the oldest beyond `keep`. */
function appendChat(s: MatchRoomStateT, map: MapSchema<ChatEntryT>, messages: ChatMessage[], keep: number): void {
  for (const m of messages.slice(-keep)) map.set(String(m.seq), chatEntry(s, m));
  while (map.size > keep) map.delete(map.keys().next().value!);
}

/** One event as an entry; a public one is put in the public events first, and shared (see chatEntry). */
function feedEntry(e: TurnEvent & { turn: number }): FeedEntryT {
  const entry = new FeedEntry();
  entry.turn = e.turn; entry.kind = e.kind; entry.title = e.title; entry.text = e.text; entry.visibleTo = e.visibleTo; entry.ref = e.ref ?? '';
  return entry;
}

/** Each step's JSON as last written, with the names it was written with: a step never changes once taken. */
const stepTexts = new WeakMap<TeamStep, { byName: string; leadName: string | undefined; text: string }>();

/** A team's activity by seq, the last 50 with names: new steps added, renamed ones rewritten, steps no longer listed removed. */
function writeActivity(rt: Match, map: MapSchema<string>, roleId: string): void {
  const steps = rt.teams[roleId].activity;
  const from = Math.max(0, steps.length - ACTIVITY);
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    const byName = nameOf(rt, step.by);
    const leadName = step.lead ? nameOf(rt, step.lead) : undefined;
    let written = stepTexts.get(step);
    if (!written || written.byName !== byName || written.leadName !== leadName) {
      const named: TeamActivity = { ...step, byName, ...(leadName !== undefined ? { leadName } : {}) };
      written = { byName, leadName, text: JSON.stringify(named) };
      stepTexts.set(step, written);
    }
    const key = String(step.seq);
    if (map.get(key) !== written.text) map.set(key, written.text);
  }
  if (map.size === steps.length - from) return;
  const keys = new Set(steps.slice(from).map((step) => String(step.seq)));
  for (const key of [...map.keys()]) if (!keys.has(key)) map.delete(key);
}

function pressPoint(map: MapSchema<PressPointT>, i: number, p: PublicView['timeline'][number]): void {
  let e = map.get(String(i));
  if (!e) { e = new PressPoint(); map.set(String(i), e); }
  put(e, 'turn', p.turn); put(e, 'label', p.label); put(e, 'pressLead', p.pressLead);
  put(e, 'adoptionUs', p.adoption.us); put(e, 'adoptionChina', p.adoption.china);
  put(e, 'minor', p.incidents.minor); put(e, 'major', p.incidents.major); put(e, 'catastrophic', p.incidents.catastrophic);
}

/** A timeline point into its entry, field by field: past estimates move with the error a side has now. */
function quarterPoint(map: MapSchema<QuarterPointT>, i: number, p: ViewPoint | TimelinePoint, full: boolean): void {
  let e = map.get(String(i));
  if (!e) { e = new QuarterPoint(); map.set(String(i), e); }
  put(e, 'turn', p.turn); put(e, 'label', p.label);
  put(e, 'capabilityUs', p.capability.us); put(e, 'capabilityChina', p.capability.china);
  put(e, 'safeguardsUs', p.safeguards.us); put(e, 'safeguardsChina', p.safeguards.china);
  put(e, 'effectiveComputeUs', p.effectiveCompute.us); put(e, 'effectiveComputeChina', p.effectiveCompute.china);
  if (full && 'chips' in p) {
    put(e, 'chipsUs', p.chips.us); put(e, 'chipsChina', p.chips.china);
    put(e, 'computeCostUs', p.computeCost.us); put(e, 'computeCostChina', p.computeCost.china);
  }
  put(e, 'adoptionUs', p.adoption.us); put(e, 'adoptionChina', p.adoption.china);
  put(e, 'minor', p.incidents.minor); put(e, 'major', p.incidents.major); put(e, 'catastrophic', p.incidents.catastrophic);
}

const waitingOf = (p: Person): 'approval' | 'queue' | '' => (p.waiting ? 'approval' : p.queued && p.role === null ? 'queue' : '');

const nameOf = (rt: Match, id: string): string => (id === 'bot' ? 'Bot' : id === 'facilitator' ? 'Facilitator' : rt.people.get(id)?.name ?? '?');
