// STAND-IN until client/charts/timeline.ts and client/charts/outcome.ts land (the map engineer's): simple SVG lines.
import type { ViewPoint, TimelinePoint } from '../app/types.ts';

type Point = ViewPoint | TimelinePoint | { turn: number; label: string; pressLead: number };
export interface TimelineOptions { turns: number; band?: [number, number]; side?: 'us' | 'china' | null; large?: boolean; title?: string }

const leadOf = (p: Point) => ('lead' in p ? p.lead : p.pressLead);

function lineChart(points: { x: number; y: number }[], opts: { w: number; h: number; xMax: number; yMin: number; yMax: number; band?: [number, number]; color: string; label: string }): string {
  const { w, h, xMax, yMin, yMax } = opts;
  const X = (x: number) => 40 + (x / Math.max(1, xMax)) * (w - 50);
  const Y = (y: number) => 8 + (1 - (y - yMin) / (yMax - yMin || 1)) * (h - 24);
  const band = opts.band ? `<rect x="40" width="${w - 50}" y="${Y(opts.band[1])}" height="${Math.max(0, Y(opts.band[0]) - Y(opts.band[1]))}" fill="#009E73" opacity="0.25"/>` : '';
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join('');
  const zero = yMin < 0 && yMax > 0 ? `<line x1="40" x2="${w - 10}" y1="${Y(0)}" y2="${Y(0)}" stroke="#556" stroke-dasharray="3 3"/>` : '';
  return `<svg viewBox="0 0 ${w} ${h}" width="100%" height="100%" role="img" aria-label="${opts.label}">${band}${zero}
    <text x="2" y="${Y(yMax) + 10}" fill="#9fb0c3" font-size="11">${yMax.toFixed(0)}</text><text x="2" y="${Y(yMin)}" fill="#9fb0c3" font-size="11">${yMin.toFixed(0)}</text>
    <path d="${path}" fill="none" stroke="${opts.color}" stroke-width="2.5"/>${points.map((p) => `<circle cx="${X(p.x)}" cy="${Y(p.y)}" r="3" fill="${opts.color}"/>`).join('')}</svg>`;
}

export function renderTimeline(container: HTMLElement, points: Point[], options: TimelineOptions): void {
  const ys = points.map(leadOf);
  const yMin = Math.min(0, ...ys) - 2, yMax = Math.max(26, ...ys) + 2;
  container.innerHTML = lineChart(points.map((p) => ({ x: p.turn, y: leadOf(p) })), { w: 600, h: 90, xMax: options.turns, yMin, yMax, band: options.band ?? [12, 24], color: '#F0E442', label: `US lead in months by quarter: ${points.map((p) => `${p.label} ${leadOf(p).toFixed(1)}`).join(', ')}` });
}

export function renderOutcomeCharts(container: HTMLElement, timeline: TimelinePoint[]): void {
  const n = timeline.length - 1;
  const charts: [string, (p: TimelinePoint) => number][] = [
    ['Lead (months)', (p) => p.lead], ['US capability', (p) => p.capability.us], ['China capability', (p) => p.capability.china],
    ['US safeguards', (p) => p.safeguards.us], ['China safeguards', (p) => p.safeguards.china],
    ['Incidents (all)', (p) => p.incidents.minor + p.incidents.major + p.incidents.catastrophic],
  ];
  container.innerHTML = charts.map(([label, f]) => {
    const ys = timeline.map(f);
    return `<figure class="chart"><figcaption>${label}</figcaption>${lineChart(timeline.map((p) => ({ x: p.turn, y: f(p) })), { w: 300, h: 120, xMax: n, yMin: Math.min(...ys), yMax: Math.max(...ys) + 0.001, color: '#56B4E9', label })}</figure>`;
  }).join('');
}
