// Number formats in the game's units: $B, frontier-months, H100e, shares.
import type { Estimate } from '../net/types.ts';

export const money = (x: number) => `$${x.toFixed(x >= 100 ? 0 : 2)}B`;
export const months = (x: number, signed = false) => `${signed && x > 0 ? '+' : ''}${x.toFixed(1)} mo`;
export const pct = (x: number) => `${Math.round(x * 100)}%`;

export function compute(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(1)}B H100e`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M H100e`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(0)}k H100e`;
  return `${x.toFixed(0)} H100e`;
}

export function gw(x: number): string { return `${x.toFixed(1)} GW`; }
export function costPerM(x: number): string { return `$${x.toFixed(1)}B per M H100e`; }

/** An estimate as "value (low–high)" in the stat's own format. */
export function estimate(e: Estimate, fmt: (x: number) => string): string {
  return `${fmt(e.value)} (${fmt(e.low)} – ${fmt(e.high)})`;
}

export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const SIDE_NAME = { us: 'United States & allies', china: 'China' } as const;
export const PHASE_NAME: Record<string, string> = {
  lobby: 'Lobby', briefing: 'Briefing', negotiation: 'Negotiation', orders: 'Orders', report: 'Report', ended: 'Ended',
};
export const PHASE_HINT: Record<string, string> = {
  lobby: 'Waiting for players',
  briefing: 'Read your numbers and the news; start a plan',
  negotiation: 'Talk to the other teams; make or answer proposals',
  orders: 'Agree the split of your budget and submit it',
  report: 'What happened this quarter',
  ended: 'The 2028 scenario',
};
