// A whole class session in real Chromium: a facilitator sets it up, three students join by code, a bot takes the
// fourth role, everyone plays every quarter through the UI to the outcome; pause/resume, a reload, the map, the
// projector's public-only numbers and the over-budget refusal are checked on the way. Screenshots: test-results/e2e.
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, newDevice, screenshot, sharedGame } from '../helpers/browser.ts';
import { api } from '../helpers/server.ts';

const run = browserAvailable();
const game = sharedGame(run);

const at = (page: Page, phase: string, turn: number, ms = 20_000) =>
  page.waitForSelector(`body[data-phase="${phase}"][data-turn="${turn}"]`, { timeout: ms });

/** Formats like client/ui/format.ts, to look for the true hidden numbers on the projector. */
const mo = (x: number) => `${x.toFixed(1)} mo`;
function h100e(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(1)}B H100e`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M H100e`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(0)}k H100e`;
  return `${x.toFixed(0)} H100e`;
}

describe.skipIf(!run)('a class session in the browser', () => {
  it('runs from set-up to the 2028 outcome through the UI', async () => {
    // ---- the facilitator sets up the class: the Chinese Lab is a bot, no timers (the test moves things on)
    const fac = await newDevice(game.browser);
    await fac.page.goto(`${game.server.base}/`);
    await fac.page.getByRole('link', { name: 'Set up a class' }).click();
    await fac.page.waitForSelector('.role-card');
    await fac.page.locator('.role-card').nth(3).locator('input[type=number]').fill('0');
    await fac.page.locator('.role-card').nth(3).locator('select').selectOption('opportunist');
    for (let i = 0; i < 4; i++) await fac.page.locator('.timers input').nth(i).fill('0');
    await screenshot(fac.page, '01-setup');
    await fac.page.getByRole('button', { name: 'Create the class session' }).click();
    await fac.page.waitForURL(/\/facilitate\/[A-Z]{6}$/);
    const code = fac.page.url().slice(-6);
    await fac.page.waitForSelector('.big-code');
    expect(await fac.page.locator('.big-code').first().textContent()).toBe(code);
    expect(await fac.page.locator('.join-card svg.qr').count()).toBe(1);
    await screenshot(fac.page, '02-facilitator-lobby');

    const projector = await newDevice(game.browser, { width: 1920, height: 1080 });
    await projector.page.goto(`${game.server.base}/projector/${code}`);
    await projector.page.waitForSelector('.projector-lobby .big-code');

    // ---- three students join with the code, in any case, on a laptop, a laptop and a phone
    const title = await newDevice(game.browser);
    await title.page.goto(`${game.server.base}/`);
    await screenshot(title.page, '00-title');
    await title.context.close();
    const roles = ['usGov', 'usLab', 'cnGov'] as const;
    const students: Record<string, Awaited<ReturnType<typeof newDevice>>> = {};
    for (const [i, role] of roles.entries()) {
      const d = await newDevice(game.browser, role === 'cnGov' ? { width: 390, height: 844 } : { width: 1366, height: 768 });
      await d.page.goto(`${game.server.base}/`);
      await d.page.fill('#join-code', `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`);
      await d.page.getByRole('button', { name: 'Join', exact: true }).click();
      await d.page.waitForSelector('#join-name');
      await d.page.fill('#join-name', `Student ${i + 1}`);
      await d.page.check(`input[name=role][value=${role}]`);
      if (i === 0) await screenshot(d.page, '03-join');
      await d.page.getByRole('button', { name: 'Join the match' }).click();
      await d.page.waitForSelector('.lobby-screen');
      students[role] = d;
    }
    await fac.page.waitForSelector('.people-table tbody tr:nth-child(3)');
    await screenshot(students.usGov.page, '04-lobby');
    await screenshot(projector.page, '05-projector-lobby');
    expect(await projector.page.locator('.lobby-teams').textContent()).toContain('Student 3');

    await fac.page.getByRole('button', { name: /Start the session/ }).click();
    const everyone = () => [fac.page, projector.page, ...roles.map((r) => students[r].page)];

    // ---- the map renders: a canvas with more than a background, and the rule file's regions
    const page = students.usGov.page;
    await at(page, 'briefing', 0);
    await page.waitForSelector('.map[data-ready="true"] canvas', { timeout: 30_000 });
    await page.waitForTimeout(500);
    const colours = await page.evaluate(() => {
      const canvas = document.querySelector('.map canvas') as HTMLCanvasElement;
      const probe = document.createElement('canvas');
      probe.width = 64; probe.height = 32;
      const g = probe.getContext('2d')!;
      g.drawImage(canvas, 0, 0, 64, 32);
      const data = g.getImageData(0, 0, 64, 32).data;
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) seen.add(`${data[i] >> 4},${data[i + 1] >> 4},${data[i + 2] >> 4}`);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(4);
    const rules = (await api(game.server.base, `/api/matches/${code}/rules`)).body;
    expect(await page.locator('.map-regions li').count()).toBe(rules.regions.length);
    expect(await page.locator('.map-regions').textContent()).toContain(rules.regions[0].name);
    await screenshot(page, '06-match-briefing');
    await page.getByRole('tab', { name: /Intel/ }).click();
    await screenshot(page, '06b-match-intel');

    // ---- the allocation panel refuses an over-budget draft with a clear message
    const bis = page.locator('.lever[data-lever="bis"] input[type=number]');
    await bis.fill('500');
    const msg = page.locator('.budget-msg');
    await expect.poll(() => msg.textContent()).toMatch(/Over budget by \$[\d.]+B: this plan spends \$[\d.]+B but your team has \$12\.00B/);
    expect(await page.locator('.allocation').getAttribute('class')).toContain('is-over');
    await screenshot(page, '07-over-budget');
    // back under the status-quo line (BIS is 2% of the budget, $0.24B): the plan fits again
    await bis.fill('0.2');
    await expect.poll(() => msg.textContent()).toBe('');

    let paused = false, reloaded = false, proposed = false, quarters = 0;
    const over = async () => (await fac.page.evaluate(() => document.body.dataset.phase)) === 'ended';
    play: for (let turn = 0; turn < 10; turn++) {
      for (const phase of ['briefing', 'negotiation', 'orders', 'report'] as const) {
        if (turn === 9 && phase === 'report') break;
        // the report shows the quarter just resolved: state.turn has moved on by then
        const stateTurn = phase === 'report' ? turn + 1 : turn;
        // a catastrophic incident ends a match early: then go straight to the outcome
        await fac.page.waitForSelector(`body[data-phase="${phase}"][data-turn="${stateTurn}"], body[data-phase="ended"]`, { timeout: 20_000 });
        if (await over()) break play;
        for (const p of everyone()) await at(p, phase, stateTurn);
        if (phase === 'briefing' && turn === 2 && !paused) {
          // the facilitator pauses: everyone sees it, readiness does not move the match on, then resumes
          await fac.page.getByRole('button', { name: /Pause/ }).click();
          for (const p of everyone()) await p.waitForSelector('body[data-paused="true"]');
          await screenshot(students.usLab.page, '09-paused');
          for (const r of roles) await students[r].page.locator('.alloc-actions button').first().click();
          await page.waitForTimeout(600);
          expect(await fac.page.evaluate(() => document.body.dataset.phase)).toBe('briefing');
          await fac.page.getByRole('button', { name: /Resume/ }).click();
          for (const p of everyone()) await at(p, 'negotiation', 2);
          paused = true;
          continue;
        }
        if (phase === 'negotiation' && turn === 1 && !proposed) {
          // diplomacy through the UI: the US Government proposes, China Government accepts
          proposed = true;
          await page.getByRole('tab', { name: /Diplomacy/ }).click();
          await page.locator('.make-proposal select').first().selectOption('hubCompliancePact');
          await page.locator('.make-proposal select').nth(1).selectOption('cnGov');
          await page.locator('.make-proposal button').click();
          const cn = students.cnGov.page;
          await cn.getByRole('tab', { name: /Diplomacy/ }).click();
          await cn.locator('.pending-for-us button', { hasText: 'Accept' }).click();
          await page.waitForSelector('.agreements li');
          await page.locator('.chat-form input').fill('We will watch the hubs closely.');
          await page.locator('.chat-form button').click();
          await screenshot(page, '08-diplomacy');
        }
        if (phase === 'orders' && turn === 3 && !reloaded) {
          // a student reloads mid-match and is back in the same seat, without typing anything
          reloaded = true;
          await students.usLab.page.reload();
          await at(students.usLab.page, 'orders', 3);
          await students.usLab.page.waitForSelector('.allocation');
          expect(await students.usLab.page.locator('.who-role').textContent()).toBe('US Frontier Lab');
          expect(await students.usLab.page.locator('.who-name').textContent()).toBe('Student 2');
        }
        if (phase === 'orders') {
          for (const r of roles) {
            const p = students[r].page;
            const first = p.locator('.lever input[type=number]').first();
            await first.fill(String(Math.round((0.4 + turn * 0.01) * 100) / 100 + 1));
            await p.getByRole('button', { name: 'Submit our order' }).click();
            await p.waitForSelector('.submitted-note, body[data-phase="report"], body[data-phase="ended"]');
            if (turn === 0 && r === 'usGov') await screenshot(p, '10-submitted');
          }
          quarters++;
        } else {
          if (phase === 'report' && turn === 1) {
            await screenshot(page, '11-report');
            await screenshot(students.cnGov.page, '11b-report-phone');
            await screenshot(projector.page, '12-projector-game');
            await screenshot(fac.page, '13-facilitator-game');
          }
          for (const r of roles) {
            const btn = students[r].page.locator('.alloc-actions button').first();
            if ((await btn.getAttribute('aria-pressed')) !== 'true') await btn.click();
          }
        }
      }
    }
    const catastrophe = (await api(game.server.base, `/api/matches/${code}/record`)).body.ending?.id === 'catastrophe';
    if (!catastrophe) expect(paused && reloaded && quarters === 10).toBe(true);

    // ---- the outcome, on every screen
    for (const p of everyone()) await p.waitForSelector('body[data-phase="ended"] .outcome-screen', { timeout: 30_000 });
    for (const p of everyone()) expect(await p.locator('.score-list li').count()).toBe(4);
    await page.waitForTimeout(800);
    await screenshot(page, '14-outcome');
    await page.locator('.debrief').scrollIntoViewIfNeeded();
    await screenshot(page, '14b-outcome-debrief');
    await screenshot(projector.page, '15-projector-outcome');
    await screenshot(fac.page, '16-facilitator-outcome');
    expect(await page.locator('.outcome-hero h1').textContent()).toBeTruthy();
    const href = await page.locator('.exports a', { hasText: 'Match record' }).getAttribute('href');
    const record = await api(game.server.base, href!);
    expect(record.status).toBe(200);
    expect(record.body.turns.length).toBe(quarters);

    for (const d of [fac, projector, ...roles.map((r) => students[r])]) expect(d.errors).toEqual([]);
  }, 600_000);
});

describe.skipIf(!run)('the projector view', () => {
  it('shows no hidden number of either side', async () => {
    const created = await api(game.server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 } });
    const { code, facilitatorKey } = created.body;
    const fac = await newDevice(game.browser);
    await fac.page.goto(`${game.server.base}/facilitate/${code}#key=${facilitatorKey}`);
    await fac.page.getByRole('button', { name: /Start the session/ }).click();
    // the facilitator injects an event card from the deck: it is public news
    await fac.page.waitForSelector('.controls select');
    await fac.page.locator('.controls select').selectOption('lobsterBust');
    await fac.page.getByRole('button', { name: 'Inject', exact: true }).click();
    await fac.page.waitForSelector('.toast-ok');
    // two quarters resolved, so the numbers have moved away from the rule file's start
    for (let i = 0; i < 2; i++) {
      await fac.page.waitForSelector('button[data-action="resolveNow"]:not([disabled])');
      await fac.page.getByRole('button', { name: /Resolve the quarter now/ }).click();
      await fac.page.waitForSelector(`body[data-turn="${i + 1}"]`);
      await fac.page.getByRole('button', { name: /Next phase/ }).click();
    }
    const proj = await newDevice(game.browser, { width: 1920, height: 1080 });
    await proj.page.goto(`${game.server.base}/projector/${code}`);
    await proj.page.waitForSelector('.projector-game .map[data-ready="true"]', { timeout: 30_000 });
    await proj.page.waitForTimeout(500);
    const shown = await proj.page.evaluate(() => document.body.innerText);
    const record = (await api(game.server.base, `/api/matches/${code}/record?key=${facilitatorKey}`)).body;
    const hidden: string[] = [];
    for (const side of ['us', 'china'] as const) {
      const s = record.state.sides[side];
      hidden.push(mo(s.capability), h100e(s.effectiveCompute), h100e(s.chips), `${s.powerGW.toFixed(1)} GW`);
    }
    for (const number of hidden) expect(shown).not.toContain(number);
    expect(shown).toContain('Smuggling ring busted in a lobster shipment');
    // and the page never received a team channel or the facilitator's desk
    expect(await proj.page.locator('.allocation, .intel-table, .truth').count()).toBe(0);
    await screenshot(proj.page, '17-projector-no-hidden');
    await fac.context.close();
    await proj.context.close();
  }, 120_000);
});

