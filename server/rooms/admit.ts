// Who a joining connection is: the facilitator (by key), a person coming back (by seat token), a watcher, or a new person.
import { joinOptions } from '../../shared/protocol/messages.ts';
import type { JoinErrorCode } from '../../shared/protocol/errors.ts';
import type { SeatKind } from '../../shared/protocol/messages.ts';
import type { LogEntry } from '../../shared/match/log.ts';
import { assignRole, finished, members, seatsFor, type Match } from '../../shared/match/match.ts';
import { isProfane, nameKey } from '../../shared/match/moderation.ts';
import type { MatchHeader } from '../store/types.ts';
import { secretMatches, secretToken, hashSecret, newId } from '../security.ts';

export interface Admission {
  personId: string | null; role: string | null; facilitator: boolean; spectator: boolean; seat: SeatKind; name: string;
  /** a new person's token (given once, in the welcome) and the entry that seats them */
  seatToken: string | null;
  entry: LogEntry | null;
}
export interface JoinRefusal { status: number; code: JoinErrorCode; text: string }

/** What the room counts for the caps on people and on connections per seat (server limits PEOPLE_PER_MATCH, CONNECTIONS_PER_SEAT). */
export interface RoomCounts {
  peoplePerMatch: number;
  connectionsPerSeat: number;
  facilitatorConnections: number;
  /** facilitator connections open now */
  facilitators: number;
  /** watchers (spectator: true) connected now */
  watchers: number;
  /** connections a person has open now */
  openFor(personId: string): number;
}

/** Decides a join from its options; a refusal carries the HTTP-like status and the stable code. */
export function admit(header: MatchHeader, m: Match, rawOptions: unknown, counts: RoomCounts): Admission | JoinRefusal {
  const refuse = (status: number, code: JoinErrorCode, text: string): JoinRefusal => ({ status, code, text });
  const parsed = joinOptions.safeParse(rawOptions ?? {});
  if (!parsed.success) return refuse(400, 'bad-options', `join options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`);
  const options = parsed.data;
  const none = { personId: null, role: null, facilitator: false, spectator: false, seatToken: null, entry: null };
  if (options.facilitatorKey !== undefined) {
    if (!header.facilitatorKeyHash || !secretMatches(options.facilitatorKey, header.facilitatorKeyHash)) return refuse(403, 'wrong-key', 'that facilitator key is not this match\'s');
    // every desk connection receives all the channels: a leaked key must not open them by the hundred
    if (counts.facilitators >= counts.facilitatorConnections) return refuse(409, 'seat-busy', `the facilitator's desk is already open in ${counts.facilitatorConnections} places (tabs or devices); close one and try again`);
    return { ...none, facilitator: true, seat: 'facilitator', name: 'Facilitator' };
  }
  if (options.seatToken !== undefined) {
    const hash = hashSecret(options.seatToken);
    const person = [...m.people.values()].find((p) => p.tokenHash === hash);
    if (!person) return refuse(403, 'unknown-token', 'that seat token is not for a seat in this match');
    if (person.removed) return refuse(403, 'removed', 'the facilitator removed you from this match');
    // a second tab or device is fine; one seat token opening connection after connection (each its own view to send) is not
    if (counts.openFor(person.id) >= counts.connectionsPerSeat) return refuse(409, 'seat-busy', `your seat is already open in ${counts.connectionsPerSeat} places (tabs or devices); close one and try again`);
    return { ...none, personId: person.id, role: person.role, spectator: person.spectator, seat: person.role ? 'player' : 'seated-spectator', name: person.name };
  }
  // agents sit only where the match's creator allowed them (consent), and everyone sees them marked (disclosure)
  if (options.agent && header.settings.agents !== true) return refuse(403, 'agents-off', 'this match does not allow agent seats; its creator can allow them with "agents": true when creating it');
  // each person is a log entry kept in the record and sent to every client: a match holds a class, not a crowd
  const full = m.people.size + counts.watchers >= counts.peoplePerMatch;
  const fullText = `this match already has ${counts.peoplePerMatch} people and watchers, the most one match takes`;
  if (options.spectator) return full ? refuse(409, 'match-full', fullText) : { ...none, spectator: true, seat: 'watcher', name: options.name ?? 'Spectator' };
  if (!options.name) return refuse(400, 'name-needed', 'a name is needed to join (or a seat token to come back)');
  if (finished(m)) return refuse(409, 'match-over', 'this match is over; its record is still available');
  if (full) return refuse(409, 'match-full', fullText);
  // a removal sticks to the browser: a new name from it does not get back in without the facilitator
  const deviceHash = options.device !== undefined ? hashSecret(options.device) : undefined;
  if (deviceHash && [...m.people.values()].some((p) => p.removed && p.deviceHash === deviceHash)) return refuse(403, 'removed', 'the facilitator removed you from this match; ask them to let you back in');
  if (m.moderation.locked) return refuse(403, 'locked', 'the facilitator has locked this match to newcomers; ask them to open it');
  if (isProfane(options.name)) return refuse(400, 'name-refused', 'please choose another name');
  const key = nameKey(options.name);
  if ([...m.people.values()].some((p) => !p.removed && nameKey(p.name) === key)) return refuse(409, 'name-taken', `someone here is already called "${options.name}"; add an initial or choose another name`);
  // once the match has started, a newcomer joins the smallest team (a class's late arrivals even the teams out)
  const { role: given, error } = assignRole(m, m.started ? lateWish(m, options.role) : options.role);
  if (error) return refuse(error.code === 'no-such-role' ? 400 : 409, error.code, error.message);
  // joining needs the facilitator's approval: seated without a role, on the desk's waiting list, until let in
  const waiting = m.moderation.approval && !options.agent;
  const role = waiting ? null : given;
  const seatToken = secretToken();
  const personId = newId();
  return {
    personId, role, facilitator: false, spectator: role === null, seat: role ? 'player' : 'seated-spectator', name: options.name, seatToken,
    entry: { kind: 'person', personId, name: options.name, role, spectator: role === null, tokenHash: hashSecret(seatToken), ...(deviceHash ? { deviceHash } : {}), ...(options.agent ? { agent: true } : {}), ...(waiting ? { waiting: true, ...(options.role ? { wanted: options.role } : {}) } : {}) },
  };
}

/** A late joiner's wish counts when that team is among the smallest with room; otherwise they join the smallest. */
function lateWish(m: Match, wanted: string | undefined): string | undefined {
  if (wanted === undefined || !m.rules.roles.some((r) => r.id === wanted)) return wanted;
  const open = m.rules.roles.map((r) => r.id).filter((id) => members(m, id).length < seatsFor(m, id));
  if (!open.length) return wanted;
  const smallest = Math.min(...open.map((id) => members(m, id).length));
  return open.includes(wanted) && members(m, wanted).length <= smallest ? wanted : undefined;
}
