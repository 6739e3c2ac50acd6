// A lesson in real Chromium (issue 13): set-up shows the 45-minute plan and sizes teams from the class size; on a team of
// two the lead alone submits, the other sees who does; the desk says a saved draft will go in; a team handed to its bot
// sees a read-only panel with a banner and takes its seat back. Screenshots: test-results/e2e/lesson-*.
import { describe, it, expect } from 'vitest';
import { browserAvailable, newDevice, screenshot, sharedGame } from '../helpers/browser.ts';
import { api, join, waitFor } from '../helpers/server.ts';

const run = browserAvailable();
const game = sharedGame(run);

describe.skipIf(!run)('a lesson in the browser', () => {
  it('set-up shows the plan a 45-minute lesson implies and sizes the teams from the class', async () => {
    const fac = await newDevice(game.browser);
    await fac.page.goto(`${game.server.base}/setup?mode=class`);
    await fac.page.waitForSelector('.role-card');
    await fac.page.selectOption('#lesson-length', '45');
    const plan = fac.page.locator('.lesson-plan');
    await expect.poll(() => plan.textContent()).toContain('6 quarters');
    expect(await plan.textContent()).toContain('Q3 2026 to Q4 2027');
    expect(await plan.locator('.plan-debrief').textContent()).toBe('10 minutes left for the debrief');
    expect(await plan.locator('.plan-end').textContent()).toMatch(/the lesson ends at/);
    expect(await fac.page.locator('.timers input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['60', '120', '90', '45']);
    // a longer timer eats into the debrief, and the plan says so at once
    await fac.page.locator('.timers input').nth(1).fill('300');
    await expect.poll(() => plan.locator('.plan-debrief').textContent()).toBe('0 minutes left for the debrief');
    await fac.page.locator('.timers input').nth(1).fill('120');
    await fac.page.fill('#class-size', '25');
    expect(await fac.page.locator('.role-card input[type=number]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['7', '7', '7', '7']);
    await screenshot(fac.page, 'lesson-01-setup-45-minutes');
    await fac.page.getByRole('button', { name: 'Create the class session' }).click();
    await fac.page.waitForURL(/\/facilitate\/[A-Z]{6}$/);
    const code = fac.page.url().slice(-6);
    const info = await api(game.server.base, `/api/matches/${code}`);
    expect(info.body.roles.map((r: any) => r.seats)).toEqual([7, 7, 7, 7]);
    expect((await api(game.server.base, `/api/matches/${code}/rules`)).body.calendar.turns).toBe(6);
    await fac.context.close();
  });

  it('the lead submits, a team-mate sees who does, the desk shows the draft that will go in, and a bot-held team takes its seat back', async () => {
    const created = await api(game.server.base, '/api/matches', { mode: 'class', seats: { usGov: 2, usLab: 0, cnGov: 1, cnLab: 0 }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 } });
    const { code, facilitatorKey, roomId } = created.body;
    const teacher = await join(game.server.base, roomId, { facilitatorKey });
    const desk = await newDevice(game.browser);
    await desk.page.goto(`${game.server.base}/facilitate/${code}#key=${facilitatorKey}`);
    const student = async (name: string) => {
      const d = await newDevice(game.browser);
      await d.page.goto(`${game.server.base}/join/${code}`);
      await d.page.fill('#join-name', name);
      await d.page.check('input[name=role][value=usGov]');
      await d.page.getByRole('button', { name: 'Join the match' }).click();
      await d.page.waitForSelector('.lobby-screen');
      return d;
    };
    const ana = await student('Ana');
    const bo = await student('Bo');
    // China's team (an SDK client) holds the orders open while the US team is with its bot
    const wei = await join(game.server.base, roomId, { name: 'Wei', role: 'cnGov' });
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect((await teacher.ask('control', { action: 'skipPhase' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.phase === 'orders', 'the orders');

    await ana.page.waitForSelector('body[data-phase="orders"] .alloc-actions button.primary');
    expect(await ana.page.locator('.team-lead').textContent()).toBe('Lead: Ana (you)');
    await bo.page.waitForSelector('body[data-phase="orders"] .lead-only');
    expect(await bo.page.locator('.lead-only').textContent()).toMatch(/^Ana leads your team and submits the order/);
    expect(await bo.page.getByRole('button', { name: 'Submit our order' }).count()).toBe(0);
    // Bo's edit is credited to Bo, and the desk says the saved draft goes in at the deadline
    await bo.page.locator('.lever[data-lever="bis"] input[type=number]').fill('0.2');
    await bo.page.locator('.lever[data-lever="bis"] input[type=number]').blur();
    await expect.poll(() => ana.page.locator('.team-activity').textContent(), { timeout: 10_000 }).toContain('Bo changed BIS enforcement');
    await expect.poll(() => desk.page.locator('[data-role="usGov"] .resolves-as').textContent(), { timeout: 10_000 }).toBe('At the deadline: its saved draft (not submitted yet)');
    await screenshot(bo.page, 'lesson-02-team-mate-orders');
    await screenshot(desk.page, 'lesson-03-desk-draft-at-deadline');

    // handed to its bot, the team's panel is read-only with a banner; "Take the seat back" gives it back
    expect((await teacher.ask('control', { action: 'botSeat', role: 'usGov', bot: true })).ok).toBe(true);
    await bo.page.waitForSelector('.bot-banner');
    expect(await bo.page.locator('.bot-banner').textContent()).toContain('A bot plays your team now.');
    expect(await bo.page.locator('.lever[data-lever="bis"] input[type=number]').isDisabled()).toBe(true);
    await screenshot(bo.page, 'lesson-04-bot-banner');
    await bo.page.getByRole('button', { name: 'Take the seat back' }).click();
    await waitFor(() => !teacher.room.state.roles.get('usGov').bot, 'the seat back with its people');
    await bo.page.waitForSelector('.bot-banner', { state: 'detached' });
    expect(await bo.page.locator('.lever[data-lever="bis"] input[type=number]').isDisabled()).toBe(false);
    for (const d of [desk, ana, bo]) await d.context.close();
    expect(teacher.room.state.phase).toBe('orders');
    await wei.room.leave();
    await teacher.room.leave();
  });
});
