// A match's rules, parsed from its stored rule file once per distinct file and shared (read-only) by every
// room, look-up and record of the matches that use it: checking a file costs ~30 ms and ~100 KB a copy.
import { checkRulesText, RulesError } from '../shared/rules/check.ts';
import type { RuleFile } from '../shared/rules/schema.ts';
import { ruleIndex } from '../shared/engine/ruleIndex.ts';
import type { MatchHeader } from './store/types.ts';

const parsed = new Map<string, RuleFile>();
const KEEP = 50;

/** The rules a match was created with; throws RulesError if its stored text no longer checks. */
export function rulesOfMatch(header: Pick<MatchHeader, 'rulesText' | 'settings'>): RuleFile {
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
