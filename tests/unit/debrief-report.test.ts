// The counterfactual after-action report: each counterfactual is what a real replay of the changed log produces.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { botMatchLog } from '../../shared/debrief/bot-log.ts';
import { prepare, replayBranch } from '../../shared/debrief/branch.ts';
import { afterActionReport, outcomeOf } from '../../shared/debrief/counterfactual.ts';
import { debriefMatch } from '../../shared/debrief/debrief.ts';
import { saidVsDid } from '../../shared/debrief/said-did.ts';
import { fitOrder } from '../../shared/engine/resolve.ts';
import { complyWith } from '../../shared/bots/personalities.ts';
import { newMatch } from '../../shared/match/match.ts';
import { applyAll } from '../../shared/match/apply.ts';
import type { StoredEntry } from '../../shared/match/log.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';

const rules = defaultRules();
const BOTS = { usGov: 'opportunist', usLab: 'dove', cnGov: 'hawk', cnLab: 'random' } as const;

/** The log with one resolve entry's order replaced: what the match would have stored had the team ordered that. */
function changedLog(entries: readonly StoredEntry[], turn: number, role: string, order: unknown): StoredEntry[] {
  return entries.map((s) => (s.entry.kind === 'resolve' && s.entry.turn === turn ? { ...s, entry: { ...s.entry, orders: { ...s.entry.orders, [role]: order as never } } } : s));
}

