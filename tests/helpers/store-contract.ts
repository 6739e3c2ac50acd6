// The match store contract: the behaviour every MatchStore keeps (SQLite and PostgreSQL run the same suite).
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { LogEntry, MatchHeader, MatchStore } from '../../server/store/types.ts';

/** How a contract run gets at a store: `open` connects (again) to the same database. */
export interface StoreHarness {
  open(): Promise<MatchStore>;
  /** whether a second open() sees what the first wrote (false for in-memory stores) */
  persistent: boolean;
  cleanup?(): Promise<void> | void;
}

let codeCounter = 0;
/** Six letters, unique within a test run. */
function freshCode(): string {
  const letters = 'ABCDEFGHJKMNPQRSTUVWXYZ';
  let n = codeCounter++ + Math.floor(Math.random() * 1e6) * 1000;
  let s = '';
  for (let i = 0; i < 6; i++) { s += letters[n % letters.length]; n = Math.floor(n / letters.length); }
  return s;
}

export function makeHeader(over: Partial<MatchHeader> = {}): MatchHeader {
  return {
    id: randomUUID(),
    code: freshCode(),
    createdAt: new Date().toISOString(),
    settings: {
      mode: 'class', visibility: 'private', rulesName: 'default.yaml',
      seats: { usGov: 2, usLab: 2, cnGov: 2, cnLab: 2 },
      bots: { usGov: 'status-quo', usLab: 'status-quo', cnGov: 'hawk', cnLab: 'dove' },
      timers: { briefing: 60, negotiation: 180, orders: 240, report: 60 },
      botTakeoverSeconds: 90,
    },
    rulesText: 'name: Test rules\n# a comment, "quotes" and ünïcödé\n',
    seed: 424242,
    facilitatorKeyHash: 'f'.repeat(64),
    status: 'open',
    ...over,
  };
}

const ORDER_ENTRY: LogEntry = {
  kind: 'resolve', turn: 0,
  orders: { usGov: { spend: { powerGrid: 5.25, bis: 0.1 }, exportTiers: { china: 'embargo' }, globalLicensing: true }, cnLab: { spend: { distill: 1 / 3 } } },
};
const CHAT_ENTRY: LogEntry = { kind: 'chat', from: 'p1', fromRole: 'usGov', to: 'all', text: 'Hello, "world"\nsecond line — ✓' };

