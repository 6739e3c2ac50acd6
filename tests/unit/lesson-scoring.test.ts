// Goals and truth on screen (issue 13): a catastrophe caps every role's score; each team sees its goals with a running
// estimate; the quarter report separates what really changed (our side) from what our estimate of the rival changed.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, statusQuoOrder, cloneState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { finishMatch, roleScores } from '../../shared/engine/endings.ts';
import { roleView } from '../../shared/engine/views.ts';
import { completeOrder } from '../../shared/match/orders.ts';
import { goalEstimate } from '../../client/app/goals.ts';
import { quarterReport } from '../../client/ui/quarter-report.ts';

const rules = defaultRules();
const s0 = initialState(rules, 4);
const sq = Object.fromEntries(rules.roles.map((r) => [r.id, statusQuoOrder(rules, s0, r.id)]));

describe('a catastrophe caps every role\'s score', () => {
  it('no role scores above the ending\'s cap, though its objectives alone would give more', () => {
    const s = cloneState(s0);
    s.incidents.catastrophic = 1;
    const uncapped = roleScores(rules, s);
    expect(Math.max(...Object.values(uncapped)), 'some role would score well on its objectives alone').toBeGreaterThan(50);
    finishMatch(rules, s);
    expect(s.ending!.id).toBe('catastrophe');
    for (const [role, score] of Object.entries(s.ending!.scores)) expect(score, role).toBe(Math.min(50, uncapped[role]));
  });
});

describe('goals from the first briefing', () => {
  it('lists every objective with its share of the score and a running estimate, and says what a catastrophe does', () => {
    const g = goalEstimate(rules, roleView(rules, s0, 'usLab'));
    expect(g.lines.map((l) => l.label)).toEqual(rules.roles.find((r) => r.id === 'usLab')!.objectives.map((o) => o.label));
    expect(g.lines.reduce((n, l) => n + l.points, 0)).toBeCloseTo(100);
    expect(g.total).toBeGreaterThanOrEqual(0);
    expect(g.total).toBeLessThanOrEqual(100);
    expect(g.catastropheCap).toBe(50);
    // our own numbers are exact: a better safety record shows at once in the estimate
    const safer = cloneState(s0);
    safer.sides.us.safeguards = 0.95;
    expect(goalEstimate(rules, roleView(rules, safer, 'usLab')).total).toBeGreaterThan(g.total);
  });
});

describe('the quarter report', () => {
  it('says our change is exact, the rival\'s is our estimate, and tells the lead as our estimate with both parts', () => {
    const s1 = resolveTurn(rules, s0, sq).state;
    const view = { ...roleView(rules, s1, 'cnGov'), lastOrder: completeOrder(rules, s0, 'cnGov', sq.cnGov) };
    const lines = quarterReport(view, 'United States & allies');
    expect(lines.map((l) => l.kind)).toEqual(['exact', 'exact', 'estimate', 'lead']);
    expect(lines[2].text).toMatch(/^United States & allies's capability \(our estimate, ±\d+\.\d mo\): .* part of that may be the estimate's error/);
    expect(lines[3].text).toMatch(/^US lead by our estimate: /);
    // the two parts add up to the change in the estimated lead: neither is shown as the lead having moved
    const [a, b] = view.timeline.slice(-2);
    const ours = b.capability.china - a.capability.china, theirs = b.capability.us - a.capability.us;
    expect((-ours) + theirs).toBeCloseTo(b.lead - a.lead, 6);
    expect(lines[3].text).not.toMatch(/\(▲|\(▼/);
  });
});