describe('the counterfactual after-action report', () => {
  const seed = 42;
  const played = botMatchLog(rules, seed, { bots: BOTS });
  const src = prepare(rules, played.settings, seed, played.entries);
  const report = afterActionReport(src);

  it('replays the original exactly when nothing is changed', () => {
    const same = replayBranch(src).match.state;
    expect(JSON.stringify(same)).toBe(JSON.stringify(played.match.state));
  });

  it('has a counterfactual for every team and quarter whose order differed from the alternative, each equal to a real replay of the changed log', () => {
    expect(played.match.quarters.length).toBe(rules.calendar.turns);
    expect(report.counterfactuals.length).toBeGreaterThan(rules.roles.length * 5);
    let checked = 0;
    for (const c of report.counterfactuals) {
      const branch = replayBranch(src, { turn: c.turn, role: c.role, order: c.replacement });
      if (branch.skipped) continue; // a real log with a refused step would not replay: the branch's rule, tested below
      const real = applyAll(newMatch(played.settings, rules, seed), changedLog(played.entries, c.turn, c.role, c.replacement));
      expect(JSON.stringify(branch.match.state)).toBe(JSON.stringify(real.state));
      expect(c.outcome).toEqual(outcomeOf(real.state));
      const actual = outcomeOf(played.match.state);
      expect(c.sideGain).toBeCloseTo((c.side === 'us' ? 1 : -1) * (actual.lead - real.state.sides.us.capability + real.state.sides.china.capability), 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('ranks five decisions for the match and two per team, in sentences built from the numbers', () => {
    expect(report.top.length).toBe(5);
    for (const role of rules.roles) expect(report.topByRole[role.id].length).toBeLessThanOrEqual(2);
    const keys = report.top.map((c) => `${c.role}/${c.turn}`);
    expect(new Set(keys).size).toBe(keys.length);
    const first = report.top[0];
    expect(first.sentence).toContain(first.roleName);
    expect(first.sentence).toContain(first.quarter);
    if (Math.abs(first.sideGain) >= 0.05) expect(first.sentence).toContain(Math.abs(first.sideGain).toFixed(1));
    // ranked: a changed ending first, then months of lead
    for (let i = 1; i < report.top.length; i++) {
      const a = report.top[i - 1], b = report.top[i];
      if (a.endingChanged === b.endingChanged) expect(Math.abs(a.sideGain)).toBeGreaterThanOrEqual(Math.abs(b.sideGain) - 1e-9);
      else expect(a.endingChanged).toBe(true);
    }
  });

});

describe('a branch the log no longer fits', () => {
  it('skips what the changed world refuses and renumbers later proposals, so every later answer meets its own proposal', () => {
    // a breach kept: the agreement stays in force, so its re-proposal later is refused and later keys shift by one;
    // a match (of the first forty seeds) where an agreement is broken and proposed again
    let found: { played: ReturnType<typeof botMatchLog>; branch: ReturnType<typeof replayBranch> } | null = null;
    for (let seed = 1; seed <= 40 && !found; seed++) {
      const played = botMatchLog(rules, seed, { bots: { usGov: 'opportunist', usLab: 'opportunist', cnGov: 'opportunist', cnLab: 'opportunist' } });
      const src = prepare(rules, played.settings, seed, played.entries);
      for (const a of saidVsDid(src).agreements) {
        if (!a.broken || !played.match.diplomacy.some((d) => d.kind === 'propose' && d.proposalId === a.proposalId && d.turn > a.broken!.turn)) continue;
        const q = played.match.quarters[a.broken.turn];
        const order = fitOrder(rules, q.before!, a.broken.by, complyWith(rules, q.before!, a.broken.by, structuredClone(q.orders[a.broken.by])));
        const branch = replayBranch(src, { turn: q.turn, role: a.broken.by, order });
        if (branch.skipped > 0 && branch.match.diplomacy.some((d) => d.kind === 'respond')) { found = { played, branch }; break; }
      }
    }
    expect(found, 'some match re-proposes an agreement it broke, and keeping it refuses the re-proposal').not.toBeNull();
    const { played, branch } = found!;
    const original = new Map(played.match.diplomacy.map((d) => [d.seq, d]));
    let answers = 0;
    for (const d of branch.match.diplomacy) {
      if (d.kind !== 'respond') continue;
      const o = original.get(d.seq)!;
      expect([d.proposalId, d.from, d.to]).toEqual([o.proposalId, o.from, o.to]);
      answers++;
    }
    expect(answers).toBeGreaterThan(0);
    // every answer whose proposal the branch made is there (none lost to a stale key)
    const made = new Set(branch.match.diplomacy.filter((d) => d.kind === 'propose').map((d) => d.seq));
    const keySeq = new Map(played.match.diplomacy.filter((d) => d.kind === 'propose').map((d) => [d.key, d.seq]));
    const due = played.match.diplomacy.filter((d) => d.kind === 'respond' && made.has(keySeq.get(d.key)!) && d.turn < branch.match.state.turn);
    expect(answers).toBe(due.length);
    expect(branch.match.state.finished).toBe(true);
  });
});

describe('the report of a match that ended early', () => {
  it('is complete when the facilitator ended it after four quarters', () => {
    const played = botMatchLog(rules, 7, { bots: BOTS, endAfter: 4 });
    expect(played.match.state.finished).toBe(true);
    const d = debriefMatch(rules, played.settings, 7, played.entries);
    expect(d.finished).toBe(true);
    expect(d.report.actual.quarters).toBe(4);
    expect(d.report.actual.ending).not.toBeNull();
    const pairs = new Set(d.report.counterfactuals.map((c) => `${c.role}/${c.turn}`));
    expect([...pairs].every((p) => Number(p.split('/')[1]) < 4)).toBe(true);
    // every branch ends where the facilitator ended the match, with an ending and every role's score
    for (const c of d.report.counterfactuals) {
      expect(c.outcome.quarters).toBe(4);
      expect(c.outcome.ending).not.toBeNull();
      expect(Object.keys(c.outcome.scores).sort()).toEqual(rules.roles.map((r) => r.id).sort());
    }
    expect(d.belief.points.length).toBe(4 * 2 * 3);
    for (const role of rules.roles) expect(d.prompts[role.id].length).toBeGreaterThan(0);
  });

  it('is complete when the facilitator ended it before any quarter resolved', () => {
    const settings = botMatchLog(rules, 1, { bots: BOTS, endAfter: 1 }).settings;
    const entries: StoredEntry[] = [{ kind: 'start' }, { kind: 'end', reason: 'the facilitator ended the match' }].map((entry, i) => ({ seq: i + 1, at: '', entry: entry as StoredEntry['entry'] }));
    const d = debriefMatch(rules, settings, 1, entries);
    expect(d.finished).toBe(true);
    expect(d.report.actual.ending).not.toBeNull();
    expect(d.report.counterfactuals).toEqual([]);
    expect(d.belief.points).toEqual([]);
    for (const role of rules.roles) expect(d.prompts[role.id].length).toBeGreaterThan(0);
  });

  it('is complete after a catastrophe, and a branch that avoids it plays the missing quarters on repeated orders', () => {
    const risky: RuleFile = structuredClone(rules);
    risky.model.incidents.catastrophicShare = 1;
    risky.model.incidents.baseRisk = 0.5;
    risky.model.incidents.catastropheFromTurn = 4;
    let found: { seed: number; played: ReturnType<typeof botMatchLog> } | null = null;
    for (let seed = 1; seed < 60 && !found; seed++) {
      const played = botMatchLog(risky, seed, { bots: BOTS });
      if (played.match.state.incidents.catastrophic > 0 && played.match.state.turn < risky.calendar.turns) found = { seed, played };
    }
    expect(found, 'some seed ends in a catastrophe before the last quarter').not.toBeNull();
    const { seed, played } = found!;
    const d = debriefMatch(risky, played.settings, seed, played.entries);
    expect(d.report.actual.ending?.id).toBe(played.match.state.ending!.id);
    expect(d.report.counterfactuals.length).toBeGreaterThan(0);
    for (const c of d.report.counterfactuals) {
      expect(c.outcome.ending).not.toBeNull();
      if (c.extrapolated > 0) expect(c.outcome.quarters).toBeGreaterThan(played.match.state.turn);
    }
  });
});

describe('debrief time', () => {
  it('a 10-quarter 4-role match reports in well under a second', () => {
    const played = botMatchLog(rules, 3, { bots: BOTS });
    debriefMatch(rules, played.settings, 3, played.entries);
    const t = performance.now();
    debriefMatch(rules, played.settings, 3, played.entries);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
