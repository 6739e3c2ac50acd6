// The six-player variant: the design's optional roles (EU & allies, a Tier-2 hub) load, play, and have choices that matter.
import { describe, it, expect } from 'vitest';
import { loadRulesFile } from '../../shared/rules/load.ts';
import { rulesPath } from '../helpers/rules.ts';
import { summarize } from '../../shared/sim/summary.ts';
import { runRange } from '../../tools/sim-worker.ts';
import type { BotsSpec, SeatChoice } from '../../shared/sim/seating.ts';
import { ruleWarnings } from '../../shared/sim/rule-warnings.ts';
import { runBotMatch } from '../../shared/sim/botMatch.ts';

const rules = loadRulesFile(rulesPath('six-player.yaml'));
const everyone = (p: SeatChoice): BotsSpec => Object.fromEntries(rules.roles.map((r) => [r.id, p]));

describe('six-player.yaml', () => {
  it('has the four roles of the default rules and the two optional ones, with their own settings', () => {
    expect(rules.roles.map((r) => r.id)).toEqual(['usGov', 'usLab', 'cnGov', 'cnLab', 'euAllies', 'tier2Hub']);
    expect(rules.roles.find((r) => r.id === 'euAllies')!.settings).toEqual(['globalLicensing']);
    expect(rules.roles.find((r) => r.id === 'tier2Hub')!.settings).toEqual(['hubCompliance']);
  });

  it.each(['euAllies', 'tier2Hub'])('%s: some style moves its own mean score by 5 points or more against status-quo opponents', (roleId) => {
    const mean = (spec: BotsSpec) => summarize(runRange(rules, spec, 9, 0, 60)).scores[roleId].mean;
    const base = mean(everyone('status-quo'));
    const swings = (['hawk', 'dove', 'opportunist'] as const).map((p) => Math.abs(mean({ ...everyone('status-quo'), [roleId]: p }) - base));
    expect(Math.max(...swings)).toBeGreaterThanOrEqual(5);
  });

  it('plays whole matches with every style in every seat', () => {
    for (const p of ['hawk', 'dove', 'opportunist', 'random'] as const) {
      const s = summarize(runRange(rules, everyone(p), 1, 0, 10));
      expect(Object.values(s.endings).reduce((a, b) => a + b, 0)).toBe(10);
    }
  });

  it('checks clean: no warnings from the rule checker', () => {
    expect(ruleWarnings(rules).map((f) => `${f.path.join('.')}: ${f.message}`)).toEqual([]);
  });

  it('puts dilemmas to the optional roles too', () => {
    const put = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      for (const t of runBotMatch(rules, seed, everyone('hawk') as Record<string, 'hawk'>, true).log!) for (const e of t.events) if (e.kind === 'dilemma' && e.ref) put.add(e.ref);
    }
    for (const id of ['transitDeal', 'toolServicing']) expect(put).toContain(id);
    const roles = new Set(rules.events.filter((e) => e.dilemma).map((e) => e.dilemma!.role));
    expect([...roles].sort()).toEqual(['cnLab', 'euAllies', 'tier2Hub', 'usGov']);
  });
});
