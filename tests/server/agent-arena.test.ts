// The arena with its embedded server: the JavaScript and Python reference agents play seeded matches against each
// other and the bots; the report has each agent's scores per role with intervals, the ending mix, and agent-held seats.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arenaCli, parseArenaOptions, seating, agentLabels, commandOf } from '../../tools/arena.ts';
import { interval, t975 } from '../../tools/arena-report.ts';
import { bootServer } from '../helpers/server.ts';

function capture() {
  let out = '',
    err = '';
  return {
    io: {
      out: (s: string) => {
        out += s;
      },
      err: (s: string) => {
        err += s;
      },
    },
    out: () => out,
    err: () => err,
  };
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

  it('plays on a running server with --server (its seeds, from the records), and one agent against three bots', async () => {
    const server = await bootServer();
    try {
      const c = capture();
      const code = await arenaCli(
        ['--agent', 'docs/examples/agent.py', '--matches', '2', '--server', server.base, '--bots', 'hawk', '--turns', '3', '--json', '--quiet'],
        c.io,
      );
      expect(code, c.err()).toBe(0);
      expect(c.err()).toBe('');
      const report = JSON.parse(c.out());
      expect(report.server).toBe(server.base);
      expect(report.results.map((r: any) => r.seats[0].role)).toEqual(['usGov', 'usLab']);
      for (const r of report.results) {
        expect(typeof r.seed).toBe('number');
        expect(r.seats[0]).toMatchObject({ heldByAgent: true, quarters: 3, agentQuarters: 3 });
        expect(r.bots.map((b: any) => b.personality)).toEqual(['hawk', 'hawk', 'hawk']);
      }
      expect(report.bots.map((b: any) => b.personality)).toEqual(['hawk']);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('hands the seat of a program that dies to its bot, ends a match no agent plays any more, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arena-test-'));
    try {
      // joins like a real agent, then dies: the arena must notice, count the seat as failed and not wait for the timers
      const dying = join(dir, 'dying.mjs');
      writeFileSync(
        dying,
        `const a = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean).map((s) => s.trim().split(/\\s+/)));
const r = await fetch(a.server + '/api/agents/join', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: a.code, role: a.role, name: a.name, agent: true }) });
console.error('joined ' + r.status + '; now failing on purpose: Error: out of ideas');
process.exit(1);
`,
      );
      const c = capture();
      const started = Date.now();
      const code = await arenaCli(['--agent', dying, '--agent', 'docs/examples/agent.mjs', '--matches', '1', '--turns', '2', '--json', '--quiet'], c.io);
      expect(code, c.err()).toBe(3);
      const report = JSON.parse(c.out());
      const dead = report.failures.find((f: any) => f.agent === 'dying.mjs');
      expect(dead.failure).toMatch(/exited \(code 1\) .*Error: out of ideas/);
      // the other agent played on to the end against the dead seat's bot, and counts
      expect(report.agents.find((a: any) => a.agent === 'agent.mjs').overall.n).toBe(1);
      expect(report.agents.find((a: any) => a.agent === 'dying.mjs')).toMatchObject({ failures: 1, overall: { n: 0 } });
      expect(report.results[0].ending).toBeTruthy();
      expect(Date.now() - started).toBeLessThan(30_000);

      const alone = capture();
      expect(await arenaCli(['--agent', dying, '--matches', '1', '--json', '--quiet'], alone.io)).toBe(3);
      expect(JSON.parse(alone.out()).results[0].failure).toBe('every agent stopped before the end');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('seats agents evenly around the roles and turns the seating each match', () => {
    const roles = ['usGov', 'usLab', 'cnGov', 'cnLab'];
    expect([0, 1, 2, 3].map((i) => seating(roles, 2, i))).toEqual([
      ['usGov', 'cnGov'],
      ['usLab', 'cnLab'],
      ['cnGov', 'usGov'],
      ['cnLab', 'usLab'],
    ]);
    expect(seating(roles, 1, 5)).toEqual(['usLab']);
    expect(() => seating(roles, 5, 0)).toThrow(/only 4 roles/);
  });

  it('reads its flags with clear errors', () => {
    expect(() => parseArenaOptions([])).toThrow(/at least one --agent/);
    expect(() => parseArenaOptions(['--agent', 'nowhere/x.py'])).toThrow(/no such file nowhere\/x.py/);
    expect(() => parseArenaOptions(['--agent', 'docs/examples/agent.py', '--matches', '0'])).toThrow(/--matches must be between 1/);
    expect(() => parseArenaOptions(['--agent', 'docs/examples/agent.py', '--bots', 'hawk,dovve'])).toThrow(/did you mean dove/);
    expect(() => parseArenaOptions(['--agent', 'docs/examples/agent.py', '--server', 'http://127.0.0.1:9', '--seed', '3'])).toThrow(
      /--seed needs the embedded server/,
    );
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
