// Property-based fuzzing of rule-file uploads against a real server: random mutations of assets/rules/default.yaml
// (lines deleted, duplicated, swapped or re-indented; numbers, strings and keys changed; garbage, YAML tricks and
// control characters inserted; truncation) sent to POST /api/rules/check and POST /api/matches {rules: {upload}}.
// The server never fails: each file is either valid (a match is created from it) or refused with problem lines
// `file:line:col  path  message`; an oversize upload gets 413. FUZZ_SEED / FUZZ_RUNS to explore more.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { DEFAULT_LIMITS } from '../../server/context.ts';
import { api } from '../helpers/server.ts';
import { BASE, mutatedFile } from '../helpers/hostile-rules.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 2028);
/** mutated files sent to /api/rules/check; a third as many also create a match */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const LIMIT = DEFAULT_LIMITS.maxRulesBytes;

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
