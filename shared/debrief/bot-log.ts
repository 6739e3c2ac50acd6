// A whole match played by bots through the match core, as the log a room would have stored (tests, benchmarks, odds).
import type { RuleFile } from '../rules/schema.ts';
import type { Personality } from '../bots/personalities.ts';
import type { LogEntry, StoredEntry } from '../match/log.ts';
import type { MatchSettings } from '../match/settings.ts';
import { newMatch, type Match } from '../match/match.ts';
import { apply } from '../match/apply.ts';
import { advance, consequences } from '../match/decide.ts';

export interface BotLogOptions {
  /** personality per role (status quo for the others) */
  bots?: Record<string, Personality>;
  /** the facilitator ends the match after this many resolved quarters */
  endAfter?: number;
  /** epoch ms of the first entry; each step is one second later (the rules never read it) */
  t0?: number;
}

/** The settings of a match every role of which a bot plays. */
export function botSettings(rules: RuleFile, bots: Record<string, Personality> = {}): MatchSettings {
  const seats: Record<string, number> = {};
  const all: Record<string, Personality> = {};
  for (const r of rules.roles) { seats[r.id] = 0; all[r.id] = bots[r.id] ?? 'status-quo'; }
  return { mode: 'class', visibility: 'private', rulesName: 'test', seats, bots: all, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 }, botTakeoverSeconds: 0 };
}

/** Plays a match to its end with the match core's own advance and consequences; returns the log and the match. */
export function botMatchLog(rules: RuleFile, seed: number, options: BotLogOptions = {}): { settings: MatchSettings; entries: StoredEntry[]; match: Match } {
  const settings = botSettings(rules, options.bots);
  const m = newMatch(settings, rules, seed);
  const entries: StoredEntry[] = [];
  let now = options.t0 ?? Date.UTC(2026, 0, 1);
  const put = (list: LogEntry[]) => {
    for (const entry of list) {
      const stored = { seq: entries.length + 1, at: new Date(now).toISOString(), entry };
      entries.push(stored);
      apply(m, stored);
      put(consequences(m, entry, now));
    }
  };
  while (m.phase !== 'ended') {
    if (options.endAfter !== undefined && m.quarters.length >= options.endAfter && m.phase === 'report') { put([{ kind: 'end', reason: 'the facilitator ended the match' }]); break; }
    const next = advance(m, now);
    if (!next.length) throw new Error(`the match does not move on from ${m.phase}`);
    put(next);
    now += 1000;
  }
  return { settings, entries, match: m };
}
