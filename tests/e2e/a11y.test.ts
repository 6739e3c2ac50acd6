// Accessibility in real Chromium: axe-core runs on every screen (title, set-up, join, lobby, match, projector,
// facilitator, outcome) with no moderate, serious or critical violation and one h1 each; and a student plays a whole quarter
// with the keyboard alone (Tab, Enter, arrow keys), focus kept after every action. Reports: test-results/e2e/a11y-*.json.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserAvailable, newDevice, screenshot, sharedGame, ARTIFACTS } from '../helpers/browser.ts';
import { api } from '../helpers/server.ts';

const run = browserAvailable();
const game = sharedGame(run);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding { id: string; impact: string | null; help: string; nodes: string[] }

/** Runs axe-core in the page (injected through the debugger, so the page's CSP stays as it is); keeps the report. */
async function axe(page: Page, name: string): Promise<{ serious: Finding[]; h1: number }> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ')) }));
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `a11y-${name}.json`), JSON.stringify(found, null, 2));
  const h1 = await page.locator('h1:visible').count();
  return { serious: found.filter((f) => f.impact === 'moderate' || f.impact === 'serious' || f.impact === 'critical'), h1 };
}

async function clean(page: Page, name: string): Promise<void> {
  const { serious, h1 } = await axe(page, name);
  expect.soft(serious, `${name}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
  expect.soft(h1, `${name}: one h1`).toBe(1);
}

/** Presses Tab (Shift+Tab with `back`) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 120, back = false): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector} (at ${await focused(page)})`);
}

const focused = (page: Page) => page.evaluate(() => {
  const a = document.activeElement;
  return a && a !== document.body ? `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.className ? `.${String(a.className).split(' ').join('.')}` : ''} "${(a.textContent ?? '').trim().slice(0, 30)}"` : 'body';
});

const at = (page: Page, phase: string, turn: number, ms = 20_000) =>
  page.waitForSelector(`body[data-phase="${phase}"][data-turn="${turn}"]`, { timeout: ms });

describe.skipIf(!run)('accessibility', () => {
  it('every screen passes axe (no moderate, serious or critical violation, one h1), and a quarter is playable by keyboard alone', async () => {
    const base = game.server.base;
    // ---- title and set-up
    const t = await newDevice(game.browser);
    await t.page.goto(`${base}/`);
    await t.page.waitForSelector('h1');
    await clean(t.page, 'title');
    await t.page.getByRole('link', { name: 'Set up a class' }).click();
    await t.page.waitForSelector('.role-card');
    await clean(t.page, 'setup');
    await t.context.close();

    // ---- a one-quarter class: the US Government is a student, the rest bots, no timers (the teacher moves it on)
    const created = await api<{ code: string; facilitatorKey: string }>(base, '/api/matches', {
      mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 }, turns: 1, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 },
    });
    expect(created.status).toBe(201);
    const { code, facilitatorKey } = created.body;
    const fac = await newDevice(game.browser);
    await fac.page.goto(`${base}/facilitate/${code}#key=${facilitatorKey}`);
    await fac.page.waitForSelector('.big-code');
    await clean(fac.page, 'facilitator-lobby');
    const proj = await newDevice(game.browser, { width: 1920, height: 1080 });
    await proj.page.goto(`${base}/projector/${code}`);
    await proj.page.waitForSelector('.projector-lobby .big-code');
    await clean(proj.page, 'projector-lobby');

    // ---- the student joins and plays by keyboard only from here on
    const s = await newDevice(game.browser);
    const page = s.page;
    await page.goto(`${base}/join/${code}`);
    await page.waitForSelector('#join-name');
    await clean(page, 'join');
    await tabTo(page, '#join-name');
    await page.keyboard.type('Kay');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.lobby-screen');
    await clean(page, 'lobby');

    await fac.page.getByRole('button', { name: /Start the session/ }).click();
    await at(page, 'briefing', 0);
    await page.waitForSelector('.map[data-ready="true"]');
    await clean(page, 'match-briefing');
    // the chat list is reachable by keyboard: to the tabs, the arrow keys to Diplomacy, Tab into the chat
    await tabTo(page, '[role=tab][aria-selected=true]');
    for (let i = 0; i < 3 && !(await page.evaluate(() => document.activeElement?.getAttribute('data-tab') === 'diplomacy')); i++) await page.keyboard.press('ArrowRight');
    await tabTo(page, '.chat-list');
    await tabTo(page, '.chat-form input');
    await page.keyboard.type('Hello from the keyboard');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chat-list li:has-text("Hello from the keyboard")');
    expect(await focused(page), 'focus after Send').toMatch(/^input/);
    // briefing and negotiation: the team's "done" button, by keyboard
    for (const phase of ['briefing', 'negotiation'] as const) {
      await at(page, phase, 0);
      await tabTo(page, '.alloc-actions button');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`body:not([data-phase="${phase}"])`);
      expect(await focused(page), `focus after "done" in ${phase}`).not.toBe('body');
    }
    await at(page, 'orders', 0);
    await clean(page, 'match-orders');
    // change a lever with the arrow keys, then submit with Enter: focus stays on the panel's action button
    await tabTo(page, '.allocation .lever input[type=number]');
    const before = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    await page.keyboard.press('ArrowDown'); // down: the 2026 split spends the whole budget
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).not.toBe(before);
    await tabTo(page, '.alloc-actions button.primary', 200, true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('body:not([data-phase="orders"])', { timeout: 20_000 });
    expect(await focused(page), 'focus after Submit').not.toBe('body');

    // ---- the projector and the facilitator during the game, then the outcome
    await clean(proj.page, 'projector-game');
    await clean(fac.page, 'facilitator-game');
    // the teacher moves the one-quarter match on to its end
    for (let i = 0; i < 10 && !(await page.locator('.outcome-screen').count()); i++) {
      const skip = fac.page.locator('button[data-action="skipPhase"]');
      if (await skip.count()) await skip.click().catch(() => {});
      await page.waitForTimeout(1000);
    }
    await page.waitForSelector('.outcome-screen .map[data-ready="true"]', { timeout: 30_000 });
    await page.waitForTimeout(300);
    // the outcome re-renders around its map when the full record arrives: the map is still drawn at the box's size
    await page.waitForFunction(() => {
      const c = document.querySelector<HTMLCanvasElement>('.outcome-screen .map canvas.map-still');
      return !!c && c.width === Math.round(c.clientWidth * devicePixelRatio) && c.clientWidth > 100;
    }, null, { timeout: 10_000 });
    await screenshot(page, 'a11y-outcome');
    await clean(page, 'outcome');
    expect(s.errors).toEqual([]);
    expect(fac.errors).toEqual([]);
  }, 240_000);
});
