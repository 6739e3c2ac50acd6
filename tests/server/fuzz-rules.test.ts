// Property-based fuzzing of rule-file uploads against a real server: random mutations of assets/rules/default.yaml
// (lines deleted, duplicated, swapped or re-indented; numbers, strings and keys changed; garbage, YAML tricks and
// control characters inserted; truncation) sent to POST /api/rules/check and POST /api/matches {rules: {upload}}.
// The server never fails: each file is either valid (a match is created from it) or refused with problem lines
// `file:line:col  path  message`; an oversize upload gets 413. FUZZ_SEED / FUZZ_RUNS to explore more.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { DEFAULT_LIMITS } from '../../server/context.ts';
import { api } from '../helpers/server.ts';
import { rulesPath } from '../helpers/rules.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 2028);
/** mutated files sent to /api/rules/check; a third as many also create a match */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const BASE = readFileSync(rulesPath('default.yaml'), 'utf8');
const BASE_LINES = BASE.split('\n');
const LIMIT = DEFAULT_LIMITS.maxRulesBytes;

// ---- mutations --------------------------------------------------------------------------------------------

type Mutation = (lines: string[]) => string[];

const lineIndex = fc.nat({ max: BASE_LINES.length + 20 });
const at = (lines: string[], i: number) => Math.min(i, Math.max(0, lines.length - 1));

const weirdNumber = fc.oneof(
  fc.constantFrom('-1', '0', '-0', '1e999', '-1e999', '1e-400', '.inf', '-.inf', '.nan', 'NaN', 'Infinity', '0x1F', '0o17', '1_000', '99999999999999999999999', '3.', '.5', '+5', '1e3', '12abc', '١٢', '０'),
  fc.double().map(String),
  fc.integer().map(String),
);
const weirdScalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', '~', 'null', 'true', 'no', 'yes', 'off', '"unclosed', "'unclosed", '"a\\qb"', '[', ']', '{', '}', '[1, 2', '{a: 1', '&anchor', '*alias', '*missing', '!!binary aGVsbG8=', '!!python/object:os.system', '!custom', '<<: *x',
    '|', '>', '|-', '- item', '? key', ': value', 'a: b: c', '#comment', '%', '@', '`', '\u0000', '\ufeff', '\u202e', '\t', '👩🏽‍🚀', 'x'.repeat(5000), '__proto__', 'constructor'),
);
const garbageLine = fc.oneof(
  weirdScalar,
  fc.constantFrom('---', '...', '%YAML 1.1', '%TAG ! tag:example.com,2000:', '? complex key', ': orphan value', '- - - nested', '__proto__: { polluted: true }', 'constructor: { prototype: { polluted: true } }',
    '<<: { merged: true }', 'roles: []', 'roles:', 'name:', '\t\tindented with tabs: 1', '    misaligned: 2', 'key: "value" trailing', 'dup: 1\ndup: 2'),
  // an alias bomb (billion laughs): the parser must refuse it rather than expand it
  fc.constant(`bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from({ length: 8 }, (_, i) => `bomb${i + 1}: &b${i + 1} [${Array(9).fill(`*b${i}`).join(', ')}]`).join('\n')}`),
);

const mutation: fc.Arbitrary<{ label: string; apply: Mutation }> = fc.oneof(
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

const mutatedFile = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ({
  labels: ms.map((m) => m.label),
  // an earlier mutation may have left no lines at all: the later ones then have nothing to change
  text: ms.reduce((lines, m) => (lines.length ? m.apply(lines) : lines), BASE_LINES).join('\n'),
}));

// ---- the server, with its logs captured -------------------------------------------------------------------

const logLines: { level: number; msg: string; raw: string }[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const raw of String(chunk).split('\n').filter(Boolean)) {
      try { const j = JSON.parse(raw); logLines.push({ level: j.level, msg: j.msg, raw }); } catch { logLines.push({ level: 60, msg: 'unparsable log line', raw }); }
    }
    done();
  },
});
const badLogs = () => logLines.filter((l) => l.level >= 50);

let server: RunningServer & { base: string };
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();
const prototypeBefore = prototypeKeys();
const invisible = new Set<string>();
const tally = { checked: 0, checkValid: 0, uploads: 0, created: 0, refused: 0, oversize: 0, hostileBodies: 0 };

