// The lead timeline chart: accessible SVG markup with the expected labels, band and points.
import { describe, it, expect } from 'vitest';
import { timelineSvg } from '../../client/charts/timeline.ts';
import { axisLabels, axisLength, quarterLabels, niceTicks, esc } from '../../client/charts/svg.ts';

const points = [
  { label: 'Start', lead: 14.2 },
  { label: 'Q3 2026', lead: 15.1 },
  { label: 'Q4 2026', lead: 13.4, low: 9.8, high: 17.6 },
];

describe('timeline chart', () => {
  it('is an accessible SVG image with a title and a description that reads the numbers', () => {
    const svg = timelineSvg(points);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/role="img"/);
    const [, t, d] = /aria-labelledby="([^ "]+) ([^"]+)"/.exec(svg)!;
    expect(svg).toContain(`<title id="${t}">US lead over China (months)</title>`);
    expect(svg).toContain(`<desc id="${d}">`);
    expect(svg).toContain('Q3 2026: 15.1 months');
    expect(svg).toContain('Latest: 13.4 months, inside the sweet spot (12 to 24 months)');
    expect(svg).toContain('range 9.8 to 17.6');
  });

  it('draws the sweet-spot band, the parity line, every quarter and the latest value', () => {
    const svg = timelineSvg(points, { band: [12, 24], turns: 10 });
    expect(svg).toContain('>sweet<');
    expect(svg).toContain('>parity<');
    expect(svg).toContain("Q3 ’26");
    expect(svg).toContain("Q4 ’28"); // the axis runs to the end of the match
    expect(svg).toContain('>13 mo<');
    expect((svg.match(/<circle/g) ?? []).length).toBe(3);
    expect(svg).toContain('<polygon'); // the uncertainty range
  });

  it('says when China is ahead, with a minus sign', () => {
    const svg = timelineSvg([{ label: 'Q3 2026', lead: 4 }, { label: 'Q4 2026', lead: -3 }]);
    expect(svg).toContain('China is ahead');
    expect(svg).toContain('>−3 mo<');
  });

  it('renders an empty match and custom sizes and titles, escaping text', () => {
    const svg = timelineSvg([], { width: 400, height: 160, title: 'Lead <as the press reports it>' });
    expect(svg).toContain('viewBox="0 0 400 160"');
    expect(svg).toContain('No quarter has been played yet');
    expect(svg).toContain('Lead &lt;as the press reports it&gt;');
    expect(svg).not.toContain('NaN');
  });

  it('never writes NaN or Infinity for odd input', () => {
    const svg = timelineSvg([{ label: 'Q1 2027', lead: 40 }], { turns: 1, large: true });
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('chart helpers', () => {
  it('continues quarter labels to the end of the match', () => {
    expect(quarterLabels('Q3 2026', 3)).toEqual(['Q3 2026', 'Q4 2026', 'Q1 2027']);
    expect(axisLength(['Start', 'Q3 2026'], 10)).toBe(11);
    expect(axisLabels(['Start', 'Q3 2026'], 11).at(-1)).toBe('Q4 2028');
    expect(axisLabels(['Start'], 3)).toEqual(['Start', '', '']);
  });

  it('picks round ticks and escapes markup', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(esc('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
  });
});
