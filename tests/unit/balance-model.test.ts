// Every seat's decisions change the outcome: the "What must hold" lines of issue 9, over seeded bot matches of default.yaml.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { run, everyone, matchups, dominance, exportPackage, noAntiDistillation, ROLES, MOODS, type Summary } from '../helpers/balance.ts';
import type { RuleFile } from '../../shared/rules/schema.ts';

const rules = defaultRules();
const N = 200;
const sq = run(rules, everyone('status-quo'), N);
const table = matchups(rules, N);
const endingShift = (a: Summary, b: Summary) =>
  Math.max(...Object.keys({ ...a.endings, ...b.endings }).map((k) => Math.abs((a.endings[k] ?? 0) - (b.endings[k] ?? 0))));

describe('default.yaml: every seat matters', () => {
  it('every role has a bot that moves its own mean score by 5+ points and the lead p50 by 1.5+ months (or an ending by 10+ points)', () => {
    for (const role of ROLES) {
      const base = table[role]['status-quo'];
      const moves = MOODS.filter((m) => m !== 'status-quo').map((m) => {
        const s = table[role][m];
        return { m, score: s.scores[role] - base.scores[role], lead: s.lead.p50 - base.lead.p50, ending: endingShift(s, base) };
      });
      const strong = moves.filter((x) => Math.abs(x.score) >= 5 && (Math.abs(x.lead) >= 1.5 || x.ending >= 0.1));
      expect(strong.length, `${role}: ${JSON.stringify(moves)}`).toBeGreaterThan(0);
    }
  });

  it('no personality is best, and none worst, for its role in all four opposing seatings', () => {
    const { table: dom } = dominance(rules, 150);
    for (const role of ROLES) {
      const best = new Set(dom[role].map((d) => d.best));
      const worst = new Set(dom[role].map((d) => d.worst));
      expect(best.size, `${role} best: ${dom[role].map((d) => d.best)}`).toBeGreaterThan(1);
      expect(worst.size, `${role} worst: ${dom[role].map((d) => d.worst)}`).toBeGreaterThan(1);
    }
  });

  it('all status quo: the lead erodes to 6-12 months by Q4 2028, at most half the matches in the 12-24 band', () => {
    expect(sq.lead.p50).toBeGreaterThanOrEqual(6);
    expect(sq.lead.p50).toBeLessThanOrEqual(12);
    expect(sq.sweet).toBeLessThanOrEqual(0.5);
  });

  it('luck matters less than strategy: the status-quo p10-p90 spread is smaller than the largest lead change one role makes', () => {
    let largest = 0;
    for (const role of ROLES) for (const m of MOODS) largest = Math.max(largest, Math.abs(table[role][m].lead.p50 - sq.lead.p50));
    expect(sq.lead.p90 - sq.lead.p10).toBeLessThan(largest);
  });
});

describe('default.yaml: fidelity', () => {
  it('against an all-out China the full export-control package matters at least as much as anti-distillation', () => {
    const hawkChina = { usGov: 'status-quo', usLab: 'status-quo', cnGov: 'hawk', cnLab: 'hawk' } as const;
    const base = run(rules, hawkChina, N).lead.p50;
    const pkg = run(rules, hawkChina, N, { usGov: exportPackage }).lead.p50 - base;
    const antiDistillation = base - run(rules, hawkChina, N, { usLab: noAntiDistillation }).lead.p50;
    expect(pkg).toBeGreaterThan(0.5);
    expect(pkg).toBeGreaterThanOrEqual(antiDistillation);
  });

  it('Chinese domestic chips deliver about half an H100\'s performance per watt', () => {
    // a domestic H100e needs domesticPowerFactor times the power of an H100e of the newest chips (1.4 kW, an H100 with its share of the data centre)
    expect(1 / rules.model.chips.domesticPowerFactor).toBeGreaterThanOrEqual(0.45);
    expect(1 / rules.model.chips.domesticPowerFactor).toBeLessThanOrEqual(0.55);
  });

  it('under the status quo, enforcement seizes 5-15% of smuggled chips', () => {
    expect(sq.seizure).toBeGreaterThanOrEqual(0.05);
    expect(sq.seizure).toBeLessThanOrEqual(0.15);
  });

  it('diplomacy has teeth: removing every proposal changes some role\'s mean score by 3+ points', () => {
    const noDeals: RuleFile = { ...rules, proposals: [] };
    const withDeals = run(rules, everyone('dove'), N);
    const without = run(noDeals, everyone('dove'), N);
    const biggest = Math.max(...ROLES.map((r) => Math.abs(withDeals.scores[r] - without.scores[r])));
    expect(biggest).toBeGreaterThanOrEqual(3);
  });

  it('catastrophes: all doves at most half as often as all hawks, and all hawks at least 3% of matches', () => {
    const hawk = run(rules, everyone('hawk'), N).endings.catastrophe ?? 0;
    const dove = run(rules, everyone('dove'), N).endings.catastrophe ?? 0;
    expect(hawk).toBeGreaterThanOrEqual(0.03);
    expect(dove).toBeLessThanOrEqual(hawk / 2);
  });
});
