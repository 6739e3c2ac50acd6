// The intel panel: our side exact, the rival as estimates with error bars, and the lead against the 12–24 month band.
import { h, svg } from './dom.ts';
import { months, pct, compute, gw, costPerM } from './format.ts';
import type { TeamDocs, Estimate, RuleFile } from '../net/types.ts';

type View = NonNullable<TeamDocs['view']>;

/** An error bar: the estimate's range as a bar, the best guess as a diamond, ours as a square (shapes, not only colours). */
function errorBar(own: number | null, est: Estimate, log: boolean): SVGElement {
  const vals = [est.low, est.high, est.value, ...(own !== null ? [own] : [])].filter((v) => Number.isFinite(v));
  const f = log ? (v: number) => Math.log10(Math.max(v, 1e-9)) : (v: number) => v;
  let lo = Math.min(...vals.map(f)), hi = Math.max(...vals.map(f));
  const pad = (hi - lo) * 0.08 || 1;
  lo -= pad; hi += pad;
  const X = (v: number) => 6 + ((f(v) - lo) / (hi - lo)) * 188;
  return svg(`<svg class="errbar" viewBox="0 0 200 22" width="200" height="22" aria-hidden="true">
    <line x1="${X(est.low)}" x2="${X(est.high)}" y1="11" y2="11" class="rival-range" stroke-width="6" stroke-linecap="round"/>
    <line x1="${X(est.low)}" x2="${X(est.low)}" y1="4" y2="18" class="rival-tick" stroke-width="2"/>
    <line x1="${X(est.high)}" x2="${X(est.high)}" y1="4" y2="18" class="rival-tick" stroke-width="2"/>
    <path d="M${X(est.value)},4 l6,7 l-6,7 l-6,-7z" class="rival-mark"/>
    ${own !== null ? `<rect x="${X(own) - 5}" y="6" width="10" height="10" class="own-mark"/>` : ''}</svg>`);
}

/** The lead gauge: the estimate's range over a months axis, with the 12–24 sweet spot shaded and labelled. */
export function leadGauge(lead: Estimate, band: [number, number], label = 'US lead'): HTMLElement {
  const lo = Math.min(-12, Math.floor(lead.low / 6) * 6), hi = Math.max(36, Math.ceil(lead.high / 6) * 6);
  const X = (v: number) => 10 + ((v - lo) / (hi - lo)) * 380;
  const ticks = [];
  for (let t = lo; t <= hi; t += 6) ticks.push(`<line x1="${X(t)}" x2="${X(t)}" y1="38" y2="44" class="tick"/><text x="${X(t)}" y="56" class="tick-label">${t}</text>`);
  const g = svg(`<svg class="lead-gauge" viewBox="0 0 400 60" role="img" aria-label="${label}: about ${lead.value.toFixed(1)} months, between ${lead.low.toFixed(1)} and ${lead.high.toFixed(1)}; the sweet spot is ${band[0]} to ${band[1]} months">
    <rect x="${X(band[0])}" y="6" width="${X(band[1]) - X(band[0])}" height="32" class="band"/>
    <text x="${(X(band[0]) + X(band[1])) / 2}" y="18" class="band-label">sweet spot</text>
    <line x1="${X(0)}" x2="${X(0)}" y1="4" y2="40" class="zero"/>
    <line x1="${X(lead.low)}" x2="${X(lead.high)}" y1="28" y2="28" class="lead-range" stroke-width="8" stroke-linecap="round"/>
    <path d="M${X(lead.value)},20 l7,8 l-7,8 l-7,-8z" class="lead-mark"/>
    <line x1="10" x2="390" y1="38" y2="38" class="axis"/>${ticks.join('')}</svg>`);
  return h('figure', { class: 'gauge' }, g as unknown as HTMLElement,
    h('figcaption', null, `${label}: ${months(lead.value)} (likely ${months(lead.low)} to ${months(lead.high)}); sweet spot ${band[0]}–${band[1]} months. Months, China ahead below 0.`));
}

export function intelPanel(rules: RuleFile, view: View): HTMLElement {
  const side = view.side;
  const rivalName = side === 'us' ? 'China' : 'The US side';
  const own = view.own, r = view.rival;
  const rows: [string, number, Estimate, (x: number) => string, boolean][] = [
    ['Capability (frontier-months)', own.capability, r.capability, (x) => months(x), false],
    ['Effective training compute', own.effectiveCompute, r.effectiveCompute, compute, true],
    ['Chips in the fleet', own.chips, r.chips, compute, true],
    ['Data-centre power', own.powerGW, r.powerGW, gw, true],
    ['Cost of compute', own.computeCost, r.computeCost, costPerM, true],
    ['Safeguards (malicious requests refused)', own.safeguards, r.safeguards, pct, false],
  ];
  const table = h('table', { class: 'intel-table' },
    h('caption', null, `Our numbers are exact. ${rivalName}'s are estimates: best guess and likely range (about ±2 standard deviations). Intelligence error now ${pct(own.intelError)}.`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Measure')), h('th', { scope: 'col' }, '■ Us (exact)'), h('th', { scope: 'col' }, `◆ ${side === 'us' ? 'China' : 'US'} (estimate, range)`), h('th', { scope: 'col', class: 'bar-col' }, 'Range'))),
    h('tbody', null, rows.map(([label, mine, est, fmt, log]) => h('tr', null,
      h('th', { scope: 'row' }, label),
      h('td', { class: 'own' }, fmt(mine)),
      h('td', { class: 'rival' }, fmt(est.value), h('small', null, `${fmt(est.low)} – ${fmt(est.high)}`)),
      h('td', { class: 'bar-col' }, errorBar(mine, est, log) as unknown as HTMLElement))),
    h('tr', null, h('th', { scope: 'row' }, 'Adoption (share of the world)'), h('td', { class: 'own' }, pct(own.adoption)), h('td', { class: 'rival' }, pct(r.adoption), h('small', null, 'public')), h('td', { class: 'bar-col' }, ''))));
  const details: HTMLElement[] = [];
  if (own.distilledMonths > 0) details.push(h('li', null, `Capability copied by distillation: ${months(own.distilledMonths)} (it carries no safeguards).`));
  if (own.smuggledChips > 0 || own.seizedChips > 0) details.push(h('li', null, `Smuggled chips delivered ${compute(own.smuggledChips)}, seized ${compute(own.seizedChips)}.`));
  if (own.fabPipeline.length) details.push(h('li', null, `Domestic chips on the way: ${own.fabPipeline.map((b) => `${compute(b.chips)} in ${b.turnsLeft} quarter${b.turnsLeft === 1 ? '' : 's'}`).join('; ')}.`));
  if (own.lastDistillation.accounts > 0) details.push(h('li', null, `Last distillation campaign: ${Math.round(own.lastDistillation.accounts).toLocaleString()} accounts, ${own.lastDistillation.exchangesMillions.toFixed(1)} M exchanges, ${pct(own.lastDistillation.detectedShare)} detected, ${months(own.lastDistillation.gainMonths)} gained.`));
  if (own.powerNeedGW > own.powerGW) details.push(h('li', null, `Power shortfall: the fleet needs ${gw(own.powerNeedGW)} but has ${gw(own.powerGW)}; chips sit idle.`));
  return h('div', { class: 'intel' },
    leadGauge(view.lead, rules.model.safeguards.sweetSpot, 'Lead (your estimate)'),
    table,
    details.length ? h('ul', { class: 'intel-notes' }, details) : null);
}
