// Prints the balance figures of a rule file (bounded: a few hundred seeds a row). Run: node tests/helpers/measure-balance.ts [rules.yaml] [seeds]
import { loadRulesFile } from '../../shared/rules/load.ts';
import { rulesPath } from './rules.ts';
import { run, everyone, matchups, dominance, exportPackage, noAntiDistillation, ROLES, MOODS, type Summary } from './balance.ts';
import { leadMonths } from '../../shared/engine/state.ts';
import { play, seeds } from './balance.ts';

const rules = loadRulesFile(process.argv[2] ?? rulesPath('default.yaml'));
const N = Number(process.argv[3] ?? 300);
const f1 = (x: number) => x.toFixed(1);
const pct = (x: number) => `${Math.round(100 * x)}%`;
const mix = (s: Summary) => Object.entries(s.endings).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${pct(v)}`).join(', ');
const t0 = performance.now();

const sq = run(rules, everyone('status-quo'), N);
console.log(`all status-quo: lead p10/p50/p90 ${f1(sq.lead.p10)}/${f1(sq.lead.p50)}/${f1(sq.lead.p90)} (spread ${f1(sq.lead.p90 - sq.lead.p10)}), 12-24 ${pct(sq.sweet)}, seizure ${pct(sq.seizure)}`);
console.log(`  endings: ${mix(sq)}`);
console.log(`  scores: ${ROLES.map((r) => `${r} ${f1(sq.scores[r])}`).join(', ')}`);
for (const m of ['hawk', 'dove', 'opportunist'] as const) {
  const s = run(rules, everyone(m), N);
  console.log(`all ${m}: lead p50 ${f1(s.lead.p50)}, 12-24 ${pct(s.sweet)}, catastrophe ${pct(s.endings.catastrophe ?? 0)}; ${mix(s)}`);
}
const q4 = seeds(100).map((seed) => play(rules, seed, everyone('status-quo')).timeline[6]).filter(Boolean);
console.log(`cost ratio Q4 2027 (status quo): ${f1(q4.reduce((a, p) => a + p.computeCost.china / p.computeCost.us, 0) / q4.length)}`);
const noDeals = { ...rules, proposals: [] } as typeof rules;
for (const m of ['dove', 'opportunist'] as const) {
  const w = run(rules, everyone(m), N), wo = run(noDeals, everyone(m), N);
  console.log(`all ${m} without proposals: score change ${ROLES.map((r) => `${r} ${f1(w.scores[r] - wo.scores[r])}`).join(', ')}`);
}
const cal3 = run(rules, { usGov: 'dove', usLab: 'dove', cnGov: 'hawk', cnLab: 'hawk' }, N);
console.log(`US dove vs China hawk: lead p50 ${f1(cal3.lead.p50)}`);

console.log('\nmatchups vs status-quo (own mean score / lead p50 / biggest ending-share change):');
const mu = matchups(rules, N);
let biggestLeadChange = 0;
for (const role of ROLES) {
  const base = mu[role]['status-quo'];
  const cells = MOODS.map((m) => {
    const s = mu[role][m];
    const dEnd = Math.max(...Object.keys({ ...s.endings, ...base.endings }).map((k) => Math.abs((s.endings[k] ?? 0) - (base.endings[k] ?? 0))));
    biggestLeadChange = Math.max(biggestLeadChange, Math.abs(s.lead.p50 - base.lead.p50));
    return `${m} ${f1(s.scores[role])}/${f1(s.lead.p50)}/${pct(dEnd)}`;
  });
  console.log(`  ${role.padEnd(6)} ${cells.join('  ')}`);
}
console.log(`largest lead p50 change from one role's strategy: ${f1(biggestLeadChange)} (status-quo spread ${f1(sq.lead.p90 - sq.lead.p10)})`);

console.log('\nbest/worst per role across opposing seatings (sq/hawk/dove/opportunist):');
const dom = dominance(rules, Math.max(100, Math.round(N / 2)));
for (const role of ROLES) {
  console.log(`  ${role.padEnd(6)} ${dom.table[role].map((d) => `${d.opponents}: best ${d.best} worst ${d.worst} [${MOODS.map((m) => f1(d.scores[m])).join(' ')}]`).join(' | ')}`);
}

const hawkChina = { usGov: 'status-quo', usLab: 'status-quo', cnGov: 'hawk', cnLab: 'hawk' } as const;
const lead = (tw: Parameters<typeof run>[3]) => run(rules, hawkChina, N, tw).lead.p50;
const base = lead({});
const pkg = lead({ usGov: exportPackage });
const noAD = lead({ usLab: noAntiDistillation });
console.log(`\nvs all-out China: lead p50 status quo ${f1(base)}; export package +${f1(pkg - base)}; anti-distillation worth ${f1(base - noAD)}`);
const perWatt = rules.model.chips.domesticPerformance > 0 ? 1 / rules.model.chips.domesticPowerFactor : 0;
console.log(`Chinese per-watt vs newest chips ${f1(perWatt)}`);
const ends = seeds(20).map((s) => leadMonths(play(rules, s, everyone('status-quo'))));
console.log(`(${ends.length} replay check) elapsed ${f1((performance.now() - t0) / 1000)} s`);

if (process.argv.includes('--objectives')) {
  const { readStat } = await import('../../shared/engine/stats.ts');
  const { objectiveScore } = await import('../../shared/engine/endings.ts');
  for (const opp of MOODS) {
    console.log(`\nobjective points (value) per role and bot, others ${opp}:`);
    for (const role of rules.roles) {
      const rows = MOODS.map((m) => {
        const st = seeds(Math.round(N / 2)).map((s) => play(rules, s, { ...everyone(opp), [role.id]: m }));
        const wsum = role.objectives.reduce((a, o) => a + o.weight, 0);
        return `${m}: ` + role.objectives.map((o) => {
          const vals = st.map((s) => Number(readStat(rules, s, o.stat)));
          const pts = vals.reduce((a, v) => a + (100 * o.weight * objectiveScore(o, v)) / wsum, 0) / vals.length;
          return `${o.stat} ${f1(pts)} (${(vals.reduce((a, v) => a + v, 0) / vals.length).toFixed(2)})`;
        }).join(' ');
      });
      console.log(`  ${role.id}\n    ${rows.join('\n    ')}`);
    }
    if (!process.argv.includes('--all')) break;
  }
}
