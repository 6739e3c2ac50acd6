// The odds curve (each quarter's re-runs by the bots) and the teacher's class report, from a bot-played log.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { botMatchLog } from '../../shared/debrief/bot-log.ts';
import { prepare } from '../../shared/debrief/branch.ts';
import { oddsCurve, oddsSeating } from '../../shared/debrief/odds.ts';
import { afterActionReport } from '../../shared/debrief/counterfactual.ts';
import { classReportRows, CLASS_REPORT_COLUMNS } from '../../shared/debrief/class-report.ts';
import { cloneState } from '../../shared/engine/setup.ts';
import { resolveTurnInPlace } from '../../shared/engine/resolve.ts';
import { mixSeed } from '../../shared/engine/rng.ts';
import { botNegotiation, botOrders } from '../../shared/sim/botMatch.ts';
import { newMatch } from '../../shared/match/match.ts';
import { applyAll } from '../../shared/match/apply.ts';
import type { LogEntry, StoredEntry } from '../../shared/match/log.ts';

const rules = defaultRules();
const BOTS = { usGov: 'opportunist', usLab: 'dove', cnGov: 'hawk', cnLab: 'planner' } as const;

describe('the odds curve', () => {
  const played = botMatchLog(rules, 9, { bots: { ...BOTS, cnLab: 'random' } });
  const src = prepare(rules, { ...played.settings, bots: { ...played.settings.bots } }, 9, played.entries);

  it('gives each quarter a distribution over the endings, and the end the ending the match reached', () => {
    const curve = oddsCurve(src, 40);
    expect(curve.points.length).toBe(played.match.quarters.length + 1);
    for (const p of curve.points) expect(Object.values(p.odds).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const last = curve.points[curve.points.length - 1];
    expect(last.odds[played.match.state.ending!.id]).toBe(1);
    expect(curve.turningPoints.length).toBeGreaterThan(0);
    expect(curve.turningPoints.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < curve.turningPoints.length; i++) expect(curve.turningPoints[i - 1].moved).toBeGreaterThanOrEqual(curve.turningPoints[i].moved);
    expect(curve.turningPoints[0].sentence).toContain(curve.turningPoints[0].quarter);
  });

  it('each point is the share of real bot re-runs from that quarter\'s state with new dice', () => {
    const curve = oddsCurve(src, 1);
    const seating = oddsSeating(src);
    for (const [i, q] of played.match.quarters.entries()) {
      const start = i === 0 ? q.before! : played.match.quarters[i - 1].state!;
      const s = cloneState(start);
      s.seed = mixSeed(start.seed, start.turn, 0, 0x0dd5) >>> 0;
      while (!s.finished) { botNegotiation(rules, s, seating); resolveTurnInPlace(rules, s, botOrders(rules, s, seating)); }
      expect(curve.points[i].odds[s.ending!.id]).toBe(1);
    }
  });

  it('plays look-ahead planners as opportunists (a planner re-run costs ~100× more)', () => {
    const withPlanner = prepare(rules, { ...played.settings, bots: { ...played.settings.bots, cnLab: 'planner' } }, 9, played.entries);
    expect(oddsSeating(withPlanner).cnLab).toBe('opportunist');
  });
});

describe('the class report', () => {
  it('counts per person and team the drafts, submissions, quarters decided, chat and proposals', () => {
    const played = botMatchLog(rules, 5, { bots: { ...BOTS, cnLab: 'random' } });
    // Ana (usGov) and Bo (usGov) draft and talk; Ana submits the first quarter's order
    const extra: LogEntry[] = [
      { kind: 'person', personId: 'ana', name: 'Ana', role: 'usGov', spectator: false, tokenHash: 'a' },
      { kind: 'person', personId: 'bo', name: 'Bo', role: 'usGov', spectator: false, tokenHash: 'b' },
      { kind: 'person', personId: 'zed', name: 'Zed', role: 'cnLab', spectator: false, tokenHash: 'z', agent: true },
    ];
    const order = played.match.quarters[0].orders.usGov;
    const entries: LogEntry[] = [];
    let firstResolve = true;
    for (const { entry } of played.entries) {
      if (entry.kind === 'resolve' && firstResolve) {
        firstResolve = false;
        entries.push({ kind: 'draft', turn: 0, role: 'usGov', order, by: 'bo' }, { kind: 'draft', turn: 0, role: 'usGov', order, by: 'ana' },
          { kind: 'chat', from: 'ana', fromRole: 'usGov', to: 'all', text: 'hello' }, { kind: 'chat', from: 'bo', fromRole: 'usGov', to: 'cnGov', text: 'deal?' },
          { kind: 'chat', from: 'bo', fromRole: 'usGov', to: 'facilitator', text: 'help' }, { kind: 'submit', turn: 0, role: 'usGov', order, by: 'ana' });
      }
      entries.push(entry);
    }
    const stored: StoredEntry[] = [...extra, ...entries].map((entry, i) => ({ seq: i + 1, at: '', entry }));
    const m = applyAll(newMatch(played.settings, rules, 5), stored);
    const report = afterActionReport(prepare(rules, played.settings, 5, stored));
    const rows = classReportRows(m, stored, report);
    const col = (name: (typeof CLASS_REPORT_COLUMNS)[number]) => CLASS_REPORT_COLUMNS.indexOf(name);
    const row = (team: string, person: string) => rows.find((r) => r[0] === team && r[1] === person)!;
    expect(row('US Government', 'Ana')[col('Drafts')]).toBe(1);
    expect(row('US Government', 'Ana')[col('Submissions')]).toBe(1);
    expect(row('US Government', 'Ana')[col('Quarters decided')]).toBe(1);
    expect(row('US Government', 'Ana')[col('Chat to all')]).toBe(1);
    expect(row('US Government', 'Bo')[col('Chat to teams')]).toBe(1);
    expect(row('US Government', 'Bo')[col('Chat to facilitator')]).toBe(1);
    const team = row('US Government', '(team)');
    expect(team[col('Drafts')]).toBe(2);
    expect(team[col('Quarters decided')]).toBe(`1 (bot ${played.match.quarters.length - 1})`);
    expect(team[col('Score')]).toBe(m.state.ending!.scores.usGov);
    expect(row('China Government', '(team)')[col('Quarters decided')]).toBe(`0 (bot ${played.match.quarters.length})`);
    expect(rows.every((r) => r.length === CLASS_REPORT_COLUMNS.length)).toBe(true);
    // a program's seat is marked, as in the room and the record
    expect(row('Chinese Lab', 'Zed (AI agent)')).toBeDefined();
  });
});
