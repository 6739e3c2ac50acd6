// Rewind and fork: the log a fork starts with (the original's engine entries up to a quarter), and where it came from.
import type { LogEntry, StoredEntry } from '../match/log.ts';
import type { MatchSettings } from '../match/settings.ts';
import type { ForkedFrom } from '../protocol/match.ts';
import type { Match } from '../match/match.ts';

export type { ForkedFrom } from '../protocol/match.ts';

/** Why a match cannot be forked at that quarter, or null when it can. */
export function forkRefused(m: Match, quarter: number): string | null {
  if (!Number.isInteger(quarter) || quarter < 0) return 'the quarter is a whole number from 0 (the first quarter)';
  const resolved = m.quarters.length;
  if (quarter > resolved) return `the match has resolved ${resolved} quarter${resolved === 1 ? '' : 's'}: fork at quarter 0 to ${resolved}`;
  if (quarter >= m.rules.calendar.turns) return `the match has ${m.rules.calendar.turns} quarters (0 to ${m.rules.calendar.turns - 1})`;
  const at = quarter === 0 ? m.quarters[0]?.before : m.quarters[quarter - 1]?.state;
  if (at?.finished) return 'the match was over by then: fork at an earlier quarter';
  return null;
}

/** Who took a diplomatic step before the fork, as the fork's record shows it. */
export const BEFORE_THE_FORK = 'before the fork';

/**
 * The entries a fork at `quarter` starts with: every proposal, answer, injected event and resolution of the
 * quarters before it, as the original logged them (the fork replays them: nothing is copied from a snapshot),
 * then the lobby, where new people take the seats (and bots the empty ones) before the quarter is played.
 */
export function forkEntries(entries: readonly StoredEntry[], quarter: number): LogEntry[] {
  const out: LogEntry[] = [];
  for (const { entry } of entries) {
    if (entry.kind === 'inject' || entry.kind === 'resolve') {
      if (entry.turn < quarter) out.push(entry);
    } else if (entry.kind === 'propose' || entry.kind === 'respond') {
      // the people of the original are not the fork's: a step is a bot's or was taken before the fork
      if (entry.turn < quarter) out.push({ ...entry, by: entry.by === 'bot' ? 'bot' : BEFORE_THE_FORK });
    }
  }
  out.push({ kind: 'phase', phase: 'lobby', turn: quarter });
  return out;
}

/** The fork's origin: the match it was forked from and the quarter, and that match's own ancestors (nearest first). */
export function forkOrigin(parentCode: string, parentSettings: MatchSettings, quarter: number): ForkedFrom {
  const up = parentSettings.forkedFrom;
  return { match: parentCode, quarter, ancestors: up ? [{ match: up.match, quarter: up.quarter }, ...up.ancestors] : [] };
}
