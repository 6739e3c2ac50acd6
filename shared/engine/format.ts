// Cheap number formatting for event texts (toLocaleString is too slow for the simulator's hot loop).
export function fmtCount(n: number): string {
  if (n >= 1e6) return `${Math.round(n / 1e5) / 10}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${Math.round(n / 100) / 10}k`;
  return `${Math.round(n)}`;
}

export function fmt1(n: number): string {
  return `${Math.round(n * 10) / 10}`;
}

/**
 * Whether the quarter being resolved writes its events' sentences. The simulator's records read only
 * which cards were drawn, and numbers written out cost more than the mechanics behind them: a quiet
 * resolution (resolveTurnInPlace's `texts: false`) leaves `text` empty. Set and restored around one
 * synchronous resolution, so it is never seen by another.
 */
export const say = { texts: true, news: true };
// `news: false` (resolveTurnInPlace's `news`) keeps only the events of cards (drawn, dilemmas, crises) and the ending: the
// simulator's records read nothing else, and a quarter makes about seven other events; set and restored as `texts` is
