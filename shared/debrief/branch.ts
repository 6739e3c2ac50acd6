// A branch of a match: its log replayed through the one `apply`, with one team's order in one quarter replaced.
import type { RuleFile } from '../rules/schema.ts';
import type { Order } from '../engine/state.ts';
import type { LogEntry, StoredEntry } from '../match/log.ts';
import type { MatchSettings } from '../match/settings.ts';
import { newMatch, type Match } from '../match/match.ts';
import { apply, MatchLogError } from '../match/apply.ts';

/** One replaced order: `role`'s order for the quarter resolved at `turn`. */
export interface OrderChange { turn: number; role: string; order: Order }

export interface Branch {
  /** the branch; replayed from the changed quarter on, so its people, chat and earlier quarters are not in it: read its state */
  match: Match;
  /** diplomatic steps of the original the branch could no longer take (a proposal its state refuses, an answer to it) */
  skipped: number;
  /** quarters the original never played, resolved with every team repeating its last order (the engine's fallback) */
  extrapolated: number;
}

/** The entries that change the match's state (people, chat, drafts, phases and timers never do). */
const ENGINE_KINDS = new Set<LogEntry['kind']>(['propose', 'respond', 'inject', 'resolve', 'end']);

export function engineEntries(entries: readonly StoredEntry[]): StoredEntry[] {
  return entries.filter((e) => ENGINE_KINDS.has(e.entry.kind));
}

/** A match ready to branch: its engine entries and the original replayed once. */
export interface Source {
  rules: RuleFile;
  settings: MatchSettings;
  seed: number;
  /** the entries that change the state, in order */
  log: StoredEntry[];
  /** the original, replayed, with every quarter's states */
  original: Match;
  /** the original finished by itself (its last quarter or a catastrophe), not by a facilitator's end */
  endedByItself: boolean;
}

export function prepare(rules: RuleFile, settings: MatchSettings, seed: number, entries: readonly StoredEntry[]): Source {
  const log = engineEntries(entries);
  const original = newMatch(settings, rules, seed);
  let endedByItself = false;
  for (const e of log) {
    if (e.entry.kind === 'end' && original.state.finished) { endedByItself = true; break; }
    apply(original, e);
    if (e.entry.kind === 'end') break;
  }
  if (original.state.finished && !log.some((e) => e.entry.kind === 'end')) endedByItself = true;
  return { rules, settings, seed, log, original, endedByItself };
}

/**
 * Replays the log with `change` applied. Up to the changed quarter this is the original, entry for entry; from
 * there on every other recorded order, diplomatic step and injected event is kept, the dice are the same (the
 * engine draws them from the seed and the quarter), and what the changed world no longer allows is skipped:
 * a proposal its state refuses and the answer to it; quarters after a catastrophe the branch avoids are played
 * with every team repeating its last order; a facilitator's early end comes after the same quarter.
 * With no change, this is the original match (its state only: people, chat and phases are left out).
 */
export function replayBranch(src: Source, change?: OrderChange): Branch {
  const { rules, settings, seed, log } = src;
  const m = newMatch(settings, rules, seed);
  // up to the changed quarter's resolution the branch is the original: it starts from the state that resolution
  // started from (the engine never changes a state it is given, so the original's may be shared), not from scratch
  let from = 0;
  const quarter = change && src.original.quarters.find((q) => q.turn === change.turn);
  if (quarter?.before) {
    from = log.findIndex((s) => s.entry.kind === 'resolve' && s.entry.turn === change!.turn);
    m.state = quarter.before;
    m.started = true;
  }
  // the original's proposal keys, in order: a branch that skips a proposal numbers the later ones differently
  const keyOf = new Map<number, number>();
  let originalKey = m.state.nextProposalKey;
  let skipped = 0;
  let diverged = false;
  for (let i = from; i < log.length; i++) {
    const stored = log[i];
    const e = stored.entry;
    if (e.kind === 'end') {
      // a facilitator's end after the original had finished is only its record: the branch ends by itself
      if (!src.endedByItself && !m.state.finished) apply(m, stored);
      break;
    }
    if (m.state.finished) continue;
    let entry: LogEntry = e;
    if (e.kind === 'propose') {
      const key = originalKey++;
      const next = m.state.nextProposalKey;
      if (tryApply(m, stored)) keyOf.set(key, next);
      else skipped++;
      continue;
    }
    if (e.kind === 'respond') {
      const key = keyOf.get(e.key);
      if (key === undefined) { skipped++; continue; }
      if (key !== e.key) entry = { ...e, key };
    }
    if (e.kind === 'resolve' && change && e.turn === change.turn) {
      entry = { ...e, orders: { ...e.orders, [change.role]: change.order } };
      diverged = true;
    }
    if (!tryApply(m, entry === e ? stored : { ...stored, entry })) {
      if (!diverged || e.kind === 'resolve') throw new MatchLogError(stored.seq, 'the log does not replay');
      skipped++;
    }
  }
  let extrapolated = 0;
  let seq = log[log.length - 1]?.seq ?? 0;
  while (src.endedByItself && !m.state.finished) {
    apply(m, { seq: ++seq, at: '', entry: { kind: 'resolve', turn: m.state.turn, orders: {} } });
    extrapolated++;
  }
  return { match: m, skipped, extrapolated };
}

function tryApply(m: Match, stored: StoredEntry): boolean {
  try {
    apply(m, stored);
    return true;
  } catch (err) {
    if (err instanceof MatchLogError) return false;
    throw err;
  }
}
