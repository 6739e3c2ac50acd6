// The arena with its embedded server: the JavaScript and Python reference agents play seeded matches against each
// other and the bots; the report has each agent's scores per role with intervals, the ending mix, and agent-held seats.
import { describe, it, expect } from 'vitest';
import { arenaCli, parseArenaOptions, seating, agentLabels, commandOf } from '../../tools/arena.ts';
import { interval, t975 } from '../../tools/arena-report.ts';

function capture() {
  let out = '', err = '';
  return { io: { out: (s: string) => { out += s; }, err: (s: string) => { err += s; } }, out: () => out, err: () => err };
}

describe('the arena', () => {
  it('plays the reference agents against each other and the bots, and reports scores per role, intervals and endings', async () => {
    const c = capture();
    const code = await arenaCli(['--agent', 'docs/examples/agent.mjs', '--agent', 'docs/examples/agent.py', '--matches', '4', '--seed', '7', '--json'], c.io);
    expect(code, c.err()).toBe(0);
    const report = JSON.parse(c.out());
    expect(report.matches).toBe(4);
    expect(report.finished).toBe(4);
    expect(report.failures).toEqual([]);
    // progress: one line a match on stderr
    expect(c.err().match(/^\[\d\/4\] /gm)).toHaveLength(4);
    expect(report.agents.map((a: any) => a.agent)).toEqual(['agent.mjs', 'agent.py']);
    for (const a of report.agents) {
      // four matches turn the seating through all four roles: each agent played each role once
      expect(a.byRole.map((r: any) => r.role).sort()).toEqual(['cnGov', 'cnLab', 'usGov', 'usLab']);
      for (const r of a.byRole) expect(r).toMatchObject({ n: 1, low: null, high: null });
      expect(a.overall.n).toBe(4);
      expect(a.overall.low).toBeLessThanOrEqual(a.overall.mean);
      expect(a.overall.high).toBeGreaterThanOrEqual(a.overall.mean);
      expect(a.meanCalls).toBeGreaterThan(10);
      expect(a.agentQuarterShare).toBe(1);
    }
    expect(report.endings.reduce((n: number, e: any) => n + e.count, 0)).toBe(4);
    expect(report.bots[0].personality).toBe('status-quo');
    // seeded: match i plays seed 7 + i - 1; the agents sit on opposite sides; the record marks their seats as agents'
    expect(report.results.map((r: any) => r.seed)).toEqual([7, 8, 9, 10]);
    for (const r of report.results) {
      const [a, b] = r.seats;
      expect(a.role.slice(0, 2)).not.toBe(b.role.slice(0, 2));
      for (const s of r.seats) {
        expect(s.heldByAgent).toBe(true);
        expect(s.agentQuarters).toBe(s.quarters);
        expect(s.quarters).toBeGreaterThan(0);
        expect(s.exitCode).toBe(0);
        expect(typeof s.score).toBe('number');
      }
      expect(r.bots.map((x: any) => x.role).sort()).toHaveLength(2);
    }
  }, 180_000);

  it('seats agents evenly around the roles and turns the seating each match', () => {
    const roles = ['usGov', 'usLab', 'cnGov', 'cnLab'];
    expect([0, 1, 2, 3].map((i) => seating(roles, 2, i))).toEqual([['usGov', 'cnGov'], ['usLab', 'cnLab'], ['cnGov', 'usGov'], ['cnLab', 'usLab']]);
    expect(seating(roles, 1, 5)).toEqual(['usLab']);
    expect(() => seating(roles, 5, 0)).toThrow(/only 4 roles/);
  });

  it('reads its flags with clear errors', () => {
    expect(() => parseArenaOptions([])).toThrow(/at least one --agent/);
    expect(() => parseArenaOptions(['--agent', 'nowhere/x.py'])).toThrow(/no such file nowhere\/x.py/);
    expect(() => parseArenaOptions(['--agent', 'docs/examples/agent.py', '--matches', '0'])).toThrow(/--matches must be between 1/);
    expect(() => parseArenaOptions(['--agent', 'docs/examples/agent.py', '--bots', 'hawk,dovve'])).toThrow(/did you mean dove/);
    expect(() => parseArenaOptions(['--agent', 'docs/examples/agent.py', '--server', 'http://127.0.0.1:9', '--seed', '3'])).toThrow(/--seed needs the embedded server/);
    const o = parseArenaOptions(['--agent', 'docs/examples/agent.py', '--agent', 'docs/examples/agent.py', '--bots', 'hawk,dove']);
    expect(o.agents).toHaveLength(2);
    expect(o.bots).toEqual(['hawk', 'dove']);
    expect(agentLabels(o.agents)).toEqual(['agent.py', 'agent.py#2']);
    expect(commandOf('x.py')).toEqual(['python3', 'x.py']);
    expect(commandOf('x.mjs')[1]).toBe('x.mjs');
    expect(commandOf('python3 -u x.py')).toEqual(['python3', '-u', 'x.py']);
  });

  it('gives a t-based 95% interval of the mean', () => {
    expect(t975(1)).toBe(12.706);
    expect(t975(120)).toBeCloseTo(1.98, 2);
    const r = interval([50, 60, 70]);
    // mean 60, sd 10, half-width 4.303 * 10 / sqrt(3)
    expect(r).toMatchObject({ n: 3, mean: 60, sd: 10 });
    expect(r.low).toBeCloseTo(60 - 24.84, 1);
    expect(interval([42])).toMatchObject({ n: 1, mean: 42, low: null });
    expect(interval([]).mean).toBeNull();
  });
});
