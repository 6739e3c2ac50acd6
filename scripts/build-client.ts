// Builds the browser client into dist/client with Vite; with --if-stale only when a source is newer than the build.
import { build } from 'vite';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const clientDir = join(root, 'dist/client');
const builtMarker = join(clientDir, 'index.html');
/** what the bundle is made of: a change to any of these makes the build stale */
const SOURCES = ['client', 'shared', 'assets/map', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why the client needs building, or null when dist/client is up to date. */
export function staleReason(): string | null {
  if (!existsSync(builtMarker)) return 'dist/client does not exist yet';
  const builtAt = statSync(builtMarker).mtimeMs;
  for (const src of SOURCES) if (newestMtime(join(root, src)) > builtAt) return `${src} changed since the last build`;
  return null;
}

export async function buildClient(options: { quiet?: boolean } = {}): Promise<void> {
  await build({ configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: options.quiet ? 'warn' : 'info' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds when stale; safe to call from several processes at once (a lock directory serialises them). */
export async function ensureClientBuilt(options: { quiet?: boolean } = {}): Promise<{ built: boolean; reason: string | null }> {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const lock = join(root, 'dist/.client-build-lock');
  const started = Date.now();
  for (;;) {
    try { mkdirSync(lock); break; } catch {
      // a lock older than 3 minutes belongs to a build that died
      try { if (Date.now() - statSync(lock).mtimeMs > 180_000) { rmdirSync(lock); continue; } } catch { continue; }
      if (Date.now() - started > 240_000) throw new Error('timed out waiting for another client build to finish');
      await sleep(250);
    }
  }
  try {
    const reason = staleReason();
    if (!reason) return { built: false, reason: null };
    await buildClient(options);
    return { built: true, reason };
  } finally {
    rmdirSync(lock);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale) {
    const reason = staleReason();
    if (reason) {
      console.log(`Building the browser client (${reason})...`);
      const t = Date.now();
      await ensureClientBuilt({ quiet: true });
      console.log(`Client built in ${((Date.now() - t) / 1000).toFixed(1)} s.`);
    }
  } else {
    await buildClient();
  }
}
