// npm run bench:recovery -- [--matches N] [--turns T]
// What a restart costs: plays N matches T quarters into a fresh SQLite store with the load test (then leaves them
// unfinished), starts a new server process on that store, and times how long until it answers and until every
// match has its room back at the quarter it was at. An empty store's start is timed too, as the baseline.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { readFlags, wholeNumber, UsageError } from '../tools/args.ts';

const USAGE = `usage: npm run bench:recovery -- [--matches N] [--turns T]
  --matches N   unfinished matches the restarted server must bring back (default 500)
  --turns T     quarters played in each before the restart, 1..9 (default 3)`;

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function parse(argv: string[]): { matches: number; turns: number } {
  try {
    const { values: v } = readFlags(argv, { matches: { type: 'string' }, turns: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (v.help) { console.log(USAGE); process.exit(0); }
    return {
      matches: v.matches === undefined ? 500 : wholeNumber('--matches', v.matches, 1, 5000),
      turns: v.turns === undefined ? 3 : wholeNumber('--turns', v.turns, 1, 9),
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`bench:recovery: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
}

interface Start { answerMs: number; allRoomsMs: number; rooms: number; rssMB: number; heapMB: number }

/** Starts serve.ts on the data directory and times its first /healthz answer and the moment it holds `want` rooms. */
async function timeStart(dataDir: string, want: number, limitMs = 600_000): Promise<Start> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [join(root, 'server/cli/serve.ts')], {
    cwd: root, env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c) => { stderr = (stderr + c).slice(-2000); });
  try {
    const port = await new Promise<number>((ok, fail) => {
      let out = '';
      proc.stdout!.on('data', (c) => { out += c; const m = /running: http:\/\/localhost:(\d+)\//.exec(out); if (m) ok(Number(m[1])); });
      proc.once('exit', (code) => fail(new Error(`the server exited (code ${code}): ${stderr}`)));
      setTimeout(() => fail(new Error('the server did not start within the limit')), limitMs);
    });
    // the server prints its address once every unfinished match is back; /healthz then counts the rooms
    let answerMs = 0;
    for (;;) {
      const h = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json() as Promise<{ rooms: number; memoryMB: { rss: number; heapUsed: number } }>).catch(() => null);
      if (h && !answerMs) answerMs = performance.now() - t0;
      if (h && h.rooms >= want) return { answerMs, allRoomsMs: performance.now() - t0, rooms: h.rooms, rssMB: h.memoryMB.rss, heapMB: h.memoryMB.heapUsed };
      if (performance.now() - t0 > limitMs) throw new Error(`only ${h?.rooms ?? 0} of ${want} rooms came back within ${limitMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => { if (proc.exitCode !== null) r(null); else proc.once('exit', r); });
  }
}

const o = parse(process.argv.slice(2));
const empty = mkdtempSync(join(tmpdir(), 'recovery-empty-'));
const full = mkdtempSync(join(tmpdir(), 'recovery-full-'));
try {
  console.log(`playing ${o.matches} matches ${o.turns} quarter${o.turns === 1 ? '' : 's'} in (the load test, as fast as the server answers) ...`);
  const played = spawnSync(process.execPath, [join(root, 'bench/loadtest.ts'), '--matches', String(o.matches), '--turns', String(o.turns), '--think-ms', '0', '--start-spread-ms', '0', '--data-dir', full, '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(played.stdout.slice(played.stdout.indexOf('{'))) as { matches: { created: number; completed: number }; quartersResolved: number };
  if (report.matches.completed !== o.matches) throw new Error(`the load test played ${report.matches.completed} of ${o.matches} matches: ${played.stderr.slice(-500)}`);
  // a match that reached an ending early (a catastrophe) is finished and stays closed on restart
  const store = new DatabaseSync(join(full, 'matches.sqlite'), { readOnly: true });
  const open = (store.prepare("SELECT count(*) AS n FROM matches WHERE status = 'open'").get() as { n: number }).n;
  const entries = (store.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  store.close();
  const storeMB = Math.round((fileSize(join(full, 'matches.sqlite')) + fileSize(join(full, 'matches.sqlite-wal'))) / 1048576);
  console.log(`  ${report.matches.completed} matches, ${report.quartersResolved} quarters resolved, ${open} still open (the rest ended early), ${entries} log entries, store ${storeMB} MB`);

  console.log('starting a server on an empty store (the baseline) ...');
  const base = await timeStart(empty, 0);
  console.log(`restarting on the store with ${open} unfinished matches ...`);
  const restart = await timeStart(full, open);
  const perMatch = (restart.allRoomsMs - base.allRoomsMs) / open;
  console.log(`
Restart recovery: ${open} unfinished matches, ${o.turns} quarters into each
  empty store:      answers after ${Math.round(base.answerMs)} ms; RSS ${base.rssMB} MB, heap ${base.heapMB} MB
  with the matches: every room back after ${Math.round(restart.allRoomsMs)} ms (${restart.rooms} rooms); RSS ${restart.rssMB} MB, heap ${restart.heapMB} MB
  cost per match:   ${perMatch.toFixed(2)} ms to resume (${Math.round(open / ((restart.allRoomsMs - base.allRoomsMs) / 1000))} matches a second), ${((restart.rssMB - base.rssMB) / open * 1024).toFixed(0)} KB of RSS and ${((restart.heapMB - base.heapMB) / open * 1024).toFixed(0)} KB of heap with nobody connected`);
} finally {
  rmSync(empty, { recursive: true, force: true });
  rmSync(full, { recursive: true, force: true });
}

function fileSize(path: string): number {
  try { return statSync(path).size; } catch { return 0; }
}
