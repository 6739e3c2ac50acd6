// A match's rules, parsed from its stored rule file once per distinct file and shared (read-only) by every
// room, look-up and record of the matches that use it: checking a file costs ~30 ms and ~100 KB a copy.
import { checkRulesText, RulesError } from '../shared/rules/check.ts';
import type { RuleFile } from '../shared/rules/schema.ts';
import { ruleIndex } from '../shared/engine/ruleIndex.ts';
import type { MatchHeader } from './store/types.ts';
import { withTurns } from '../shared/match/lesson.ts';

const parsed = new Map<string, RuleFile>();
const KEEP = 50;

/** One copy of each rule file's text: every match's header carries it (50–60 KB), 1,250 rooms held 66 MB of copies. */
const texts = new Map<string, string>();

/** The text, as the one copy every room holding a match with this rule file shares. */
export function sharedRulesText(text: string): string {
  const known = texts.get(text);
  if (known !== undefined) return known;
  if (texts.size >= KEEP) texts.delete(texts.keys().next().value!);
  texts.set(text, text);
  return text;
}

/** A shorter lesson's rules (settings.turns), one object per file and length. */
const shortened = new WeakMap<RuleFile, Map<number, RuleFile>>();

/** The rules a match was created with (with fewer quarters for a shorter lesson); throws RulesError if its stored text no longer checks. */
export function rulesOfMatch(header: Pick<MatchHeader, 'rulesText' | 'settings'>): RuleFile {
  const rules = fileRules(header);
  const turns = header.settings?.turns;
  if (turns === undefined || turns >= rules.calendar.turns) return rules;
  let byTurns = shortened.get(rules);
  if (!byTurns) shortened.set(rules, (byTurns = new Map()));
  let short = byTurns.get(turns);
  if (!short) {
    short = withTurns(rules, turns);
    ruleIndex(short);
    byTurns.set(turns, deepFreeze(short));
  }
  return short;
}

function fileRules(header: Pick<MatchHeader, 'rulesText' | 'settings'>): RuleFile {
  const name = header.settings?.rulesName || 'match rules';
  const key = `${name}\0${header.rulesText}`;
  let rules = parsed.get(key);
  if (rules) {
    // most recently used last, so the oldest is the one dropped
    parsed.delete(key);
  } else {
    const checked = checkRulesText(header.rulesText, name);
    if (!checked.rules) throw new RulesError(checked.problems);
    // the engine's look-up index hangs off the rules object: built before the freeze
    ruleIndex(checked.rules);
    rules = deepFreeze(checked.rules);
    if (parsed.size >= KEEP) parsed.delete(parsed.keys().next().value!);
  }
  parsed.set(key, rules);
  return rules;
}

/** Shared rules must not change under another match: a write anywhere throws instead. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
