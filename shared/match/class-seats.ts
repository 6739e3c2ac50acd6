// A class's seats: who waits in the queue for a place, who fills a seat that opens, and the moves that even the teams out.
import type { LogEntry } from './log.ts';
import { assignRole, members, seatsFor, type Match, type Person } from './match.ts';

/** People waiting for a seat (every team was full when they joined or were let in), first come first served. */
export function queue(m: Match): Person[] {
  return [...m.people.values()].filter((p) => p.queued && !p.removed && !p.waiting && p.role === null);
}

/** People waiting for the facilitator to let them in, in join order. */
export function waitingList(m: Match): Person[] {
  return [...m.people.values()].filter((p) => p.waiting && !p.removed);
}

/**
 * The first in the queue takes a seat that has opened (a team grew, someone left or was moved out): one entry at a time,
 * so each is decided against the match the one before left (the entry's consequences bring the next).
 */
export function fillFromQueue(m: Match): LogEntry[] {
  const next = queue(m)[0];
  if (!next) return [];
  // the team they asked for (before the start) if it has room, else the emptiest with room
  const wished = next.wanted && !m.started ? assignRole(m, next.wanted).role : null;
  const role = wished ?? assignRole(m, undefined).role;
  return role ? [{ kind: 'seat', personId: next.id, role }] : [];
}

/**
 * The moves that even the teams out: while one team (of those people play) has two more than another with room, its
 * latest joiner moves to the smallest. Leads stay (a team's lead is its first joiner). Then the queue fills open seats.
 */
export function balanceMoves(m: Match): LogEntry[] {
  const roles = m.rules.roles.map((r) => r.id).filter((id) => seatsFor(m, id) > 0);
  const size: Record<string, Person[]> = Object.fromEntries(roles.map((id) => [id, members(m, id).filter((p) => !p.agent)]));
  const count = (id: string) => size[id].length;
  const out: LogEntry[] = [];
  for (let guard = 0; guard < 400; guard++) {
    const big = [...roles].sort((a, b) => count(b) - count(a))[0];
    const open = roles.filter((id) => count(id) < seatsFor(m, id)).sort((a, b) => count(a) - count(b));
    const small = open[0];
    if (!big || !small || count(big) - count(small) < 2) break;
    const mover = [...size[big]].reverse().find((p) => m.teams[big].lead !== p.id);
    if (!mover) break;
    size[big] = size[big].filter((p) => p !== mover);
    size[small].push(mover);
    out.push({ kind: 'seat', personId: mover.id, role: small });
  }
  // the queue takes what is still open, in join order
  const free = roles.flatMap((id) => Array.from({ length: Math.max(0, seatsFor(m, id) - count(id)) }, () => id));
  for (const p of queue(m)) {
    free.sort((a, b) => count(a) - count(b));
    const role = free.shift();
    if (!role) break;
    size[role].push(p);
    out.push({ kind: 'seat', personId: p.id, role });
  }
  return out;
}
