// A lesson's team at work over the network (issue 13): the lead submits, a take-back is announced, team chat stays in the team,
// a saved draft is submitted at the deadline (the desk shows it live), and private chat never leaves without the key.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join, waitFor, NO_TIMERS, type Player } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
// the teacher skips through six quarters quickly: above the classroom's message rate
beforeAll(async () => { server = await bootServer({ limits: { messagesPerSecond: 100, messageBurst: 100 } }); });
afterAll(async () => { await server?.close(); });

describe('a lesson\'s teams', () => {
  it('submit through their lead, hear of a take-back, keep their chat, and lose no order at the deadline', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', seats: { usGov: 2, usLab: 0, cnGov: 1, cnLab: 0 }, timers: { briefing: 0, negotiation: 0, orders: 2, report: 0 } });
    expect(created.status).toBe(201);
    const { code, facilitatorKey, roomId } = created.body;
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const ana = await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    const bo = await join(server.base, roomId, { name: 'Bo', role: 'usGov' });
    const wei = await join(server.base, roomId, { name: 'Wei', role: 'cnGov' });
    await waitFor(() => bo.team()?.lead === ana.welcome.personId, 'Ana leading the US Government');
    expect(wei.team().lead).toBe(wei.welcome.personId);

    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    // team chat beside diplomacy: the team and the teacher read it, the rival does not
    expect((await bo.ask('chat', { to: 'team', text: 'Ana, put it all on BIS?' })).ok).toBe(true);
    expect((await wei.ask('chat', { to: 'facilitator', text: 'Is it allowed to bluff?' })).ok).toBe(true);
    expect((await ana.ask('chat', { to: 'all', text: 'Hello class' })).ok).toBe(true);
    await waitFor(() => ana.team()?.chat.some((c: any) => c.to === 'team') && teacher.desk()?.chat.length === 3, 'the chat arriving');
    expect(ana.team().chat.find((c: any) => c.to === 'team')).toMatchObject({ fromName: 'Bo', text: 'Ana, put it all on BIS?' });
    expect(wei.team().chat.some((c: any) => c.to === 'team')).toBe(false);

    for (const phase of ['briefing', 'negotiation']) {
      await waitFor(() => teacher.room.state.phase === phase, phase);
      for (const p of [ana, wei]) expect((await p.ask('ready', { ready: true })).ok).toBe(true);
    }
    await waitFor(() => teacher.room.state.phase === 'orders', 'the orders');

    // the lead submits, a team-mate may not; a take-back is announced to the team
    expect(await bo.ask('submit', { order: { spend: { bis: 1 } } })).toMatchObject({ ok: false, code: 'not-lead' });
    expect((await ana.ask('submit', { order: { spend: { bis: 1 } } })).ok).toBe(true);
    await waitFor(() => bo.team()?.submittedBy === 'Ana', 'the submission credited to Ana');
    expect(await bo.ask('unsubmit', {})).toMatchObject({ ok: false, code: 'not-lead' });
    expect((await ana.ask('unsubmit', {})).ok).toBe(true);
    await waitFor(() => bo.team()?.activity.at(-1)?.kind === 'unsubmit', 'the take-back announced');
    expect(bo.team().activity.at(-1)).toMatchObject({ kind: 'unsubmit', byName: 'Ana' });

    // Bo saves a draft and nobody presses Submit: the desk says it will go in as the draft, and it does
    expect((await bo.ask('draft', { order: { spend: { bis: 2.25 } } })).ok).toBe(true);
    await waitFor(() => teacher.desk()?.teams.usGov.resolvesAs === 'draft', 'the desk showing the draft will count');
    expect(teacher.desk().teams.cnGov.resolvesAs).toBe('previous');
    expect(teacher.desk().teams.usGov.activity.at(-1)).toMatchObject({ kind: 'draft', byName: 'Bo', changed: ['bis'] });
    await waitFor(() => teacher.room.state.turn === 1, 'the deadline to resolve the quarter', 6000);
    await waitFor(() => teacher.desk()?.teams.usGov.lastResolvedAs === 'draft', 'the desk reporting the quarter');
    expect(teacher.desk().state.roles.usGov.lastOrder.spend.bis).toBe(2.25);
    await waitFor(() => ana.team()?.feed.some((e: any) => e.title === 'Draft submitted at the deadline'), 'the team told');
    expect(wei.team().feed.some((e: any) => e.title === 'No order at the deadline')).toBe(true);
    expect(wei.team().feed.some((e: any) => e.title === 'Draft submitted at the deadline')).toBe(false);

    // privacy: once the match is over the record is open, but private chat only with the key
    expect((await teacher.ask('control', { action: 'end' })).ok).toBe(true);
    await waitFor(() => teacher.room.state.phase === 'ended', 'the end');
    const open = await api(server.base, `/api/matches/${code}/record`);
    expect(open.status).toBe(200);
    expect(open.body.chat.map((c: any) => c.text)).toEqual(['Hello class']);
    const whole = JSON.stringify(open.body);
    expect(whole).not.toContain('put it all on BIS');
    expect(whole).not.toContain('allowed to bluff');
    for (const csv of ['timeline.csv', 'decisions.csv']) {
      const r = await api(server.base, `/api/matches/${code}/${csv}`);
      expect(r.status).toBe(200);
      expect(String(r.body)).not.toMatch(/BIS\?|bluff/);
    }
    const keyed = await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey });
    expect(keyed.body.chat.map((c: any) => c.text).sort()).toEqual(['Ana, put it all on BIS?', 'Hello class', 'Is it allowed to bluff?']);
    for (const p of [teacher, ana, bo, wei]) await p.room.leave();
  });

  it('plays a 45-minute lesson\'s six quarters, from Q3 2026, and judges the ending at the last one', async () => {
    const planned = await api(server.base, '/api/matches', { mode: 'class', lessonMinutes: 45 });
    expect(planned.status).toBe(201);
    const info = await api(server.base, `/api/matches/${planned.body.code}/record`, undefined, { 'x-facilitator-key': planned.body.facilitatorKey });
    expect(info.body.settings).toMatchObject({ turns: 6, lessonMinutes: 45, timers: { briefing: 60, negotiation: 120, orders: 90, report: 45 } });
    expect((await api(server.base, '/api/matches', { mode: 'class', turns: 11 })).body.details).toEqual(['turns: the rule file has 10 quarters; a match can play at most that many']);
    expect((await api(server.base, '/api/matches', { mode: 'class', lessonMinutes: 10 })).status).toBe(400);

    const created = await api(server.base, '/api/matches', { mode: 'class', lessonMinutes: 45, timers: NO_TIMERS, seats: { usGov: 1, usLab: 0, cnGov: 0, cnLab: 0 } });
    const { code, facilitatorKey, roomId } = created.body;
    expect((await api(server.base, `/api/matches/${code}/rules`)).body.calendar.turns).toBe(6);
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const ana = await join(server.base, roomId, { name: 'Ana' });
    expect(teacher.room.state.turns).toBe(6);
    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    for (let i = 0; i < 40 && teacher.room.state.phase !== 'ended'; i++) {
      const before = `${teacher.room.state.phase}/${teacher.room.state.turn}`;
      expect(await teacher.ask('control', { action: 'skipPhase' })).toMatchObject({ ok: true });
      await waitFor(() => `${teacher.room.state.phase}/${teacher.room.state.turn}` !== before, 'the next phase');
    }
    expect(teacher.room.state.phase).toBe('ended');
    const record = await api(server.base, `/api/matches/${code}/record`);
    expect(record.body.ending).not.toBeNull();
    expect(Object.keys(record.body.scores)).toEqual(['usGov', 'usLab', 'cnGov', 'cnLab']);
    if (record.body.ending.id !== 'catastrophe') {
      expect(record.body.turns).toHaveLength(6);
      expect(record.body.turns.at(-1).quarter).toBe('Q4 2027');
    }
    for (const p of [teacher, ana]) await p.room.leave();
  });

  it('sizes teams by the class size, sends late joiners to the smallest team, keeps names unique and clean, and a removal sticks to the browser', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', classSize: 25, seats: { cnLab: 0 }, timers: NO_TIMERS });
    expect(created.status).toBe(201);
    const { code, facilitatorKey, roomId } = created.body;
    expect((await api(server.base, `/api/matches/${code}`)).body.roles.map((r: any) => r.seats)).toEqual([9, 9, 9, 0]);
    expect((await api(server.base, '/api/matches', { mode: 'class', classSize: 40 })).status).toBe(201);
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const device = 'browser-of-rex-0123456789';
    const rex = await join(server.base, roomId, { name: 'Rex', role: 'usGov', device });
    await join(server.base, roomId, { name: 'Ana', role: 'usGov' });
    await join(server.base, roomId, { name: 'Wei', role: 'cnGov' });
    // one name per match, whatever its case or spacing; the word filter refuses names and stars out chat
    await expect(join(server.base, roomId, { name: ' ana ' })).rejects.toThrow(/\[name-taken\]$/);
    await expect(join(server.base, roomId, { name: 'Sh1thead' })).rejects.toThrow(/\[name-refused\]$/);
    expect((await rex.ask('chat', { to: 'all', text: 'this is shit' })).ok).toBe(true);
    await waitFor(() => teacher.publicDoc()?.chat.length === 1, 'the chat');
    expect(teacher.publicDoc().chat[0].text).toBe('this is ****');

    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    // a late joiner asking for the biggest team goes to the smallest one with room
    const late = await join(server.base, roomId, { name: 'Late', role: 'usGov' });
    expect(late.welcome.role).toBe('usLab');
    const later = await join(server.base, roomId, { name: 'Later', role: 'usLab' });
    expect(later.welcome.role).toBe('usLab');

    // removed, Rex cannot come back with his seat token, nor under a new name from the same browser
    expect((await teacher.ask('control', { action: 'remove', personId: rex.welcome.personId })).ok).toBe(true);
    await expect(join(server.base, roomId, { seatToken: rex.welcome.seatToken })).rejects.toThrow(/\[removed\]$/);
    await expect(join(server.base, roomId, { name: 'Definitely Not Rex', device })).rejects.toThrow(/\[removed\]$/);
    // until the teacher lets him back in
    expect((await teacher.ask('control', { action: 'readmit', personId: rex.welcome.personId })).ok).toBe(true);
    const back = await join(server.base, roomId, { seatToken: rex.welcome.seatToken });
    expect(back.welcome).toMatchObject({ name: 'Rex', role: 'usGov' });
    for (const p of [teacher, late, later, back]) await p.room.leave();
  });

  it('plays a class of 25 in the 45-minute plan to its outcome: teams sized, drafts in at the deadlines, a removal that holds, private chat private', async () => {
    // the plan's quarters; briefing, negotiation and report move on when the teams are ready, and a one-second orders deadline
    const created = await api(server.base, '/api/matches', { mode: 'class', lessonMinutes: 45, classSize: 25, timers: { briefing: 0, negotiation: 0, orders: 1, report: 0 } });
    const { code, facilitatorKey, roomId } = created.body;
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const students: Player[] = [];
    for (let i = 0; i < 25; i++) students.push(await join(server.base, roomId, { name: `Student ${i + 1}`, device: `device-of-student-${i + 1}-xxxxxxxx` }));
    const byRole = (role: string) => students.filter((s) => s.welcome.role === role);
    expect(['usGov', 'usLab', 'cnGov', 'cnLab'].map((r) => byRole(r).length)).toEqual([7, 6, 6, 6]);
    // a removed student cannot come back under a new name from the same browser
    const gone = byRole('cnLab')[5];
    expect((await teacher.ask('control', { action: 'remove', personId: gone.welcome.personId })).ok).toBe(true);
    const goneDevice = `device-of-student-${gone.welcome.name.split(' ')[1]}-xxxxxxxx`;
    await expect(join(server.base, roomId, { name: 'Someone Else', device: goneDevice })).rejects.toThrow(/\[removed\]$/);
    const here = students.filter((s) => s !== gone);
    const lead = (role: string) => here.find((s) => s.welcome.role === role && s.team()?.lead === s.welcome.personId)!;
    await waitFor(() => ['usGov', 'usLab', 'cnGov', 'cnLab'].every((r) => lead(r)), 'every team to have its lead');
    expect((await byRole('usGov')[3].ask('chat', { to: 'team', text: 'our secret plan' })).ok).toBe(true);
    expect((await byRole('cnGov')[2].ask('chat', { to: 'facilitator', text: 'a question for the teacher' })).ok).toBe(true);

    expect((await teacher.ask('control', { action: 'start' })).ok).toBe(true);
    const byDeadline = new Set<string>();
    while (teacher.room.state.phase !== 'ended') {
      const { phase, turn } = teacher.room.state;
      const stage = `${phase}/${turn}`;
      if (phase === 'orders') {
        // the US Government submits; every other team leaves its draft to the deadline, drafted by a team-mate
        for (const role of ['usLab', 'cnGov', 'cnLab']) {
          const mate = here.find((s) => s.welcome.role === role && s !== lead(role))!;
          const lever = ({ usLab: 'training', cnGov: 'fabs', cnLab: 'training' } as Record<string, string>)[role];
          expect((await mate.ask('draft', { order: { spend: { [lever]: 1 } } })).ok).toBe(true);
        }
        expect(await byRole('usGov')[1].ask('unsubmit', {})).toMatchObject({ ok: false });
        expect((await lead('usGov').ask('submit', { order: { spend: { bis: 0.2 } } })).ok).toBe(true);
      } else {
        for (const role of ['usGov', 'usLab', 'cnGov', 'cnLab']) expect((await lead(role).ask('ready', { ready: true })).ok).toBe(true);
      }
      await waitFor(() => `${teacher.room.state.phase}/${teacher.room.state.turn}` !== stage, `${stage} to close`, 5000);
      if (phase === 'orders') {
        await waitFor(() => teacher.desk()?.teams.usLab.lastResolvedAs !== null && teacher.room.state.turn === turn + 1, 'the quarter resolved');
        const desk = teacher.desk().teams;
        expect(desk.usGov.lastResolvedAs).toBe('submitted');
        for (const role of ['usLab', 'cnGov', 'cnLab']) { expect(desk[role].lastResolvedAs).toBe('draft'); byDeadline.add(`${turn}:${role}`); }
      }
    }
    const record = await api(server.base, `/api/matches/${code}/record`);
    expect(record.body.ending).not.toBeNull();
    if (record.body.ending.id !== 'catastrophe') expect(record.body.turns).toHaveLength(6);
    expect(byDeadline.size).toBe(3 * record.body.turns.length);
    expect(JSON.stringify(record.body)).not.toMatch(/our secret plan|a question for the teacher/);
    const keyed = await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey });
    expect(keyed.body.chat.map((c: any) => c.text)).toEqual(['our secret plan', 'a question for the teacher']);
    await Promise.all([teacher, ...here].map((p) => p.room.leave()));
  }, 60_000);
});
