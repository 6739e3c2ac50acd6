// The default rules must reproduce the five calibration targets of the design (game.md).
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { runBotMatch, type Seating } from '../../shared/sim/botMatch.ts';
import { initialState } from '../../shared/engine/setup.ts';
import { leadMonths } from '../../shared/engine/state.ts';
import { distillationGain } from '../../shared/engine/training.ts';
import type { Personality } from '../../shared/bots/personalities.ts';

const rules = defaultRules();
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const everyone = (p: Personality): Seating => ({ usGov: p, usLab: p, cnGov: p, cnLab: p });
const finalLeads = (seating: Seating) => SEEDS.map((seed) => leadMonths(runBotMatch(rules, seed, seating).state));
const share = (xs: number[], ok: (x: number) => boolean) => xs.filter(ok).length / xs.length;

describe('default.yaml calibration', () => {
  it('1. starts with a US lead between 12 and 18 months', () => {
    const lead = leadMonths(initialState(rules, 1));
    expect(lead).toBeGreaterThanOrEqual(12);
    expect(lead).toBeLessThanOrEqual(18);
  });

  it('2. under status-quo policies China pays about 10x the US per unit of effective compute by the end of 2027', () => {
    // timeline[6] is the world after six quarters: Q3 2026 .. Q4 2027
    const points = SEEDS.slice(0, 50).map((seed) => runBotMatch(rules, seed, everyone('status-quo')).state.timeline[6])
      .filter((p) => p !== undefined); // a match ended early by a catastrophe has no Q4 2027
    expect(points.length).toBeGreaterThan(40);
    expect(points[0].label).toBe('Q4 2027');
    const ratios = points.map((p) => p.computeCost.china / p.computeCost.us);
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThanOrEqual(6);
    expect(mean).toBeLessThanOrEqual(14);
  });

  it('3. with weak US controls (dove) against an all-out China (hawk), China closes to under 6 months by Q4 2028 in most runs', () => {
    const leads = finalLeads({ usGov: 'dove', usLab: 'dove', cnGov: 'hawk', cnLab: 'hawk' });
    expect(share(leads, (x) => x < 6)).toBeGreaterThan(0.5);
  });

  it('4. with strict controls, funded enforcement and anti-distillation on all sides (hawk), the US holds a 12-24 month lead in most runs', () => {
    const leads = finalLeads(everyone('hawk'));
    expect(share(leads, (x) => x >= 12 && x <= 24)).toBeGreaterThan(0.5);
  });

  it('5. one undetected campaign the size of the real one closes 1-4 months of the gap', () => {
    const d = rules.model.distillation;
    const accounts = 24_000;
    const exchangesMillions = (accounts * d.exchangesPerAccount) / 1e6;
    expect(exchangesMillions).toBeGreaterThanOrEqual(16);
    const gap = leadMonths(initialState(rules, 1));
    const gain = distillationGain(rules, gap, 16);
    expect(gain).toBeGreaterThanOrEqual(1);
    expect(gain).toBeLessThanOrEqual(4);
  });
});
