// Projects a match into the synced room state: public parts for all, team channels per role, the desk.
import { MatchRoomState, RoleSeat, PersonInfo, TeamChannel, Desk, type MatchRoomStateT } from '../../shared/protocol/state.ts';
import { roleView, publicView, eventsFor } from '../../shared/engine/views.ts';
import { quarterLabel } from '../../shared/engine/state.ts';
import type { Side } from '../../shared/rules/schema.ts';
import type { MatchHeader } from '../store/types.ts';
import { botPlays, chatVisibleTo, members as membersOf, personality, seatsFor, type Match, type Person } from '../../shared/match/match.ts';
import { queue, waitingList } from '../../shared/match/class-seats.ts';
import { fileTurns } from '../../shared/match/lesson.ts';
import { completeOrder } from '../../shared/match/orders.ts';
import { orderSources } from '../../shared/match/team.ts';
import type { TeamActivity } from '../../shared/protocol/documents.ts';
import { encodeDocument as doc } from '../../shared/protocol/documents.ts';

/** What the matchmaker lists for a room: the API finds rooms by code and quick play by open seats. */
export interface MatchRoomMetadata {
  matchId: string; code: string; mode: string; visibility: string; phase: string; title: string;
  /** open human seats, for quick play */
  openSeats: number;
  /** each role's seats now (the facilitator may change a team's size): the join form offers these */
  seats?: Record<string, number>;
}