beforeAll(async () => {
  const running = await startServer({ port: 0, storePath: ':memory:', logger: createLogger({ level: 'info', destination: sink }), limits: { matchesPerMinutePerIp: 1e6 }, guard: { rulesChecksPerMinute: 100_000 } });
  server = Object.assign(running, { base: `http://127.0.0.1:${running.port}` });
});
afterAll(async () => { await server?.close(); });

/** `file:line:col  path  message`, on a line of the file (or just past its end). */
function expectProblemLines(problems: unknown, file: string, text: string, context: string): void {
  expect(Array.isArray(problems), context).toBe(true);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const p of problems as unknown[]) {
    expect(typeof p, context).toBe('string');
    const m = /^(.+?):(\d+):(\d+) {2}(.+?) {2}(.+)$/s.exec(p as string);
    expect(m, `${context}: problem line ${JSON.stringify(p)}`).not.toBeNull();
    expect(m![1], context).toBe(file);
    expect(Number(m![2]), `${context}: ${p}`).toBeGreaterThanOrEqual(1);
    expect(Number(m![2]), `${context}: ${p}`).toBeLessThanOrEqual(lineCount + 1);
    expect(Number(m![3]), `${context}: ${p}`).toBeGreaterThanOrEqual(1);
    // worth knowing: a path or message an editor would show with invisible characters in it
    if (/[\p{Cc}\p{Cf}]/u.test(m![4])) invisible.add(p as string);
  }
}

