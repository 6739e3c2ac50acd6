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