describe.skipIf(!run)('the facilitator moves and removes people', () => {
  it('a moved student gets the new team\'s screen; a removed one is told so', async () => {
    const created = await api(game.server.base, '/api/matches', { mode: 'class', seats: { usGov: 2, usLab: 2, cnGov: 0, cnLab: 0 }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 } });
    const { code, facilitatorKey } = created.body;
    const fac = await newDevice(game.browser);
    await fac.page.goto(`${game.server.base}/facilitate/${code}#key=${facilitatorKey}`);
    const join = async (name: string) => {
      const d = await newDevice(game.browser);
      await d.page.goto(`${game.server.base}/join/${code}`);
      await d.page.fill('#join-name', name);
      await d.page.check('input[name=role][value=usGov]');
      await d.page.getByRole('button', { name: 'Join the match' }).click();
      await d.page.waitForSelector('.lobby-screen');
      return d;
    };
    const mo = await join('Mo'), rex = await join('Rex');
    await fac.page.getByRole('button', { name: /Start the session/ }).click();
    await mo.page.waitForSelector('body[data-phase="briefing"] .allocation');
    expect(await mo.page.locator('.who-role').textContent()).toBe('US Government');

    await fac.page.getByRole('combobox', { name: 'Move Mo to' }).selectOption('usLab');
    await expect.poll(() => mo.page.locator('.who-role').textContent(), { timeout: 10_000 }).toBe('US Frontier Lab');
    await mo.page.waitForSelector('.lever[data-lever="training"]');

    fac.page.once('dialog', (d) => void d.accept());
    await fac.page.getByRole('row', { name: /Rex/ }).getByRole('button', { name: 'Remove' }).click();
    await rex.page.waitForSelector('h1:has-text("You were removed from this match")');
    await rex.page.reload();
    await rex.page.waitForSelector('#join-name'); // the seat token is gone; joining again means asking anew
    for (const d of [fac, mo, rex]) expect(d.errors).toEqual([]);
    for (const d of [fac, mo, rex]) await d.context.close();
  }, 120_000);
});
