// The balance report: the runs it plays, the figures it derives from them, and its command line.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { balanceRuns, balanceReport, shiftedRules, varianceShares, DEFAULT_BALANCE, type BalanceOptions } from '../../shared/sim/balance.ts';
import { summarize } from '../../shared/sim/summary.ts';
import { runRange } from '../../tools/sim-worker.ts';
import { simulateCli } from '../../tools/simulate.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';

const SEEDS = 12;

function report(rules: RuleFile, o: BalanceOptions = DEFAULT_BALANCE, seeds = SEEDS) {
  const runs = balanceRuns(rules, o);
  const records = runs.map((r) => runRange(r.rules, r.spec, 3, 0, seeds));
  return { runs, records, report: balanceReport(rules, runs, records, o) };
}

describe('balance report', () => {
  const rules = defaultRules();
  const { runs, report: r } = report(rules);

  it('plays each seating once: 4 uniform + 3 others per role and opposing style, plus a lever run per lever and one unspent', () => {
    const seatRuns = runs.filter((x) => !x.lever).length;
    expect(seatRuns).toBe(4 + rules.roles.length * 4 * 3);
    expect(runs.length - seatRuns).toBe(rules.roles.reduce((a, role) => a + role.levers.length + 1, 0));
    expect(new Set(runs.map((x) => x.key)).size).toBe(runs.length);
  });

  it('has the documented shape, and its figures agree with plain runs of the same seats', () => {
    expect(r.matchesPerRun).toBe(SEEDS);
    expect(Object.keys(r.roles)).toEqual(['usGov', 'usLab', 'cnGov', 'cnLab']);
    const dove = summarize(runRange(rules, { usGov: 'dove', usLab: 'status-quo', cnGov: 'status-quo', cnLab: 'status-quo' }, 3, 0, SEEDS));
    expect(r.roles.usGov.matchup.dove).toEqual({ leadP50: dove.leadMonths.p50, ownMean: dove.scores.usGov.mean });
    expect(r.roles.usGov.dominance['status-quo'].scores.dove).toBe(dove.scores.usGov.mean);
    for (const role of Object.values(r.roles)) {
      const v = role.variance;
      expect(v.own + v.others + v.interplay + v.dice).toBeCloseTo(1, 3);
      expect(Object.keys(role.dominance)).toEqual(['status-quo', 'hawk', 'dove', 'opportunist']);
      for (const d of Object.values(role.dominance)) expect(d.scores[d.best]).toBeGreaterThanOrEqual(d.scores[d.worst]);
      expect(role.levers[0].lever).toBeNull();
      expect(role.levers[0].worth).toEqual({ leadP50: 0, ownMean: 0 });
    }
    expect(Object.values(r.endings).reduce((a, e) => a + e.statusQuo, 0)).toBeCloseTo(1, 3);
    expect(Object.keys(r.cards)).toEqual(rules.events.map((e) => e.id));
    for (const c of Object.values(r.cards)) for (const x of [c.statusQuo, c.allSeatings]) expect(x).toBeGreaterThanOrEqual(0);
    // dilemma cards and crises count as fired too (they log as kinds of their own)
    for (const id of ['defenceContract', 'smugglingTip']) expect(r.cards[id].statusQuo).toBeGreaterThan(0);
    expect(r.cards.escalationSpiral.allSeatings).toBeGreaterThan(0);
    const swing = r.roles.cnLab.scoreSwing;
    expect(swing.points).toBeCloseTo(r.roles.cnLab.matchup[swing.bot].ownMean - r.roles.cnLab.matchup['status-quo'].ownMean, 3);
  });

  it('shows a lever no mechanism reads at zero worth, and one that matters away from zero', () => {
    // a Chinese anti-distillation lever: detection is read only against a US distillation campaign,
    // and no US role runs one; with no carry-over the unspent money is lost too, so the lever run and
    // the unspent run play the same matches
    const dead = structuredClone(rules);
    const cnGov = dead.roles.find((x) => x.id === 'cnGov')!;
    cnGov.budget.carryOver = 0;
    cnGov.levers.push({ ...cnGov.levers[0], id: 'counterDistillation', name: 'Counter-distillation', effect: 'antiDistillation', statusQuo: 0 });
    expect(dead.roles.some((r) => r.side === 'us' && r.levers.some((l) => l.effect === 'distillation'))).toBe(false);
    const { report: d } = report(dead);
    const lever = d.roles.cnGov.levers.find((l) => l.lever === 'counterDistillation')!;
    expect(lever.effect).toBe('antiDistillation');
    expect(lever.worth).toEqual({ leadP50: 0, ownMean: 0 });
    // US intelligence is no such lever any more: it raises seizures and blocks technology acquisition
    const intel = d.roles.usGov.levers.find((l) => l.lever === 'intel')!;
    expect(intel.worth).not.toEqual({ leadP50: 0, ownMean: 0 });
    const distil = d.roles.cnLab.levers.find((l) => l.lever === 'distillation')!;
    expect(Math.abs(distil.worth.leadP50)).toBeGreaterThan(1);
  });

  it('with a planner, reports its figures per role against status-quo opponents, outside the pooled shares', () => {
    const { runs: withPlanner, report: p } = report(rules, { ...DEFAULT_BALANCE, planner: 'planner-easy' }, 3);
    expect(withPlanner.length).toBe(runs.length + rules.roles.length);
    for (const [id, role] of Object.entries(p.roles)) {
      expect(role.planner!.bot).toBe('planner-easy');
      expect(role.planner!.gain).toBeCloseTo(role.planner!.ownMean - role.matchup['status-quo'].ownMean, 3);
      expect(role.planner!.gainSe).toBeGreaterThanOrEqual(0);
      expect(r.roles[id].planner).toBeUndefined();
    }
  });

  it('moves a share of the status-quo split into one lever, keeping the sum', () => {
    const shifted = shiftedRules(rules, 'cnLab', 'distillation', 0.15);
    const before = rules.roles.find((x) => x.id === 'cnLab')!.levers;
    const after = shifted.roles.find((x) => x.id === 'cnLab')!.levers;
    const sum = (ls: typeof before) => ls.reduce((a, l) => a + l.statusQuo, 0);
    expect(sum(after)).toBeCloseTo(sum(before), 9);
    expect(after.find((l) => l.id === 'distillation')!.statusQuo).toBeGreaterThan(before.find((l) => l.id === 'distillation')!.statusQuo + 0.14);
    expect(sum(shiftedRules(rules, 'cnLab', null, 0.15).roles.find((x) => x.id === 'cnLab')!.levers)).toBeCloseTo(sum(before) - 0.15, 9);
  });
});

