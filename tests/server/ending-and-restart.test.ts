// A class ended early carries its ending and scores everywhere; a restarted server gives a phase the time it had left.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { bootServer, api, join, waitFor, sleep, NO_TIMERS } from '../helpers/server.ts';

const parseCsv = (text: string) => text.trimEnd().split('\r\n').map((l) => l.split(','));

describe('a class the facilitator ends early', () => {
  let server: Awaited<ReturnType<typeof bootServer>>;
  afterAll(async () => { await server?.close(); });

  it('has its ending and every role\'s score in the record, both CSVs and the record read again later', async () => {
    server = await bootServer();
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
    const { code, facilitatorKey } = created.body;
    const roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId;
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    expect((await teacher.ask('control', { action: 'resolveNow' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.turn === 1, 'the first quarter');
    expect((await teacher.ask('control', { action: 'end' })).ok).toBe(true);
    await waitFor(() => ana.room.state.phase === 'ended' && ana.room.state.endingId !== '', 'the live ending');
    const live = ana.room.state.endingId;

    const record = (await api(server.base, `/api/matches/${code}/record`)).body;
    expect(record.status).toBe('finished');
    expect(record.ending?.id).toBe(live);
    expect(record.endReason).toBe('the facilitator ended the match');
    expect(Object.keys(record.scores ?? {}).sort()).toEqual(['cnGov', 'cnLab', 'usGov', 'usLab']);

    const timeline = parseCsv((await api(server.base, `/api/matches/${code}/timeline.csv`)).body);
    const ti = { ending: timeline[0].indexOf('Ending'), scores: timeline[0].indexOf('Scores') };
    expect(ti.ending).toBeGreaterThan(0);
    expect(timeline.at(-1)![ti.ending]).toBe(record.ending.title.includes(',') ? expect.anything() : record.ending.title);
    const decisions = (await api(server.base, `/api/matches/${code}/decisions.csv`)).body as string;
    expect(decisions).toContain(`Ending`);
    for (const role of record.roles) expect(decisions).toMatch(new RegExp(`${role.name},Score,,,${record.scores[role.id]}`));
  });
});

describe('a server restarted in the middle of a timed phase', () => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'w2028-timers-'));
  let server: Awaited<ReturnType<typeof bootServer>> | null = null;
  afterAll(async () => { await server?.close(); rmSync(dataDir, { recursive: true, force: true }); });
  const storePath = joinPath(dataDir, 'matches.sqlite');

  it('resumes the phase with the time it had left, and a pause and an extension survive', async () => {
    server = await bootServer({ storePath });
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: { briefing: 600, negotiation: 600, orders: 600, report: 600 } });
    const { code, facilitatorKey } = created.body;
    let roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId;
    let teacher = await join(server.base, roomId, { facilitatorKey });
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.phase === 'briefing' && teacher.room.state.phaseEndsAt > 0, 'the briefing timer');
    expect((await teacher.ask('control', { action: 'extend', seconds: 300 })).ok).toBe(true);
    await waitFor(() => teacher.room.state.phaseEndsAt > Date.now() + 800_000, 'the extension');
    const endsAt = teacher.room.state.phaseEndsAt;

    // a restart: the same deadline, not the phase's full ten minutes again
    teacher.room.reconnection.enabled = false;
    await server.close();
    server = await bootServer({ storePath });
    roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId;
    teacher = await join(server.base, roomId, { facilitatorKey });
    await waitFor(() => teacher.room.state.phaseEndsAt > 0, 'the restored timer');
    expect(Math.abs(teacher.room.state.phaseEndsAt - endsAt)).toBeLessThan(5);

    // paused: the time left survives a restart too, and the phase stays paused
    expect((await teacher.ask('control', { action: 'pause' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.paused && teacher.room.state.phaseRemaining > 0, 'the pause');
    const remaining = teacher.room.state.phaseRemaining;
    expect(remaining).toBeGreaterThan(890_000);
    teacher.room.reconnection.enabled = false;
    await server.close();
    await sleep(300);
    server = await bootServer({ storePath });
    roomId = (await api(server.base, `/api/matches/${code}`)).body.roomId;
    teacher = await join(server.base, roomId, { facilitatorKey });
    await waitFor(() => teacher.room.state.paused && teacher.room.state.phaseRemaining > 0, 'the restored pause');
    expect(teacher.room.state.phaseRemaining).toBe(remaining);
    expect(teacher.room.state.phaseEndsAt).toBe(0);
    expect((await teacher.ask('control', { action: 'resume' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.phaseEndsAt > 0, 'the resumed timer');
    expect(Math.abs(teacher.room.state.phaseEndsAt - (Date.now() + remaining))).toBeLessThan(2000);
    await teacher.room.leave();
  });
});
