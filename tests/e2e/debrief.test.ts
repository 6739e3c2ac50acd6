// The debrief in real Chromium: a class of bots plays to the outcome, the teacher opens the report, forks at the top
// decision's quarter, plays quarters in the fork, and the comparison shows both branches; the handout prints in ≤ 2 pages.
import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserAvailable, newDevice, screenshot, sharedGame, ARTIFACTS } from '../helpers/browser.ts';
import { api } from '../helpers/server.ts';

const run = browserAvailable();
const game = sharedGame(run);

const where = (page: Page) => page.evaluate(() => `${document.body.dataset.phase}/${document.body.dataset.turn}`);

/** The facilitator moves the match on phase by phase ("Next phase") until it has resolved `quarters` more or ended. */
async function playQuarters(page: Page, quarters: number): Promise<void> {
  await page.waitForSelector('body[data-phase="briefing"]', { timeout: 20_000 });
  const startTurn = Number(await page.evaluate(() => document.body.dataset.turn));
  for (let i = 0; i < 80; i++) {
    const now = await where(page);
    const [phase, turn] = now.split('/');
    if (phase === 'ended' || (Number(turn) >= startTurn + quarters && phase === 'report')) return;
    await page.locator('button[data-action="skipPhase"]').click();
    await page.waitForFunction((before) => `${document.body.dataset.phase}/${document.body.dataset.turn}` !== before, now, { timeout: 20_000 });
  }
  throw new Error('the match did not move on');
}

