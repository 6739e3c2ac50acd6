// Real Chromium for end-to-end tests: launching it, the built client behind a real game server, screenshots.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { ensureClientBuilt, clientDir } from '../../scripts/build-client.ts';
import type { Limits } from '../../server/context.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const root = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(root, 'test-results/e2e');

/**
 * Whether browser tests can run. Without Chromium they are skipped with a loud notice, except under CI
 * (CI=true), where a missing browser is a failure: the tests must not pass by not running.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const notice = `\n${'!'.repeat(78)}\n  BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium,\n  or set CHROMIUM_PATH). These tests play the game in a real browser.\n${'!'.repeat(78)}\n`;
  if (process.env.CI === 'true') throw new Error(`${notice}\nCI=true: a missing browser fails the run.`);
  console.warn(notice);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh browser profile (its own localStorage: one person's device). */
export async function newDevice(browser: Browser, viewport = { width: 1366, height: 768 }, options: { motion?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  // reduced motion lets the map's render loop sleep between changes: five software-rendered maps on a small CI box
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: options.motion ? 'no-preference' : 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`); });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Builds the client if it is stale (once, even with parallel test files), then boots a server that serves it. */
export async function bootGame(options: { storePath?: string; limits?: Partial<Limits>; port?: number } = {}): Promise<RunningServer & { base: string }> {
  await ensureClientBuilt({ quiet: true });
  const running = await startServer({
    port: options.port ?? 0, storePath: options.storePath ?? ':memory:', clientDir,
    logger: createLogger({ level: process.env.TEST_LOG ?? 'silent' }),
    limits: { matchesPerMinutePerIp: 1000, ...options.limits },
  });
  return Object.assign(running, { base: `http://127.0.0.1:${running.port}` });
}

/** One game server and one Chromium for a test file: started before its tests and closed after them; nothing when `run` is false. */
export function sharedGame(run: boolean): { readonly server: RunningServer & { base: string }; readonly browser: Browser } {
  let server: (RunningServer & { base: string }) | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!run) return;
    server = await bootGame();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { get server() { return server!; }, get browser() { return browser!; } };
}
