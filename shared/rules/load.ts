// Loads rule files from disk. The checking itself is pure and lives in check.ts (browsers import that).
import { readFileSync } from 'node:fs';
import type { RuleFile } from './schema.ts';
import { checkRulesText, RulesError } from './check.ts';

export { checkRulesText, formatProblem, RulesError } from './check.ts';
export type { Problem, RulesCheck } from './check.ts';

/** Reads and checks a rule file; throws RulesError listing every problem when it is not valid. */
export function loadRulesFile(path: string): RuleFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
    throw new RulesError([{ file: path, line: 1, col: 1, path: '(file)', message: `cannot read the rule file: ${why}` }]);
  }
  const { rules, problems } = checkRulesText(text, path);
  if (!rules) throw new RulesError(problems);
  return rules;
}
