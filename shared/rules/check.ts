// Checks the text of a rule file. Pure (no file system), so the server and the browser can check
// uploaded files; every problem comes back at once with its line and column. load.ts adds reading files.
import { LineCounter, isAlias, isCollection, isScalar, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import { ruleFile } from './schema.ts';
import type { RuleFile } from './schema.ts';
import { schemaFindings } from './issues.ts';
import { crossReferenceFindings } from './crossrefs/index.ts';
import { offsetOf, readablePath, toPosition } from './positions.ts';
import type { DataPath, Finding } from './positions.ts';
import { shared } from './intern.ts';

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

/** A YAML error rewritten for designers, placed where the slip most likely is. */
function explainYamlError(code: string, message: string, text: string, pos: number): { offset: number; message: string } {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const plain = `${first[0].toLowerCase()}${first.slice(1)}`;
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const nl = text.indexOf('\n', pos);
  const lineEnd = nl < 0 ? text.length : nl;
  const atLineStart = text.slice(lineStart, pos).trim() === '' || text.slice(lineStart, pos).trim() === '-';

  const unclosed = /end with an? ([}\]])/.exec(message);
  if (unclosed) {
    const close = unclosed[1];
    const opening = unclosedBracket(text, pos, close === '}' ? '{' : '[');
    if (opening !== null) {
      return { offset: opening, message: `this ${close === '}' ? '{' : '['} is never closed: end the ${close === '}' ? 'map' : 'list'} with ${close} on the same line, or indent its continuation lines further than the key` };
    }
  }
  if (code === 'MISSING_CHAR' && /quote/.test(message)) {
    const q = /'quote/.test(message) ? "'" : '"';
    const opening = unclosedQuote(text, q);
    if (opening !== null) return { offset: opening, message: `this ${q} is never closed: end the text with ${q}${q === "'" ? " (write '' for an apostrophe inside '...')" : ''}` };
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const line = text.slice(lineStart, lineEnd).trim().replace(/^-\s*/, '');
    if (atLineStart && !/:(\s|$)/.test(line)) {
      return { offset: pos, message: `"${line.slice(0, 40)}" is not a key: value line (is a colon missing, or should it be a comment starting with #?)` };
    }
    if (!atLineStart && /:(\s|$)/.test(text.slice(pos, lineEnd))) {
      return { offset: pos, message: 'this text contains ": ", which YAML reads as another key; put the whole text in quotes ("...")' };
    }
    const deeper = atLineStart ? null : overIndented(text, pos);
    if (deeper) {
      return { offset: deeper.offset, message: `this line is indented more than the line above it${deeper.key ? ` (${deeper.key})` : ''}, so YAML cannot tell where it belongs; keys of one map must line up` };
    }
  }
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^\s:#]+/.exec(text.slice(pos))?.[0] ?? '';
      return { offset: pos, message: `duplicate key${key ? ` "${key}"` : ''}: a key may appear only once in a map` };
    }
    case 'TAB_AS_INDENT':
      return { offset: pos, message: 'tabs cannot indent YAML; use spaces' };
    case 'MULTIPLE_DOCS':
      return { offset: pos, message: 'a rule file is one YAML document; remove the --- line' };
    case 'BAD_INDENT':
      if (/sequence items/.test(message)) return { offset: pos, message: 'this list item and the ones above it do not start at the same column: line up every "- " of one list' };
      if (/mapping items/.test(message)) return { offset: pos, message: 'this key and the keys above it do not start at the same column: line up every key of one map' };
      return { offset: pos, message: `${plain} (check the indentation here)` };
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return { offset: pos, message: `${plain} (check the indentation and brackets around here)` };
    default:
      return { offset: pos, message: plain };
  }
}

/** Where a quoted text that is never closed opens (a quote after a space, [, {, comma or colon). */
function unclosedQuote(text: string, q: string): number | null {
  let open: number | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (open !== null) {
      if (ch === q) {
        if (q === "'" && text[i + 1] === "'") i++;
        else open = null;
      } else if (ch === '\\' && q === '"') i++;
      continue;
    }
    if (ch === '#' && /\s/.test(text[i - 1] ?? '\n')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === q && /[\s[{,:]/.test(text[i - 1] ?? ' ')) open = i;
  }
  return open;
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
  // editors sometimes save one byte-order mark too many; none of them means anything in YAML
  text = text.replace(/^\uFEFF+/, '');
  // brackets thousands deep (most likely one never closed a line) make the parser crawl: say so at once, without parsing
  const deep = tooDeep(text);
  if (deep) {
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < deep.offset; i = text.indexOf('\n', i + 1)) line++;
    const col = deep.offset - (text.lastIndexOf('\n', deep.offset - 1) + 1) + 1;
    return { rules: null, problems: [{ file, line, col, path: '(yaml)', message: deep.message }] };
  }
  try {
    return checkParsed(text, file);
  } catch (err) {
    // the YAML parser and the schema recurse; a file nested thousands deep some other way exhausts the stack
    if (err instanceof RangeError) return { rules: null, problems: [{ file, line: 1, col: 1, path: '(yaml)', message: `the file nests lists or maps too deep to read (a rule file needs only a few levels; is a bracket or "- " repeated?)` }] };
    throw err;
  }
}

/** Deepest nesting a rule file may use; the shipped ones need fewer than ten levels. */
const MAX_NESTING = 64;
/** YAML errors explained one by one; past these, the rest are only counted (each explanation looks around the text). */
const MAX_EXPLAINED = 40;
/** aliases without an anchor reported one by one */
const MAX_ALIAS_REPORTS = 8;

