// Checks the text of a rule file. Pure (no file system), so the server and the browser can check
// uploaded files; every problem comes back at once with its line and column. load.ts adds reading files.
import { LineCounter, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import { ruleFile } from './schema.ts';
import type { RuleFile } from './schema.ts';
import { schemaFindings } from './issues.ts';
import { crossReferenceFindings } from './crossrefs.ts';
import { offsetOf, readablePath, toPosition } from './positions.ts';
import type { DataPath, Finding } from './positions.ts';

/** One thing wrong with a rule file, at a 1-based line and column. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** a readable dotted path such as roles.usLab.levers.training.effect, or (yaml) / (file) */
  path: string;
  message: string;
}

export interface RulesCheck {
  /** the validated rule file (defaults filled in), or null when there is any problem */
  rules: RuleFile | null;
  problems: Problem[];
}

/** `file:line:col  path  message`: the format the CLI prints and editors' problem matchers read. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}  ${p.path}  ${p.message}`;
}

/** Thrown by loadRulesFile; its message is the formatted problem lines. */
export class RulesError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'RulesError';
    this.problems = problems;
  }
}

/** Errors after which the document still has the shape the author meant, so checking can go on. */
const RECOVERABLE = new Set(['DUPLICATE_KEY']);

function yamlMessage(code: string, message: string, text: string, offset: number): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^\s:#]+/.exec(text.slice(offset))?.[0] ?? '';
      return `duplicate key${key ? ` "${key}"` : ''}: a key may appear only once in a map`;
    }
    case 'TAB_AS_INDENT':
      return 'tabs cannot indent YAML; use spaces';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return `${first[0].toLowerCase()}${first.slice(1)} (check the indentation and brackets around here)`;
    case 'MULTIPLE_DOCS':
      return 'a rule file is one YAML document; remove the --- line';
    default:
      return `${first[0].toLowerCase()}${first.slice(1)}`;
  }
}

/** Where the flow collection that was never closed opens: the last unmatched { or [ before `offset`. */
function unclosedBracket(text: string, offset: number, open: '{' | '['): number | null {
  const stack: { ch: string; at: number }[] = [];
  let quote: string | null = null;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\n' && quote === "'") quote = null;
      continue;
    }
    if (ch === '"' || (ch === "'" && /[\s[{,:]/.test(text[i - 1] ?? ' '))) quote = ch;
    else if (ch === '#' && /\s/.test(text[i - 1] ?? '\n')) {
      while (i < offset && text[i] !== '\n') i++;
    } else if (ch === '{' || ch === '[') stack.push({ ch, at: i });
    else if ((ch === '}' || ch === ']') && stack.length) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k].ch === open) return stack[k].at;
  return null;
}

/** When the line after `offset` is indented deeper than the line holding it: that line's first character. */
function overIndented(text: string, offset: number): { offset: number; key: string } | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) return null;
  const line = text.slice(lineStart, lineEnd);
  const indent = line.length - line.trimStart().length;
  let next = lineEnd + 1;
  while (next < text.length) {
    const end = text.indexOf('\n', next);
    const l = text.slice(next, end < 0 ? text.length : end);
    if (l.trim() && !l.trim().startsWith('#')) {
      const nextIndent = l.length - l.trimStart().length;
      if (nextIndent <= indent) return null;
      const key = /^\s*-?\s*([^:\s]+):/.exec(line)?.[1] ?? '';
      return { offset: next + nextIndent, key };
    }
    if (end < 0) break;
    next = end + 1;
  }
  return null;
}

