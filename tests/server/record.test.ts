// Match records: bot matches written through the store replay to the very state live play reached, and
// the record a stranger may read before the end holds no hidden number.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { defaultRules, rulesPath } from '../helpers/rules.ts';
import type { RuleFile, Side } from '../../shared/rules/schema.ts';
import type { MatchState, Orders, TurnEvent } from '../../shared/engine/state.ts';
import { quarterLabel } from '../../shared/engine/state.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { propose, respond } from '../../shared/engine/diplomacy.ts';
import { injectEvent } from '../../shared/engine/deck.ts';
import { rngFor, STREAM } from '../../shared/engine/rng.ts';
import { botOrders, runBotMatch, type Seating } from '../../shared/sim/botMatch.ts';
import { botAccepts, botProposals } from '../../shared/bots/personalities.ts';
import { SqliteMatchStore } from '../../server/store/sqlite.ts';
import type { LogEntry, MatchHeader, MatchStore, StoredEntry } from '../../server/store/types.ts';
import { replayMatch, ReplayError } from '../../server/record/replay.ts';
import { rulesOfMatch } from '../../server/match-rules.ts';
import { matchRecord, canSeeFullRecord, timelineCsv, decisionsCsv, toCsv, significant, DECISION_COLUMNS, TIMELINE_COLUMNS } from '../../server/record/export.ts';
import type { FullMatchRecord, PublicMatchRecord } from '../../server/record/export.ts';

const rules = defaultRules();
const rulesText = readFileSync(rulesPath('default.yaml'), 'utf8');
const HAWKS: Seating = { usGov: 'hawk', usLab: 'status-quo', cnGov: 'hawk', cnLab: 'hawk' };
const DOVES: Seating = { usGov: 'dove', usLab: 'dove', cnGov: 'dove', cnLab: 'opportunist' };
const ENGINE_KINDS: LogEntry['kind'][] = ['propose', 'respond', 'inject', 'resolve'];
const TOKEN_HASH = (role: string) => `tokenhash-${role}-0123456789abcdef`;
const FACILITATOR_HASH = 'facilitatorhash-fedcba9876543210';

function header(seed: number, seating: Seating): MatchHeader {
  return {
    id: randomUUID(),
    code: randomUUID().slice(0, 6).toUpperCase(),
    createdAt: new Date().toISOString(),
    settings: {
      mode: 'class', visibility: 'private', rulesName: 'default.yaml',
      seats: { usGov: 2, usLab: 2, cnGov: 2, cnLab: 2 }, bots: seating,
      timers: { briefing: 60, negotiation: 180, orders: 240, report: 60 }, botTakeoverSeconds: 90,
    },
    rulesText, seed, facilitatorKeyHash: FACILITATOR_HASH, status: 'open',
  };
}

interface Live { state: MatchState; turns: { turn: number; orders: Orders; events: TurnEvent[]; state: MatchState }[]; pending: TurnEvent[] }

/**
 * Plays a match as the server would: bots negotiate and give orders through the engine's immutable
 * functions, and every accepted change (with people, chat, drafts and phases in between) goes to the store.
 */
