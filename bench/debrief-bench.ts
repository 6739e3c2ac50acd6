// Debrief figures for the README: report time of a 10-quarter 4-role match on one core, fork time through a real
// server, the odds curve's cost. Usage: node bench/debrief-bench.ts [--matches 8] [--seeds 200]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadRulesFile } from '../shared/rules/load.ts';
import { botMatchLog } from '../shared/debrief/bot-log.ts';
import { debriefMatch } from '../shared/debrief/debrief.ts';
import { prepare } from '../shared/debrief/branch.ts';
import { oddsCurve } from '../shared/debrief/odds.ts';
import { startServer } from '../server/main.ts';
import { createLogger } from '../server/log.ts';
import { hashSecret, joinCode, newId } from '../server/security.ts';
import type { MatchHeader } from '../server/store/types.ts';

const { values } = parseArgs({ options: { matches: { type: 'string', default: '8' }, seeds: { type: 'string', default: '200' } } });
const matches = Number(values.matches), seeds = Number(values.seeds);
const rulesPath = fileURLToPath(new URL('../assets/rules/default.yaml', import.meta.url));
const rules = loadRulesFile(rulesPath);
const rulesText = readFileSync(rulesPath, 'utf8');
const BOTS = { usGov: 'opportunist', usLab: 'dove', cnGov: 'hawk', cnLab: 'random' } as const;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x: number) => `${x.toFixed(0)} ms`;

const logs = Array.from({ length: matches }, (_, i) => ({ seed: 1000 + i, ...botMatchLog(rules, 1000 + i, { bots: BOTS }) }));
debriefMatch(rules, logs[0].settings, logs[0].seed, logs[0].entries); // warm-up (JIT, rule index)
const report: number[] = [], cfs: number[] = [];
for (const l of logs) {
  const t = performance.now();
  const d = debriefMatch(rules, l.settings, l.seed, l.entries);
  report.push(performance.now() - t);
  cfs.push(d.report.counterfactuals.length);
}
console.log(`report (${logs[0].match.quarters.length} quarters, ${rules.roles.length} roles, ${median(cfs)} counterfactuals + said-vs-did replays): median ${ms(median(report))}, max ${ms(Math.max(...report))} (one core, this thread)`);

const odds: number[] = [];
let quarters = 0;
for (const l of logs.slice(0, 3)) {
  const t = performance.now();
  quarters = oddsCurve(prepare(rules, l.settings, l.seed, l.entries), seeds).quartersResolved;
  odds.push(performance.now() - t);
}
console.log(`odds curve (${seeds} seeds per quarter, ${quarters} quarters re-run): median ${ms(median(odds))}`);

const server = await startServer({ port: 0, storePath: ':memory:', logger: createLogger({ level: 'silent' }) });
const base = `http://127.0.0.1:${server.port}`;
const fork: number[] = [], forkRoute: number[] = [], viaWorker: number[] = [];
for (const l of logs) {
  const header: MatchHeader = { id: newId(), code: joinCode(), createdAt: new Date().toISOString(), settings: { ...l.settings, rulesName: 'default.yaml' }, rulesText, seed: l.seed, facilitatorKeyHash: hashSecret('key'), status: 'open' };
  await server.store.createMatch(header);
  for (const e of l.entries) await server.store.append(header.id, e.entry);
  await server.store.setStatus(header.id, 'finished');
  let t = performance.now();
  const r = await fetch(`${base}/api/matches/${header.code}/debrief`);
  await r.json();
  viaWorker.push(performance.now() - t);
  t = performance.now();
  const f = await fetch(`${base}/api/matches/${header.code}/fork`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-facilitator-key': 'key' }, body: JSON.stringify({ quarter: 9 }) });
  const body = await f.json() as { ms: number };
  forkRoute.push(performance.now() - t);
  fork.push(body.ms);
}
console.log(`report over HTTP (worker thread, first request): median ${ms(median(viaWorker))}`);
console.log(`fork at quarter 10 (9 quarters replayed into a new match, its room opened): median ${ms(median(fork))} in the server, ${ms(median(forkRoute))} for the request`);
await server.close();