/** The behaviour every MatchStore must have; run it against each implementation. */
export function storeContract(name: string, makeHarness: () => Promise<StoreHarness> | StoreHarness): void {
  describe(`match store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: MatchStore;
    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
      await harness.cleanup?.();
    });

    it('creates a match and loads its header back unchanged, with an empty log', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      expect(await store.load(h.id)).toEqual({ header: h, entries: [] });
      const online = makeHeader({ facilitatorKeyHash: null, seed: 0, settings: { ...makeHeader().settings, mode: 'online', visibility: 'public' } });
      await store.createMatch(online);
      expect((await store.load(online.id))!.header).toEqual(online);
    });

    it('loads null for an unknown match and finds by code', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      expect(await store.load('no-such-id')).toBeNull();
      expect(await store.findByCode(h.code)).toEqual(h);
      expect(await store.findByCode('ZZZZZZ')).toBeNull();
    });

    it('appends entries with consecutive seq per match, an ISO time, and loads them in order', async () => {
      const a = makeHeader(), b = makeHeader();
      await store.createMatch(a);
      await store.createMatch(b);
      const before = Date.now();
      const s1 = await store.append(a.id, { kind: 'start' });
      const s2 = await store.append(b.id, { kind: 'start' });
      const s3 = await store.append(a.id, ORDER_ENTRY);
      const s4 = await store.append(a.id, CHAT_ENTRY);
      expect([s1.seq, s3.seq, s4.seq]).toEqual([1, 2, 3]);
      expect(s2.seq).toBe(1);
      for (const s of [s1, s2, s3, s4]) {
        expect(new Date(s.at).toISOString()).toBe(s.at);
        expect(Date.parse(s.at)).toBeGreaterThanOrEqual(before - 1000);
      }
      expect(s3.entry).toEqual(ORDER_ENTRY);
      const loaded = await store.load(a.id);
      expect(loaded!.entries).toEqual([s1, s3, s4]);
      expect((await store.load(b.id))!.entries).toEqual([s2]);
    });

    it('gives every one of many concurrent appends its own seq', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(h.id, { kind: 'chat', from: 'p', fromRole: null, to: 'all', text: `m${i}` })));
      expect(stored.map((s) => s.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const loaded = (await store.load(h.id))!.entries;
      expect(loaded.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('hands out copies: changing a returned entry or header changes nothing stored', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      const entry: LogEntry = { kind: 'submit', turn: 0, role: 'usGov', order: { spend: { bis: 1 } }, by: 'p1' };
      const stored = await store.append(h.id, entry);
      (entry.order.spend as Record<string, number>).bis = 99;
      (stored.entry as typeof entry).order.spend.bis = 98;
      h.settings.seats.usGov = 7;
      const loaded = (await store.load(h.id))!;
      expect((loaded.entries[0].entry as typeof entry).order.spend.bis).toBe(1);
      expect(loaded.header.settings.seats.usGov).toBe(2);
    });

    it('refuses an append to an unknown match, and anything that is not a log entry', async () => {
      await expect(store.append('missing-match', { kind: 'start' })).rejects.toThrow(/missing-match.*no such match/);
      const h = makeHeader();
      await store.createMatch(h);
      await expect(store.append(h.id, { kind: 'bogus' } as unknown as LogEntry)).rejects.toThrow(/not a log entry/);
      await expect(store.append(h.id, null as unknown as LogEntry)).rejects.toThrow(/not a log entry/);
      expect((await store.load(h.id))!.entries).toEqual([]);
      // every kind types.ts declares is accepted
      const kinds: LogEntry[] = [
        { kind: 'person', personId: 'p1', name: 'Ana', role: 'usGov', spectator: false, tokenHash: 'x' }, { kind: 'seat', personId: 'p1', role: null },
        { kind: 'remove', personId: 'p1' }, { kind: 'botSeat', role: 'usGov', bot: true }, { kind: 'start' }, { kind: 'pause', paused: true },
        { kind: 'phase', phase: 'orders', turn: 0 }, { kind: 'draft', turn: 0, role: 'usGov', order: { spend: {} }, by: 'p1' },
        { kind: 'submit', turn: 0, role: 'usGov', order: { spend: {} }, by: 'p1' }, { kind: 'unsubmit', turn: 0, role: 'usGov', by: 'p1' },
        { kind: 'propose', turn: 0, proposalId: 'x', from: 'usGov', to: 'cnGov', by: 'p1' }, { kind: 'respond', turn: 0, key: 1, role: 'cnGov', accept: false, by: 'p2' },
        { kind: 'inject', turn: 0, cardId: 'c' }, ORDER_ENTRY, CHAT_ENTRY, { kind: 'end', reason: 'done' },
      ];
      for (const e of kinds) await store.append(h.id, e);
      expect((await store.load(h.id))!.entries.map((e) => e.entry)).toEqual(kinds);
    });

    it('refuses a duplicate code (forever, even once the first match is finished) and a duplicate id', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      await expect(store.createMatch(makeHeader({ code: h.code }))).rejects.toThrow(new RegExp(`code "${h.code}" already exists`));
      await store.setStatus(h.id, 'finished');
      await expect(store.createMatch(makeHeader({ code: h.code }))).rejects.toThrow(/already exists/);
      await expect(store.createMatch(makeHeader({ id: h.id }))).rejects.toThrow(/id .* already exists/);
      expect(await store.findByCode(h.code)).toEqual({ ...h, status: 'finished' });
    });

    it('refuses a malformed header with a message naming the field', async () => {
      await expect(store.createMatch(makeHeader({ id: '' }))).rejects.toThrow(/id/);
      await expect(store.createMatch(makeHeader({ seed: Number.NaN }))).rejects.toThrow(/seed/);
      await expect(store.createMatch(makeHeader({ status: 'playing' as MatchHeader['status'] }))).rejects.toThrow(/status/);
      expect(await store.list()).toEqual([]);
    });

    it('sets the status, refusing unknown matches and statuses', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      await store.setStatus(h.id, 'finished');
      expect((await store.load(h.id))!.header.status).toBe('finished');
      await store.setStatus(h.id, 'open');
      expect((await store.findByCode(h.code))!.status).toBe('open');
      await expect(store.setStatus('missing-match', 'finished')).rejects.toThrow(/no such match/);
      await expect(store.setStatus(h.id, 'done' as MatchHeader['status'])).rejects.toThrow(/status/);
    });

    it('lists summaries newest first, filtered by status', async () => {
      const t = Date.parse('2026-11-02T10:00:00.000Z');
      const old = makeHeader({ createdAt: new Date(t).toISOString() });
      const mid = makeHeader({ createdAt: new Date(t + 60_000).toISOString(), settings: { ...makeHeader().settings, mode: 'online', visibility: 'public', rulesName: 'upload' } });
      const newest = makeHeader({ createdAt: new Date(t + 120_000).toISOString() });
      const sameTimeLater = makeHeader({ createdAt: newest.createdAt });
      for (const h of [mid, old, newest, sameTimeLater]) await store.createMatch(h);
      await store.setStatus(mid.id, 'finished');
      const all = await store.list();
      // same time: the one created later is newer
      expect(all.map((s) => s.id)).toEqual([sameTimeLater.id, newest.id, mid.id, old.id]);
      expect(all[2]).toEqual({ id: mid.id, code: mid.code, createdAt: mid.createdAt, status: 'finished', mode: 'online', visibility: 'public', rulesName: 'upload' });
      expect((await store.list({ status: 'open' })).map((s) => s.id)).toEqual([sameTimeLater.id, newest.id, old.id]);
      expect((await store.list({ status: 'finished' })).map((s) => s.id)).toEqual([mid.id]);
      expect(await store.list({})).toHaveLength(4);
    });

    it('refuses every call once closed, and closing twice is harmless', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      await store.close();
      await store.close();
      await expect(store.append(h.id, { kind: 'start' })).rejects.toThrow(/closed/);
      await expect(store.load(h.id)).rejects.toThrow(/closed/);
      await expect(store.list()).rejects.toThrow(/closed/);
    });

    it('stores any text exactly: a rule file with a NUL, emoji and CRLF, chat with control characters', async () => {
      const h = makeHeader({ rulesText: 'name: x\r\n# NUL \u0000 here, emoji 🛰️, tab\t, é\n', createdAt: '2026-11-02T10:00:00Z' });
      await store.createMatch(h);
      const weird: LogEntry = { kind: 'chat', from: 'p1', fromRole: null, to: 'all', text: 'a\u0000b\u0007c \u202e 𝕏 "\\' + "'" };
      const stored = await store.append(h.id, weird);
      expect(stored.entry).toEqual(weird);
      expect(await store.load(h.id)).toEqual({ header: h, entries: [stored] });
      expect(await store.findByCode(h.code)).toEqual(h);
    });

    it('answers odd ids and codes (NUL, very long, unicode) as unknown, never with an error', async () => {
      for (const odd of ['\u0000', 'a\u0000b', 'x'.repeat(10_000), '🛰️', "'; DROP TABLE matches; --", '%', '_']) {
        expect(await store.load(odd)).toBeNull();
        expect(await store.findByCode(odd)).toBeNull();
        await expect(store.append(odd, { kind: 'start' })).rejects.toThrow(/no such match/);
        await expect(store.setStatus(odd, 'finished')).rejects.toThrow(/no such match/);
      }
      expect(await store.list()).toEqual([]);
    });

    it('gives concurrent appends through two connections to one database distinct consecutive seqs (persistent stores)', async (ctx) => {
      if (!harness.persistent) ctx.skip();
      const h = makeHeader();
      await store.createMatch(h);
      const other = await harness.open();
      try {
        const stored = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).append(h.id, { kind: 'pause', paused: i % 2 === 0 })));
        expect(stored.map((s) => s.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect((await other.load(h.id))!.entries.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        await expect(other.createMatch(makeHeader({ code: h.code }))).rejects.toThrow(/already exists/);
      } finally {
        await other.close();
      }
    });

    it('fences appends: once a newer holder takes the fence, an append carrying the older number is refused and the log stays whole', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      const first = await store.takeFence(h.id);
      expect(first).toBeGreaterThanOrEqual(1);
      await store.append(h.id, { kind: 'start' }, { fence: first });
      const second = await store.takeFence(h.id);
      expect(second).toBe(first + 1);
      // the old holder (paused, partitioned) wakes up and writes: refused, with a code it can act on
      const stale = store.append(h.id, { kind: 'pause', paused: true }, { fence: first });
      await expect(stale).rejects.toThrow(/stale fencing number/);
      await expect(stale).rejects.toMatchObject({ code: 'stale-fence' });
      // the new holder writes on; an unfenced append (tools, tests) is not checked
      expect((await store.append(h.id, { kind: 'pause', paused: false }, { fence: second })).seq).toBe(2);
      expect((await store.append(h.id, { kind: 'end', reason: 'x' })).seq).toBe(3);
      expect((await store.load(h.id))!.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
      await expect(store.takeFence('missing-match')).rejects.toThrow(/no such match/);
    });

    it('refuses stale appends made in the same moment as fresh ones, one by one', async () => {
      const h = makeHeader();
      await store.createMatch(h);
      const old = await store.takeFence(h.id);
      const now = await store.takeFence(h.id);
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.append(h.id, { kind: 'pause', paused: i % 2 === 0 }, { fence: i % 2 ? old : now })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      expect(results.filter((r, i) => (r.status === 'rejected') !== (i % 2 === 1))).toEqual([]);
      expect((await store.load(h.id))!.entries.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    });

    it('finds a match by the idempotency key it was created with, and refuses a second match with that key', async () => {
      const h = makeHeader();
      await store.createMatch(h, { idempotencyKey: 'key-1' });
      await store.createMatch(makeHeader());
      expect(await store.findByIdempotencyKey('key-1')).toEqual(h);
      expect(await store.findByIdempotencyKey('key-2')).toBeNull();
      const again = store.createMatch(makeHeader(), { idempotencyKey: 'key-1' });
      await expect(again).rejects.toMatchObject({ code: 'duplicate-idempotency-key' });
      expect(await store.list()).toHaveLength(2);
    });

    it('answers a ping while open, and refuses once closed', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow(/closed/);
    });

    it('tells when each open match was last active and whether anyone joined it', async () => {
      const t = '2026-11-02T10:00:00.000Z';
      const quiet = makeHeader({ createdAt: t });
      const joined = makeHeader({ createdAt: t });
      await store.createMatch(quiet);
      await store.createMatch(joined);
      await store.append(joined.id, { kind: 'person', personId: 'p1', name: 'Ana', role: 'usGov', spectator: false, tokenHash: 'x' });
      const activity = await store.activity();
      const q = activity.find((a) => a.id === quiet.id)!, j = activity.find((a) => a.id === joined.id)!;
      expect(q).toEqual({ id: quiet.id, code: quiet.code, createdAt: t, lastAt: t, people: 0 });
      expect(j.people).toBe(1);
      expect(Date.parse(j.lastAt)).toBeGreaterThan(Date.parse(t));
      await store.setStatus(quiet.id, 'finished');
      expect((await store.activity()).map((a) => a.id)).toEqual([joined.id]);
    });

    it('keeps everything when opened again (persistent stores)', async (ctx) => {
      if (!harness.persistent) ctx.skip();
      const h = makeHeader();
      await store.createMatch(h);
      const written = [await store.append(h.id, { kind: 'start' }), await store.append(h.id, ORDER_ENTRY), await store.append(h.id, CHAT_ENTRY)];
      await store.setStatus(h.id, 'finished');
      await store.close();
      store = await harness.open();
      expect(await store.load(h.id)).toEqual({ header: { ...h, status: 'finished' }, entries: written });
      expect((await store.append(h.id, { kind: 'end', reason: 'debrief note' })).seq).toBe(4);
      await expect(store.createMatch(makeHeader({ code: h.code }))).rejects.toThrow(/already exists/);
    });
  });
}

/**
 * Runs a child process that appends chat entries to one match as fast as it can, printing each seq once
 * append has resolved, and kills it with SIGKILL after `count` confirmed appends. `openStoreCode` is the
 * module code (imports included) that binds `store`. Resolves with how many appends were confirmed.
 */
export async function appendUntilKilled(openStoreCode: string, matchId: string, count = 200): Promise<number> {
  const { spawn } = await import('node:child_process');
  const script = `
    ${openStoreCode}
    for (let i = 0; ; i++) {
      const s = await store.append(${JSON.stringify(matchId)}, { kind: 'chat', from: 'p', fromRole: null, to: 'all', text: 'message ' + i });
      process.stdout.write(s.seq + '\\n');
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let reported = 0;
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exit = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  await new Promise<void>((done, fail) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) reported = Math.max(reported, Number(l));
      if (reported >= count) { child.kill('SIGKILL'); done(); }
    });
    child.on('exit', () => fail(new Error(`child exited before it was killed: ${stderr}`)));
  });
  if ((await exit) !== 'SIGKILL') throw new Error('the writer was not killed by SIGKILL');
  return reported;
}