async function playLogged(store: MatchStore, h: MatchHeader, seating: Seating, opts: { turns?: number; inject?: { turn: number; cardId: string }; rules?: RuleFile } = {}): Promise<Live> {
  const r = opts.rules ?? rules;
  await store.createMatch(h);
  const log = (e: LogEntry) => store.append(h.id, e);
  const person = (role: string) => `person-${role}`;
  for (const role of r.roles) await log({ kind: 'person', personId: person(role.id), name: `${role.name} player`, role: role.id, spectator: false, tokenHash: TOKEN_HASH(role.id) });
  await log({ kind: 'person', personId: 'person-projector', name: 'Projector', role: null, spectator: true, tokenHash: TOKEN_HASH('projector') });
  await log({ kind: 'botSeat', role: 'cnLab', bot: true });
  await log({ kind: 'start' });
  let state = initialState(r, h.seed);
  const live: Live = { state, turns: [], pending: [] };
  const stopAt = opts.turns ?? Infinity;
  while (!state.finished && state.turn < stopAt) {
    const turn = state.turn;
    const events: TurnEvent[] = [];
    await log({ kind: 'phase', phase: 'briefing', turn });
    await log({ kind: 'phase', phase: 'negotiation', turn });
    // the same negotiation as botNegotiation, one accepted change at a time
    const rng = rngFor(state.seed, state.turn, STREAM.bots, 7);
    for (const role of r.roles) {
      for (const offer of botProposals(r, state, role.id, seating[role.id])) {
        if (state.agreements.some((a) => a.proposalId === offer.proposalId)) continue;
        const made = propose(r, state, offer.proposalId, role.id, offer.to);
        if (!made.ok) continue;
        state = made.state;
        events.push(...made.events);
        await log({ kind: 'propose', turn, proposalId: offer.proposalId, from: role.id, to: offer.to, by: person(role.id) });
        const key = state.pending[state.pending.length - 1].key;
        const accept = botAccepts(r, state, offer.to, seating[offer.to], rng);
        const answer = respond(r, state, key, offer.to, accept);
        if (!answer.ok) throw new Error(answer.error);
        state = answer.state;
        events.push(...answer.events);
        await log({ kind: 'respond', turn, key, role: offer.to, accept, by: person(offer.to) });
        // the roles it binds that were not party to it agree or refuse, as in botNegotiation
        for (const ask of state.pending.filter((x) => x.ratify && x.proposalId === offer.proposalId)) {
          const agrees = botAccepts(r, state, ask.to, seating[ask.to], rng);
          const consent = respond(r, state, ask.key, ask.to, agrees);
          if (!consent.ok) throw new Error(consent.error);
          state = consent.state;
          events.push(...consent.events);
          await log({ kind: 'respond', turn, key: ask.key, role: ask.to, accept: agrees, by: person(ask.to) });
        }
      }
    }
    if (opts.inject?.turn === turn) {
      const injected = injectEvent(r, state, opts.inject.cardId);
      if (!injected.ok) throw new Error(injected.error);
      state = injected.state;
      events.push(...injected.events);
      await log({ kind: 'inject', turn, cardId: opts.inject.cardId });
    }
    await log({ kind: 'chat', from: person('usGov'), fromRole: 'usGov', to: 'all', text: `Public statement, quarter ${turn}` });
    await log({ kind: 'chat', from: person('cnGov'), fromRole: 'cnGov', to: 'cnLab', text: `SECRET-PLAN-${turn}: buy through the hubs` });
    await log({ kind: 'chat', from: person('usLab'), fromRole: 'usLab', to: 'facilitator', text: `TEACHER-NOTE-${turn}` });
    await log({ kind: 'phase', phase: 'orders', turn });
    const orders = botOrders(r, state, seating);
    for (const role of r.roles) {
      await log({ kind: 'draft', turn, role: role.id, order: orders[role.id], by: person(role.id) });
      await log({ kind: 'submit', turn, role: role.id, order: orders[role.id], by: person(role.id) });
    }
    await log({ kind: 'phase', phase: 'resolution', turn });
    await log({ kind: 'resolve', turn, orders });
    const result = resolveTurn(r, state, orders);
    state = result.state;
    live.turns.push({ turn, orders: result.orders, events: events.concat(result.events), state });
    await log({ kind: 'phase', phase: 'report', turn });
  }
  if (state.finished) {
    await log({ kind: 'phase', phase: 'ended', turn: state.turn });
    await log({ kind: 'end', reason: 'the last quarter was played' });
    await store.setStatus(h.id, 'finished');
  }
  live.state = state;
  return live;
}

/** A side's hidden numbers across the whole match: its state each quarter, its roles' banks and orders. */
function hiddenNumbers(r: RuleFile, states: MatchState[], side: Side): Set<number> {
  const out = new Set<number>();
  const roles = r.roles.filter((x) => x.side === side);
  for (const state of states) {
    const { adoption: _public, seizedChips: _summed, brokenAgreements: _told, ...hidden } = state.sides[side];
    JSON.stringify(hidden, (_k, v) => { if (typeof v === 'number') out.add(v); return v; });
    for (const p of state.timeline) for (const v of [p.capability[side], p.safeguards[side], p.effectiveCompute[side], p.chips[side], p.computeCost[side], p.lead]) out.add(v);
    for (const role of roles) {
      out.add(state.roles[role.id].bank);
      for (const v of Object.values(state.roles[role.id].lastOrder?.spend ?? {})) out.add(v);
    }
  }
  // 0 and small whole numbers are counts and settings; they say nothing secret
  for (const v of out) if (v === 0 || (Number.isInteger(v) && Math.abs(v) < 20)) out.delete(v);
  return out;
}

function numbersIn(x: unknown): Set<number> {
  const out = new Set<number>();
  JSON.stringify(x, (_k, v) => { if (typeof v === 'number') out.add(v); return v; });
  return out;
}

