// A player's browser across a server restart: a clear banner while the server is away, then the same seat again
// by itself (the seat token kept in the browser), with the match where it was.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserAvailable, launchBrowser, newDevice, screenshot, bootGame } from '../helpers/browser.ts';
import { api } from '../helpers/server.ts';

const run = browserAvailable();
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'w2028-reconnect-'));

beforeAll(async () => { if (run) browser = await launchBrowser(); });
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!run)('a player and a server restart', () => {
  it('shows a banner while the server is down and comes back to the same seat by itself', async () => {
    const storePath = join(dir, 'matches.sqlite');
    let server = await bootGame({ storePath });
    const port = server.port;
    const { code } = (await api(server.base, '/api/matches', { seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 } })).body;

    const { page, errors } = await newDevice(browser);
    await page.goto(`${server.base}/join/${code}`);
    await page.fill('#join-name', 'Grace');
    await page.getByRole('button', { name: 'Join the match' }).click();
    await page.getByRole('button', { name: 'We are ready' }).click();
    await page.waitForSelector('body[data-phase="briefing"] .allocation');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('.lever[data-lever="bis"] input[type=number]').fill('1.5');
    await page.waitForSelector('.draft-by:has-text("Team draft saved")'); // the shared draft is on the server

    await server.close();
    const banner = page.locator('#banner');
    await expect.poll(async () => (await banner.isVisible()) && (await banner.textContent()), { timeout: 20_000 }).toMatch(/Connection lost — reconnecting to your seat/);
    await screenshot(page, '20-reconnecting-banner');

    server = await bootGame({ storePath, port });
    try {
      await expect.poll(() => banner.isVisible(), { timeout: 30_000 }).toBe(false);
      await page.waitForSelector('body[data-phase="briefing"] .allocation');
      expect(await page.locator('.who-role').textContent()).toBe('US Government');
      expect(await page.locator('.who-name').textContent()).toBe('Grace');
      // the team's draft survived the restart: a fresh load of the page shows it from the server
      await page.reload();
      await page.waitForSelector('body[data-phase="briefing"] .allocation');
      await expect.poll(() => page.locator('.lever[data-lever="bis"] input[type=number]').inputValue()).toBe('1.5');
      // and the seat works: the team moves on to the negotiation
      await page.getByRole('button', { name: /Done reading/ }).click();
      await page.waitForSelector('body[data-phase="negotiation"]');
      await screenshot(page, '21-reconnected');
      const people = (await api(server.base, `/api/matches/${code}/record`)).body.people;
      expect(people.map((p: { name: string }) => p.name)).toEqual(['Grace']);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);
});
