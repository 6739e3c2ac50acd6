// `npm run bench:client`: the production bundle's gzip size and the time from navigation to an interactive match
// screen in headless Chromium, each against a Phaser hello-world built the same way (Vite 8) in the same run.
//
//   npm run bench:client [-- --runs 5] [--json] [--idle-only]
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildClient, clientDir } from './build-client.ts';
import { startServer } from '../server/main.ts';
import { leanPhaser } from '../vite.config.ts';
import { createLogger } from '../server/log.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 5;
/** only the idle tab and its frame rate (a quicker loop while working on the render loop) */
const IDLE_ONLY = args.includes('--idle-only');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---- bundles --------------------------------------------------------------------------------------
const helloSrc = join(root, 'dist/bench/hello-src');
const helloOut = join(root, 'dist/bench/hello');
const helloLeanOut = join(root, 'dist/bench/hello-lean');

/** The hello-world with stock Phaser (the baseline), and once more with the client's lean Phaser plugin (for reference). */
async function buildHello(): Promise<void> {
  rmSync(helloSrc, { recursive: true, force: true });
  mkdirSync(helloSrc, { recursive: true });
  writeFileSync(join(helloSrc, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hello</title>
<style>html,body{margin:0;height:100%;background:#0b1220}#game{position:absolute;inset:0}</style></head>
<body><div id="game"></div><script type="module" src="/main.ts"></script></body></html>`);
  writeFileSync(join(helloSrc, 'main.ts'), `import Phaser from 'phaser';
class Hello extends Phaser.Scene {
  create() {
    this.add.text(40, 40, 'Hello, Phaser', { fontFamily: 'system-ui', fontSize: '32px', color: '#e8eef5' });
    this.add.rectangle(200, 200, 120, 120, 0x56b4e9);
    this.game.events.once('postrender', () => { (window as any).__interactive = performance.now(); });
  }
}
new Phaser.Game({ type: Phaser.AUTO, parent: 'game', backgroundColor: '#0a111b', scale: { mode: Phaser.Scale.RESIZE, width: 1366, height: 768 }, scene: [Hello] });
`);
  // the same build settings as the client (vite.config.ts): es2022, minified, no public dir
  const settings = { configFile: false as const, root: helloSrc, logLevel: 'warn' as const, publicDir: false as const };
  const out = (outDir: string) => ({ outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000, reportCompressedSize: false });
  await build({ ...settings, build: out(helloOut) });
  // the lean Phaser as the client builds it, with the game objects this hello-world adds (the client's scene adds images only)
  await build({ ...settings, plugins: [leanPhaser(['Text', 'Rectangle'])], build: out(helloLeanOut) });
}

interface Size { files: number; raw: number; gzip: number }
function sizeOf(dir: string): Size {
  const out: Size = { files: 0, raw: 0, gzip: 0 };
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (!/\.(js|css|html|json|svg)$/.test(name)) continue;
      const buf = readFileSync(p);
      out.files++;
      out.raw += buf.length;
      out.gzip += gzipSync(buf, { level: 9 }).length;
    }
  };
  walk(dir);
  return out;
}

// ---- timing ---------------------------------------------------------------------------------------
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };
function staticServer(dir: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = join(dir, (req.url ?? '/').split('?')[0]);
    const file = existsSync(path) && statSync(path).isFile() ? path : join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function timeHello(browser: Browser, base: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => (window as unknown as { __interactive?: number }).__interactive, null, { timeout: 60_000 });
  const t = await page.evaluate(() => (window as unknown as { __interactive: number }).__interactive);
  await context.close();
  return t;
}

/** the client's own performance marks in the last cold load (where the time goes) */
let marks: Record<string, number> = {};

const EDITABLE = '.allocation .lever input[type=number]:not([disabled])';

/** A returning player (seat token in this browser) opens the match link: until the orders can be edited, and until the map is drawn. */
async function timeMatch(browser: Browser, base: string, code: string, storage: string): Promise<{ interactive: number; seen: number; map: number; fps: number }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript(([entries, selector]: [[string, string][], string]) => {
    for (const [k, v] of entries) localStorage.setItem(k, v);
    // by the page's own clock, as the hello-world's first frame is: when the orders panel is first painted (element
    // timing of its heading), or when its inputs are enabled if that comes later
    const w = window as unknown as { __editable?: number; __ordersPainted?: number; __ordersEnabled?: number };
    const done = () => { if (w.__ordersPainted && w.__ordersEnabled) w.__editable = Math.max(w.__ordersPainted, w.__ordersEnabled); };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { identifier: string; renderTime: number; loadTime: number })[]) {
        if (e.identifier === 'orders' && !w.__ordersPainted) { w.__ordersPainted = e.renderTime || e.loadTime || e.startTime; done(); }
      }
    }).observe({ type: 'element', buffered: true });
    new MutationObserver((_, seen) => {
      if (!document.querySelector(selector)) return;
      seen.disconnect();
      w.__ordersEnabled = performance.now();
      done();
    }).observe(document, { subtree: true, childList: true, attributes: true });
  }, [JSON.parse(storage), EDITABLE] as [[string, string][], string]);
  const page = await context.newPage();
  await page.goto(`${base}/join/${code}`);
  await page.waitForSelector(EDITABLE, { timeout: 60_000 });
  // the time this script sees it also counts its own polling and round trips (100–300 ms under load): for reference
  const seen = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => (window as unknown as { __editable?: number }).__editable, null, { timeout: 60_000 });
  const interactive = await page.evaluate(() => (window as unknown as { __editable: number }).__editable);
  await page.waitForSelector('.map[data-ready="true"]', { timeout: 60_000 });
  // when the page drew the map, by its own clock (as the hello-world's first frame is): the time this script sees it
  // also counts its own polling, which under load adds 100–200 ms
  const map = await page.evaluate(() => performance.getEntriesByName('w2028:map-shown')[0]?.startTime ?? performance.now());
  marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('w2028:')).map((m) => [m.name.slice(6), Math.round(m.startTime)])));
  const fps = await page.evaluate(() => new Promise<number>((resolve) => {
    let n = 0; const start = performance.now();
    const step = () => { n++; if (performance.now() - start < 3000) requestAnimationFrame(step); else resolve((n * 1000) / (performance.now() - start)); };
    requestAnimationFrame(step);
  }));
  await context.close();
  return { interactive, seen, map, fps };
}

async function helloFps(browser: Browser, base: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForFunction(() => (window as unknown as { __interactive?: number }).__interactive);
  const fps = await page.evaluate(() => new Promise<number>((resolve) => {
    let n = 0; const start = performance.now();
    const step = () => { n++; if (performance.now() - start < 3000) requestAnimationFrame(step); else resolve((n * 1000) / (performance.now() - start)); };
    requestAnimationFrame(step);
  }));
  await context.close();
  return fps;
}

// ---- idle CPU and animation frame rate ---------------------------------------------------------------
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux
/** User + system CPU ticks of each Chromium process started by this one (browser, renderers, GPU), by pid. */
function chromiumTicks(): Map<number, number> {
  const parent = new Map<number, number>(), ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(f[1]));
      ticks.set(Number(name), Number(f[11]) + Number(f[12]));
    } catch { /* gone */ }
  }
  const ours = new Map<number, number>();
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) { ours.set(pid, t); break; }
  }
  return ours;
}

/** Share of one core the Chromium processes use over `ms` (processes that end meanwhile are left out). */
async function chromiumCore(ms: number): Promise<number> {
  const before = chromiumTicks(), t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  let ticks = 0;
  for (const [pid, t] of chromiumTicks()) ticks += t - (before.get(pid) ?? 0);
  return ticks / TICKS / ((performance.now() - t0) / 1000);
}

/**
 * An open match tab left alone (1920×1080, motion allowed): the share of one core that all Chromium processes use over
 * 10 s once the screen has settled; and the frames Phaser draws per second while the map animates (right after a change).
 */
async function idleMatch(browser: Browser, base: string, code: string, storage: string): Promise<{ idleCore: number; animFps: number }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'no-preference' });
  await context.addInitScript((entries: [string, string][]) => { for (const [k, v] of entries) localStorage.setItem(k, v); }, JSON.parse(storage));
  const page = await context.newPage();
  await page.goto(`${base}/join/${code}`);
  await page.waitForSelector('.map[data-ready="true"]', { timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { __mapGame?: unknown }).__mapGame, null, { timeout: 60_000 });
  // frames drawn while the map animates: the first 2 s after it is shown (streaks fading in, markers moving)
  const animFps = await page.evaluate(() => new Promise<number>((resolve) => {
    const game = (window as unknown as { __mapGame: { events: { on(e: string, f: () => void): void; off(e: string, f: () => void): void } } }).__mapGame;
    let n = 0; const start = performance.now();
    const count = () => { n++; };
    game.events.on('postrender', count);
    setTimeout(() => { game.events.off('postrender', count); resolve((n * 1000) / (performance.now() - start)); }, 2000);
  }));
  await page.waitForTimeout(8000); // let it settle
  const idleCore = await chromiumCore(10_000);
  await context.close();
  return { idleCore, animFps };
}

// ---- run ------------------------------------------------------------------------------------------
console.log('Building the client and a Phaser hello-world with Vite (production)…');
await buildClient({ quiet: true });
await buildHello();
const ours = sizeOf(clientDir), hello = sizeOf(helloOut), helloLean = sizeOf(helloLeanOut);

if (!existsSync(CHROMIUM)) {
  console.log(`\nNo Chromium at ${CHROMIUM}: sizes only.`);
}
const game = await startServer({ port: 0, storePath: ':memory:', clientDir, logger: createLogger({ level: 'silent' }), limits: { matchesPerMinutePerIp: 1000 } });
const gameBase = `http://127.0.0.1:${game.port}`;
const helloServer = await staticServer(helloOut);
let timing: { hello: number[]; interactive: number[]; seen: number[]; map: number[]; fps: number[]; helloFps: number[] } | null = null;
let idle: { idleCore: number; animFps: number; browserIdleCore: number } | null = null;

if (existsSync(CHROMIUM)) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  // an online match with one seat (US Government) and bots elsewhere; the player joins once, then comes back each run
  const created = await (await fetch(`${gameBase}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 } }) })).json() as { code: string };
  const first = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await first.newPage();
  await page.goto(`${gameBase}/join/${created.code}`);
  await page.fill('#join-name', 'Bench');
  await page.getByRole('button', { name: 'Join the match' }).click();
  await page.waitForSelector('.lobby-screen');
  await page.getByRole('button', { name: 'We are ready' }).click();
  await page.waitForSelector('.allocation');
  const storage = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  await first.close();

  timing = IDLE_ONLY ? null : { hello: [], interactive: [], seen: [], map: [], fps: [], helloFps: [] };
  // warm the OS file cache for both before measuring
  if (timing) { await timeHello(browser, helloServer.base); await timeMatch(browser, gameBase, created.code, storage); }
  for (let i = 0; timing && i < RUNS; i++) {
    timing.hello.push(await timeHello(browser, helloServer.base));
    const m = await timeMatch(browser, gameBase, created.code, storage);
    timing.interactive.push(m.interactive);
    timing.seen.push(m.seen);
    timing.map.push(m.map);
    timing.fps.push(m.fps);
  }
  timing?.helloFps.push(await helloFps(browser, helloServer.base));
  // the browser with no page open, as the floor of the idle figure
  const browserIdleCore = await chromiumCore(5000);
  idle = { ...(await idleMatch(browser, gameBase, created.code, storage)), browserIdleCore };
  await browser.close();
}
helloServer.server.close();
await game.close();

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const result = {
  bundle: { ours, hello, helloLean, ratioGzip: ours.gzip / hello.gzip, ratioGzipLean: ours.gzip / helloLean.gzip },
  timing: timing && {
    runs: RUNS,
    helloMs: median(timing.hello), matchInteractiveMs: median(timing.interactive), matchInteractiveSeenMs: median(timing.seen), matchMapDrawnMs: median(timing.map),
    ratioInteractive: median(timing.interactive) / median(timing.hello), ratioMapDrawn: median(timing.map) / median(timing.hello),
    matchFps: median(timing.fps), helloFps: median(timing.helloFps), marks,
  },
  idle,
};
if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`\nBundle (gzip -9 of js, css, html, json):`);
  console.log(`  The 2028 Window   ${kb(ours.gzip)} gzip (${kb(ours.raw)} raw, ${ours.files} files)`);
  console.log(`  Phaser hello      ${kb(hello.gzip)} gzip (${kb(hello.raw)} raw, ${hello.files} files)`);
  console.log(`  ratio             ${result.bundle.ratioGzip.toFixed(2)}× (goal ≤ 1.3×)`);
  console.log(`  (our Phaser is the package's no-physics build without sound, tilemaps, filters and the game objects the map does`);
  console.log(`   not add; a hello-world on that lean Phaser, with its text and rectangle, is ${kb(helloLean.gzip)}, so the game itself adds`);
  console.log(`   ${kb(ours.gzip - helloLean.gzip)}: ${result.bundle.ratioGzipLean.toFixed(2)}× of it)`);
  if (result.timing) {
    const t = result.timing;
    console.log(`\nNavigation to interactive, headless Chromium, median of ${RUNS} cold loads (1366×768):`);
    console.log(`  Phaser hello-world, first frame            ${ms(t.helloMs)}`);
    console.log(`  match screen, orders editable              ${ms(t.matchInteractiveMs)}  (${t.ratioInteractive.toFixed(2)}×, goal ≤ 1.1×; seen from outside: ${ms(t.matchInteractiveSeenMs)})`);
    console.log(`  match screen, map drawn                    ${ms(t.matchMapDrawnMs)}  (${t.ratioMapDrawn.toFixed(2)}×, goal ≤ 1.3×)`);
    console.log(`  marks of the last load: ${Object.entries(t.marks).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  frames per second over 3 s: match ${t.matchFps.toFixed(0)}, hello ${t.helloFps.toFixed(0)} (software GL, no GPU)`);
  }
  if (idle) {
    console.log(`\nAn idle match tab, 1920×1080, motion allowed (all Chromium processes, share of one core over 10 s):`);
    console.log(`  idle match tab     ${(idle.idleCore * 100).toFixed(1)}% of a core (goal < 5%; the browser with no page: ${(idle.browserIdleCore * 100).toFixed(1)}%)`);
    console.log(`  map frames/s while animating (first 2 s after it is drawn): ${idle.animFps.toFixed(0)} (goal 60)`);
  }
}
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results/bench-client.json'), JSON.stringify(result, null, 2));
