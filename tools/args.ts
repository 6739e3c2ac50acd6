// The one way the designer tools and benchmarks read their flags: node:util parseArgs, with errors
// that name the flag and suggest the nearest one, and number checks that say what was wrong.
import { parseArgs } from 'node:util';
import { hint, UsageError } from '../shared/sim/seating.ts';

export { UsageError };

/** `multiple`: the flag may be given more than once (its value is then the list, in order). */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

type Values<T extends FlagSpec> = { [K in keyof T]?: T[K]['multiple'] extends true ? string[] : T[K]['type'] extends 'string' ? string : boolean };

/** Reads `argv` against the flags in `spec` (strict: unknown flags, missing values and repeated flags are
 *  UsageErrors). Positionals are refused unless `positionals` is true. */
export function readFlags<T extends FlagSpec>(argv: string[], spec: T, positionals = false): { values: Values<T>; positionals: string[] } {
  const names = Object.keys(spec).map((k) => `--${k}`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: positionals, tokens: true });
  } catch (err) {
    throw new UsageError(describeParseError(err, names, spec));
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name) && !spec[t.name]?.multiple) throw new UsageError(`--${t.name} is given twice`);
    seen.add(t.name);
  }
  return { values: parsed.values as Values<T>, positionals: parsed.positionals };
}

function describeParseError(err: unknown, names: string[], spec: FlagSpec): string {
  const e = err as { code?: string; message?: string };
  const msg = e.message ?? String(err);
  const quoted = /'(-[^' ]*)/.exec(msg)?.[1] ?? '';
  const flag = quoted.replace(/=.*$/, '');
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}${flag.startsWith('--') ? hint(flag, names) : ''}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = flag.replace(/^--?/, '');
      if (spec[name]?.type === 'boolean') return `${flag} takes no value`;
      return `${flag} needs a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']*)'/.exec(msg)?.[1] ?? '';
      return `unexpected argument "${arg}" (options start with --; see --help)`;
    }
    default:
      return msg;
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** A whole number from min to max (underscores allowed as separators), or a UsageError naming the flag. */
export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const t = text.trim().replace(/_/g, '');
  if (!/^-?\d+$/.test(t)) throw new UsageError(`${flag} must be a whole number, not "${text}"`);
  const n = Number(t);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${fmt(min)} and ${fmt(max)}, not ${text}`);
  return n;
}

/** A finite number in [min, max] (or (min, max] when `above` is set), or a UsageError naming the flag. */
export function realNumber(flag: string, text: string, min: number, max: number, above = false): number {
  const t = text.trim();
  const n = t === '' ? NaN : Number(t);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, not "${text}"`);
  if (n < min || n > max || (above && n === min)) throw new UsageError(`${flag} must be ${above ? 'above' : 'from'} ${fmt(min)} ${above ? 'and at most' : 'to'} ${fmt(max)}, not ${text}`);
  return n;
}

/** One of a fixed list of words, or a UsageError with the nearest. */
export function oneOf<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${flag} must be one of ${choices.join(', ')}, not "${text}"${hint(text, choices)}`);
}
