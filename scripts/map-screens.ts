// Screenshots of the map dev page (client/dev-map.html) in headless Chromium, and frame times.
//   node scripts/map-screens.ts [outDir] [--size=1366x768] [--turn=3] [--measure]
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[page ${m.type()}] ${m.text()}`); });
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
    if (measure) {
      const stats = await page.evaluate(async () => {
        const m = (window as any).__map;
        const start = m.frames().length;
        await new Promise((r) => setTimeout(r, 5000));
        const f: number[] = m.frames().slice(start);
        const d = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
        const pct = (p: number) => d[Math.min(d.length - 1, Math.floor(p * d.length))];
        return { frames: f.length, fps: (f.length - 1) / ((f[f.length - 1] - f[0]) / 1000), median: pct(0.5), p95: pct(0.95), max: d[d.length - 1] };
      });
      console.log(as, JSON.stringify(stats));
    }
  }
} finally {
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
  await server.close();
}
