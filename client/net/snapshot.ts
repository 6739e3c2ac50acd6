// Turns the synced room state (schema objects: entries and documents in parts) into plain documents, reusing unchanged ones.
import type { Snapshot, RoleSeat, PersonInfo, Phase } from './types.ts';
import { readDocuments, type RawRoomState } from '../../shared/protocol/read-state.ts';

type MapLike<V> = { forEach(fn: (v: V, k: string) => void): void; get(k: string): V | undefined } | undefined;

function values<V>(m: MapLike<V>): V[] {
  const out: V[] = [];
  m?.forEach((v) => out.push(v));
  return out;
}

interface RawState extends RawRoomState {
  code: string; mode: string; title: string; rulesName: string; phase: string; turn: number; turns: number; quarter: string;
  paused: boolean; phaseEndsAt: number; phaseRemaining: number; endingId: string;
  roles: MapLike<RoleSeat>; people: MapLike<PersonInfo>;
}

export function buildSnapshot(raw: unknown, _previous: Snapshot | null): Snapshot {
  const s = raw as RawState;
  const { publicDoc, teams, desk } = readDocuments(s);
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
    publicDoc,
    teams,
    desk,
  };
}
