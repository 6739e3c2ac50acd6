// Screenshots of the map dev page (client/dev-map.html) in headless Chromium, and frame times.
//   node scripts/map-screens.ts [outDir] [--size=1366x768] [--turn=3] [--measure]
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** CPU seconds used so far by this process's descendants (the browser's processes), from /proc. */
function browserCpuSeconds(): number {
  const parent = new Map<number, number>(), cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / 100);
    } catch { /* gone */ }
  }
  let sum = 0;
  for (const [pid, t] of cpu) {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) { sum += t; break; }
  }
  return sum;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outDir = args.find((a) => !a.startsWith('--')) ?? join(root, 'dist/map-screens');
const opt = (k: string, d: string) => args.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3) ?? d;
const [W, H] = opt('size', '1366x768').split('x').map(Number);
const turn = opt('turn', '3');
const bots = opt('bots', 'status-quo');
const measure = args.includes('--measure');
const clip = opt('clip', '');
const only = opt('only', 'us,china,projector').split(',');
mkdirSync(outDir, { recursive: true });

const server = await createServer({ root, configFile: false, logLevel: 'warn', server: { port: 0, host: '127.0.0.1' }, optimizeDeps: { noDiscovery: true, include: [] } });
await server.listen();
const addr = server.httpServer!.address() as { port: number };
const base = `http://127.0.0.1:${addr.port}/client/dev-map.html`;
const profile = mkdtempSync(join(tmpdir(), 'map-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', viewport: { width: W, height: H },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('console', (m) => { if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('GPU stall')) console.log(`[page ${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  for (const as of only) {
    await page.goto(`${base}?as=${as}&turn=${turn}&bots=${bots}`);
    await page.waitForFunction(() => (window as any).__map?.ready(), null, { timeout: 60_000 });
    await page.waitForTimeout(1800);
    const file = join(outDir, `map-${as}-t${turn}-${W}x${H}.png`);
    await page.screenshot({ path: file });
    console.log('wrote', file);
    if (clip) {
      const [x, y, width, height] = clip.split(',').map(Number);
      await page.screenshot({ path: file.replace('.png', '-clip.png'), clip: { x, y, width, height } });
    }
  }
  if (measure) {
    // frame intervals over 4 s, alternating an empty Phaser scene (same game config) and the map, three rounds
    const sample = async (url: string) => {
      await page.goto(url);
      await page.waitForFunction(() => (window as any).__map?.ready(), null, { timeout: 60_000 });
      await page.waitForTimeout(1500);
      const cpu0 = browserCpuSeconds();
      const r = await page.evaluate(async () => {
        const m = (window as any).__map;
        const start = m.frames().length;
        await new Promise((r) => setTimeout(r, 4000));
        const f: number[] = m.frames().slice(start);
        const d = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
        return { frames: f.length, fps: (f.length - 1) / ((f[f.length - 1] - f[0]) / 1000), median: d[Math.floor(d.length / 2)], p95: d[Math.floor(d.length * 0.95)] };
      });
      // browser CPU per frame: what a frame costs, less sensitive to other load on the machine than fps
      return { ...r, cpuPerFrame: ((browserCpuSeconds() - cpu0) * 1000) / Math.max(1, r.frames) };
    };
    const rows: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [name, q] of [['empty scene', 'scene=empty'], ...only.map((as) => [`map ${as}`, `as=${as}&turn=${turn}&bots=${bots}`])]) {
        const r = await sample(`${base}?${q}`);
        rows.push(`${name.padEnd(14)} ${r.fps.toFixed(1).padStart(5)} fps  median ${r.median.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  browser CPU ${r.cpuPerFrame.toFixed(1)} ms/frame`);
        console.log(rows.at(-1));
      }
    }
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
  await server.close();
}