export function metadataOf(header: MatchHeader, m: Match): MatchRoomMetadata {
  const openSeats = m.rules.roles.reduce((n, r) => n + Math.max(0, seatsFor(m, r.id) - membersOf(m, r.id).length), 0);
  const seats = Object.fromEntries(m.rules.roles.map((r) => [r.id, seatsFor(m, r.id)]));
  return { matchId: header.id, code: header.code, mode: header.settings.mode, visibility: header.settings.visibility, phase: m.phase, title: m.rules.name, openSeats, seats };
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

/** Assigns only when the value changed, so unchanged fields are not sent again. */
function put<T extends object, K extends keyof T>(o: T, k: K, v: T[K]): void {
  if (o[k] !== v) o[k] = v;
}


/** What was last projected, by identity: apply replaces (never mutates) states, orders and feeds. */
interface Projected {
  state: unknown;
  feedLength: number;
  chatLength: number;
  publicEvents: unknown[];
  drafts: Record<string, unknown>;
  submitted: Record<string, unknown>;
  deskState: unknown;
  deskChatLength: number;
}
const caches = new WeakMap<MatchRoomStateT, Projected>();

/**
 * Brings the whole synced state up to date with the match; cheap enough to call after every change.
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

  // views and feeds are rebuilt only when the engine state or the chat changed
  let cache = caches.get(s);
  if (!cache) { cache = { state: null, feedLength: -1, chatLength: -1, publicEvents: [], drafts: {}, submitted: {}, deskState: null, deskChatLength: -1 }; caches.set(s, cache); }
  const feedLength = rt.feed.reduce((n, f) => n + f.events.length, 0);
  const stateChanged = cache.state !== rt.state || cache.feedLength !== feedLength;
  const chatChanged = cache.chatLength !== rt.chat.length;
  cache.state = rt.state;
  cache.feedLength = feedLength;
  cache.chatLength = rt.chat.length;
  const allEvents = stateChanged ? rt.feed.flatMap((f) => f.events.map((e) => ({ turn: f.turn, ...e }))) : [];
  if (stateChanged || chatChanged) {
    const publicChat = rt.chat.filter((m) => m.to === 'all');
    if (stateChanged) cache.publicEvents = eventsFor(allEvents, 'public');
    put(s, 'public', doc('public', { view: publicView(rules, rt.state), events: cache.publicEvents as never, chat: publicChat.slice(-100) }));
  }

  for (const role of rules.roles) {
    const channel = s.teams.get(role.id)!;
    const team = rt.teams[role.id];
    const side: Side = role.side;
    if (stateChanged) {
      const last = rt.quarters[rt.quarters.length - 1];
      const lastOrder = last?.orders[role.id] && last.before ? completeOrder(rules, last.before, role.id, last.orders[role.id]) : null;
      put(channel, 'view', doc('view', { ...roleView(rules, rt.state, role.id), lastOrder }));
      put(channel, 'feed', doc('feed', eventsFor(allEvents, side) as never));
    }
    if (!(role.id in cache.drafts) || cache.drafts[role.id] !== team.draft) { put(channel, 'draft', doc('draft', team.draft)); cache.drafts[role.id] = team.draft; }
    put(channel, 'draftBy', team.draftBy ? rt.people.get(team.draftBy)?.name ?? '' : '');
    put(channel, 'submittedBy', team.submittedBy ? nameOf(rt, team.submittedBy) : '');
    put(channel, 'lead', team.lead ?? '');
    put(channel, 'activity', doc('activity', activityOf(rt, role.id)));
    if (!(role.id in cache.submitted) || cache.submitted[role.id] !== team.submitted) { put(channel, 'submitted', doc('submitted', team.submitted)); cache.submitted[role.id] = team.submitted; }
    if (chatChanged) put(channel, 'chat', doc('chat', rt.chat.filter((m) => chatVisibleTo(rt, m, { role: role.id, facilitator: false })).slice(-200)));
  }

  if (!options.desk) return;
  const desk = s.desk.get('desk')!;
  if (cache.deskState !== rt.state) { put(desk, 'state', doc('deskState', rt.state)); cache.deskState = rt.state; }
  const sources = orderSources(rt, now);
  const lastSources = rt.quarters[rt.quarters.length - 1]?.sources ?? null;
  put(desk, 'teams', doc('deskTeams', Object.fromEntries(rules.roles.map((r) => {
    const t = rt.teams[r.id];
    return [r.id, { draft: t.draft, draftBy: t.draftBy, submitted: t.submitted, submittedBy: t.submittedBy, ready: t.ready, botForced: t.botForced, emptySince: t.emptySince, bot: botPlays(rt, r.id, now), lead: t.lead, resolvesAs: sources[r.id], lastResolvedAs: lastSources?.[r.id] ?? null, activity: activityOf(rt, r.id) }];
  }))));
  if (cache.deskChatLength !== rt.chat.length) { put(desk, 'chat', doc('deskChat', rt.chat.filter((m) => chatVisibleTo(rt, m, { role: null, facilitator: true })).slice(-500))); cache.deskChatLength = rt.chat.length; }
  put(desk, 'people', doc('deskPeople', [...rt.people.values()].filter((p) => !p.removed).map((p) => ({ id: p.id, name: p.name, role: p.role, spectator: p.spectator, connected: p.connected, agent: p.agent, muted: p.muted, waiting: waitingOf(p) }))));
  put(desk, 'room', doc('deskRoom', {
    lessonMinutes: rt.settings.lessonMinutes ?? 0, startedAt: rt.startedAt ? Date.parse(rt.startedAt) : 0,
    turns: rules.calendar.turns, maxTurns: fileTurns(rules), timers: rt.settings.timers,
    approval: rt.moderation.approval, locked: rt.moderation.locked,
    waiting: waitingList(rt).map((p) => p.id), queue: queue(rt).map((p) => p.id),
    seats: Object.fromEntries(rules.roles.map((r) => [r.id, seatsFor(rt, r.id)])),
  }));
}

const waitingOf = (p: Person): 'approval' | 'queue' | '' => (p.waiting ? 'approval' : p.queued && p.role === null ? 'queue' : '');

const nameOf = (rt: Match, id: string): string => (id === 'bot' ? 'Bot' : id === 'facilitator' ? 'Facilitator' : rt.people.get(id)?.name ?? '?');

/** A team's changes this quarter with names, the last 50 (a draft is saved on every edit). */
function activityOf(rt: Match, roleId: string): TeamActivity[] {
  return rt.teams[roleId].activity.slice(-50).map((a) => ({ ...a, byName: nameOf(rt, a.by), ...(a.lead ? { leadName: nameOf(rt, a.lead) } : {}) }));
}