describe('fuzzing rule-file uploads', () => {
  it('the base file is valid, so every refusal below comes from a mutation', async () => {
    const res = await api(server.base, '/api/rules/check', { text: BASE });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('POST /api/rules/check answers every mutated file with ok, or with its problems as file:line:col lines', async () => {
    await fc.assert(fc.asyncProperty(mutatedFile, async ({ labels, text }) => {
      const context = labels.join('; ');
      const before = badLogs().length;
      const res = await api(server.base, '/api/rules/check', { text, name: 'fuzzed.yaml' });
      tally.checked++;
      if (Buffer.byteLength(text) > LIMIT) { expect(res.status, context).toBe(413); tally.oversize++; return; }
      expect(res.status, context).toBe(200);
      expect(typeof res.body.ok, context).toBe('boolean');
      expectProblemLines(res.body.problems, 'fuzzed.yaml', text, context);
      if (res.body.ok) tally.checkValid++;
      else expect(res.body.problems.length, context).toBeGreaterThan(0);
      expect(badLogs().slice(before).map((l) => l.raw), context).toEqual([]);
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  });

  it('POST /api/matches with an upload creates a match from a valid file and refuses any other with 400 and its problem lines', async () => {
    await fc.assert(fc.asyncProperty(mutatedFile, async ({ labels, text }) => {
      const context = labels.join('; ');
      const before = badLogs().length;
      const check = await api(server.base, '/api/rules/check', { text });
      const res = await api(server.base, '/api/matches', { mode: 'online', rules: { upload: text } });
      tally.uploads++;
      expect(res.status, `${context}: ${JSON.stringify(res.body).slice(0, 300)}`).not.toBe(500);
      if (res.status === 201) {
        tally.created++;
        // the check agreed, and the match serves the file it was created from
        expect(check.body.ok, context).toBe(true);
        const rules = await api(server.base, `/api/matches/${res.body.code}/rules`);
        expect(rules.status, context).toBe(200);
        expect(Array.isArray(rules.body.roles), context).toBe(true);
        const live = await api(server.base, `/api/matches/${res.body.code}`);
        expect(live.body.status, context).toBe('open');
      } else {
        tally.refused++;
        expect(res.status, context).toBe(400);
        expect(typeof res.body.error, context).toBe('string');
        if (res.body.error === 'the uploaded rule file has problems') {
          expect(check.body.ok, context).toBe(false);
          expectProblemLines(res.body.details, 'upload.yaml', text, context);
          expect(res.body.details.length, context).toBeGreaterThan(0);
        } else {
          // a valid file whose roles the default settings do not fit: named plainly
          expect(res.body.error, context).toMatch(/settings/);
          expect(res.body.details?.length, context).toBeGreaterThan(0);
        }
      }
      expect(badLogs().slice(before).map((l) => l.raw), context).toEqual([]);
    }), { seed: SEED + 1, numRuns: Math.ceil(RUNS / 3), endOnFailure: true });
  });

  it('answers 413 to a rule file above the limit (counted in bytes, not characters), on both routes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: LIMIT }), fc.constantFrom('#', '# 🛰'), fc.constantFrom('/api/rules/check', '/api/matches'),
      async (over, filler, route) => {
        // a valid file padded with a comment to just above the limit
        const pad = LIMIT - Buffer.byteLength(BASE) + Math.min(over, 64);
        const comment = filler === '#' ? `\n#${'x'.repeat(pad)}` : `\n#${'🛰'.repeat(Math.ceil(pad / 4))}`;
        const text = BASE + comment;
        expect(Buffer.byteLength(text)).toBeGreaterThan(LIMIT);
        const res = await api(server.base, route, route === '/api/matches' ? { rules: { upload: text } } : { text });
        tally.oversize++;
        expect(res.status).toBe(413);
        expect(res.body.error).toMatch(/at most \d+ bytes|too large/);
      },
    ), { seed: SEED + 2, numRuns: 8 });
    // characters under the limit, bytes over it
    const emoji = BASE + `\n#${'🛰'.repeat(Math.ceil((LIMIT - BASE.length) / 2))}`;
    expect(emoji.length).toBeLessThan(LIMIT + 10_000);
    expect(Buffer.byteLength(emoji)).toBeGreaterThan(LIMIT);
    expect((await api(server.base, '/api/rules/check', { text: emoji })).status).toBe(413);
    // a body above the JSON limit itself
    const huge = await api(server.base, '/api/matches', { rules: { upload: 'x'.repeat(LIMIT * 3) } });
    expect(huge.status).toBe(413);
    // just under the limit is read and checked
    const under = BASE + `\n#${'x'.repeat(LIMIT - Buffer.byteLength(BASE) - 2)}`;
    expect(Buffer.byteLength(under)).toBeLessThanOrEqual(LIMIT);
    expect(await api(server.base, '/api/rules/check', { text: under })).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('answers hostile request bodies with a clear 400', async () => {
    const hostile = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({ text: fc.anything({ maxDepth: 2 }), name: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
      fc.record({ text: fc.constant(BASE), name: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('../../../etc/passwd', '/etc/shadow', '__proto__', 'a:1:1  x  y', '\u0000')) }),
    );
    await fc.assert(fc.asyncProperty(hostile, fc.constantFrom('/api/rules/check', '/api/matches'), async (body, route) => {
      const before = badLogs().length;
      const payload = route === '/api/matches' ? (body && typeof body === 'object' && 'text' in (body as object) ? { rules: { upload: (body as { text: unknown }).text } } : body) : body;
      const res = await fetch(`${server.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) ?? 'undefined' });
      const json = await res.json();
      tally.hostileBodies++;
      expect([200, 201, 400, 413], JSON.stringify(payload)?.slice(0, 200)).toContain(res.status);
      if (res.status === 400) expect(typeof json.error).toBe('string');
      if (res.status === 200) expect(typeof json.ok).toBe('boolean');
      expect(badLogs().slice(before).map((l) => l.raw)).toEqual([]);
    }), { seed: SEED + 3, numRuns: 60 });
  });

  it('left the server healthy and no prototype polluted', async () => {
    expect((await api(server.base, '/healthz')).status).toBe(200);
    expect(prototypeKeys()).toBe(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(badLogs().map((l) => l.raw)).toEqual([]);
    console.log(`fuzz-rules: ${tally.checked + tally.uploads + tally.oversize + tally.hostileBodies} uploads (seed ${SEED}): ${tally.checked} mutated files checked `
      + `(${tally.checkValid} still valid), ${tally.uploads} uploaded as new matches (${tally.created} created, ${tally.refused} refused with 400), `
      + `${tally.oversize} oversize answered 413, ${tally.hostileBodies} hostile request bodies`
      + (invisible.size ? `\n  note: ${invisible.size} problem lines name a path with invisible characters, e.g. ${JSON.stringify([...invisible][0].slice(0, 160))}` : ''));
  });
});
