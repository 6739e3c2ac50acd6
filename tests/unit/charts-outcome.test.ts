// The outcome charts: small multiples with labels, colour and shape per side, and a data table.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { runBotMatch } from '../../shared/sim/botMatch.ts';
import { outcomeChartsHtml } from '../../client/charts/outcome.ts';
import { CHART_COLORS } from '../../client/charts/svg.ts';

const rules = defaultRules();
const { state } = runBotMatch(rules, 3, Object.fromEntries(rules.roles.map((r) => [r.id, 'status-quo'])));
const timeline = state.timeline;

describe('outcome charts', () => {
  const html = outcomeChartsHtml(timeline, { band: rules.model.safeguards.sweetSpot });

  it('draws five labelled small multiples, each an accessible SVG image', () => {
    expect((html.match(/<svg/g) ?? []).length).toBe(5);
    expect((html.match(/role="img"/g) ?? []).length).toBe(5);
    for (const title of ['US lead (months)', 'Capability (frontier-months)', 'Effective compute (H100e, log scale)', 'Safeguards (malicious requests refused)', 'Incidents per quarter']) {
      expect(html).toContain(`>${title}</title>`);
    }
    expect(html).toContain('sweet spot 12–24');
    expect(html).toContain('Logarithmic scale');
  });

  it('tells the sides apart by colour, marker shape and dash, with a legend', () => {
    expect(html).toContain(CHART_COLORS.us);
    expect(html).toContain(CHART_COLORS.china);
    expect(html).toMatch(/<circle[^>]+fill="#56B4E9"/);
    expect(html).toMatch(/<rect[^>]+fill="#E69F00"/);
    expect(html).toContain('stroke-dasharray="6 3"');
    expect(html).toContain('>US</text>');
    expect(html).toContain('>China</text>');
  });

  it('uses a log scale for compute: ticks at powers of ten', () => {
    const compute = html.split('<figure').find((f) => f.includes('Effective compute'))!;
    const ticks = [...compute.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]).filter((t) => !t.startsWith('Q'));
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) expect(t).toMatch(/^(1|10|100)(k|M)$/);
  });

  it('has a data table as a text alternative, one row per point, with the incidents', () => {
    expect(html).toContain('<table>');
    expect(html).toContain('<caption>');
    expect((html.match(/<th scope="row">/g) ?? []).length).toBe(timeline.length);
    expect(html).toContain('<th scope="row">Start</th>');
    expect(html).toContain(`<th scope="row">${timeline.at(-1)!.label}</th>`);
    expect(html).toContain('Incidents (minor / major / catastrophic)');
    const last = timeline.at(-1)!;
    expect(html).toContain(`Incidents in total: ${last.incidents.minor} minor, ${last.incidents.major} major, ${last.incidents.catastrophic} catastrophic`);
  });

  it('copes with a match of one point and writes no NaN', () => {
    const one = outcomeChartsHtml(timeline.slice(0, 1));
    expect(one).not.toMatch(/NaN|Infinity/);
    expect(outcomeChartsHtml(timeline)).not.toMatch(/NaN|Infinity/);
    expect(one).toContain('no incidents');
  });
});
