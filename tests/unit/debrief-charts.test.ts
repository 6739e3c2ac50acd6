// The debrief's SVG charts: belief bands with the truth, branches overlaid, the odds stacked to 100%.
import { describe, it, expect } from 'vitest';
import { beliefChart, branchesChart, oddsChart } from '../../client/charts/debrief.ts';

describe('debrief charts', () => {
  it('draws a side\'s estimate, its band and the truth, one dot per quarter', () => {
    const svg = beliefChart({ label: 'US on China', points: [{ quarter: 'Q3 2026', value: 60, low: 50, high: 70, truth: 57 }, { quarter: 'Q4 2026', value: 63, low: 55, high: 71, truth: 62 }] }, '#56b4e9');
    expect(svg).toContain('<polygon');
    expect(svg.match(/<circle/g)?.length).toBe(2);
    expect(svg).toContain('US on China');
    expect(beliefChart({ label: 'none', points: [] }, '#000')).toBe('');
  });

  it('overlays one line per branch', () => {
    const svg = branchesChart([{ code: 'AAAAAA', lead: [{ quarter: 'Start', lead: 14 }, { quarter: 'Q3 2026', lead: 12 }] }, { code: 'BBBBBB', lead: [{ quarter: 'Start', lead: 14 }] }]);
    expect(svg.match(/data-branch=/g)?.length).toBe(2);
    expect(svg).toContain('BBBBBB');
  });

  it('stacks the endings that ever had a chance, the top of the stack at 100%', () => {
    const curve = { endings: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }, { id: 'never', title: 'Never' }], points: [{ quarter: 'Q3 2026', odds: { a: 0.25, b: 0.75, never: 0 } }, { quarter: 'The end', odds: { a: 1, b: 0, never: 0 } }] };
    const svg = oddsChart(curve);
    expect(svg.match(/data-ending=/g)?.length).toBe(2);
    expect(svg).not.toContain('data-ending="never"');
    // the last polygon's top edge is the 100% line at every point
    const last = [...svg.matchAll(/<polygon points="([^"]+)"/g)].pop()![1].split(' ').slice(0, 2).map((p) => Number(p.split(',')[1]));
    expect(new Set(last).size).toBe(1);
  });
});
