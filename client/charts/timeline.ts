// The lead over the quarters against the 12–24 month sweet spot: an accessible SVG line chart.
import { CHART_COLORS as C, CHART_FONT, esc, r1, nextId, axisLabels, axisLength, linePath, markerSvg } from './svg.ts';

export interface TimelinePointIn {
  label: string;
  /** US lead in months (negative: China ahead) */
  lead: number;
  /** optional uncertainty of the lead, drawn as a shaded range */
  low?: number;
  high?: number;
}

export interface TimelineOptions {
  /** the sweet spot, [12, 24] by default */
  band?: [number, number];
  width?: number;
  height?: number;
  /** quarters on the axis (e.g. the rule file's 10): the axis runs to the last quarter even before it is played */
  turns?: number;
  /** the chart's visible heading and accessible name */
  title?: string;
  /** bigger type for the projector */
  large?: boolean;
}

function describe(points: TimelinePointIn[], band: [number, number]): string {
  if (!points.length) return `No quarter has been played yet. The sweet spot is a US lead of ${band[0]} to ${band[1]} months.`;
  const list = points.map((p) => `${p.label}: ${r1(p.lead)} months${p.low !== undefined && p.high !== undefined ? ` (range ${r1(p.low)} to ${r1(p.high)})` : ''}`).join('; ');
  const last = points[points.length - 1].lead;
  const where = last < 0 ? 'China is ahead' : last < band[0] ? 'below the sweet spot' : last > band[1] ? 'above the sweet spot' : 'inside the sweet spot';
  return `US lead over China in months by quarter. ${list}. Latest: ${r1(last)} months, ${where} (${band[0]} to ${band[1]} months).`;
}

/** The chart as an SVG string. */
export function timelineSvg(points: TimelinePointIn[], options: TimelineOptions = {}): string {
  const band = options.band ?? [12, 24];
  const W = options.width ?? 640, H = options.height ?? 240;
  const k = options.large ? 1.35 : 1;
  const fs = Math.round(12 * k * 10) / 10;
  const title = options.title ?? 'US lead over China (months)';
  const n = axisLength(points.map((p) => p.label), options.turns);
  const labels = axisLabels(points.map((p) => p.label), n);
  const m = { l: 40 * k, r: 64 * k, t: 30 * k, b: 30 * k };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const lows = points.map((p) => p.low ?? p.lead), highs = points.map((p) => p.high ?? p.lead);
  const yMin = Math.min(-6, ...lows.map((v) => Math.floor(v / 6) * 6));
  const yMax = Math.max(30, ...highs.map((v) => Math.ceil(v / 6) * 6));
  const X = (i: number) => m.l + (n === 1 ? pw / 2 : (i / (n - 1)) * pw);
  const Y = (v: number) => m.t + (1 - (v - yMin) / (yMax - yMin)) * ph;
  const id = nextId('timeline');
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" font-family='${CHART_FONT}' style="max-width:${W}px;display:block">`);
  out.push(`<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(describe(points, band))}</desc>`);
  out.push(`<text x="${m.l}" y="${18 * k}" fill="${C.text}" font-size="${13 * k}" font-weight="600">${esc(title)}</text>`);
  // grid every 6 months
  for (let v = yMin; v <= yMax; v += yMax - yMin > 48 ? 12 : 6) {
    out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="${C.grid}"/>`);
    out.push(`<text x="${m.l - 6}" y="${(Y(v) + fs * 0.35).toFixed(1)}" fill="${C.muted}" font-size="${fs}" text-anchor="end">${v < 0 ? `−${-v}` : v}</text>`);
  }
  // the sweet spot
  const by0 = Y(Math.min(band[1], yMax)), by1 = Y(Math.max(band[0], yMin));
  out.push(`<rect x="${m.l}" y="${by0.toFixed(1)}" width="${pw}" height="${Math.max(0, by1 - by0).toFixed(1)}" fill="${C.band}" fill-opacity="0.22" stroke="${C.band}" stroke-opacity="0.8" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${m.l + pw + 6}" y="${((by0 + by1) / 2 - fs * 0.2).toFixed(1)}" fill="${C.bandText}" font-size="${fs}" font-weight="700">sweet</text>`);
  out.push(`<text x="${m.l + pw + 6}" y="${((by0 + by1) / 2 + fs * 0.9).toFixed(1)}" fill="${C.bandText}" font-size="${fs}" font-weight="700">spot</text>`);
  // parity
  if (yMin < 0) {
    out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(0).toFixed(1)}" y2="${Y(0).toFixed(1)}" stroke="${C.axis}" stroke-width="1.5"/>`);
    out.push(`<text x="${m.l + pw + 6}" y="${(Y(0) + fs * 0.35).toFixed(1)}" fill="${C.muted}" font-size="${r1(fs * 0.9)}">parity</text>`);
    out.push(`<text x="${m.l + 4}" y="${(Y(0) + fs * 1.1).toFixed(1)}" fill="${C.muted}" font-size="${r1(fs * 0.85)}">China ahead ↓</text>`);
  }
  // quarters
  const every = pw / n < 44 * k ? 2 : 1;
  labels.forEach((l, i) => {
    if (i % every && i !== n - 1) return;
    const short = l.replace(/^Q(\d) (?:\d\d)?(\d\d)$/, 'Q$1 ’$2');
    out.push(`<text x="${X(i).toFixed(1)}" y="${H - m.b + 18 * k}" fill="${C.muted}" font-size="${r1(fs * 0.92)}" text-anchor="middle">${esc(short)}</text>`);
  });
  // uncertainty
  if (points.some((p) => p.low !== undefined && p.high !== undefined)) {
    const top = points.map((p, i) => `${X(i).toFixed(1)},${Y(p.high ?? p.lead).toFixed(1)}`);
    const bottom = points.map((p, i) => `${X(i).toFixed(1)},${Y(p.low ?? p.lead).toFixed(1)}`).reverse();
    out.push(`<polygon points="${[...top, ...bottom].join(' ')}" fill="${C.lead}" fill-opacity="0.14"/>`);
  }
  // the lead
  if (points.length) {
    out.push(`<path d="${linePath(points.map((p, i) => [X(i), Y(p.lead)]))}" fill="none" stroke="${C.lead}" stroke-width="${2.5 * k}" stroke-linejoin="round"/>`);
    points.forEach((p, i) => out.push(markerSvg('circle', X(i), Y(p.lead), 3.5 * k, C.lead)));
    const last = points[points.length - 1];
    const lx = X(points.length - 1), ly = Y(last.lead);
    const label = `${last.lead < 0 ? '−' : ''}${Math.abs(Math.round(last.lead))} mo`;
    const right = points.length < n - 1;
    out.push(`<text x="${(right ? lx + 8 * k : lx - 8 * k).toFixed(1)}" y="${(ly - 8 * k).toFixed(1)}" fill="${C.text}" font-size="${r1(fs * 1.15)}" font-weight="700" text-anchor="${right ? 'start' : 'end'}" paint-order="stroke" stroke="#0b1220" stroke-width="3">${esc(label)}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

/** Renders the lead timeline into a container (replacing its content). */
export function renderTimeline(container: HTMLElement, points: Array<{ label: string; lead: number; low?: number; high?: number }>,
  options?: TimelineOptions): void {
  container.innerHTML = timelineSvg(points, options);
}
