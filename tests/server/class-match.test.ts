// A whole class session over the network: a facilitator, four teams of two joining by code, a bot taking a seat, ten quarters.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => { server = await bootServer(); });
afterAll(async () => { await server?.close(); });

const FIRST_LEVER: Record<string, string> = { usGov: 'bis', usLab: 'training', cnGov: 'fabs', cnLab: 'training' };

describe('a class session', () => {
  it('runs from the join code to a 2028 scenario', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 2, usLab: 2, cnGov: 2, cnLab: 2 }, bots: { cnLab: 'opportunist' }, timers: NO_TIMERS });
    expect(created.status).toBe(201);
    const { code, facilitatorKey } = created.body;
    expect(code).toMatch(/^[A-HJKMNP-Z]{6}$/);
    expect(facilitatorKey.length).toBeGreaterThanOrEqual(22);

    // students type the code in any case
    const info = await api(server.base, `/api/matches/${code.toLowerCase()}`);
    expect(info.body.roles.map((r: any) => r.id)).toEqual(['usGov', 'usLab', 'cnGov', 'cnLab']);
    const teacher = await join(server.base, info.body.roomId, { facilitatorKey });
    expect(teacher.welcome.facilitator).toBe(true);

    const students: Record<string, Player[]> = { usGov: [], usLab: [], cnGov: [], cnLab: [] };
    let n = 0;
    for (const role of Object.keys(students)) {
      for (let i = 0; i < 2; i++) students[role].push(await join(server.base, info.body.roomId, { name: `Student ${++n}`, role }));
    }
    for (const [role, team] of Object.entries(students)) for (const s of team) {
      expect(s.welcome.role).toBe(role);
      expect(s.welcome.seatToken!.length).toBeGreaterThanOrEqual(22);
    }
    await expect(join(server.base, info.body.roomId, { name: 'Late', role: 'usGov' })).rejects.toThrow(/team is full/);

    await waitFor(() => teacher.room.state.people.size === 8, 'everyone in the lobby');
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);

    const everyone = () => Object.values(students).flat();
    const active = () => Object.entries(students).filter(([role]) => !teacher.room.state.roles.get(role).bot);
    const stage = () => `${teacher.room.state.phase}/${teacher.room.state.turn}`;
    const done = new Set<string>();
    let quarters = 0, paused = false;

    while (teacher.room.state.phase !== 'ended') {
      const here = stage();
      // every student's screen shows the same phase as the teacher's before anyone acts on it
      await waitFor(() => everyone().every((s) => `${s.room.state.phase}/${s.room.state.turn}` === here), `everyone at ${here}`);
      const { phase, turn } = teacher.room.state;
      if (phase === 'briefing' && turn === 1 && !done.has('diplomacy')) {
        done.add('diplomacy');
        // a proposal China accepts, and a private chat only the two teams and the teacher read
        expect((await students.usGov[0].ask('propose', { proposalId: 'hubCompliancePact', to: 'cnGov' })).ok).toBe(true);
        await waitFor(() => students.cnGov[1].team()?.view.world.pending.length === 1, 'the proposal reaching China');
        const key = students.cnGov[1].team().view.world.pending[0].key;
        expect((await students.cnGov[1].ask('respond', { key, accept: true })).ok).toBe(true);
        await waitFor(() => students.usGov[0].team()?.view.world.agreements.length === 1, 'the agreement');
        expect((await students.usGov[1].ask('chat', { to: 'cnGov', text: 'We will watch the hubs closely.' })).ok).toBe(true);
        await waitFor(() => teacher.desk()?.chat.length === 1 && students.cnGov[0].team()?.chat.length === 1, 'the chat arriving');
        expect(students.usLab[0].team().chat).toHaveLength(0);
        expect(students.cnGov[0].team().chat[0].text).toBe('We will watch the hubs closely.');
      }
      if (phase === 'briefing' && turn === 2 && !done.has('pause')) {
        done.add('pause');
        expect((await teacher.ask('control', { action: 'pause' })).ok).toBe(true);
        for (const [, team] of active()) expect((await team[0].ask('ready', { ready: true })).ok).toBe(true);
        await new Promise((r) => setTimeout(r, 200));
        expect(stage()).toBe(here); // paused: everyone ready, yet nothing moves
        expect(teacher.room.state.paused).toBe(true);
        paused = true;
        expect((await teacher.ask('control', { action: 'resume' })).ok).toBe(true);
        await waitFor(() => stage() !== here, 'the briefing to close after resuming');
        continue;
      }
      if (phase === 'briefing' && turn === 3 && !done.has('bot')) {
        done.add('bot');
        expect((await teacher.ask('control', { action: 'botSeat', role: 'cnLab', bot: true })).ok).toBe(true);
        await waitFor(() => teacher.room.state.roles.get('cnLab').bot, 'the bot taking the Chinese Lab');
      }
      if (phase === 'orders') {
        for (const [role, team] of active()) {
          const view = team[0].team().view;
          const spend = { [FIRST_LEVER[role]]: Math.round(view.budget * 50) / 100 };
          expect((await team[1].ask('draft', { order: { spend } })).ok).toBe(true);
          // the team's lead (its first to join) sees the shared draft, credited to its author, and submits it; the team-mate may not
          await waitFor(() => team[0].team()?.draft?.spend?.[FIRST_LEVER[role]] === spend[FIRST_LEVER[role]], `${role}'s shared draft`);
          expect(team[0].team().lead).toBe(team[0].welcome.personId);
          expect(team[0].team().activity.at(-1)).toMatchObject({ kind: 'draft', byName: team[1].welcome.name, changed: expect.arrayContaining([FIRST_LEVER[role]]) });
          // (once: the students' message rate is the classroom's, and this test plays fast)
          if (turn === 0) expect(await team[1].ask('submit', { order: team[1].team().draft })).toMatchObject({ ok: false, code: 'not-lead' });
          expect((await team[0].ask('submit', { order: team[0].team().draft })).ok).toBe(true);
        }
        await waitFor(() => teacher.room.state.turn === turn + 1, `quarter ${turn} to resolve`);
        quarters++;
        continue;
      }
      for (const [, team] of active()) expect((await team[turn % 2].ask('ready', { ready: true })).ok).toBe(true);
      await waitFor(() => stage() !== here, `${here} to close`);
    }

    expect(paused).toBe(true);
    const pub = students.usGov[0].publicDoc();
    expect(pub.view.world.ending.title).toBeTruthy();
    expect(Object.keys(pub.view.world.ending.scores)).toEqual(['usGov', 'usLab', 'cnGov', 'cnLab']);
    if (teacher.room.state.endingId !== 'catastrophe') expect(quarters).toBe(10);
    // the bot played the Chinese Lab after it was handed over: its last order is not the students' one-lever draft
    // (unless a catastrophe ended the match before the bot's first quarter)
    const last = teacher.desk().state.roles.cnLab.lastOrder.spend;
    if (quarters > 3) expect(Object.values(last).filter((v: any) => v > 0).length).toBeGreaterThan(1);

    const record = await api(server.base, `/api/matches/${code}/record`);
    expect(record.body.full).toBe(true);
    expect(record.body.turns.length).toBe(quarters);
    expect(record.body.diplomacy.length).toBeGreaterThanOrEqual(2);
    const csv = await api(server.base, `/api/matches/${code}/timeline.csv`);
    expect(String(csv.body).split('\n')[0]).toMatch(/Quarter/);
  });
});
