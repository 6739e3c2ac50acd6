// The outcome screen's charts: small multiples of lead, capability, effective compute (log scale),
// safeguards and incidents over the quarters, with a data table as their text alternative.
import type { TimelinePoint } from '../../shared/engine/state.ts';
import { CHART_COLORS as C, CHART_FONT, esc, r1, nextId, niceTicks, linePath, markerSvg } from './svg.ts';
import { fmtChips } from '../map/style.ts';

interface Series { name: string; color: string; shape: 'circle' | 'square' | 'diamond'; dash: string; values: number[] }

interface PanelSpec {
  title: string;
  /** one-line reading of the chart for screen readers */
  summary: string;
  series: Series[];
  labels: string[];
  log?: boolean;
  domain?: [number, number];
  band?: [number, number];
  fmt: (v: number) => string;
}

const W = 340, H = 210;
const M = { l: 46, r: 14, t: 44, b: 28 };

function legendSvg(series: Series[], x: number, y: number): string {
  let cx = x;
  return series.map((s) => {
    const part = `<line x1="${cx}" x2="${cx + 18}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2.5" stroke-dasharray="${s.dash}"/>`
      + markerSvg(s.shape, cx + 9, y, 3.5, s.color)
      + `<text x="${cx + 23}" y="${y + 4}" fill="${C.text}" font-size="11.5">${esc(s.name)}</text>`;
    cx += 30 + s.name.length * 6.6;
    return part;
  }).join('');
}

function panelSvg(p: PanelSpec): string {
  const id = nextId('outcome');
  const n = Math.max(1, p.labels.length);
  const pw = W - M.l - M.r, ph = H - M.t - M.b;
  const all = p.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!p.log || v > 0));
  let lo = p.domain?.[0] ?? Math.min(...all), hi = p.domain?.[1] ?? Math.max(...all);
  if (p.band) { lo = Math.min(lo, p.band[0] - 2); hi = Math.max(hi, p.band[1] + 2); }
  if (!all.length) { lo = 0; hi = 1; }
  let ticks: number[];
  if (p.log) {
    lo = 10 ** Math.floor(Math.log10(Math.max(1, lo))); hi = 10 ** Math.ceil(Math.log10(Math.max(lo * 10, hi)));
    ticks = [];
    for (let v = lo; v <= hi * 1.0001; v *= 10) ticks.push(v);
  } else {
    if (hi - lo < 1e-9) { hi = lo + 1; }
    // widen the scale to round ticks at both ends
    const t0 = niceTicks(lo, hi, 4);
    const step = t0.length > 1 ? t0[1] - t0[0] : Math.max(1e-9, Math.abs(hi - lo));
    lo = Math.floor(lo / step + 1e-9) * step; hi = Math.ceil(hi / step - 1e-9) * step;
    ticks = [];
    for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Math.round(t / step) * step);
  }
  const tr = (v: number) => (p.log ? Math.log10(v) : v);
  const X = (i: number) => M.l + (n === 1 ? pw / 2 : (i / (n - 1)) * pw);
  const Y = (v: number) => M.t + (1 - (tr(v) - tr(lo)) / (tr(hi) - tr(lo) || 1)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" font-family='${CHART_FONT}'>`);
  out.push(`<title id="${id}-t">${esc(p.title)}</title><desc id="${id}-d">${esc(p.summary)}</desc>`);
  out.push(`<text x="${M.l - 40}" y="16" fill="${C.text}" font-size="13.5" font-weight="600">${esc(p.title)}</text>`);
  out.push(legendSvg(p.series, M.l - 38, 33));
  for (const t of ticks) {
    out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="${C.grid}"/>`);
    out.push(`<text x="${M.l - 5}" y="${(Y(t) + 4).toFixed(1)}" fill="${C.muted}" font-size="11" text-anchor="end">${esc(p.fmt(t))}</text>`);
  }
  if (p.band) {
    const y0 = Y(p.band[1]), y1 = Y(p.band[0]);
    out.push(`<rect x="${M.l}" y="${y0.toFixed(1)}" width="${pw}" height="${(y1 - y0).toFixed(1)}" fill="${C.band}" fill-opacity="0.22"/>`);
    out.push(`<text x="${M.l + pw - 4}" y="${(y0 + 12).toFixed(1)}" fill="${C.bandText}" font-size="10.5" font-weight="700" text-anchor="end">sweet spot ${p.band[0]}–${p.band[1]}</text>`);
    if (lo < 0) out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${Y(0).toFixed(1)}" y2="${Y(0).toFixed(1)}" stroke="${C.axis}" stroke-width="1.3"/>`);
  }
  // first, middle and last quarter on the axis
  const show = new Set([0, Math.floor((n - 1) / 2), n - 1]);
  p.labels.forEach((l, i) => {
    if (!show.has(i)) return;
    const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    out.push(`<text x="${X(i).toFixed(1)}" y="${H - 8}" fill="${C.muted}" font-size="11" text-anchor="${anchor}">${esc(l)}</text>`);
  });
  for (const s of p.series) {
    const pts = s.values.map((v, i) => (Number.isFinite(v) && (!p.log || v > 0) ? [X(i), Y(v)] as [number, number] : null));
    out.push(`<path d="${linePath(pts)}" fill="none" stroke="${s.color}" stroke-width="2.5" stroke-dasharray="${s.dash}" stroke-linejoin="round"/>`);
    pts.forEach((pt) => { if (pt) out.push(markerSvg(s.shape, pt[0], pt[1], 3, s.color)); });
  }
  out.push('</svg>');
  return out.join('');
}

