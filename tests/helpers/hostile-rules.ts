// Mutated rule files (fast-check arbitraries) from assets/rules/default.yaml: lines deleted, duplicated, swapped or
// re-indented; numbers, strings and keys changed; garbage, YAML tricks and control characters inserted; truncation.
// Shared by tests/server/fuzz-rules.test.ts and bench/hostile.ts.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { rulesPath } from './rules.ts';

export const BASE = readFileSync(rulesPath('default.yaml'), 'utf8');
export const BASE_LINES = BASE.split('\n');

// ---- mutations --------------------------------------------------------------------------------------------

type Mutation = (lines: string[]) => string[];

const lineIndex = fc.nat({ max: BASE_LINES.length + 20 });
const at = (lines: string[], i: number) => Math.min(i, Math.max(0, lines.length - 1));

const weirdNumber = fc.oneof(
  fc.constantFrom('-1', '0', '-0', '1e999', '-1e999', '1e-400', '.inf', '-.inf', '.nan', 'NaN', 'Infinity', '0x1F', '0o17', '1_000', '99999999999999999999999', '3.', '.5', '+5', '1e3', '12abc', '١٢', '０'),
  fc.double().map(String),
  fc.integer().map(String),
);
export const weirdScalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '~', 'null', 'true', 'no', 'yes', 'off', '"unclosed', "'unclosed", '"a\\qb"', '[', ']', '{', '}', '[1, 2', '{a: 1', '&anchor', '*alias', '*missing', '!!binary aGVsbG8=', '!!python/object:os.system', '!custom', '<<: *x',
    '|', '>', '|-', '- item', '? key', ': value', 'a: b: c', '#comment', '%', '@', '`', '\u0000', '\ufeff', '\u202e', '\t', '👩🏽‍🚀', 'x'.repeat(5000), '__proto__', 'constructor'),
);
export const garbageLine = fc.oneof(
  weirdScalar,
  fc.constantFrom('---', '...', '%YAML 1.1', '%TAG ! tag:example.com,2000:', '? complex key', ': orphan value', '- - - nested', '__proto__: { polluted: true }', 'constructor: { prototype: { polluted: true } }',
    '<<: { merged: true }', 'roles: []', 'roles:', 'name:', '\t\tindented with tabs: 1', '    misaligned: 2', 'key: "value" trailing', 'dup: 1\ndup: 2'),
  // an alias bomb (billion laughs): the parser must refuse it rather than expand it
  fc.constant(`bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from({ length: 8 }, (_, i) => `bomb${i + 1}: &b${i + 1} [${Array(9).fill(`*b${i}`).join(', ')}]`).join('\n')}`),
);

export const mutation: fc.Arbitrary<{ label: string; apply: Mutation }> = fc.oneof(
  lineIndex.map((i) => ({ label: `delete line ${i + 1}`, apply: (l: string[]) => l.filter((_, k) => k !== at(l, i)) })),
  fc.tuple(lineIndex, fc.integer({ min: 1, max: 3 })).map(([i, n]) => ({ label: `duplicate line ${i + 1} x${n}`, apply: (l: string[]) => { const j = at(l, i); return [...l.slice(0, j + 1), ...Array(n).fill(l[j]), ...l.slice(j + 1)]; } })),
  fc.tuple(lineIndex, lineIndex).map(([i, j]) => ({ label: `swap lines ${i + 1} and ${j + 1}`, apply: (l: string[]) => { const c = [...l]; const a = at(c, i), b = at(c, j); [c[a], c[b]] = [c[b], c[a]]; return c; } })),
  fc.tuple(fc.nat(), weirdNumber).map(([n, v]) => ({
    label: `number #${n} := ${v.slice(0, 20)}`,
    apply: (l: string[]) => { const text = l.join('\n'); const nums = [...text.matchAll(/(?<=[:\s[,])-?\d+(\.\d+)?(?=[\s,\]}]|$)/gm)]; if (!nums.length) return l; const m = nums[n % nums.length]; return (text.slice(0, m.index) + v + text.slice(m.index! + m[0].length)).split('\n'); },
  })),
  fc.tuple(lineIndex, weirdScalar).map(([i, v]) => ({
    label: `value of line ${i + 1} := ${JSON.stringify(v.slice(0, 20))}`,
    apply: (l: string[]) => { const c = [...l]; const j = at(c, i); const k = c[j].indexOf(': '); c[j] = k >= 0 ? `${c[j].slice(0, k + 2)}${v}` : `${c[j]}${v}`; return c; },
  })),
  fc.tuple(lineIndex, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'name', 'roles', 'levers', 'effect'), fc.string({ maxLength: 12 }))).map(([i, key]) => ({
    label: `key of line ${i + 1} := ${JSON.stringify(key)}`,
    apply: (l: string[]) => { const c = [...l]; const j = at(c, i); c[j] = c[j].replace(/^(\s*-?\s*)[^:\s][^:]*:/, `$1${key}:`); return c; },
  })),
  fc.tuple(lineIndex, fc.integer({ min: -6, max: 6 }), fc.boolean()).map(([i, d, tab]) => ({
    label: `indent line ${i + 1} by ${d}${tab ? ' with a tab' : ''}`,
    apply: (l: string[]) => { const c = [...l]; const j = at(c, i); c[j] = d >= 0 ? `${(tab ? '\t' : ' ').repeat(d)}${c[j]}` : c[j].replace(new RegExp(`^ {0,${-d}}`), ''); return c; },
  })),
  fc.tuple(lineIndex, garbageLine).map(([i, g]) => ({ label: `insert before line ${i + 1}: ${JSON.stringify(g.slice(0, 30))}`, apply: (l: string[]) => { const j = at(l, i); return [...l.slice(0, j), ...g.split('\n'), ...l.slice(j)]; } })),
  fc.nat({ max: BASE.length }).map((n) => ({ label: `truncate at character ${n}`, apply: (l: string[]) => l.join('\n').slice(0, n).split('\n') })),
  fc.constant({ label: 'CRLF line endings', apply: (l: string[]) => l.join('\r\n').split('\n') }),
  fc.constant({ label: 'a byte-order mark', apply: (l: string[]) => ['\ufeff' + l[0], ...l.slice(1)] }),
);

export const mutatedFile = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ({
  labels: ms.map((m) => m.label),
  // an earlier mutation may have left no lines at all: the later ones then have nothing to change
  text: ms.reduce((lines, m) => (lines.length ? m.apply(lines) : lines), BASE_LINES).join('\n'),
}));

