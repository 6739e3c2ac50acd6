// `npm run play`: one seeded bot match told quarter by quarter in the terminal.
import { fileURLToPath } from 'node:url';
import { loadRulesFile } from '../shared/rules/load.ts';
import type { RuleFile, Side } from '../shared/rules/schema.ts';
import { initialState } from '../shared/engine/setup.ts';
import { resolveTurn } from '../shared/engine/resolve.ts';
import { quarterLabel, leadMonths } from '../shared/engine/state.ts';
import { botNegotiation, botOrders } from '../shared/sim/botMatch.ts';
import { parseBots, seatingFor } from '../shared/sim/seating.ts';
import { readFlags, wholeNumber, UsageError } from './args.ts';
import { fmtCount } from '../shared/engine/format.ts';

const USAGE = 'usage: npm run play -- [--rules assets/rules/default.yaml] [--seed N] [--bots usGov=hawk,cnLab=dove|mixed]';

function main(): number {
  let args;
  let seed: number;
  try {
    args = readFlags(process.argv.slice(2), { rules: { type: 'string' }, seed: { type: 'string' }, bots: { type: 'string' }, help: { type: 'boolean', short: 'h' } }).values;
    seed = args.seed === undefined ? Math.floor(Date.now() % 1e9) : wholeNumber('--seed', args.seed, 0, Number.MAX_SAFE_INTEGER);
  } catch (e) {
    console.error(`play: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) { console.log(USAGE); return 0; }
  const file = args.rules ?? fileURLToPath(new URL('../assets/rules/default.yaml', import.meta.url));
  let rules: RuleFile;
  try {
    rules = loadRulesFile(file);
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  let seating;
  try {
    seating = seatingFor(parseBots(args.bots ?? 'mixed', rules.roles.map((r) => r.id)), rules.roles.map((r) => r.id), seed);
  } catch (e) {
    if (e instanceof UsageError) { console.error(`${e.message}\n${USAGE}`); return 2; }
    throw e;
  }

  const out = (s = '') => console.log(s);
  out(`${rules.name}: ${rules.description}`);
  out(`Seed ${seed}. Seats: ${rules.roles.map((r) => `${r.name} (${seating[r.id]})`).join(', ')}.`);
  let state = initialState(rules, seed);
  out(`Start: the US leads by ${leadMonths(state).toFixed(1)} months.`);
  while (!state.finished) {
    const quarter = quarterLabel(rules, state.turn);
    state = botNegotiation(rules, state, seating);
    const result = resolveTurn(rules, state, botOrders(rules, state, seating));
    state = result.state;
    out();
    out(`== ${quarter} ==`);
    for (const role of rules.roles) {
      const spend = Object.entries(result.orders[role.id].spend).filter(([, v]) => v > 0.05)
        .sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      out(`  ${role.name.padEnd(18)} $B: ${spend || 'nothing'}`);
    }
    const side = (s: Side) => state.sides[s];
    out(`  lead ${leadMonths(state).toFixed(1)} months | compute US ${fmtCount(side('us').effectiveCompute)} China ${fmtCount(side('china').effectiveCompute)} H100e | safeguards US ${side('us').safeguards.toFixed(2)} China ${side('china').safeguards.toFixed(2)}`);
    for (const e of result.events) out(`  - [${e.visibleTo === 'all' ? 'news' : `${e.visibleTo} only`}] ${e.title}: ${e.text}`);
  }
  const ending = state.ending!;
  out();
  out(`== 2028: ${ending.title} ==`);
  out(ending.text);
  for (const role of rules.roles) out(`  ${role.name.padEnd(18)} score ${ending.scores[role.id]}`);
  out();
  out('`npm start` serves the game for people; `npm run simulate` plays thousands of these.');
  return 0;
}

process.exitCode = main();
