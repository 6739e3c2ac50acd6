// The map's words and their sizes: fonts, the key's rows, region and marker labels, measured by a function given in (the canvas in the browser, a table in tests).
import { ALIGNMENT_LABEL, TIER_STYLE, fmtChips } from './style.ts';
import type { Marker } from './model.ts';
import type { ExportTier } from '../../shared/rules/schema.ts';

export const FONT = `system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`;

/** The width in px of `text` set in the CSS `font`. */
export type Measure = (text: string, font: string) => number;

/** A Measure backed by a 2D canvas context (its font is left as the last one measured). */
export function canvasMeasure(ctx: CanvasRenderingContext2D): Measure {
  return (text, font) => { ctx.font = font; return ctx.measureText(text).width; };
}

export interface LegendOptions { smuggling: 'none' | 'estimate' | 'own'; markers: 'compute' | 'adoption' }

export const labelFonts = (ut: number) => ({
  name: `600 ${Math.round(13 * ut)}px ${FONT}`,
  tier: `700 ${Math.round(10.5 * ut)}px ${FONT}`,
  lineGap: 14 * ut,
});

/** Width and height of a region label (name over tier) at text scale ut. */
export function regionLabelSize(measure: Measure, name: string, tier: ExportTier, ut: number): { w: number; h: number } {
  const f = labelFonts(ut);
  const st = TIER_STYLE[tier];
  return { w: Math.max(measure(name, f.name), measure(`${st.glyph} ${st.label}`, f.tier)) + 8 * ut, h: f.lineGap + 16 * ut };
}

/** The counter under a marker: one line, or two when the number is an estimate. */
export function markerText(m: Marker, v: number, lo: number, hi: number): string {
  const who = m.side === 'us' ? 'US' : 'China';
  if (m.kind === 'adoption') return `${who}: ${Math.round(v * 100)}% of world on its AI`;
  if (m.estimated) return `${who} compute ~${fmtChips(v)} H100e\nestimate ${fmtChips(lo)}–${fmtChips(hi)}`;
  return `${who} compute ${fmtChips(v)} H100e`;
}

export const markerFont = (ut: number) => `600 ${Math.round(12.5 * ut)}px ${FONT}`;

/** The key's rows, top to bottom: alignments, export tiers, flows, markers. */
export function legendLabels(opt: LegendOptions): string[] {
  const rows: string[] = (['us', 'china', 'tier2'] as const).map((a) => ALIGNMENT_LABEL[a]);
  for (const t of ['open', 'licensed', 'embargo'] as const) rows.push(`${TIER_STYLE[t].glyph} ${TIER_STYLE[t].label.toLowerCase()} export tier`);
  rows.push('chip flows (legal)');
  if (opt.smuggling !== 'none') rows.push(opt.smuggling === 'estimate' ? 'smuggling, our estimate (band = range)' : 'our grey-market shipments');
  rows.push(opt.markers === 'compute' ? 'AI compute (dashed ring = estimate range)' : 'share of world on its AI');
  return rows;
}

export const legendFonts = (u: number) => ({ title: `600 ${Math.round(11 * u)}px ${FONT}`, row: `${Math.round(11 * u)}px ${FONT}` });
export const LEGEND_SWATCH = (u: number) => ({ sw: 22 * u, sh: 11 * u });

/** Where each row of the key goes when it is set in `columns` columns: the row's column offset (px) and line. */
export function legendGrid(measure: Measure, u: number, opt: LegendOptions, columns = 1): { w: number; h: number; rows: { dx: number; line: number }[] } {
  const labels = legendLabels(opt);
  const font = legendFonts(u).row;
  const { sw } = LEGEND_SWATCH(u);
  const perColumn = Math.ceil(labels.length / columns);
  const rows: { dx: number; line: number }[] = [];
  let dx = 0;
  for (let c = 0; c * perColumn < labels.length; c++) {
    const column = labels.slice(c * perColumn, (c + 1) * perColumn);
    for (let i = 0; i < column.length; i++) rows.push({ dx, line: i });
    dx += sw + 8 * u + Math.max(...column.map((l) => measure(l, font))) + 16 * u;
  }
  // the last column's gap becomes the right margin
  return { w: 10 * u + dx - 16 * u + 12 * u, h: 17 * u * (perColumn + 1) + 10 * u, rows };
}

/** The key's panel size at panel scale u, in one column or more. */
export function legendSize(measure: Measure, u: number, opt: LegendOptions, columns = 1): { w: number; h: number } {
  const { w, h } = legendGrid(measure, u, opt, columns);
  return { w, h };
}

/** The key's height in one column, before drawing. */
export function legendHeight(u: number, opt: LegendOptions): number {
  return 17 * u * (legendLabels(opt).length + 1) + 10 * u;
}

/** The lead gauge's words: its title, the note on whose number it is, and the reading's font (the needle's value). */
export function gaugeWords(source: 'press' | 'intel' | 'final'): { title: string; note: string } {
  const note = source === 'press' ? 'press estimate · grey bar = range' : source === 'final' ? 'final: true numbers' : 'our intelligence · grey bar = range';
  return { title: 'US LEAD OVER CHINA, months', note };
}
export const gaugeFonts = (u: number) => ({ title: `600 ${Math.round(11.5 * u)}px ${FONT}`, note: `${Math.round(10.5 * u)}px ${FONT}` });
export const gaugeValueFont = (u: number) => `700 ${Math.round(24 * u)}px ${FONT}`;
/** The widest reading the needle can show (the value tweens through others): the layout keeps room for it. */
export const GAUGE_WIDEST = 'China +99 mo';