/** A strict RFC 4180 reader, so the tests check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { quoted = true; i++; continue; }
    if (c === '"') throw new Error(`stray quote at ${i}`);
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    if (c === '\n' || c === '\r') throw new Error(`bare line end at ${i}`);
    cell += c; i++;
  }
  if (cell !== '' || row.length) throw new Error('missing final CRLF');
  return rows;
}

describe('replayMatch', () => {
  let store: MatchStore;
  beforeAll(() => { store = new SqliteMatchStore({ path: ':memory:' }); });

  for (const [name, seating, seed] of [['hawks', HAWKS, 7], ['doves making agreements', DOVES, 31]] as const) {
    it(`rebuilds a whole bot match (${name}) from the stored log, byte for byte`, async () => {
      const h = header(seed, seating);
      const live = await playLogged(store, h, seating);
      const direct = runBotMatch(rules, seed, seating, true);
      expect(JSON.stringify(live.state)).toBe(JSON.stringify(direct.state));
      const { header: loadedHeader, entries } = (await store.load(h.id))!;
      const replay = replayMatch(rulesOfMatch(loadedHeader), loadedHeader, entries);
      expect(JSON.stringify(replay.state)).toBe(JSON.stringify(direct.state));
      expect(replay.state.finished).toBe(true);
      expect(replay.turns).toHaveLength(rules.calendar.turns);
      replay.turns.forEach((t, i) => {
        expect(t.turn).toBe(i);
        expect(t.quarter).toBe(direct.state.timeline[i + 1].label);
        expect(JSON.stringify(t.orders)).toBe(JSON.stringify(direct.log![i].orders));
        expect(JSON.stringify(t.state)).toBe(JSON.stringify(live.turns[i].state));
        expect(t.events).toEqual(live.turns[i].events);
        // the resolution's own events end the quarter's list
        expect(t.events.slice(t.events.length - direct.log![i].events.length)).toEqual(direct.log![i].events);
      });
      if (seating === DOVES) {
        expect(replay.diplomacy.some((d) => d.kind === 'respond' && d.accept)).toBe(true);
        expect(replay.diplomacy[0]).toMatchObject({ kind: 'propose', key: 1, by: 'person-usGov' });
      }
    });
  }

  it('replays injected events, and a match stopped mid-way is at the same turn with the same state', async () => {
    const h = header(99, DOVES);
    const live = await playLogged(store, h, DOVES, { turns: 4, inject: { turn: 2, cardId: 'gridCrunch' } });
    const { entries } = (await store.load(h.id))!;
    const replay = replayMatch(rules, h, entries);
    expect(replay.state.turn).toBe(4);
    expect(JSON.stringify(replay.state)).toBe(JSON.stringify(live.state));
    expect(replay.turns[2].events.some((e) => e.ref === 'gridCrunch')).toBe(true);
    expect(replay.current).toEqual({ turn: 4, quarter: quarterLabel(rules, 4), events: [] });
  });

  it('ignores entries that do not touch the engine, and changes nothing it is given', async () => {
    const h = header(5, HAWKS);
    await playLogged(store, h, HAWKS, { turns: 3 });
    const { entries } = (await store.load(h.id))!;
    const snapshot = JSON.stringify(entries);
    const engineOnly = entries.filter((e) => ENGINE_KINDS.includes(e.entry.kind));
    expect(engineOnly.length).toBeLessThan(entries.length / 5);
    expect(JSON.stringify(replayMatch(rules, h, entries).state)).toBe(JSON.stringify(replayMatch(rules, h, engineOnly).state));
    expect(JSON.stringify(entries)).toBe(snapshot);
  });

  describe('throws on a corrupted log, naming the seq', () => {
    let h: MatchHeader;
    let entries: StoredEntry[];
    beforeAll(async () => {
      h = header(12, DOVES);
      await playLogged(store, h, DOVES, { turns: 3 });
      entries = (await store.load(h.id))!.entries;
    });
    const corrupt = (mutate: (e: StoredEntry[]) => StoredEntry) => {
      const copy = structuredClone(entries);
      const bad = mutate(copy);
      let thrown: unknown;
      try { replayMatch(rules, h, copy); } catch (err) { thrown = err; }
      expect(thrown).toBeInstanceOf(ReplayError);
      expect((thrown as ReplayError).seq).toBe(bad.seq);
      expect((thrown as Error).message).toContain(`seq ${bad.seq}`);
      return (thrown as Error).message;
    };
    const find = (e: StoredEntry[], kind: LogEntry['kind'], n = 0) => e.filter((x) => x.entry.kind === kind)[n];

    it('a resolve for the wrong turn', () => {
      expect(corrupt((e) => { const r = find(e, 'resolve', 1); (r.entry as { turn: number }).turn = 5; return r; })).toMatch(/turn 5 but the match is at turn 1/);
    });
    it('a resolve missing (the next quarter\'s entries arrive too early)', () => {
      const msg = corrupt((e) => { const r = find(e, 'resolve', 0); e.splice(e.indexOf(r), 1); return e.find((x) => x.seq > r.seq && ENGINE_KINDS.includes(x.entry.kind))!; });
      expect(msg).toMatch(/for turn 1 but the match is at turn 0/);
    });
    it('an answer to a proposal that was never made', () => {
      expect(corrupt((e) => { const r = find(e, 'respond'); (r.entry as { key: number }).key = 77; return r; })).toMatch(/no proposal #77/);
    });
    it('a proposal the rules do not have', () => {
      expect(corrupt((e) => { const r = find(e, 'propose'); (r.entry as { proposalId: string }).proposalId = 'worldPeace'; return r; })).toMatch(/worldPeace/);
    });
    it('an injected card that is not in the deck', () => {
      expect(corrupt((e) => { const r: StoredEntry = { seq: e[e.length - 1].seq + 1, at: e[0].at, entry: { kind: 'inject', turn: 3, cardId: 'aliens' } }; e.push(r); return r; })).toMatch(/no event "aliens"/);
    });
    it('seqs out of order', () => {
      expect(corrupt((e) => { [e[3], e[4]] = [e[4], e[3]]; return e[4]; })).toMatch(/out of order/);
    });
    it('a resolve after the match is over', async () => {
      const done = header(3, HAWKS);
      await playLogged(store, done, HAWKS);
      const all = (await store.load(done.id))!.entries;
      // the match may have ended early (a catastrophe), so resolve "the next" quarter of whatever turn it ended on
      const endTurn = replayMatch(rules, done, all).state.turn;
      const extra: StoredEntry = { seq: all[all.length - 1].seq + 1, at: all[0].at, entry: { kind: 'resolve', turn: endTurn, orders: {} } };
      expect(() => replayMatch(rules, done, [...all, extra])).toThrow(new RegExp(`seq ${extra.seq}: resolve: the match is over`));
    });
  });
});

describe('matchRecord', () => {
  let store: MatchStore;
  let h: MatchHeader;
  let entries: StoredEntry[];
  let live: Live;
  let finished: { header: MatchHeader; entries: StoredEntry[] };
  beforeAll(async () => {
    store = new SqliteMatchStore({ path: ':memory:' });
    h = header(2028, HAWKS);
    live = await playLogged(store, h, HAWKS, { turns: 6, inject: { turn: 1, cardId: 'yieldBreakthrough' } });
    entries = (await store.load(h.id))!.entries;
    const f = header(2029, DOVES);
    await playLogged(store, f, DOVES);
    finished = (await store.load(f.id))!;
  });

  it('full: seed, every quarter\'s orders, events and state, all chat, people without secrets', () => {
    const rec = matchRecord(rules, h, entries, { full: true }) as FullMatchRecord;
    expect(rec.full).toBe(true);
    expect(rec.seed).toBe(2028);
    expect(rec.rules).toEqual({ name: rules.name, file: 'default.yaml', version: rules.version });
    expect(rec.settings).toEqual(h.settings);
    expect(rec.status).toBe('open');
    expect(rec.started).toBe(true);
    expect(rec.turns).toHaveLength(6);
    rec.turns.forEach((t, i) => {
      expect(JSON.stringify(t.state)).toBe(JSON.stringify(live.turns[i].state));
      expect(t.orders).toEqual(live.turns[i].orders);
      expect(t.events).toEqual(live.turns[i].events);
    });
    expect(rec.turns.some((t) => t.events.some((e) => e.visibleTo !== 'all'))).toBe(true);
    expect(rec.turns[0].settingsChanges.some((c) => c.setting === 'exportTier' && c.role === 'usGov')).toBe(true);
    expect(rec.timeline).toEqual(live.state.timeline);
    expect(rec.chat).toHaveLength(18);
    expect(rec.chat[0]).toMatchObject({ from: 'US Government player', fromRole: 'usGov', to: 'all' });
    expect(rec.people.map((p) => p.name)).toEqual([...rules.roles.map((r) => `${r.name} player`), 'Projector']);
    expect(rec.people[0]).toEqual({ name: 'US Government player', role: 'usGov', roleName: 'US Government', spectator: false, removed: false, agent: false, joinedAt: entries[0].at });
    expect(rec.ending).toBeNull();
    const json = JSON.stringify(rec);
    expect(json).not.toContain('tokenhash-');
    expect(json).not.toContain(FACILITATOR_HASH);
    expect(json).not.toContain('person-');
  });

  it('public: no hidden number of either side, no orders, no hidden events, only public chat', () => {
    const rec = matchRecord(rules, h, entries, { full: false }) as PublicMatchRecord;
    expect(rec.full).toBe(false);
    const json = JSON.stringify(rec);
    for (const forbidden of ['"seed":', '"orders":{', '"state":{', '"before":', '"rulesText":', 'SECRET-PLAN', 'TEACHER-NOTE', 'tokenhash-', FACILITATOR_HASH]) expect(json).not.toContain(forbidden);
    expect(rec.chat.map((c) => c.to)).toEqual(Array(6).fill('all'));
    for (const t of rec.turns) for (const e of t.events) expect(e.visibleTo).toBe('all');
    expect(rec.view.finalTimeline).toBeNull();
    expect(rec.view.world.turn).toBe(6);
    // the proof: collect every number each side kept hidden, in every quarter, and find none in the record
    const states = [initialState(rules, h.seed), ...live.turns.map((t) => t.state)];
    const seen = numbersIn(rec);
    let checked = 0;
    for (const side of ['us', 'china'] as const) {
      for (const secret of hiddenNumbers(rules, states, side)) {
        checked++;
        expect(seen.has(secret), `${side}'s hidden ${secret} is in the public record`).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(300);
    // and the same numbers are there in the full record, so the check can see them
    const fullSeen = numbersIn(matchRecord(rules, h, entries, { full: true }));
    const inFull = [...hiddenNumbers(rules, live.turns.map((t) => t.state), 'china')].filter((v) => !fullSeen.has(v));
    expect(inFull).toEqual([]);
  });

  it('after the end: ending, scores and the true history; the full record is open to everyone', () => {
    expect(finished.header.status).toBe('finished');
    expect(canSeeFullRecord(finished.header, false)).toBe(true);
    expect(canSeeFullRecord(h, false)).toBe(false);
    expect(canSeeFullRecord(h, true)).toBe(true);
    const rec = matchRecord(rules, finished.header, finished.entries, { full: canSeeFullRecord(finished.header, false) }) as FullMatchRecord;
    expect(rec.status).toBe('finished');
    expect(rec.endReason).toBe('the last quarter was played');
    expect(rec.ending).not.toBeNull();
    expect(Object.keys(rec.scores!).sort()).toEqual(rules.roles.map((r) => r.id).sort());
    expect(rec.turns).toHaveLength(rules.calendar.turns);
    expect(rec.diplomacy.length).toBeGreaterThan(0);
    expect(rec.diplomacy[0].by).toMatch(/player$/);
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
  });

  it('reuses a replay it is given', () => {
    const replay = replayMatch(rules, h, entries);
    expect(matchRecord(rules, h, entries, { full: true, replay })).toEqual(matchRecord(rules, h, entries, { full: true }));
  });
});

describe('CSV exports', () => {
  let full: FullMatchRecord;
  let pub: PublicMatchRecord;
  let oddRules: RuleFile;
  beforeAll(async () => {
    const store = new SqliteMatchStore({ path: ':memory:' });
    // names a CSV must quote: commas, quotes, a line break, and one a spreadsheet would run as a formula
    oddRules = structuredClone(rules);
    oddRules.roles[0].name = 'US Gov, "the hawks"\nteam';
    oddRules.roles[0].levers[0].name = '=HYPERLINK("http://x")';
    oddRules.regions[0].name = 'Region, with comma';
    const h = { ...header(77, HAWKS), rulesText: '' };
    await playLogged(store, h, HAWKS, { rules: oddRules });
    const { entries } = (await store.load(h.id))!;
    full = matchRecord(oddRules, h, entries, { full: true }) as FullMatchRecord;
    pub = matchRecord(oddRules, { ...h, status: 'open' }, entries, { full: false }) as PublicMatchRecord;
  });

  it('timeline: a header row and one row per quarter plus the start, numbers rounded', () => {
    const csv = timelineCsv(full);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...TIMELINE_COLUMNS]);
    expect(rows).toHaveLength(1 + rules.calendar.turns + 1);
    for (const r of rows) expect(r).toHaveLength(TIMELINE_COLUMNS.length);
    expect(rows[1].slice(0, 2)).toEqual(['0', 'Start']);
    expect(rows[2][1]).toBe(full.turns[0].quarter);
    const last = full.timeline[full.timeline.length - 1];
    expect(Number(rows.at(-1)![2])).toBeCloseTo(last.lead, 2);
    expect(Number(rows.at(-1)![7])).toBe(Math.round(last.effectiveCompute.us));
    expect(Number(rows.at(-1)![9]) / last.computeCost.us).toBeCloseTo(1, 3);
    for (const r of rows.slice(1)) for (const c of r.slice(2, TIMELINE_COLUMNS.indexOf('Ending'))) {
      expect(c).toMatch(/^-?\d+(\.\d+)?$/);
      expect(c.replace(/^-?0\.0*/, '').replace('.', '').length).toBeLessThanOrEqual(12);
    }
  });

  it('timeline from a public record: hidden columns empty', () => {
    const rows = parseCsv(timelineCsv(pub));
    expect(rows).toHaveLength(1 + rules.calendar.turns + 1);
    for (const r of rows.slice(1)) {
      expect(r.slice(2, 11)).toEqual(Array(9).fill(''));
      expect(r[11]).not.toBe('');
    }
  });

  it('decisions: one row per quarter, role and lever, plus setting changes, quoted and defused', () => {
    const csv = decisionsCsv(full);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...DECISION_COLUMNS]);
    const levers = oddRules.roles.reduce((n, r) => n + r.levers.length, 0);
    const changes = full.turns.reduce((n, t) => n + t.settingsChanges.length, 0);
    expect(changes).toBeGreaterThan(0);
    // after the quarters: the ending, and a score per role
    expect(rows).toHaveLength(1 + rules.calendar.turns * levers + changes + (full.ending ? 1 + oddRules.roles.length : 0));
    for (const r of rows) expect(r).toHaveLength(DECISION_COLUMNS.length);
    const gov = rows.filter((r) => r[2] === 'US Gov, "the hawks"\nteam');
    expect(gov.length).toBeGreaterThan(0);
    expect(csv).toContain('"US Gov, ""the hawks""\nteam"');
    expect(rows.some((r) => r[3] === `'=HYPERLINK("http://x")`)).toBe(true);
    expect(rows.every((r) => !r[3].startsWith('='))).toBe(true);
    const first = rows[1];
    // the record's numbering: turn 0 is the first quarter
    expect(first.slice(0, 4)).toEqual([String(full.turns[0].turn), full.turns[0].quarter, oddRules.roles[0].name, `'${oddRules.roles[0].levers[0].name}`]);
    expect(Number(first[4])).toBeCloseTo(full.turns[0].orders[oddRules.roles[0].id].spend[oddRules.roles[0].levers[0].id], 3);
    const tier = rows.find((r) => r[3].startsWith('Export tier: '))!;
    expect(tier[4]).toBe('');
    expect(['open', 'licensed', 'embargo']).toContain(tier[5]);
    expect(['open', 'licensed', 'embargo']).toContain(tier[6]);
    expect(rows.some((r) => r[3] === 'Export tier: Region, with comma') || !full.turns.some((t) => t.settingsChanges.some((c) => c.region === oddRules.regions[0].id))).toBe(true);
    for (const r of rows.slice(1)) if (r[4] !== '') expect(r[4]).toMatch(/^\d+(\.\d{1,3})?$/);
  });

  it('decisions from a public record: the header alone', () => {
    expect(decisionsCsv(pub)).toBe(DECISION_COLUMNS.join(',') + '\r\n');
  });

  it('quotes what must be quoted and nothing else', () => {
    expect(toCsv(['a', 'b'], [['plain', 1.5], ['x,y', 'say "hi"'], [' padded', null], ['-1 minus', -2], ['line\r\nbreak', '@sum']]))
      .toBe('a,b\r\nplain,1.5\r\n"x,y","say ""hi"""\r\n" padded",\r\n\'-1 minus,-2\r\n"line\r\nbreak",\'@sum\r\n');
    expect(significant(0.0000312345, 4)).toBe(0.00003123);
    expect(String(significant(1.23456e-9, 3))).toBe('0.00000000123');
    expect(toCsv(['x'], [[significant(-1.23456e-9, 3)]])).toBe('x\r\n-0.00000000123\r\n');
  });
});
