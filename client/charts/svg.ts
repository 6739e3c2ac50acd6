// Small helpers for charts written as SVG strings (testable in Node, set as innerHTML in the page).
import { OKABE_ITO } from '../map/style.ts';

export const CHART_COLORS = {
  us: OKABE_ITO.skyBlue,
  china: OKABE_ITO.orange,
  band: OKABE_ITO.bluishGreen,
  /** the band's colour lightened for text on the dark page (same hue, readable contrast) */
  bandText: '#5fd6b0',
  lead: '#f2f5f8',
  minor: OKABE_ITO.yellow,
  major: OKABE_ITO.vermillion,
  catastrophic: OKABE_ITO.reddishPurple,
  axis: '#8a9bb0',
  grid: 'rgba(138,155,176,0.22)',
  text: '#dfe7f0',
  muted: '#a5b4c8',
} as const;

export const CHART_FONT = `system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`;

/** Escapes text for SVG/HTML content and attributes. */
export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const r1 = (n: number) => (Math.round(n * 10) / 10).toString();

let uid = 0;
/** A unique id prefix for title/desc references when several charts share a page. */
export function nextId(prefix: string): string {
  uid = (uid + 1) % 1e9;
  return `${prefix}-${uid.toString(36)}`;
}

const QUARTER = /^Q([1-4])\s+(\d{4})$/;

/** Quarter labels from the first one: 'Q3 2026', 10 → Q3 2026 … Q4 2028. */
export function quarterLabels(first: string, count: number): string[] {
  const m = QUARTER.exec(first.trim());
  if (!m) return Array.from({ length: count }, (_, i) => (i === 0 ? first : ''));
  let q = Number(m[1]) - 1, y = Number(m[2]);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`Q${q + 1} ${y}`);
    q++; if (q === 4) { q = 0; y++; }
  }
  return out;
}

/** The labels of the points played so far, continued quarter by quarter to `count` slots. */
export function axisLabels(played: string[], count: number): string[] {
  const out = played.slice(0, count);
  let lastQ = -1;
  for (let i = played.length - 1; i >= 0; i--) if (QUARTER.test(played[i].trim())) { lastQ = i; break; }
  const seq = lastQ >= 0 ? quarterLabels(played[lastQ], count - lastQ) : [];
  for (let i = out.length; i < count; i++) out.push(lastQ >= 0 ? seq[i - lastQ] : '');
  return out;
}

/** Slots on a quarter axis: the points played, or the whole match when its length is known ('Start' takes a slot of its own). */
export function axisLength(played: string[], turns?: number): number {
  const extra = played.length && !QUARTER.test(played[0].trim()) ? 1 : 0;
  return Math.max(played.length, turns ? turns + extra : 0, 1);
}

/** Round tick values covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** A polyline path through points, broken where a value is missing. */
export function linePath(pts: Array<[number, number] | null>): string {
  let d = '', pen = false;
  for (const p of pts) {
    if (!p) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Point markers that differ by shape as well as colour: circles for the US, squares for China. */
export function markerSvg(shape: 'circle' | 'square' | 'diamond', x: number, y: number, r: number, color: string): string {
  if (shape === 'circle') return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="${color}" stroke="#0b1220" stroke-width="1"/>`;
  if (shape === 'square') return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" fill="${color}" stroke="#0b1220" stroke-width="1"/>`;
  return `<path d="M${x.toFixed(1)},${(y - r * 1.2).toFixed(1)}l${r * 1.2},${r * 1.2}l${-r * 1.2},${r * 1.2}l${-r * 1.2},${-r * 1.2}z" fill="${color}" stroke="#0b1220" stroke-width="1"/>`;
}
