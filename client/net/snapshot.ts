// Turns the synced room state (schema objects holding JSON strings) into plain documents, reusing unchanged ones.
import type { Snapshot, TeamDocs, DeskDocs, RoleSeat, PersonInfo, Phase } from './types.ts';

type MapLike<V> = { forEach(fn: (v: V, k: string) => void): void; get(k: string): V | undefined } | undefined;

const parsed = new Map<string, unknown>();
/** JSON.parse with a small cache: the same string (an unchanged document) gives the same object back. */
function parse<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  const hit = parsed.get(text);
  if (hit !== undefined) return hit as T;
  let value: T;
  try { value = JSON.parse(text) as T; } catch { return fallback; }
  if (parsed.size > 64) parsed.delete(parsed.keys().next().value as string);
  parsed.set(text, value);
  return value;
}

function values<V>(m: MapLike<V>): V[] {
  const out: V[] = [];
  m?.forEach((v) => out.push(v));
  return out;
}

interface RawTeam { role: string; view: string; feed: string; draft: string; draftBy: string; submitted: string; submittedBy: string; lead: string; activity: string; chat: string }
interface RawDesk { state: string; teams: string; chat: string; people: string; room?: string }
interface RawState {
  code: string; mode: string; title: string; rulesName: string; phase: string; turn: number; turns: number; quarter: string;
  paused: boolean; phaseEndsAt: number; phaseRemaining: number; endingId: string;
  roles: MapLike<RoleSeat>; people: MapLike<PersonInfo>; public: string; teams: MapLike<RawTeam>; desk: MapLike<RawDesk>;
}

export function buildSnapshot(raw: unknown, _previous: Snapshot | null): Snapshot {
  const s = raw as RawState;
  const teams: Record<string, TeamDocs> = {};
  s.teams?.forEach((t, role) => {
    teams[role] = {
      role,
      view: parse(t.view, null),
      feed: parse(t.feed, []),
      draft: parse(t.draft, null),
      draftBy: t.draftBy ?? '',
      submitted: parse(t.submitted, null),
      submittedBy: t.submittedBy ?? '',
      lead: t.lead ?? '',
      activity: parse(t.activity, []),
      chat: parse(t.chat, []),
    };
  });
  const d = s.desk?.get('desk');
  const desk: DeskDocs | null = d ? {
    state: parse(d.state, null), teams: parse(d.teams, {}), chat: parse(d.chat, []), people: parse(d.people, []), room: parse(d.room ?? '', null),
  } : null;
  return {
    code: s.code,
    mode: s.mode === 'class' ? 'class' : 'online',
    title: s.title,
    rulesName: s.rulesName,
    phase: (s.phase || 'lobby') as Phase,
    turn: s.turn ?? 0,
    turns: s.turns ?? 0,
    quarter: s.quarter ?? '',
    paused: !!s.paused,
    phaseEndsAt: s.phaseEndsAt ?? 0,
    phaseRemaining: s.phaseRemaining ?? 0,
    endingId: s.endingId ?? '',
    roles: values(s.roles).map((r) => ({
      id: r.id, name: r.name, side: r.side, kind: r.kind, seats: r.seats, people: r.people, connected: r.connected,
      bot: r.bot, botPersonality: r.botPersonality, ready: r.ready, submitted: r.submitted, drafting: r.drafting,
    })),
    people: values(s.people).map((p) => ({ id: p.id, name: p.name, role: p.role, spectator: p.spectator, connected: p.connected, agent: !!p.agent, waiting: p.waiting ?? '' })),
    publicDoc: parse(s.public, null),
    teams,
    desk,
  };
}
