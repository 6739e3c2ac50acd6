// Colours and tier styles of the map: Okabe–Ito colours (safe for the common colour-vision
// deficiencies) on a dark night map, and every tier also told by pattern, outline and label.
import type { ExportTier } from '../../shared/rules/schema.ts';

/** The Okabe–Ito palette. */
export const OKABE_ITO = {
  black: '#000000', orange: '#E69F00', skyBlue: '#56B4E9', bluishGreen: '#009E73',
  yellow: '#F0E442', blue: '#0072B2', vermillion: '#D55E00', reddishPurple: '#CC79A7',
} as const;

export type Alignment = 'us' | 'china' | 'tier2';

export const COLORS = {
  ocean: '#0a111b',
  oceanGlow: '#0f1a28',
  graticule: '#142131',
  land: '#1a2431',
  landEdge: '#2c394a',
  text: '#e8eef5',
  textDim: '#9fb0c3',
  us: OKABE_ITO.skyBlue,
  china: OKABE_ITO.orange,
  tier2: OKABE_ITO.reddishPurple,
  /** legal chip flows: light */
  chips: '#fff4b8',
  /** grey-market flows */
  smuggling: OKABE_ITO.vermillion,
  /** the 12–24 month sweet spot */
  band: OKABE_ITO.bluishGreen,
} as const;

export const ALIGNMENT_COLOR: Record<Alignment, string> = { us: COLORS.us, china: COLORS.china, tier2: COLORS.tier2 };
export const ALIGNMENT_LABEL: Record<Alignment, string> = { us: 'US-aligned', china: 'China-aligned', tier2: 'Tier-2 hub' };

export interface TierStyle {
  tier: ExportTier;
  /** word printed under the region's name */
  label: string;
  /** glyph printed before the word: none, a half-circle, a barred circle */
  glyph: string;
  fillAlpha: number;
  /** hatching inside the region: none, single diagonal, cross-hatch */
  hatch: 'none' | 'diagonal' | 'cross';
  /** px between hatch lines at a 1366 px wide map */
  hatchGap: number;
  /** outline: solid thin, dashed, solid heavy */
  outline: { width: number; dash: number[] };
}

export const TIER_STYLE: Record<ExportTier, TierStyle> = {
  open: { tier: 'open', label: 'OPEN', glyph: '○', fillAlpha: 0.5, hatch: 'none', hatchGap: 0, outline: { width: 1.2, dash: [] } },
  licensed: { tier: 'licensed', label: 'LICENSED', glyph: '◐', fillAlpha: 0.3, hatch: 'diagonal', hatchGap: 7, outline: { width: 1.6, dash: [6, 4] } },
  embargo: { tier: 'embargo', label: 'EMBARGO', glyph: '⊘', fillAlpha: 0.22, hatch: 'cross', hatchGap: 6, outline: { width: 2.6, dash: [] } },
};

export function tierStyle(tier: ExportTier): TierStyle {
  return TIER_STYLE[tier];
}

/** '#56B4E9' → 0x56b4e9 for Phaser. */
export function hexToInt(hex: string): number {
  return parseInt(hex.slice(1), 16);
}

export function rgba(hex: string, alpha: number): string {
  const n = hexToInt(hex);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** Chips in H100e as players read them: 950, 12k, 1.4M. */
export function fmtChips(n: number): string {
  const a = Math.abs(n);
  const trim = (s: string) => s.replace(/\.0$/, '');
  if (a >= 1e6) return `${trim((n / 1e6).toFixed(a >= 1e7 ? 0 : 1))}M`;
  if (a >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (a >= 1e3) return `${trim((n / 1e3).toFixed(1))}k`;
  return `${Math.round(n)}`;
}

/** Months with a sign when negative: 14.2 → '14', -3.4 → '−3'. */
export function fmtMonths(n: number): string {
  const r = Math.round(n);
  return r < 0 ? `−${-r}` : `${r}`;
}
