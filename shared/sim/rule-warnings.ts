// Warnings about a valid rule file: things that load but are most likely not what the designer meant —
// texts that quote other numbers than the thresholds they describe, levers no mechanism reads, event
// cards that can never fire, money that can never be spent. Pure, and placed at file:line:col like errors.
// It lives beside the simulator, not in shared/rules, because it plays the engine (shared/rules stays below it).
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { RuleFile, Side } from '../rules/schema.ts';
import { offsetOf, readablePath, toPosition } from '../rules/positions.ts';
import type { DataPath, Finding } from '../rules/positions.ts';
import type { Problem } from '../rules/check.ts';
import { initialState } from '../engine/setup.ts';
import { resolveTurnInPlace } from '../engine/resolve.ts';
import type { MatchState, Orders } from '../engine/state.ts';

// ---------------------------------------------------------------------------------------------
// Numbers in words: "12–24 month", "one to two years", "18 months", "more than two years"

const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, eighteen: 18, a: 1, half: 0.5 };
const NUM = String.raw`(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen)`;
const toNumber = (s: string) => (/^\d/.test(s) ? Number(s) : WORDS[s.toLowerCase()]);

/** Month figures a text quotes: ranges ("12–24 month", "one to two years") and single figures ("18 months", "two years"). */
export function quotedMonths(text: string): { ranges: [number, number][]; singles: number[] } {
  const ranges: [number, number][] = [];
  const singles: number[] = [];
  const t = text.toLowerCase();
  const range = new RegExp(String.raw`\b${NUM}\s*(?:–|—|-|to)\s*${NUM}[\s-]*(months?|years?)\b`, 'g');
  let m: RegExpExecArray | null;
  const covered: [number, number][] = [];
  while ((m = range.exec(t))) {
    const unit = m[3].startsWith('year') ? 12 : 1;
    ranges.push([toNumber(m[1]) * unit, toNumber(m[2]) * unit]);
    covered.push([m.index, m.index + m[0].length]);
  }
  const single = new RegExp(String.raw`\b${NUM}[\s-]*(months?|years?)\b`, 'g');
  while ((m = single.exec(t))) {
    if (covered.some(([a, b]) => m!.index >= a && m!.index < b)) continue;
    singles.push(toNumber(m[1]) * (m[2].startsWith('year') ? 12 : 1));
  }
  return { ranges, singles };
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const sameRange = (a: [number, number], b: readonly [number, number]) => Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9;
const SWEET = /sweet spot/i;

/** The interval of a stat an ending's (or card's) conditions allow: [low, high], open ends infinite. */
function interval(conditions: readonly { stat: string; above?: number; below?: number; atLeast?: number; atMost?: number }[], stat: string): { low: number; high: number; bounds: number[] } {
  let low = -Infinity, high = Infinity;
  const bounds: number[] = [];
  for (const c of conditions) {
    if (c.stat !== stat) continue;
    for (const v of [c.above, c.atLeast]) if (v !== undefined) { low = Math.max(low, v); bounds.push(v); }
    for (const v of [c.below, c.atMost]) if (v !== undefined) { high = Math.min(high, v); bounds.push(v); }
  }
  return { low, high, bounds };
}

function textWarnings(rules: RuleFile, out: Finding[]): void {
  const sweet = rules.model.safeguards.sweetSpot;
  const sweetText = `${fmt(sweet[0])}–${fmt(sweet[1])}`;
  rules.roles.forEach((role, r) => role.objectives.forEach((o, k) => {
    const path: DataPath = ['roles', r, 'objectives', k, 'label'];
    const { ranges } = quotedMonths(o.label);
    if (o.kind === 'band' && ranges.length && !ranges.some((x) => sameRange(x, [o.low, o.high]))) {
      out.push({ path, message: `warning: the label says ${ranges.map((x) => `${fmt(x[0])}–${fmt(x[1])}`).join(', ')} months but the band scores ${fmt(o.low)}–${fmt(o.high)}; players read the label, so make them agree` });
    } else if (SWEET.test(o.label) && o.stat === 'lead' && o.kind === 'band' && !sameRange([o.low, o.high], sweet)) {
      out.push({ path, message: `warning: the label speaks of the sweet spot but the band scores ${fmt(o.low)}–${fmt(o.high)}, while model.safeguards.sweetSpot is ${sweetText}` });
    }
  }));
  rules.endings.forEach((e, k) => {
    const lead = interval(e.when, 'lead');
    const words = `${e.title} ${e.text}`;
    const { ranges, singles } = quotedMonths(words);
    if (Number.isFinite(lead.low) && Number.isFinite(lead.high) && ranges.length && !ranges.some((x) => sameRange(x, [lead.low, lead.high]))) {
      out.push({ path: ['endings', k, 'text'], message: `warning: the text says a ${ranges.map((x) => `${fmt(x[0])}–${fmt(x[1])}`).join(', ')} month lead but the ending's conditions ask for ${fmt(lead.low)}–${fmt(lead.high)}` });
    } else if (lead.bounds.length && !ranges.length && singles.length && !singles.some((n) => lead.bounds.some((b) => Math.abs(b - n) < 1e-9))) {
      out.push({ path: ['endings', k, 'text'], message: `warning: the text speaks of ${singles.map(fmt).join(', ')} months but the ending's lead conditions are at ${lead.bounds.map(fmt).join(', ')}` });
    }
    if (SWEET.test(words) && Number.isFinite(lead.low) && Number.isFinite(lead.high) && !sameRange([lead.low, lead.high], sweet)) {
      out.push({ path: ['endings', k, 'when'], message: `warning: this ending speaks of the sweet spot but its lead conditions are ${fmt(lead.low)}–${fmt(lead.high)}, while model.safeguards.sweetSpot is ${sweetText}` });
    }
  });
  rules.proposals.forEach((p, k) => {
    const { ranges } = quotedMonths(p.text);
    if (p.needsSweetSpot && ranges.length && !ranges.some((x) => sameRange(x, sweet))) {
      out.push({ path: ['proposals', k, 'text'], message: `warning: the text says ${ranges.map((x) => `${fmt(x[0])}–${fmt(x[1])}`).join(', ')} months but the proposal opens inside model.safeguards.sweetSpot, ${sweetText}` });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Levers no mechanism reads: probed with the engine itself

/** What a probe compares: everything the world is, not the money itself. */
function worldOf(s: MatchState): string {
  return JSON.stringify([s.sides, s.regions, s.incidents, s.globalLicensing, s.openWeights, s.agreements, s.drawnEvents, s.riskModifier]);
}

/**
 * Plays a few quarters from the start with the status quo at 90% of every budget, then again with a
 * little more money on one lever, and with none on it. A lever whose money changes nothing either
 * way is read by no mechanism (under these numbers); one where only more money changes nothing is
 * at a cap already: money past it finds nothing to buy. Orders are fixed amounts, so savings do
 * not feed back; no event cards are drawn, so none cuts a budget under the probe.
 */
function probeLevers(original: RuleFile, out: Finding[]): void {
  // without event cards: a card that cuts a budget would scale the probe's orders, and cards are not levers
  const rules: RuleFile = { ...original, events: [] };
  const quarters = Math.min(rules.calendar.turns, rules.model.chips.fabLag + 2);
  const play = (roleId: string | null, leverId: string | null, extra: 'more' | 'none', seed: number) => {
    const s = initialState(rules, seed);
    for (let q = 0; q < quarters && !s.finished; q++) {
      const orders: Orders = {};
      for (const role of rules.roles) {
        const budget = role.budget.perTurn * Math.pow(role.budget.growth, q);
        const spend: Record<string, number> = {};
        for (const l of role.levers) {
          const mine = role.id === roleId && l.id === leverId;
          spend[l.id] = mine && extra === 'none' ? 0 : 0.9 * budget * l.statusQuo + (mine ? 0.08 * budget : 0);
        }
        orders[role.id] = { spend };
      }
      resolveTurnInPlace(rules, s, orders);
    }
    return worldOf(s);
  };
  const seeds = [1, 2];
  const base = seeds.map((seed) => play(null, null, 'more', seed));
  rules.roles.forEach((role, r) => role.levers.forEach((l, k) => {
    const more = seeds.every((seed, i) => play(role.id, l.id, 'more', seed) === base[i]);
    if (!more) return;
    const none = seeds.every((seed, i) => play(role.id, l.id, 'none', seed) === base[i]);
    if (none) {
      out.push({ path: ['roles', r, 'levers', k, 'effect'], message: `warning: no mechanism reads this lever under these model numbers (${l.effect} for the ${role.side} side changes nothing in the world, with or without money), so a player who spends here throws the money away` });
    } else if (l.statusQuo > 0) {
      out.push({ path: ['roles', r, 'levers', k, 'statusQuo'], message: `warning: at the status-quo split this lever is already at its cap: more money on it changes nothing in the world (it finds nothing more to buy), so money put here above that can never be spent` });
    }
  }));
}

// ---------------------------------------------------------------------------------------------
// Event cards that can never fire

/** Bounds the checker's errors do not know: what a stat can be when cards are drawn, by the engine's order of play. */
function drawnRange(stat: string): [number, number] | null {
  // a catastrophe ends the match after the quarter's draw, so no card ever sees one
  if (stat === 'catastrophes') return [0, 0];
  return null;
}

function neverFires(rules: RuleFile, out: Finding[]): void {
  const holders = (setting: string) => rules.roles.some((r) => (r.settings as readonly string[]).includes(setting));
  const setBySomething = (stat: string) => rules.events.some((e) => e.effects.some((f) => f.stat === stat && f.set !== undefined))
    || rules.proposals.some((p) => p.whileHeld.some((f) => f.stat === stat && f.set !== undefined));
  rules.events.forEach((card, k) => {
    const why: string[] = [];
    const stats = [...new Set(card.when.map((c) => c.stat))];
    for (const stat of stats) {
      const cs = card.when.filter((c) => c.stat === stat);
      const numeric = cs.filter((c) => c.equals === undefined);
      if (numeric.length) {
        const iv = interval(numeric, stat);
        const strictLow = numeric.some((c) => c.above === iv.low), strictHigh = numeric.some((c) => c.below === iv.high);
        const range = drawnRange(stat);
        if (range) {
          const [lo, hi] = range;
          if (iv.low > hi || (strictLow && iv.low >= hi)) why.push(`${stat} is never ${strictLow ? 'above' : 'at least'} ${fmt(iv.low)} when cards are drawn (cards are drawn before the quarter's incident, and a catastrophe ends the match)`);
          if (iv.high < lo || (strictHigh && iv.high <= lo)) why.push(`${stat} is never ${strictHigh ? 'below' : 'at most'} ${fmt(iv.high)} (it is ${fmt(lo)} or more)`);
        }
      }
      for (const c of cs) {
        if (c.equals === undefined) continue;
        if ((stat === 'globalLicensing' || stat === 'openWeights') && c.equals === true && !holders(stat) && !setBySomething(stat)) {
          why.push(`${stat} starts off and no role holds the ${stat} setting, nor does any card or agreement set it`);
        }
        const region = /^region\.([A-Za-z0-9]+)\.tier$/.exec(stat)?.[1];
        const start = region && rules.regions.find((x) => x.id === region)?.exportTier;
        if (region && start !== c.equals && !holders('exportTiers') && !setBySomething(stat)) {
          why.push(`${stat} stays ${start}: no role holds exportTiers and no card or agreement sets it`);
        }
      }
    }
    if (why.length) out.push({ path: ['events', k, 'when'], message: `warning: this card can never be drawn: ${why.join('; ')}` });
  });
}

// ---------------------------------------------------------------------------------------------
// Money that can never be spent

function unspendable(rules: RuleFile, out: Finding[]): void {
  rules.roles.forEach((role, r) => {
    const sum = role.levers.reduce((a, l) => a + l.statusQuo, 0);
    if (sum > 0 && sum < 1 - 1e-6) {
      out.push({ path: ['roles', r, 'levers'], message: `warning: the levers' statusQuo shares add up to ${fmt(sum)}: a status-quo player (and every empty seat) leaves ${fmt(100 * (1 - sum))}% of the budget unspent each quarter${role.budget.carryOver < 1 ? `, and ${fmt(100 * (1 - role.budget.carryOver))}% of that is lost` : ''}` });
    }
  });
  const m = rules.model.chips;
  const last = rules.calendar.turns - 1;
  for (const side of ['us', 'china'] as Side[]) {
    // the most a side's chip levers can buy in a quarter: every channel's cap at its price, at the end of the match
    let most = 0;
    const usPrice = m.usPrice * Math.pow(m.usPriceTrend, last);
    if (side === 'us') {
      const production = rules.regions.filter((x) => x.alignment === 'us').reduce((a, x) => a + x.chipProduction, 0);
      most = ((production / Math.pow(m.usPriceTrend, last)) * usPrice) / 1e6;
    } else {
      const tiers = rules.model.exportTiers;
      for (const x of rules.regions) if (x.alignment === side) most += (x.chipImports * Math.max(tiers.open.importShare, tiers.licensed.importShare, tiers.embargo.importShare) * usPrice * m.importMarkup) / 1e6;
      most += (m.domesticSupply * m.domesticPrice * Math.pow(m.domesticPriceTrend, last)) / 1e6;
    }
    rules.roles.forEach((role, r) => {
      if (role.side !== side) return;
      const sideSpend = (t: number) => rules.roles.filter((x) => x.side === side).reduce((a, x) => a + x.budget.perTurn * Math.pow(x.budget.growth, t) * x.levers.filter((l) => l.effect === 'chips').reduce((b, l) => b + l.statusQuo, 0), 0);
      const k = role.levers.findIndex((l) => l.effect === 'chips' && l.statusQuo > 0);
      if (k < 0) return;
      for (let t = 0; t <= last; t++) {
        if (sideSpend(t) > most * 1.001) {
          out.push({ path: ['roles', r, 'levers', k, 'statusQuo'], message: `warning: from quarter ${t + 1} the ${side} side's status-quo chip spending ($${fmt(sideSpend(t))}B) is more than all its chip channels can sell in a quarter (about $${fmt(most)}B); the rest finds nothing to buy` });
          break;
        }
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** Every warning for a valid rule file, as findings (data paths). */
export function ruleWarnings(rules: RuleFile): Finding[] {
  const out: Finding[] = [];
  textWarnings(rules, out);
  neverFires(rules, out);
  unspendable(rules, out);
  probeLevers(rules, out);
  return out;
}

/** The warnings placed in the file's text, sorted by line: `file:line:col  path  warning: ...` when formatted. */
export function checkRulesWarnings(text: string, file: string, rules: RuleFile): Problem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF+/, ''), { lineCounter, merge: true }) as Document;
  return ruleWarnings(rules).map((f) => {
    const pos = toPosition(lineCounter, offsetOf(doc, f.path, f.anchor));
    return { file, line: pos.line, col: pos.col, path: readablePath(rules, f.path), message: f.message };
  }).sort((a, b) => a.line - b.line || a.col - b.col);
}