describe.skipIf(!run)('the debrief in the browser', () => {
  it('reports, forks at the top decision, plays the fork, compares the branches and prints a short handout', async () => {
    // ---- a class with no students: four bots of four kinds, no timers (the teacher moves it on)
    const fac = await newDevice(game.browser, { width: 1366, height: 900 });
    await fac.page.goto(`${game.server.base}/`);
    await fac.page.getByRole('link', { name: 'Set up a class' }).click();
    await fac.page.waitForSelector('.role-card');
    const kinds = ['opportunist', 'dove', 'hawk', 'random'];
    for (let i = 0; i < 4; i++) await fac.page.locator('.role-card').nth(i).locator('select').selectOption(kinds[i]);
    for (let i = 0; i < 4; i++) await fac.page.locator('.timers input').nth(i).fill('0');
    await fac.page.getByRole('button', { name: 'Create the class session' }).click();
    await fac.page.waitForURL(/\/facilitate\/[A-Z]{6}$/);
    const code = fac.page.url().slice(-6);
    await fac.page.getByRole('button', { name: /Start the session/ }).click();
    await playQuarters(fac.page, 10);
    await fac.page.waitForSelector('.outcome-screen #open-debrief', { timeout: 30_000 });
    await screenshot(fac.page, 'debrief-01-outcome');

    // ---- the report, from the outcome screen
    await fac.page.locator('#open-debrief').click();
    await fac.page.waitForURL(new RegExp(`/debrief/${code}$`));
    await fac.page.waitForSelector('.top-decisions li', { timeout: 30_000 });
    const top = fac.page.locator('.top-decisions li').first();
    const sentence = (await top.textContent())!;
    expect(sentence).toMatch(/Q[1-4] 20\d\d/);
    expect(await fac.page.locator('.top-decisions li').count()).toBeGreaterThanOrEqual(1);
    expect(await fac.page.locator('.belief-charts svg').count()).toBe(2);
    expect(await fac.page.locator('.prompt-card').count()).toBe(4);
    await fac.page.waitForSelector('.branches h2');
    // the odds curve follows: stacked shares of the endings, and the quarters that moved them most
    await fac.page.waitForSelector('.odds svg polygon[data-ending]', { timeout: 60_000 });
    expect(await fac.page.locator('.odds .turning-points li').count()).toBeGreaterThan(0);
    await fac.page.locator('.odds').screenshot({ path: join(ARTIFACTS, 'debrief-02c-odds.png') });
    await screenshot(fac.page, 'debrief-02-report');
    await fac.page.screenshot({ path: join(ARTIFACTS, 'debrief-02b-report-full.png'), fullPage: true });

    // ---- the handout prints in one or two pages, with the decisions and prompts on it
    await fac.page.emulateMedia({ media: 'print' });
    expect(await fac.page.locator('.top-decisions').isVisible()).toBe(true);
    expect(await fac.page.locator('.prompts').isVisible()).toBe(true);
    expect(await fac.page.locator('.fork').isVisible()).toBe(false);
    // the printable width of A4 at 12 mm margins, to see the handout as it will print
    await fac.page.setViewportSize({ width: 703, height: 1032 });
    await fac.page.screenshot({ path: join(ARTIFACTS, 'debrief-03-print-media.png'), fullPage: true });
    await fac.page.setViewportSize({ width: 1366, height: 900 });
    // page.pdf prints with the print stylesheet (an emulated "screen" would print the screen layout)
    const pdf = await fac.page.pdf({ format: 'A4', printBackground: false });
    await fac.page.emulateMedia({ media: 'screen' });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'debrief-handout.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    // and the text is in it (the PDF's text is compressed: look at what the print stylesheet shows instead)
    const printed = await fac.page.evaluate(() => document.querySelector('.debrief-body')!.textContent);
    expect(printed).toContain(sentence.replace(/Fork from Q[1-4] \d{4}$/, '').trim().slice(3, 60));
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);

    // ---- fork at the top decision's quarter
    const turn = Number(await top.getAttribute('data-turn'));
    await top.locator('.fork-here').click();
    await fac.page.waitForSelector('#open-fork', { timeout: 20_000 });
    const forkCode = (await fac.page.locator('#open-fork').getAttribute('href'))!.slice(-6);
    expect(forkCode).not.toBe(code);
    await fac.page.waitForSelector(`.branches-table tr[data-branch="${forkCode}"]`);
    const record = await api(game.server.base, `/api/matches/${forkCode}/record`, undefined, { 'x-facilitator-key': await fac.page.evaluate((c) => localStorage.getItem(`w2028.facilitator.${c}`), forkCode) ?? '' });
    expect(record.body.forkedFrom).toEqual({ match: code, quarter: turn, ancestors: [] });

    // ---- the teacher runs the fork: starts it, changes the world (an injected event), plays up to three quarters
    await fac.page.locator('#open-fork').click();
    await fac.page.waitForURL(new RegExp(`/facilitate/${forkCode}$`));
    await fac.page.getByRole('button', { name: /Start the session/ }).click();
    await fac.page.waitForSelector(`body[data-phase="briefing"][data-turn="${turn}"]`, { timeout: 20_000 });
    await fac.page.getByRole('button', { name: 'Inject', exact: true }).click();
    await playQuarters(fac.page, 3);
    await screenshot(fac.page, 'debrief-04-fork-played');
    const played = Number(await fac.page.evaluate(() => document.body.dataset.turn));
    expect(played).toBeGreaterThan(turn);

    // ---- the dashboard's live debrief of the fork is the teacher's (the key), and says how far the fork has come
    const forkOver = (await where(fac.page)).startsWith('ended');
    const live = forkOver ? `/debrief/${forkCode}` : (await fac.page.locator('#open-debrief-live').getAttribute('href'))!;
    expect(live).toBe(`/debrief/${forkCode}`);
    await fac.page.goto(`${game.server.base}${live}`);
    await fac.page.waitForSelector('.debrief-hero h1');
    expect(await fac.page.locator('.debrief-hero .eyebrow').textContent()).toContain(`forked from ${code} at quarter ${turn + 1}`);
    expect(await fac.page.locator('.debrief-hero .lede').textContent()).toContain(`after ${played} quarter`);
    if (!forkOver) expect((await api(game.server.base, `/api/matches/${forkCode}/debrief`)).status).toBe(403);

    // ---- the comparison shows both branches: two lead lines, the fork's quarters and where its orders parted
    await fac.page.goto(`${game.server.base}/debrief/${code}`);
    await fac.page.waitForSelector(`.branches-table tr[data-branch="${forkCode}"]`, { timeout: 30_000 });
    expect(await fac.page.locator('.branches-table tbody tr').count()).toBe(2);
    expect(await fac.page.locator('.branches svg path[data-branch]').count()).toBe(2);
    const forkRow = (await fac.page.locator(`.branches-table tr[data-branch="${forkCode}"]`).textContent())!;
    expect(forkRow).toContain(`${code}, quarter ${turn + 1}`);
    expect(forkRow).toContain(String(played));
    // the branches part at the fork's quarter: there the teacher injected an event
    expect(forkRow).toMatch(/event injected: .*/);
    await fac.page.locator('.branches').scrollIntoViewIfNeeded();
    await screenshot(fac.page, 'debrief-05-branches');
    expect(fac.errors).toEqual([]);
  }, 240_000);
});
