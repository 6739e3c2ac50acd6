// Every screen size in real Chromium (issue 13): at 390×844, 1366×768, 1920×1080 and on the projector, nothing drawn
// over the map overlaps or leaves it (boxes read from the page and from the map's own layout), the page never scrolls
// sideways; on a phone the budget total and Submit stay on screen while editing and chat is one tap away; the map is
// sharp at device pixel ratio 2; and an idle match tab lets the map's render loop sleep. Screenshots: test-results/e2e.
import { describe, it, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, newDevice, screenshot, sharedGame } from '../helpers/browser.ts';
import { api } from '../helpers/server.ts';

const run = browserAvailable();
const game = sharedGame(run);

interface Box { name: string; x: number; y: number; w: number; h: number }
const overlap = (a: Box, b: Box) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
const inside = (a: Box, o: Box) => a.x >= o.x - 0.5 && a.y >= o.y - 0.5 && a.x + a.w <= o.x + o.w + 0.5 && a.y + a.h <= o.y + o.h + 0.5;

/** The map's overlays as boxes in the map's own pixels: what the painter laid out, and the page's own overlays on it. */
async function mapBoxes(page: Page, scope: string): Promise<{ canvas: Box; drawn: Box[]; gauge: Box[]; dom: Box[] }> {
  return page.evaluate((scope) => {
    type L = { legend: Box | null; gauge: Box | null; gaugeTitle: Box | null; gaugeNote: Box | null; gaugeValue: Box | null;
      labels: { id: string; x: number; y: number; w: number; h: number }[]; markers: { marker: { side: string }; x: number; y: number; r: number }[];
      grey: { x: number; y: number; w: number; h: number } | null };
    interface Box { name: string; x: number; y: number; w: number; h: number }
    const map = document.querySelector(`${scope} .map`)!;
    const box = map.querySelector('.map-canvas')!.getBoundingClientRect();
    const layout = (window as unknown as { __mapPainter: { layout: L } }).__mapPainter.layout;
    const b = (name: string, r: { x: number; y: number; w: number; h: number } | null) => r && { name, x: r.x, y: r.y, w: r.w, h: r.h };
    const drawn = [b('key', layout.legend), b('gauge', layout.gauge), b('grey market', layout.grey && { ...layout.grey, x: layout.grey.x - layout.grey.w / 2, y: layout.grey.y - layout.grey.h / 2 }),
      ...layout.labels.map((l) => b(`label ${l.id}`, { x: l.x - l.w / 2, y: l.y - l.h / 2, w: l.w, h: l.h })),
      ...layout.markers.map((m) => b(`marker ${m.marker.side}`, { x: m.x - m.r, y: m.y - m.r, w: 2 * m.r, h: 2 * m.r }))].filter((x): x is Box => !!x);
    const gauge = [b('reading', layout.gaugeValue), b('gauge title', layout.gaugeTitle), b('gauge note', layout.gaugeNote)].filter((x): x is Box => !!x);
    const dom = [...map.querySelectorAll('.map-legend, .map-loading')].filter((e) => (e as HTMLElement).offsetParent).map((e) => {
      const r = e.getBoundingClientRect();
      return { name: `page ${e.className}`, x: r.x - box.x, y: r.y - box.y, w: r.width, h: r.height };
    });
    return { canvas: { name: 'canvas', x: 0, y: 0, w: box.width, h: box.height }, drawn, gauge, dom };
  }, scope);
}