function incidentsSvg(labels: string[], perQuarter: { minor: number; major: number; catastrophic: number }[], summary: string): string {
  const id = nextId('outcome');
  const n = Math.max(1, labels.length);
  const pw = W - M.l - M.r, ph = H - M.t - M.b;
  const max = Math.max(1, ...perQuarter.map((q) => q.minor + q.major + q.catastrophic));
  const ticks = niceTicks(0, max, Math.min(4, max)).filter((t) => Number.isInteger(t));
  const top = Math.max(max, ticks[ticks.length - 1] ?? 1);
  const Y = (v: number) => M.t + (1 - v / top) * ph;
  const bw = Math.min(22, (pw / n) * 0.7);
  const X = (i: number) => M.l + ((i + 0.5) / n) * pw;
  const kinds = [
    { key: 'minor', name: 'minor', color: C.minor, pattern: '' },
    { key: 'major', name: 'major', color: C.major, pattern: `url(#${id}-hatch)` },
    { key: 'catastrophic', name: 'catastrophic', color: C.catastrophic, pattern: `url(#${id}-cross)` },
  ] as const;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" font-family='${CHART_FONT}'>`);
  out.push(`<title id="${id}-t">Incidents per quarter</title><desc id="${id}-d">${esc(summary)}</desc>`);
  out.push(`<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${C.major}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#0b1220" stroke-width="2"/></pattern>`
    + `<pattern id="${id}-cross" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${C.catastrophic}"/><path d="M0,0L6,6M6,0L0,6" stroke="#0b1220" stroke-width="1.4"/></pattern></defs>`);
  out.push(`<text x="${M.l - 40}" y="16" fill="${C.text}" font-size="13.5" font-weight="600">Incidents per quarter</text>`);
  let lx = M.l - 38;
  for (const k of kinds) {
    out.push(`<rect x="${lx}" y="27" width="12" height="12" fill="${k.pattern || k.color}" stroke="${k.color}"/><text x="${lx + 16}" y="37" fill="${C.text}" font-size="11.5">${k.name}</text>`);
    lx += 28 + k.name.length * 6.6;
  }
  for (const t of ticks) {
    out.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="${C.grid}"/>`);
    out.push(`<text x="${M.l - 5}" y="${(Y(t) + 4).toFixed(1)}" fill="${C.muted}" font-size="11" text-anchor="end">${t}</text>`);
  }
  perQuarter.forEach((q, i) => {
    let base = 0;
    for (const k of kinds) {
      const v = q[k.key];
      if (v <= 0) continue;
      out.push(`<rect x="${(X(i) - bw / 2).toFixed(1)}" y="${Y(base + v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(Y(base) - Y(base + v)).toFixed(1)}" fill="${k.pattern || k.color}" stroke="#0b1220" stroke-width="0.8"><title>${esc(`${labels[i]}: ${v} ${k.name}`)}</title></rect>`);
      base += v;
    }
  });
  const show = new Set([0, Math.floor((n - 1) / 2), n - 1]);
  labels.forEach((l, i) => {
    if (show.has(i)) out.push(`<text x="${X(i).toFixed(1)}" y="${H - 8}" fill="${C.muted}" font-size="11" text-anchor="middle">${esc(l)}</text>`);
  });
  if (perQuarter.every((q) => q.minor + q.major + q.catastrophic === 0)) {
    out.push(`<text x="${M.l + pw / 2}" y="${M.t + ph / 2}" fill="${C.muted}" font-size="12" text-anchor="middle">no incidents</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

function trend(name: string, values: number[], fmt: (v: number) => string, labels: string[]): string {
  if (!values.length) return `${name}: no data.`;
  return `${name}: ${fmt(values[0])} at ${labels[0]}, ${fmt(values[values.length - 1])} at ${labels[labels.length - 1]}`;
}

/** The small multiples and their data table, as one HTML string. */
export function outcomeChartsHtml(timeline: TimelinePoint[], options: { band?: [number, number] } = {}): string {
  const band = options.band ?? [12, 24];
  const labels = timeline.map((p) => p.label);
  const us = { color: C.us, shape: 'circle' as const, dash: '' };
  const cn = { color: C.china, shape: 'square' as const, dash: '6 3' };
  const v = (f: (p: TimelinePoint) => number) => timeline.map(f);
  const months = (x: number) => `${r1(x)}`;
  const perQuarter = timeline.map((p, i) => {
    const prev = i > 0 ? timeline[i - 1].incidents : { minor: 0, major: 0, catastrophic: 0 };
    return { minor: Math.max(0, p.incidents.minor - prev.minor), major: Math.max(0, p.incidents.major - prev.major), catastrophic: Math.max(0, p.incidents.catastrophic - prev.catastrophic) };
  });
  const last = timeline[timeline.length - 1];
  const panels: string[] = [
    panelSvg({
      title: 'US lead (months)', labels, band, fmt: (x) => `${x}`,
      series: [{ name: 'US lead', color: C.lead, shape: 'diamond', dash: '', values: v((p) => p.lead) }],
      summary: `${trend('US lead over China in months', v((p) => p.lead), months, labels)}. Sweet spot ${band[0]} to ${band[1]} months.`,
    }),
    panelSvg({
      title: 'Capability (frontier-months)', labels, fmt: (x) => `${x}`,
      series: [{ name: 'US', ...us, values: v((p) => p.capability.us) }, { name: 'China', ...cn, values: v((p) => p.capability.china) }],
      summary: `${trend('US capability', v((p) => p.capability.us), months, labels)}; ${trend('China capability', v((p) => p.capability.china), months, labels)}.`,
    }),
    panelSvg({
      title: 'Effective compute (H100e, log scale)', labels, log: true, fmt: fmtChips,
      series: [{ name: 'US', ...us, values: v((p) => p.effectiveCompute.us) }, { name: 'China', ...cn, values: v((p) => p.effectiveCompute.china) }],
      summary: `${trend('US effective compute in H100 equivalents', v((p) => p.effectiveCompute.us), fmtChips, labels)}; ${trend('China', v((p) => p.effectiveCompute.china), fmtChips, labels)}. Logarithmic scale.`,
    }),
    panelSvg({
      title: 'Safeguards (malicious requests refused)', labels, domain: [0, 1], fmt: pct,
      series: [{ name: 'US', ...us, values: v((p) => p.safeguards.us) }, { name: 'China', ...cn, values: v((p) => p.safeguards.china) }],
      summary: `${trend('US safeguards', v((p) => p.safeguards.us), pct, labels)}; ${trend('China safeguards', v((p) => p.safeguards.china), pct, labels)}.`,
    }),
    incidentsSvg(labels, perQuarter, last
      ? `Incidents in total: ${last.incidents.minor} minor, ${last.incidents.major} major, ${last.incidents.catastrophic} catastrophic. By quarter: ${perQuarter.map((q, i) => `${labels[i]} ${q.minor + q.major + q.catastrophic}`).join(', ')}.`
      : 'No quarters played.'),
  ];
  const captions = ['Lead', 'Capability', 'Effective compute', 'Safeguards', 'Incidents'];
  const figures = panels.map((svg, i) => `<figure class="chart" data-chart="${captions[i].toLowerCase().replace(/ /g, '-')}" style="margin:0">${svg}</figure>`).join('');
  const head = ['Quarter', 'US lead (months)', 'US capability', 'China capability', 'US compute (H100e)', 'China compute (H100e)', 'US safeguards', 'China safeguards', 'Incidents (minor / major / catastrophic)'];
  const rows = timeline.map((p, i) => `<tr><th scope="row">${esc(p.label)}</th><td>${r1(p.lead)}</td><td>${r1(p.capability.us)}</td><td>${r1(p.capability.china)}</td>`
    + `<td>${fmtChips(p.effectiveCompute.us)}</td><td>${fmtChips(p.effectiveCompute.china)}</td><td>${pct(p.safeguards.us)}</td><td>${pct(p.safeguards.china)}</td>`
    + `<td>${perQuarter[i].minor} / ${perQuarter[i].major} / ${perQuarter[i].catastrophic}</td></tr>`).join('');
  const table = `<details class="chart-data"><summary>The numbers behind these charts (table)</summary>`
    + `<table><caption>Lead, capability, compute, safeguards and incidents by quarter (true numbers of both sides)</caption>`
    + `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></details>`;
  return `<div class="outcome-charts">${figures}</div>${table}`;
}

/** Renders the outcome charts into a container (replacing its content). */
export function renderOutcomeCharts(container: HTMLElement, timeline: TimelinePoint[], options?: { band?: [number, number] }): void {
  container.innerHTML = outcomeChartsHtml(timeline, options);
}
