// The one flag reader of tools/ and bench/: node:util parseArgs with errors a designer can act on.
import { describe, expect, it } from 'vitest';
import { oneOf, readFlags, realNumber, UsageError, wholeNumber } from '../../tools/args.ts';

const SPEC = { matches: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

describe('readFlags', () => {
  it('reads values, inline values and short flags', () => {
    expect(readFlags(['--matches', '5', '--json'], SPEC).values).toEqual({ matches: '5', json: true });
    expect(readFlags(['--matches=7', '-h'], SPEC).values).toEqual({ matches: '7', help: true });
  });

  it('names the wrong flag, with the nearest right one', () => {
    const cases: [string[], string][] = [
      [['--matchs', '5'], 'unknown option --matchs (did you mean --matches?)'],
      [['--matches'], '--matches needs a value'],
      [['--json=yes'], '--json takes no value'],
      [['--json', '--json'], '--json is given twice'],
      [['extra'], 'unexpected argument "extra" (options start with --; see --help)'],
    ];
    for (const [argv, message] of cases) {
      expect(() => readFlags(argv, SPEC)).toThrow(UsageError);
      expect(() => readFlags(argv, SPEC)).toThrow(message);
    }
  });

  it('takes positionals only when asked', () => {
    expect(readFlags(['a.yaml', 'b.yaml'], {}, true).positionals).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe('number checks', () => {
  it('accepts what is in range and explains what is not', () => {
    expect(wholeNumber('--matches', '1_000', 1, 10_000)).toBe(1000);
    expect(() => wholeNumber('--matches', '2.5', 1, 10)).toThrow('--matches must be a whole number, not "2.5"');
    expect(() => wholeNumber('--turns', '12', 1, 9)).toThrow('--turns must be between 1 and 9, not 12');
    expect(realNumber('--drop-rate', '0.25', 0, 1)).toBe(0.25);
    expect(() => realNumber('--seconds', 'abc', 0, 10, true)).toThrow('--seconds must be a number, not "abc"');
    expect(() => realNumber('--seconds', '0', 0, 10, true)).toThrow('--seconds must be above 0');
    expect(oneOf('--level', 'warn', ['warn', 'info'])).toBe('warn');
    expect(() => oneOf('--level', 'wran', ['warn', 'info'])).toThrow('(did you mean warn?)');
  });
});
