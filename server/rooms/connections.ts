// Who is connected to a room: each client's seat, its view of the synced state, its message allowance; and presence in the match.
import type { Client } from '@colyseus/core';
import { StateView } from '@colyseus/schema';
import { TEAM_MEMBER, type MatchRoomStateT } from '../../shared/protocol/state.ts';
import type { SeatKind } from '../../shared/protocol/messages.ts';
import { members, type Match } from '../../shared/match/match.ts';
import type { Limits } from '../context.ts';

/** What the room knows of one connection (client.userData). */
export interface Who {
  personId: string | null;
  role: string | null;
  facilitator: boolean;
  spectator: boolean;
  seat: SeatKind;
  /** token bucket for the soft rate limit (a watcher's and the facilitator's own; a person's is shared by their connections) */
  tokens: number;
  refilledAt: number;
  /** the address it connected from (server/rooms/addresses.ts) */
  address?: string;
}

interface Bucket { tokens: number; refilledAt: number }

export class Connections {
  private readonly match: Match;
  private readonly clientsByPerson = new Map<string, Set<Client>>();
  /** the desk is projected only while one of these is connected */
  readonly facilitators = new Set<Client>();
  /** each person's message allowance, whichever of their connections sends: six tabs do not get six allowances */
  private readonly buckets = new Map<string, Bucket>();

  constructor(match: Match, now: number) {
    this.match = match;
    // nobody is connected to a room that just opened: bot take-over counts from now
    for (const team of Object.values(match.teams)) team.emptySince = now;
  }

  /** Gives a client the view its seat allows: its own team's channel, or everything for the facilitator. */
  attach(client: Client, state: MatchRoomStateT): void {
    const who = client.userData as Who;
    const view = new StateView();
    if (who.facilitator) {
      for (const team of state.teams.values()) view.add(team);
      view.add(state.desk.get('desk')!);
    } else if (who.role) {
      view.add(state.teams.get(who.role)!, TEAM_MEMBER);
    } else {
      // a watcher: adding the (public) roles makes the root visible to its view, as adding a team does for a member,
      // so the team and desk maps arrive as empty maps (their entries stay filtered), never as undefined fields
      view.add(state.roles);
    }
    client.view = view;
    if (who.facilitator) this.facilitators.add(client);
    if (who.personId) {
      if (!this.clientsByPerson.has(who.personId)) this.clientsByPerson.set(who.personId, new Set());
      this.clientsByPerson.get(who.personId)!.add(client);
    }
  }

  detach(client: Client): void {
    const who = client.userData as Who | undefined;
    this.facilitators.delete(client);
    if (who?.personId) this.clientsByPerson.get(who.personId)?.delete(client);
  }

  /** Marks a person connected or not (still connected while another of their clients is), and their team's empty time. */
  connected(personId: string | null, connected: boolean, now: number): void {
    if (!personId) return;
    const person = this.match.people.get(personId);
    if (!person) return;
    person.connected = connected || (this.clientsByPerson.get(personId)?.size ?? 0) > 0;
    if (person.role) {
      const team = this.match.teams[person.role];
      team.emptySince = members(this.match, person.role).some((p) => p.connected) ? null : (team.emptySince ?? now);
    }
  }

  /** After a move, a person's clients see their new team's channel instead of the old one. */
  reseat(personId: string, state: MatchRoomStateT): void {
    const person = this.match.people.get(personId);
    if (!person) return;
    for (const c of this.clientsByPerson.get(personId) ?? []) {
      const who = c.userData as Who;
      who.role = person.role;
      who.spectator = person.spectator;
      who.seat = person.role ? 'player' : 'seated-spectator';
      this.attach(c, state);
    }
  }

  closeAll(personId: string, code: number, reason: string): void {
    for (const c of this.clientsByPerson.get(personId) ?? []) c.leave(code, reason);
  }

  /** Connections a person has open in this room now. */
  openFor(personId: string): number {
    return this.clientsByPerson.get(personId)?.size ?? 0;
  }

  /** The soft rate limit: a token bucket of MESSAGE_BURST refilled at MESSAGES_PER_SECOND, per person (seat token). */
  takeToken(who: Who, limits: Pick<Limits, 'messagesPerSecond' | 'messageBurst'>, now: number): boolean {
    let bucket: Bucket = who;
    if (who.personId) {
      bucket = this.buckets.get(who.personId) ?? { tokens: limits.messageBurst, refilledAt: now };
      this.buckets.set(who.personId, bucket);
    }
    bucket.tokens = Math.min(limits.messageBurst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * limits.messagesPerSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** The TCP sockets under the clients' WebSockets (ws keeps it as `_socket`), corked; a client on another transport is left alone. */
  corkAll(clients: Iterable<Client>): { uncork(): void }[] {
    const sockets: { cork(): void; uncork(): void }[] = [];
    for (const c of clients) {
      const socket = (c as unknown as { ref?: { _socket?: { cork?: () => void; uncork?: () => void; destroyed?: boolean } } }).ref?._socket;
      if (socket && typeof socket.cork === 'function' && typeof socket.uncork === 'function' && !socket.destroyed) {
        socket.cork();
        sockets.push(socket as { cork(): void; uncork(): void });
      }
    }
    return sockets;
  }
}
