// A 25-student class in the 45-minute plan, to the outcome (issue 13): the teacher and three students in real Chromium,
// 22 more as SDK clients, timers scaled down by the test-only TIME_SCALE. Teams are sized by the class size, drafts are
// submitted at the deadlines, a non-lead's take-back is refused, a removed student cannot rejoin under a new name, and
// private chat stays out of the public record and the CSVs. Screenshots: test-results/e2e/class45-*.
import { describe, it, expect } from 'vitest';
import { browserAvailable, newDevice, screenshot, sharedGame } from '../helpers/browser.ts';
import { api, join, waitFor, type Player } from '../helpers/server.ts';
import { readDocuments } from '../../shared/protocol/read-state.ts';

// the server honours TIME_SCALE only under NODE_ENV=test (vitest's): a 45-minute plan's timers become a fortieth
process.env.TIME_SCALE = '0.025';
const run = browserAvailable();
const game = sharedGame(run);
const PRIVATE = ['our secret plan', 'a question for the teacher', 'a private offer'];

describe.skipIf(!run)('a 25-student class in 45 minutes', () => {
  it('plays the 45-minute plan to the outcome with teams sized by the class, and the lesson\'s rules hold', async () => {
    const base = game.server.base;
    // ---- set-up: 45 minutes and 25 students give six quarters and teams of seven
    const fac = await newDevice(game.browser);
    fac.page.on('dialog', (d) => void d.accept());
    await fac.page.goto(`${base}/setup?mode=class`);
    await fac.page.waitForSelector('.role-card');
    await fac.page.selectOption('#lesson-length', '45');
    await fac.page.fill('#class-size', '25');
    await expect.poll(() => fac.page.locator('.lesson-plan').textContent()).toContain('6 quarters');
    expect(await fac.page.locator('.role-card input[type=number]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['7', '7', '7', '7']);
    await screenshot(fac.page, 'class45-01-setup');
    await fac.page.getByRole('button', { name: 'Create the class session' }).click();
    await fac.page.waitForURL(/\/facilitate\/[A-Z]{6}$/);
    const code = fac.page.url().slice(-6);
    const info = (await api(base, `/api/matches/${code}`)).body;
    expect(info.roles.map((r: { seats: number }) => r.seats)).toEqual([7, 7, 7, 7]);
    expect((await api(base, `/api/matches/${code}/rules`)).body.calendar.turns).toBe(6);
    const facilitatorKey = await fac.page.evaluate((c) => localStorage.getItem(`w2028.facilitator.${c}`), code);
    const teacher = await join(base, info.roomId, { facilitatorKey });

    // ---- 22 students on SDK clients (the first on each team leads it), then three in Chromium
    const sdk: Player[] = [];
    for (let i = 0; i < 22; i += 6) sdk.push(...await Promise.all(Array.from({ length: Math.min(6, 22 - i) }, (_, k) => join(base, info.roomId, { name: `Student ${i + k + 1}` }))));
    const browserStudent = async (name: string) => {
      const d = await newDevice(game.browser, { width: 390, height: 844 });
      await d.page.goto(`${base}/join/${code}`);
      await d.page.fill('#join-name', name);
      await d.page.getByRole('button', { name: 'Join the match' }).click();
      await d.page.waitForSelector('.lobby-screen');
      return d;
    };
    const ana = await browserStudent('Ana');
    const bo = await browserStudent('Bo');
    const zoe = await browserStudent('Zoe');
    await waitFor(() => teacher.room.state.people.size === 25, '25 students in');
    const sizes = [...teacher.room.state.roles.values()].map((r: { people: number }) => r.people);
    expect(sizes.reduce((a: number, b: number) => a + b, 0)).toBe(25);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    await screenshot(ana.page, 'class45-02-lobby-phone');

    // ---- a removal sticks: Zoe is removed from the desk and cannot come back under a new name from her browser
    const zoeId = [...teacher.room.state.people.values()].find((p: { name: string }) => p.name === 'Zoe').id;
    await fac.page.locator(`tr[data-person="${zoeId}"]`).getByRole('button', { name: 'Remove' }).click();
    await zoe.page.waitForSelector('h1:has-text("You were removed from this match")');
    await zoe.page.evaluate((c) => localStorage.removeItem(`w2028.seat.${c}`), code);
    await zoe.page.goto(`${base}/join/${code}`);
    await zoe.page.fill('#join-name', 'Zed');
    await zoe.page.getByRole('button', { name: 'Join the match' }).click();
    await zoe.page.waitForFunction(() => /removed/i.test(document.body.innerText));
    await screenshot(zoe.page, 'class45-03-removed-cannot-rejoin');
    expect([...teacher.room.state.people.values()].some((p: { name: string }) => p.name === 'Zed')).toBe(false);

    // ---- private chat (a team's, a question to the teacher, a message to another role) and one public message
    const byRole = (role: string) => sdk.filter((p) => p.welcome.role === role);
    const lead = (role: string) => byRole(role).find((p) => p.welcome.personId === readDocuments(teacher.room.state).desk!.teams[role].lead)!;
    expect((await byRole('usGov')[1].ask('chat', { to: 'team', text: PRIVATE[0] })).ok).toBe(true);
    expect((await byRole('cnGov')[1].ask('chat', { to: 'facilitator', text: PRIVATE[1] })).ok).toBe(true);
    expect((await byRole('cnLab')[0].ask('chat', { to: 'usLab', text: PRIVATE[2] })).ok).toBe(true);
    expect((await byRole('usLab')[0].ask('chat', { to: 'all', text: 'hello class' })).ok).toBe(true);

    // ---- the lesson: the teacher starts it from the desk; leads say ready; in the orders the US Government's lead
    // submits, its team-mate's take-back is refused, every other team only saves a draft (submitted at the deadline)
    await fac.page.locator('button[data-action="start"]').click();
    await waitFor(() => teacher.room.state.phase === 'briefing', 'the first briefing');
    await fac.page.waitForSelector('.lesson-clock');
    await expect.poll(() => fac.page.locator('.lesson-clock').textContent()).toMatch(/of the lesson left .*; the quarters still to play need up to \d+ min; \d+ min for the debrief\./);
    // the plan mid-game from the desk: a quarter added, then dropped again (the 45-minute plan's six stay)
    await fac.page.getByRole('button', { name: 'Add a quarter' }).click();
    await waitFor(() => teacher.room.state.turns === 7, 'seven quarters');
    // a student who joins now reads the match's rule file with the quarter added
    expect((await api(base, `/api/matches/${code}/rules`)).body.calendar.turns).toBe(7);
    await fac.page.getByRole('button', { name: 'Drop a quarter' }).click();
    await waitFor(() => teacher.room.state.turns === 6, 'six quarters again');
    await fac.page.locator('.class-panel').scrollIntoViewIfNeeded();
    await screenshot(fac.page, 'class45-04-desk-lesson-clock');
    const done = new Set<string>();
    let refusedTakeBack = false;
    while (teacher.room.state.phase !== 'ended') {
      const { phase, turn } = teacher.room.state;
      const stage = `${phase}/${turn}`;
      if (!done.has(stage)) {
        done.add(stage);
        if (phase === 'orders') {
          expect((await lead('usGov').ask('submit', { order: { spend: { bis: 0.2 } } })).ok).toBe(true);
          const mate = byRole('usGov').find((p) => p !== lead('usGov'))!;
          const takeBack = await mate.ask('unsubmit', {});
          expect(takeBack).toMatchObject({ ok: false, code: 'not-lead' });
          refusedTakeBack = true;
          for (const [role, lever] of [['usLab', 'training'], ['cnGov', 'fabs'], ['cnLab', 'training']]) {
            const drafter = byRole(role).find((p) => p !== lead(role))!;
            expect((await drafter.ask('draft', { order: { spend: { [lever]: 1 } } })).ok).toBe(true);
          }
          if (turn === 0) await screenshot(ana.page, 'class45-05-orders-phone');
        } else if (phase !== 'lobby') {
          for (const role of ['usGov', 'usLab', 'cnGov', 'cnLab']) await lead(role).ask('ready', { ready: true });
        }
      }
      await waitFor(() => `${teacher.room.state.phase}/${teacher.room.state.turn}` !== stage, `${stage} to close`, 10_000);
    }
    expect(refusedTakeBack).toBe(true);

    // ---- the outcome, on the phones and the desk
    for (const d of [ana, bo]) await d.page.waitForSelector('body[data-phase="ended"] .outcome-screen', { timeout: 20_000 });
    await screenshot(ana.page, 'class45-06-outcome-phone');
    await screenshot(fac.page, 'class45-07-desk-ended');

    // ---- the record: six quarters (fewer only after a catastrophe), drafts submitted by rule at each deadline
    const keyed = (await api(base, `/api/matches/${code}/record?full=1`, undefined, { 'x-facilitator-key': facilitatorKey! })).body;
    expect(keyed.ending).not.toBeNull();
    if (keyed.ending.id !== 'catastrophe') expect(keyed.turns).toHaveLength(6);
    for (const t of keyed.turns) expect(t.sources).toEqual({ usGov: 'submitted', usLab: 'draft', cnGov: 'draft', cnLab: 'draft' });
    expect(keyed.chat.map((c: { text: string }) => c.text)).toEqual(expect.arrayContaining(PRIVATE));
    // private chat is absent from the public record and both CSVs
    const open = await api(base, `/api/matches/${code}/record`);
    const csvs = await Promise.all(['timeline.csv', 'decisions.csv'].map((f) => fetch(`${base}/api/matches/${code}/${f}`).then((r) => r.text())));
    for (const text of [JSON.stringify(open.body), ...csvs]) for (const secret of PRIVATE) expect(text).not.toContain(secret);
    expect(open.body.chat.map((c: { text: string }) => c.text)).toEqual(['hello class']);

    for (const d of [fac, ana, bo, zoe]) {
      expect(d.errors).toEqual([]);
      await d.context.close();
    }
    await Promise.all([teacher, ...sdk].map((p) => p.room.leave()));
  }, 90_000);
});