function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .sort((a, b) => a.line - b.line || a.col - b.col || a.path.localeCompare(b.path))
    .filter((p) => {
      const k = formatProblem(p);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/** True when a is b or lies inside it. */
function startsWith(a: DataPath, b: DataPath): boolean {
  return b.length <= a.length && b.every((seg, i) => String(seg) === String(a[i]));
}

/**
 * Checks the text of a rule file: YAML syntax, the schema, then cross-references.
 * Pure: `file` only labels the problems.
 */
export function checkRulesText(text: string, file: string): RulesCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true }) as Document;
  const problems: Problem[] = [];
  const at = (offset: number, path: string, message: string) => {
    const pos = toPosition(lineCounter, offset);
    problems.push({ file, line: pos.line, col: pos.col, path, message });
  };

  let fatal = false;
  const placed = new Set<number>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    // one syntax slip often trips several errors at the same place; the first says it best
    if (placed.has(e.pos[0])) continue;
    placed.add(e.pos[0]);
    const unclosed = /end with an? ([}\]])/.exec(e.message);
    const opening = unclosed ? unclosedBracket(text, e.pos[0], unclosed[1] === '}' ? '{' : '[') : null;
    const deeper = e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY' ? overIndented(text, e.pos[0]) : null;
    if (deeper) {
      at(deeper.offset, '(yaml)', `this line is indented more than the line above it${deeper.key ? ` (${deeper.key})` : ''}, so YAML cannot tell where it belongs; keys of one map must line up`);
    } else if (unclosed && opening !== null) {
      const close = unclosed[1];
      at(opening, '(yaml)', `this ${close === '}' ? '{' : '['} is never closed: end the ${close === '}' ? 'map' : 'list'} with ${close} on the same line, or indent its continuation lines further than the key`);
    } else at(e.pos[0], '(yaml)', yamlMessage(e.code, e.message, text, e.pos[0]));
    if (!RECOVERABLE.has(e.code) && e.name === 'YAMLParseError') fatal = true;
  }
  visit(doc, {
    Alias(_, node) {
      if (!node.resolve(doc)) {
        at(node.range?.[0] ?? 0, '(yaml)', `the alias *${node.source} has no anchor &${node.source} before it`);
        fatal = true;
      }
    },
  });
  if (fatal) return { rules: null, problems: sortProblems(problems) };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    at(0, '(yaml)', `cannot read the YAML: ${err instanceof Error ? err.message : String(err)}`);
    return { rules: null, problems: sortProblems(problems) };
  }
  if (data === null || data === undefined) {
    at(0, '(file)', 'the file is empty; a rule file is a map starting with name:, description:, version:, calendar:, sides:, roles: ...');
    return { rules: null, problems: sortProblems(problems) };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    at(0, '(file)', `a rule file is a map of sections (name:, roles:, regions: ...), not ${Array.isArray(data) ? 'a list' : 'a single value'}`);
    return { rules: null, problems: sortProblems(problems) };
  }

  const place = (f: Finding) => {
    let message = f.message;
    if (f.firstAt) message += ` (first at line ${toPosition(lineCounter, offsetOf(doc, f.firstAt)).line})`;
    at(offsetOf(doc, f.path, f.anchor), readablePath(data, f.path), message);
  };

  const parsed = ruleFile.safeParse(data);
  const fromSchema = parsed.success ? [] : schemaFindings(data, parsed.error.issues);
  for (const f of fromSchema) place(f);
  // a cross-reference finding about something the schema already rejected would only repeat it:
  // skip findings inside a rejected value, and findings about an object with an unknown key
  // (an effect with `ad: 1` is "unknown key ad; did you mean add?", not also "needs add").
  const inside: DataPath[] = [];
  const about: DataPath[] = [];
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const path = issue.path as DataPath;
    if (issue.code === 'unrecognized_keys') {
      about.push(path);
      for (const key of issue.keys) inside.push([...path, key]);
    } else inside.push(path);
  }
  for (const f of crossReferenceFindings(data)) {
    if (inside.some((p) => startsWith(f.path, p))) continue;
    if (about.some((p) => p.length === f.path.length && startsWith(f.path, p))) continue;
    place(f);
  }
  const sorted = sortProblems(problems);
  return { rules: sorted.length === 0 && parsed.success ? parsed.data : null, problems: sorted };
}
