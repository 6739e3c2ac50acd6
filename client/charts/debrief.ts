// The debrief's charts as SVG strings: belief vs truth (estimate, band, true number) and the branches' lead timelines.
import { CHART_COLORS, CHART_FONT, esc, linePath, niceTicks, nextId, r1 } from './svg.ts';
import { OKABE_ITO } from '../map/style.ts';

export interface BeliefSeries { label: string; points: { quarter: string; value: number; low: number; high: number; truth: number }[] }

const W = 560, H = 220, PAD = { l: 44, r: 28, t: 22, b: 34 };

function frame(id: string, title: string, lo: number, hi: number, labels: string[], tick: (v: number) => string = r1) {
  const x = (i: number) => PAD.l + (labels.length <= 1 ? 0 : (i * (W - PAD.l - PAD.r)) / (labels.length - 1));
  const y = (v: number) => PAD.t + ((hi - v) * (H - PAD.t - PAD.b)) / (hi - lo || 1);
  const ticks = niceTicks(lo, hi, 4).map((v) => `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="${CHART_COLORS.grid}"/><text x="${PAD.l - 6}" y="${r1(y(v) + 4)}" text-anchor="end" fill="${CHART_COLORS.axis}" font-size="11">${esc(tick(v))}</text>`).join('');
  const every = Math.max(1, Math.ceil(labels.length / 6));
  const xl = labels.map((l, i) => (i % every === 0 || i === labels.length - 1 ? `<text x="${r1(x(i))}" y="${H - 12}" text-anchor="middle" fill="${CHART_COLORS.axis}" font-size="11">${esc(l)}</text>` : '')).join('');
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}" font-family="${esc(CHART_FONT)}" class="debrief-chart"><title id="${id}">${esc(title)}</title>${ticks}${xl}`;
  return { x, y, head };
}

/** One side's estimate of the rival's capability, its band, and the true number, quarter by quarter. */
export function beliefChart(s: BeliefSeries, color: string): string {
  const pts = s.points;
  if (!pts.length) return '';
  const all = pts.flatMap((p) => [p.low, p.high, p.truth]);
  const lo = Math.floor(Math.min(...all) - 1), hi = Math.ceil(Math.max(...all) + 1);
  const { x, y, head } = frame(nextId('belief'), s.label, lo, hi, pts.map((p) => p.quarter));
  const band = pts.map((p, i) => `${r1(x(i))},${r1(y(p.high))}`).join(' ') + ' ' + pts.map((p, i) => `${r1(x(i))},${r1(y(p.low))}`).reverse().join(' ');
  const est = linePath(pts.map((p, i) => [x(i), y(p.value)]));
  const truth = linePath(pts.map((p, i) => [x(i), y(p.truth)]));
  const dots = pts.map((p, i) => `<circle cx="${r1(x(i))}" cy="${r1(y(p.truth))}" r="3" fill="${CHART_COLORS.lead}"/>`).join('');
  return `${head}<polygon points="${band}" fill="${color}" opacity="0.22"/><path d="${est}" fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="5 3"/><path d="${truth}" fill="none" stroke="${CHART_COLORS.lead}" stroke-width="2"/>${dots}`
    + `<text x="${PAD.l}" y="14" fill="${CHART_COLORS.text}" font-size="12">${esc(s.label)}: <tspan fill="${color}">estimate and band (dashed)</tspan> · truth (solid)</text></svg>`;
}

const BRANCH_COLORS = [CHART_COLORS.lead, OKABE_ITO.skyBlue, OKABE_ITO.orange, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.yellow, OKABE_ITO.vermillion];
export const branchColor = (i: number) => BRANCH_COLORS[i % BRANCH_COLORS.length];

/** The lead of each branch, overlaid on one quarter axis (US minus China, frontier-months). */
export function branchesChart(branches: { code: string; lead: { quarter: string; lead: number }[] }[]): string {
  const longest = branches.reduce((a, b) => (b.lead.length > a.length ? b.lead : a), [] as { quarter: string; lead: number }[]);
  if (!longest.length) return '';
  const all = branches.flatMap((b) => b.lead.map((p) => p.lead));
  const lo = Math.floor(Math.min(0, ...all)), hi = Math.ceil(Math.max(...all) + 1);
  const { x, y, head } = frame(nextId('branches'), 'The lead in each branch', lo, hi, longest.map((p) => p.quarter));
  const lines = branches.map((b, i) => `<path d="${linePath(b.lead.map((p, j) => [x(j), y(p.lead)]))}" fill="none" stroke="${branchColor(i)}" stroke-width="${i === 0 ? 3 : 2}"${i ? ' stroke-dasharray="6 3"' : ''} data-branch="${esc(b.code)}"/>`).join('');
  const legend = branches.map((b, i) => `<tspan fill="${branchColor(i)}">${i ? ' · ' : ''}${esc(b.code)}</tspan>`).join('');
  return `${head}<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${r1(y(0))}" y2="${r1(y(0))}" stroke="${CHART_COLORS.axis}"/>${lines}<text x="${PAD.l}" y="14" font-size="12" fill="${CHART_COLORS.text}">Lead (months): ${legend}</text></svg>`;
}

/** The endings an odds chart shows (those that ever had a chance), each with its colour: the chart's legend. */
export function oddsLegend(curve: { endings: { id: string; title: string }[]; points: { odds: Record<string, number> }[] }): { id: string; title: string; color: string }[] {
  return curve.endings.filter((e) => curve.points.some((p) => p.odds[e.id] > 0)).map((e, i) => ({ ...e, color: BRANCH_COLORS[(i + 1) % BRANCH_COLORS.length] }));
}

/** The odds of each ending as the match went on: stacked shares (0–100%) from each quarter's re-runs. */
export function oddsChart(curve: { endings: { id: string; title: string }[]; points: { quarter: string; odds: Record<string, number> }[] }): string {
  const pts = curve.points;
  if (pts.length < 2) return '';
  const { x, y, head } = frame(nextId('odds'), 'The odds of each ending as the match went on', 0, 1, pts.map((p) => p.quarter), (v) => `${Math.round(v * 100)}%`);
  const below = pts.map(() => 0);
  let areas = '';
  for (const e of oddsLegend(curve)) {
    const top = pts.map((p, j) => below[j] + p.odds[e.id]);
    const poly = top.map((v, j) => `${r1(x(j))},${r1(y(v))}`).join(' ') + ' ' + below.map((v, j) => `${r1(x(j))},${r1(y(v))}`).reverse().join(' ');
    areas += `<polygon points="${poly}" fill="${e.color}" opacity="0.8" data-ending="${esc(e.id)}"><title>${esc(e.title)}</title></polygon>`;
    for (let j = 0; j < below.length; j++) below[j] = top[j];
  }
  return `${head}${areas}<text x="${PAD.l}" y="14" font-size="11" fill="${CHART_COLORS.text}">Share of re-runs ending in each scenario</text></svg>`;
}