/**
 * One linear pass over the text: flow brackets ([ {) and compact "- " items deeper than MAX_NESTING, outside quotes
 * and comments. Points at the outermost bracket still open then: most likely the one never closed.
 */
function tooDeep(text: string): { offset: number; message: string } | null {
  const open: number[] = [];
  let quote: string | null = null;
  let lineStart = true;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') { lineStart = true; dashes = 0; if (quote === "'") quote = null; continue; }
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    const before = text[i - 1] ?? ' ';
    if (lineStart) {
      if (ch === '-' && /\s/.test(text[i + 1] ?? ' ')) {
        if (++dashes > MAX_NESTING) return { offset: i, message: `"- " items nest more than ${MAX_NESTING} deep on this line; a rule file needs only a few levels` };
        continue;
      }
      if (ch !== ' ') lineStart = false;
    }
    if ((ch === '"' || ch === "'") && /[\s[{,:]/.test(before)) quote = ch;
    else if (ch === '#' && /\s/.test(before)) { while (i + 1 < text.length && text[i + 1] !== '\n') i++; }
    else if (ch === '[' || ch === '{') {
      open.push(i);
      if (open.length > MAX_NESTING) {
        const first = open[0];
        return { offset: first, message: `brackets nest more than ${MAX_NESTING} deep from this ${text[first]}, which is most likely never closed: end the ${text[first] === '{' ? 'map with }' : 'list with ]'} on the same line (a rule file needs only a few levels)` };
      }
    } else if ((ch === ']' || ch === '}') && open.length) open.pop();
  }
  return null;
}

function checkParsed(text: string, file: string): RulesCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true }) as Document;
  const problems: Problem[] = [];
  const at = (offset: number, path: string, message: string) => {
    const pos = toPosition(lineCounter, offset);
    problems.push({ file, line: pos.line, col: pos.col, path, message });
  };

  let fatal = false;
  // a slip early in the file makes the parser stumble over every token after it: report the first
  // stumble and how many followed, not thousands of lines
  let stumbles = 0;
  let firstStumble: Problem | null = null;
  const topText = isScalar(doc.contents) && doc.errors.length ? doc.contents : null;
  if (topText) {
    const shown = String(topText.source ?? topText.value ?? '').split('\n')[0].slice(0, 40);
    at(topText.range?.[0] ?? 0, '(yaml)', `"${shown}" is not a key: value line, so YAML reads the whole file as one text; comment it out with # or fix the line`);
  }
  const linesWithProblems = new Set<number>();
  let explainedCount = 0;
  let unexplained = 0;
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (!RECOVERABLE.has(e.code) && e.name === 'YAMLParseError') fatal = true;
    if (e.code === 'UNEXPECTED_TOKEN') {
      if (stumbles++ > 0 || topText) continue;
    }
    if (explainedCount >= MAX_EXPLAINED) { unexplained++; continue; }
    explainedCount++;
    const explained = explainYamlError(e.code, e.message, text, e.pos[0]);
    const where = toPosition(lineCounter, explained.offset);
    // one slip trips several errors on the same line; the first says it best
    if (linesWithProblems.has(where.line)) continue;
    linesWithProblems.add(where.line);
    at(explained.offset, '(yaml)', explained.message);
    if (e.code === 'UNEXPECTED_TOKEN') firstStumble = problems[problems.length - 1];
  }
  // past a handful, more syntax errors are echoes of the first ones
  const MAX_SYNTAX = 8;
  if (problems.length > MAX_SYNTAX || (unexplained && problems.length)) {
    const sorted = sortProblems(problems.splice(0));
    problems.push(...sorted.slice(0, MAX_SYNTAX));
    const last = problems[problems.length - 1];
    last.message += ` (and ${sorted.length - problems.length + unexplained} more YAML errors after this line; fix these first and check again)`;
  }
  if (firstStumble && stumbles > 1) firstStumble.message += ` (and ${stumbles - 1} more unexpected tokens after it, most likely from the same slip)`;
  else if (topText && stumbles > 0) problems[0].message += ` (${stumbles} unexpected tokens follow from it)`;
  // an alias names the nearest anchor before it: collected in one pass (resolving each alias alone rescans the document)
  const anchors = new Set<string>();
  let missingAnchors = 0;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      if (anchors.has(node.source)) return;
      fatal = true;
      if (++missingAnchors <= MAX_ALIAS_REPORTS) at(node.range?.[0] ?? 0, '(yaml)', `the alias *${node.source} has no anchor &${node.source} before it`);
    } else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.add(node.anchor);
  });
  if (missingAnchors > MAX_ALIAS_REPORTS) problems[problems.length - 1].message += ` (and ${missingAnchors - MAX_ALIAS_REPORTS} more aliases without an anchor)`;
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
  return { rules: sorted.length === 0 && parsed.success ? interned(parsed.data) : null, problems: sorted };
}

/**
 * The rules with every short string (ids, stat paths, tiers, kinds) swapped for V8's one shared copy of it. The YAML
 * parser hands out strings of its own, and the engine looks up and compares by these ids all the time: with a shared
 * copy a lookup is a pointer compare, with a parser's string every use hashes and searches the string table again
 * (the simulator runs about a tenth faster). The values are the same strings; only their storage changes.
 */
function interned<T>(data: T): T {
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        if (typeof v === 'string') { if (v.length <= 64) x[i] = shared(v); } else if (v !== null && typeof v === 'object') walk(v);
      }
    } else if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (typeof v === 'string') { if (v.length <= 64) o[k] = shared(v); } else if (v !== null && typeof v === 'object') walk(v);
      }
    }
  };
  walk(data);
  return data;
}

