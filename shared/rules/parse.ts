// Minimal loader used until the full checker lands: YAML text to a validated rule file.
import { parse } from 'yaml';
import { ruleFile, type RuleFile } from './schema.ts';

export function parseRulesUnchecked(text: string): RuleFile {
  return ruleFile.parse(parse(text));
}
