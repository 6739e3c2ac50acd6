// Warnings about valid rule files: the month figures texts quote, and the engine probe of levers.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { quotedMonths, ruleWarnings } from '../../shared/sim/rule-warnings.ts';

describe('quotedMonths', () => {
  it('reads ranges and single figures in digits or words, months or years', () => {
    expect(quotedMonths('A lead in the 12–24 month sweet spot')).toEqual({ ranges: [[12, 24]], singles: [] });
    expect(quotedMonths('a lead of one to two years')).toEqual({ ranges: [[12, 24]], singles: [] });
    expect(quotedMonths('grown beyond two years, or 18 months')).toEqual({ ranges: [], singles: [24, 18] });
    expect(quotedMonths('6-12 months')).toEqual({ ranges: [[6, 12]], singles: [] });
    expect(quotedMonths('No numbers here.')).toEqual({ ranges: [], singles: [] });
  });
});

describe('ruleWarnings on the default rules', () => {
  const rules = defaultRules();
  it('finds a lever nothing reads when its mechanism is switched off, and none before', () => {
    const dead = (w: { message: string }) => /no mechanism reads this lever/.test(w.message);
    expect(ruleWarnings(rules).filter(dead)).toEqual([]);
    const off = structuredClone(rules);
    off.model.capability.researchMonthsMax = 0;
    const found = ruleWarnings(off).filter(dead).map((w) => w.path.join('.'));
    const research = rules.roles.flatMap((r, i) => r.levers.map((l, k) => ({ l, path: ['roles', i, 'levers', k, 'effect'].join('.') }))).filter((x) => x.l.effect === 'algorithms');
    expect(found.sort()).toEqual(research.map((x) => x.path).sort());
  });
});
