// Online play in the browser: a private match with a friend (set-up, code, lobby, ready, a quarter), and quick play.
import { describe, it, expect } from 'vitest';
import { browserAvailable, newDevice, screenshot, sharedGame } from '../helpers/browser.ts';

const run = browserAvailable();
const game = sharedGame(run);

describe.skipIf(!run)('online play', () => {
  it('a private match with a friend: set-up, lobby, ready, one quarter', async () => {
    const a = await newDevice(game.browser);
    await a.page.goto(`${game.server.base}/`);
    await a.page.getByRole('link', { name: 'Private match with friends' }).click();
    await a.page.waitForSelector('.role-card');
    // US Government and China Government for people, the labs to bots
    for (const [i, n] of [1, 0, 1, 0].entries()) await a.page.locator('.role-card').nth(i).locator('input[type=number]').fill(String(n));
    await a.page.getByRole('button', { name: 'Create the match' }).click();
    await a.page.waitForURL(/\/join\/[A-Z]{6}$/);
    const code = a.page.url().slice(-6);
    await a.page.fill('#join-name', 'Ada');
    await a.page.check('input[name=role][value=usGov]');
    await a.page.getByRole('button', { name: 'Join the match' }).click();
    await a.page.waitForSelector('.lobby-screen .big-code');
    expect(await a.page.locator('.lobby-screen .big-code').textContent()).toBe(code);

    const b = await newDevice(game.browser, { width: 390, height: 844 });
    await b.page.goto(`${game.server.base}/join/${code}`);
    await b.page.fill('#join-name', 'Lin');
    await b.page.getByRole('button', { name: 'Join the match' }).click(); // any team: the free one
    await b.page.waitForSelector('.lobby-screen');
    await a.page.waitForSelector('.lobby-teams :text("Lin")');
    await screenshot(b.page, '30-online-lobby-phone');

    for (const d of [a, b]) await d.page.getByRole('button', { name: 'We are ready' }).click();
    for (const d of [a, b]) await d.page.waitForSelector('body[data-phase="briefing"][data-turn="0"] .allocation');
    expect(await b.page.locator('.who-role').textContent()).toBe('China Government');
    for (const phase of ['briefing', 'negotiation'] as const) {
      for (const d of [a, b]) await d.page.locator('.alloc-actions button').first().click();
      for (const d of [a, b]) await d.page.waitForSelector(`body:not([data-phase="${phase}"])`);
    }
    for (const d of [a, b]) await d.page.getByRole('button', { name: 'Submit our order' }).click();
    for (const d of [a, b]) await d.page.waitForSelector('body[data-phase="report"][data-turn="1"] .report-card');
    await screenshot(b.page, '31-online-report-phone');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 120_000);

  it('quick play puts a stranger into a public match', async () => {
    const c = await newDevice(game.browser);
    await c.page.goto(`${game.server.base}/`);
    await c.page.getByRole('button', { name: 'Quick play' }).click();
    await c.page.waitForURL(/\/join\/[A-Z]{6}$/);
    await c.page.fill('#join-name', 'Stranger');
    await c.page.getByRole('button', { name: 'Join the match' }).click();
    await c.page.waitForSelector('.lobby-screen');
    expect(await c.page.locator('.lobby-teams').textContent()).toContain('Stranger');
    expect(c.errors).toEqual([]);
  }, 60_000);
});
