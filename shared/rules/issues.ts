// zod issues from the rule-file schema, rewritten as messages a designer can act on.
import type { z } from 'zod';
import { ruleFile } from './schema.ts';
import { suggestCountry } from './countries.ts';
import { closest, listOf, toCamelId } from './suggest.ts';
import { valueAt } from './positions.ts';
import type { DataPath, Finding, PathSegment } from './positions.ts';

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;
interface Def { type: string; innerType?: Schema; in?: Schema; shape?: Record<string, Schema>; element?: Schema; items?: Schema[]; rest?: Schema | null }

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: Schema): Schema {
  let x = s;
  for (;;) {
    const d = defOf(x);
    if (d.innerType && ['default', 'optional', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type)) x = d.innerType;
    else if (d.type === 'pipe' && d.in) x = d.in;
    else return x;
  }
}

/** The schema that describes the value at a data path, if the path follows the schema. */
export function schemaAt(path: DataPath, root: Schema = ruleFile): Schema | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    const d = defOf(unwrap(s));
    if (d.type === 'object') s = d.shape?.[String(seg)];
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'tuple') s = typeof seg === 'number' ? d.items?.[seg] ?? d.rest ?? undefined : undefined;
    else return undefined;
  }
  return s;
}

/** The keys an object in the rule file may have (for "did you mean" and "allowed keys"). */
export function keysAt(path: DataPath): string[] {
  const s = schemaAt(path);
  if (!s) return [];
  const d = defOf(unwrap(s));
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

/** The description a field carries in the schema (also shown by editors), if any. */
export function describeField(path: DataPath): string | undefined {
  const s = schemaAt(path);
  if (!s) return undefined;
  const own = (s as { description?: string }).description;
  return own ?? (unwrap(s) as { description?: string }).description;
}

function isTuple(path: DataPath): boolean {
  const s = schemaAt(path);
  return !!s && defOf(unwrap(s)).type === 'tuple';
}

/** A value as a designer wrote it: `"twelve"`, `12`, `true`, `a list`, `a map`, `nothing`. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length ? 'a list' : 'an empty list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

const KIND_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list (lines starting with "- ", or [a, b])',
  tuple: 'a list (lines starting with "- ", or [a, b])',
  object: 'a map (key: value lines, or { key: value })',
};

function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>, value: unknown, path: DataPath): string {
  const want = KIND_NAMES[issue.expected] ?? issue.expected;
  if (issue.expected === 'int' && typeof value === 'number') return `must be a whole number, not ${value}`;
  if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `must be text, not ${showValue(value)} (put it in quotes: "${String(value)}")`;
  }
  if (issue.expected === 'number' && typeof value === 'string') {
    const percent = /%\s*$/.test(value);
    const n = Number(value.replace(/[%,_$\s]/g, '')) / (percent ? 100 : 1);
    const hint = value.trim() === '' || !Number.isFinite(n) ? '' : percent ? ` (write a share as a plain number: ${n})` : ` (write it without quotes or units: ${n})`;
    return `must be a number, not ${showValue(value)}${hint}`;
  }
  if (issue.expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return `must be true or false, not ${showValue(value)} (YAML 1.2 reads ${value} as text)`;
  }
  if (value === null) return `must be ${want}, but it is empty`;
  if ((issue.expected === 'array' || issue.expected === 'tuple') && !isTuple(path) && value && typeof value === 'object') {
    return 'must be a list, not a map: start each item with "- ", or wrap a single { ... } item in [ ]';
  }
  const form = isTuple(path) ? /^\[[^\]]*\]/.exec(describeField(path) ?? '')?.[0] : undefined;
  return `must be ${form ? `a list ${form}` : want}, not ${showValue(value)}`;
}

function rangeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, value: unknown, path: DataPath): string {
  const custom = !/^(Too small|Too big)/.test(issue.message);
  const small = issue.code === 'too_small';
  const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
  if (issue.origin === 'array') {
    const n = Array.isArray(value) ? value.length : 0;
    if (isTuple(path)) {
      const form = /^\[[^\]]*\]/.exec(describeField(path) ?? '')?.[0];
      const size = defOf(unwrap(schemaAt(path)!)).items?.length ?? bound;
      return `must be a list of ${size} numbers${form ? `, ${form}` : ''}; this one has ${n}`;
    }
    if (custom) return issue.message;
    return small ? `needs at least ${bound} item${bound === 1 ? '' : 's'} (has ${n})` : `may have at most ${bound} items (has ${n})`;
  }
  if (issue.origin === 'string') return custom ? issue.message : small ? `must have at least ${bound} characters` : `must have at most ${bound} characters`;
  const got = typeof value === 'number' ? ` (it is ${value})` : '';
  if (custom) return `${issue.message}${got}`;
  const incl = issue.inclusive !== false;
  if (small) return `must be ${incl ? 'at least' : 'more than'} ${bound}${got}`;
  return `must be ${incl ? 'at most' : 'less than'} ${bound}${got}`;
}

function formatMessage(issue: Extract<Issue, { code: 'invalid_format' }>, value: unknown, path: DataPath): string {
  const shown = showValue(value);
  const field = path[path.length - 1];
  if (path.includes('countries') && typeof value === 'string') {
    const c = suggestCountry(value);
    return `${shown} is not an ISO 3166-1 alpha-3 country code${c ? `; did you mean ${c.alpha3} (${c.name})?` : ' (three capital letters, like USA or DEU)'}`;
  }
  if (typeof value === 'string' && (field === 'id' || ['role', 'lever', 'region'].includes(String(field)) || typeof field === 'number')) {
    return `${shown} is not a valid id: ids are camelCase letters and digits starting with a lower-case letter; try "${toCamelId(value)}"`;
  }
  return `${issue.message}, not ${shown}`;
}

function enumMessage(issue: Extract<Issue, { code: 'invalid_value' }>, value: unknown): string {
  const options = issue.values.map(String);
  if (typeof value === 'string') {
    const guess = closest(value, options);
    if (guess) return `unknown value ${showValue(value)}; did you mean "${guess}"?`;
  }
  if (options.length === 1) return `must be ${JSON.stringify(issue.values[0])}, not ${showValue(value)}`;
  return `must be one of ${listOf(options, 20)}, not ${showValue(value)}`;
}

function unionMessage(value: unknown, path: DataPath): string {
  const field = String(path[path.length - 1]);
  const what = field === 'equals' || field === 'set' || field === 'value' ? 'a number, text or true/false' : 'one of the allowed forms';
  return `must be ${what}, not ${showValue(value)}`;
}

/** Rewrites the schema's issues as findings; misspelt keys are merged with the missing key they meant. */
export function schemaFindings(data: unknown, issues: readonly Issue[]): Finding[] {
  const out: Finding[] = [];
  const missing = new Map<string, Finding>();
  const pathKey = (p: readonly PathSegment[]) => JSON.stringify(p);
  // first pass: missing keys, so unknown keys can say which missing key they probably are
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' || !issue.path.length) continue;
    const parent = issue.path.slice(0, -1) as PathSegment[];
    const key = issue.path[issue.path.length - 1];
    const holder = valueAt(data, parent);
    if (holder && typeof holder === 'object' && !Array.isArray(holder) && !(String(key) in holder)) {
      const what = describeField(issue.path as PathSegment[])?.replace(/\.$/, '');
      const lowered = what && /^[A-Z][a-z]/.test(what) ? what[0].toLowerCase() + what.slice(1) : what;
      missing.set(pathKey(issue.path as PathSegment[]), {
        path: parent,
        message: `missing "${String(key)}"${lowered ? `: ${lowered}` : ''}`,
      });
    }
  }
  const usedMissing = new Set<string>();
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    const value = valueAt(data, path);
    if (missing.has(pathKey(path))) continue;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = keysAt(path);
        for (const key of issue.keys) {
          const guess = closest(key, known);
          const k = guess === null ? '' : pathKey([...path, guess]);
          if (guess !== null && missing.has(k)) {
            usedMissing.add(k);
            out.push({ path: [...path, key], anchor: 'key', message: `unknown key "${key}"; did you mean "${guess}"?` });
          } else if (guess !== null) {
            out.push({ path: [...path, key], anchor: 'key', message: `unknown key "${key}"; did you mean "${guess}"?` });
          } else {
            out.push({ path: [...path, key], anchor: 'key', message: `unknown key "${key}" (allowed here: ${listOf(known, 20)})` });
          }
        }
        break;
      }
      case 'invalid_type':
        out.push({ path, message: typeMessage(issue, value, path) });
        break;
      case 'too_small':
      case 'too_big':
        out.push({ path, message: rangeMessage(issue, value, path) });
        break;
      case 'invalid_format':
        out.push({ path, message: formatMessage(issue, value, path) });
        break;
      case 'invalid_value':
        out.push({ path, message: enumMessage(issue, value) });
        break;
      case 'invalid_union':
        out.push({ path, message: unionMessage(value, path) });
        break;
      case 'not_multiple_of':
        out.push({ path, message: `must be a multiple of ${issue.divisor}, not ${showValue(value)}` });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  for (const [k, f] of missing) if (!usedMissing.has(k)) out.push(f);
  return out;
}