function expectClear(where: string, m: Awaited<ReturnType<typeof mapBoxes>>): void {
  for (const d of [...m.drawn, ...m.dom]) expect(inside(d, m.canvas), `${where}: ${d.name} inside the map`).toBe(true);
  const gauge = m.drawn.find((d) => d.name === 'gauge')!;
  for (const p of m.gauge) expect(inside(p, gauge), `${where}: ${p.name} inside the gauge`).toBe(true);
  for (let i = 0; i < m.gauge.length; i++) for (let j = i + 1; j < m.gauge.length; j++) {
    expect(overlap(m.gauge[i], m.gauge[j]), `${where}: ${m.gauge[i].name} over ${m.gauge[j].name}`).toBe(false);
  }
  // labels may sit next to markers' circles of other kinds; what must never happen is text on text or on the panels
  const solid = m.drawn.filter((d) => !d.name.startsWith('marker'));
  for (let i = 0; i < solid.length; i++) for (let j = i + 1; j < solid.length; j++) {
    expect(overlap(solid[i], solid[j]), `${where}: ${solid[i].name} over ${solid[j].name}`).toBe(false);
  }
  for (const d of m.dom) for (const s of solid) expect(overlap(d, s), `${where}: ${d.name} over ${s.name}`).toBe(false);
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

async function join(browser: Browser, base: string, code: string, viewport: { width: number; height: number }, name: string, scale = 1) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: scale, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/join/${code}`);
  await page.fill('#join-name', name);
  await page.getByRole('button', { name: 'Join the match' }).click();
  await page.waitForSelector('.lobby-screen');
  return { context, page, errors };
}

const SIZES = [['phone', 390, 844], ['laptop', 1366, 768], ['desktop', 1920, 1080]] as const;

describe.skipIf(!run)('every screen size', () => {
  it('no overlay overlaps or clips at 390×844, 1366×768, 1920×1080 and on the projector; phones keep the total, Submit and chat at hand; the map is sharp at 2×', async () => {
    const base = game.server.base;
    const created = await api<{ code: string; facilitatorKey: string }>(base, '/api/matches', {
      mode: 'class', seats: { usGov: 4, usLab: 0, cnGov: 0, cnLab: 0 }, timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 },
    });
    const { code, facilitatorKey } = created.body;
    const fac = await newDevice(game.browser);
    await fac.page.goto(`${base}/facilitate/${code}#key=${facilitatorKey}`);
    await fac.page.waitForSelector('.big-code');
    const students = [];
    for (const [name, width, height] of SIZES) students.push({ name, ...(await join(game.browser, base, code, { width, height }, `S ${name}`)) });
    const sharp = await join(game.browser, base, code, { width: 390, height: 844 }, 'S sharp', 2);
    const projectors = [];
    for (const [width, height] of [[1920, 1080], [1366, 768]] as const) {
      const d = await newDevice(game.browser, { width, height });
      await d.page.goto(`${base}/projector/${code}`);
      await d.page.waitForSelector('.projector-lobby .big-code');
      projectors.push({ name: `projector-${width}x${height}`, ...d });
    }
    await fac.page.getByRole('button', { name: /Start the session/ }).click();

    for (const s of students) {
      await s.page.waitForSelector('body[data-phase="briefing"] .map[data-ready="true"]', { timeout: 30_000 });
      await s.page.waitForTimeout(300);
      await screenshot(s.page, `screens-${s.name}-briefing`);
      expectClear(s.name, await mapBoxes(s.page, '.match-screen'));
      expect(await noSidewaysScroll(s.page), `${s.name}: no sideways scroll`).toBe(true);
      await s.page.screenshot({ path: `test-results/e2e/screens-${s.name}-full.png`, fullPage: true });
    }
    for (const p of projectors) {
      await p.page.waitForSelector('.projector-game .map[data-ready="true"]', { timeout: 30_000 });
      await p.page.waitForTimeout(300);
      await screenshot(p.page, `screens-${p.name}`);
      expectClear(p.name, await mapBoxes(p.page, '.projector-game'));
      expect(await noSidewaysScroll(p.page), `${p.name}: no sideways scroll`).toBe(true);
    }

    // ---- a phone while editing: scroll to the last lever and change it; the total and Submit stay on screen
    await fac.page.locator('button[data-action="skipPhase"]').click();
    await fac.page.locator('button[data-action="skipPhase"]').click();
    const phone = students[0].page;
    await phone.waitForSelector('body[data-phase="orders"] .alloc-actions button.primary');
    const lever = phone.locator('.allocation .lever input[type=number]').last();
    await lever.scrollIntoViewIfNeeded();
    await lever.fill('0');
    const seen = await phone.evaluate(() => {
      const vis = (sel: string) => { const r = document.querySelector(sel)!.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; };
      return { total: vis('.allocation .total'), submit: vis('.alloc-actions button.primary'), chat: vis('.chat-jump') };
    });
    await screenshot(phone, 'screens-phone-editing');
    expect(seen).toEqual({ total: true, submit: true, chat: true });
    // chat, one tap away from anywhere on the page
    await phone.locator('.chat-jump').click();
    await phone.waitForFunction(() => {
      const r = document.querySelector('.chat-form input')!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight && document.activeElement === document.querySelector('.chat-form input');
    });
    await phone.waitForTimeout(300);
    await screenshot(phone, 'screens-phone-chat');

    // ---- sharp at device pixel ratio 2: the map's backing store has twice the CSS pixels
    await sharp.page.waitForSelector('.map[data-ready="true"]', { timeout: 30_000 });
    const px = await sharp.page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.map canvas.map-still')!;
      return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight, dpr: devicePixelRatio };
    });
    expect(px.dpr).toBe(2);
    expect(px.w).toBe(Math.round(px.cw * 2));
    expect(px.h).toBe(Math.round(px.ch * 2));
    await screenshot(sharp.page, 'screens-phone-2x');

    for (const s of [...students, sharp]) expect(s.errors).toEqual([]);
  }, 240_000);

  it('an idle match tab lets the map sleep: the render loop stops a few seconds after the last change (motion allowed)', async () => {
    const base = game.server.base;
    const created = await api<{ code: string }>(base, '/api/matches', { seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 } });
    const d = await newDevice(game.browser, { width: 1920, height: 1080 }, { motion: true });
    await d.page.goto(`${base}/join/${created.body.code}`);
    await d.page.fill('#join-name', 'Idle');
    await d.page.getByRole('button', { name: 'Join the match' }).click();
    await d.page.getByRole('button', { name: 'We are ready' }).click();
    await d.page.waitForFunction(() => (window as unknown as { __mapGame?: { loop: { running: boolean } } }).__mapGame?.loop.running === true, null, { timeout: 30_000 });
    await d.page.waitForFunction(() => (window as unknown as { __mapGame: { loop: { running: boolean } } }).__mapGame.loop.running === false, null, { timeout: 15_000 });
    // frames drawn while asleep: none
    const frames = await d.page.evaluate(() => new Promise<number>((resolve) => {
      const g = (window as unknown as { __mapGame: { events: { on(e: string, f: () => void): void } } }).__mapGame;
      let n = 0; g.events.on('postrender', () => n++);
      setTimeout(() => resolve(n), 2000);
    }));
    expect(frames).toBe(0);
    expect(d.errors).toEqual([]);
  }, 60_000);
});
