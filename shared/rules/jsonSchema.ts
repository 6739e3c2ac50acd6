// The JSON Schema editors use to autocomplete and underline rule files, generated from the zod schema.
import { z } from 'zod';
import { ruleFile } from './schema.ts';
import type { RuleFile } from './schema.ts';
import { readableStats, writableStats } from './stats.ts';

type Json = { [key: string]: unknown };

/** Stat names that exist in every rule file (region and role stats depend on the file's ids). */
function fixedStats(which: 'read' | 'write'): string[] {
  const none = { regions: [], roles: [] } as unknown as RuleFile;
  return which === 'read' ? readableStats(none) : writableStats(none);
}

/** Adds the fixed stat names as examples (editors offer them as completions) to every stat field;
 * region.<id>.* and role.<id>.budget depend on the file and are left to the checker. */
function addStatExamples(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) addStatExamples(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Json;
  const props = obj.properties as Json | undefined;
  if (props && props.stat && typeof props.stat === 'object') {
    const stat = props.stat as Json;
    const isEffect = 'multiply' in props;
    stat.examples = fixedStats(isEffect ? 'write' : 'read');
  }
  for (const v of Object.values(obj)) addStatExamples(v);
}

/** The rule file's JSON Schema (draft-07, which every YAML editor plugin reads); defaults are optional keys. */
export function rulesJsonSchema(): Json {
  const generated = z.toJSONSchema(ruleFile, { io: 'input', target: 'draft-07' }) as Json;
  addStatExamples(generated);
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'The 2028 Window rule file',
    description: 'Generated from shared/rules/schema.ts by `npm run rules -- schema`; do not edit by hand. See docs/rules.md.',
    ...rest,
  };
}

/** The exact text of assets/rules/rules.schema.json. */
export function rulesJsonSchemaText(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}
