// A tiny log keeper for tests of the match core: what the room does (decide, append, apply, arm the phase's timer), without the room.
import type { RuleFile } from '../../shared/rules/schema.ts';
import { newMatch } from '../../shared/match/match.ts';
import { apply } from '../../shared/match/apply.ts';
import { decide, phaseTimer, type Actor, type Decision } from '../../shared/match/decide.ts';
import type { LogEntry, StoredEntry } from '../../shared/match/log.ts';
import type { MatchSettings } from '../../shared/match/settings.ts';
import type { ClientAction } from '../../shared/protocol/messages.ts';

/** A match with these people in it, all connected (so no bot takes their seats), at time `t0`. */
export function matchTable(settings: MatchSettings, rules: RuleFile, seed: number, people: LogEntry[], t0: number, maxChatChars = 500) {
  const m = newMatch(settings, rules, seed);
  const log: StoredEntry[] = [];
  const put = (entries: LogEntry[], now = t0): void => {
    for (const entry of entries) {
      const stored = { seq: log.length + 1, at: new Date(now).toISOString(), entry };
      log.push(stored);
      apply(m, stored);
      if (entry.kind === 'start' || entry.kind === 'phase' || entry.kind === 'resolve') put(phaseTimer(m, now), now);
    }
  };
  const act = (actor: Actor, action: ClientAction, now = t0): Decision => {
    const d = decide(m, actor, action, now, { maxChatChars });
    if ('entries' in d) put(d.entries, now);
    return d;
  };
  put(people, t0);
  for (const p of m.people.values()) p.connected = true;
  for (const t of Object.values(m.teams)) t.emptySince = null;
  return { m, log, put, act };
}