describe('varianceShares', () => {
  it('splits own strategy, the others, their interplay and the dice', () => {
    expect(varianceShares([[[1, 1], [1, 1]], [[3, 3], [3, 3]]])).toEqual({ own: 1, others: 0, interplay: 0, dice: 0 });
    expect(varianceShares([[[1, 1], [3, 3]], [[1, 1], [3, 3]]])).toEqual({ own: 0, others: 1, interplay: 0, dice: 0 });
    expect(varianceShares([[[0, 2], [0, 2]], [[0, 2], [0, 2]]])).toEqual({ own: 0, others: 0, interplay: 0, dice: 1 });
    expect(varianceShares([[[1, 1], [3, 3]], [[3, 3], [1, 1]]])).toEqual({ own: 0, others: 0, interplay: 1, dice: 0 });
  });
});

describe('npm run simulate -- --balance', () => {
  it('prints the report as JSON, and refuses flags that do not go with it', async () => {
    let out = '', err = '';
    const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; }, tty: false };
    expect(await simulateCli(['--balance', '--seeds', '4', '--json', '--workers', '0'], io)).toBe(0);
    expect(err).toBe('');
    const j = JSON.parse(out);
    expect(j.matchesPerRun).toBe(4);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['baseline', 'roles', 'cards', 'endings', 'runs', 'share', 'matchesPerSecond']));
    let e2 = '';
    const io2 = { out: () => {}, err: (t: string) => { e2 += t; }, tty: false };
    expect(await simulateCli(['--balance', '--matches', '5'], io2)).toBe(2);
    expect(e2).toMatch(/--balance plays its own runs; it takes --seeds, not --matches/);
    expect(await simulateCli(['--grid'], io2)).toBe(2);
    expect(e2).toMatch(/--grid goes with --balance/);
  });
});
