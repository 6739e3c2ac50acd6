// The balance report as text for a designer's terminal (the numbers come from shared/sim/balance.ts).
import type { RuleFile } from '../shared/rules/schema.ts';
import type { BalanceReport } from '../shared/sim/balance.ts';
import { STYLES } from '../shared/bots/planner.ts';

const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const padL = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const signed = (x: number, digits = 1) => `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;
const pct = (share: number) => `${(100 * share).toFixed(1)}%`;

export function formatBalance(rules: RuleFile, file: string, r: BalanceReport, seconds: number): string {
  const out: string[] = [];
  const roleName = (id: string) => rules.roles.find((x) => x.id === id)?.name ?? id;
  out.push(`Balance report: ${rules.name} — ${file}`);
  out.push(`${r.runs} runs × ${r.matchesPerRun.toLocaleString('en-US')} seeded matches (the same seeds in every run), in ${seconds.toFixed(1)} s`);
  out.push('');

  out.push('Matchups: each role\'s bots against status-quo opponents');
  out.push(`  ${pad('role', 20)}${STYLES.map((s) => padL(s, 22)).join('')}`);
  out.push(`  ${pad('', 20)}${STYLES.map(() => padL('lead p50 / own mean', 22)).join('')}`);
  for (const [id, b] of Object.entries(r.roles)) {
    out.push(`  ${pad(roleName(id), 20)}${STYLES.map((s) => padL(`${f1(b.matchup[s].leadP50)} / ${f1(b.matchup[s].ownMean)}`, 22)).join('')}`);
  }
  for (const [id, b] of Object.entries(r.roles)) {
    if (b.planner) out.push(`  ${pad(roleName(id), 20)}${b.planner.bot}: lead p50 ${f1(b.planner.leadP50)}, own mean ${f1(b.planner.ownMean)} (${signed(b.planner.gain)} ± ${f1(b.planner.gainSe)} over status quo)`);
  }
  out.push(`  biggest swing from status quo:`);
  for (const [id, b] of Object.entries(r.roles)) {
    out.push(`    ${pad(roleName(id), 20)} lead ${signed(b.leadSwing.months)} months (${b.leadSwing.bot}), own score ${signed(b.scoreSwing.points)} points (${b.scoreSwing.bot})`);
  }
  out.push('');

  out.push('Dominance: own mean score of each bot, by what the other roles all play (best *, worst _)');
  for (const [id, b] of Object.entries(r.roles)) {
    out.push(`  ${roleName(id)}`);
    for (const others of STYLES) {
      const d = b.dominance[others];
      const cells = STYLES.map((s) => padL(`${s === d.best ? '*' : s === d.worst ? '_' : ' '}${s} ${f1(d.scores[s])}`, 19)).join('');
      out.push(`    others ${pad(others, 12)}${cells}`);
    }
    const notes: string[] = [];
    if (b.bestEverywhere) notes.push(`${b.bestEverywhere} is best against all four`);
    if (b.worstEverywhere) notes.push(`${b.worstEverywhere} is worst against all four`);
    if (b.grid) notes.push(`over all ${b.grid.seatings} opposing seatings: best ${STYLES.map((s) => `${s} ${b.grid!.best[s]}`).join(', ')}; worst ${STYLES.map((s) => `${s} ${b.grid!.worst[s]}`).join(', ')}`);
    if (notes.length) out.push(`    ${notes.join('; ')}`);
  }
  out.push('');

  out.push('Who decides a role\'s score: shares of its variance');
  out.push(`  ${pad('role', 20)}${padL('own strategy', 14)}${padL('others', 10)}${padL('interplay', 11)}${padL('dice', 8)}`);
  for (const [id, b] of Object.entries(r.roles)) {
    const v = b.variance;
    out.push(`  ${pad(roleName(id), 20)}${padL(pct(v.own), 14)}${padL(pct(v.others), 10)}${padL(pct(v.interplay), 11)}${padL(pct(v.dice), 8)}`);
  }
  out.push('');

  const endIds = rules.endings.map((e) => e.id);
  out.push(`Levers: ${Math.round(100 * r.share)}% of a role's budget moved into one lever (others status quo), change from all status quo`);
  out.push(`  "worth" is the change beyond leaving that money unspent; a lever no mechanism reads shows 0`);
  out.push(`  endings: ${endIds.map((_id, k) => `${k + 1} ${rules.endings[k].title}`).join(', ')}`);
  const endHead = endIds.map((_, k) => padL(String(k + 1), 7)).join('');
  for (const [id, b] of Object.entries(r.roles)) {
    out.push(`  ${roleName(id)}`);
    out.push(`    ${pad('lever (mechanism)', 36)}${padL('lead', 7)}${padL('own', 7)}${padL('worth', 14)}   endings (points) ${endHead}`);
    for (const l of b.levers) {
      const name = l.lever === null ? '(left unspent)' : `${l.lever} (${l.effect})`;
      const worth = l.lever === null ? '' : `${signed(l.worth.leadP50)}m ${signed(l.worth.ownMean)}`;
      out.push(`    ${pad(name, 36)}${padL(signed(l.leadP50), 7)}${padL(signed(l.ownMean), 7)}${padL(worth, 14)}   ${' '.repeat(16)} ${endIds.map((e) => padL(signed(l.endings[e] ?? 0), 7)).join('')}`);
    }
  }
  out.push('');

  out.push('Event cards: share of matches each fired in');
  const idW = Math.max(4, ...Object.keys(r.cards).map((id) => id.length)) + 2;
  out.push(`  ${pad('card', idW)}${padL('status quo', 11)}${padL('all seatings', 14)}  title`);
  for (const [id, c] of Object.entries(r.cards)) {
    const note = c.allSeatings === 0 ? ' (never fired)' : c.allSeatings > 0.9 ? ' (nearly always)' : '';
    out.push(`  ${pad(id, idW)}${padL(pct(c.statusQuo), 11)}${padL(pct(c.allSeatings), 14)}  ${c.title.slice(0, 50)}${note}`);
  }
  out.push('');

  out.push('Endings');
  out.push(`  ${pad('ending', 34)}${padL('status quo', 12)}${padL('all seatings', 14)}`);
  for (const e of Object.values(r.endings)) out.push(`  ${pad(e.title.slice(0, 33), 34)}${padL(pct(e.statusQuo), 12)}${padL(pct(e.allSeatings), 14)}`);
  const l = r.baseline.leadMonths;
  out.push(`  all status quo: final lead p10 ${f1(l.p10)}, p50 ${f1(l.p50)}, p90 ${f1(l.p90)} months; catastrophe in ${pct(r.baseline.incidents.catastropheShare)} of matches`);
  return out.join('\n');
}
