// Records and exports mark agent seats: who made each quarter's order (agent, referee, bot) in the record and the decisions CSV.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bootServer, api, join } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => {
  server = await bootServer({ limits: { messagesPerSecond: 100, messageBurst: 100 } });
});
afterAll(async () => {
  await server?.close();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** RFC 4180 rows (the decisions CSV quotes only what must be quoted). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    cell = '',
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('agent marks in the record and the exports', () => {
  it('say which orders an agent made, which the referee filled in and which a bot played', async () => {
    const created = await api(server.base, '/api/matches', {
      mode: 'class',
      agents: true,
      turns: 2,
      seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 },
      timers: { briefing: 0, negotiation: 0, orders: 2, report: 0 },
    });
    const { code, facilitatorKey } = created.body;
    const teacher = await join(server.base, (await api(server.base, `/api/matches/${code}`)).body.roomId, { facilitatorKey });
    const token = (await api(server.base, '/api/agents/join', { code, name: 'Marked', role: 'cnGov', agent: true })).body.token as string;
    const get = async (path: string) => (await api(server.base, path, undefined, as(token))).body;
    const act = (body: unknown) => api(server.base, '/api/agents/act', body, as(token));
    await teacher.ask('control', { action: 'start' });
    let view = await get('/api/agents/view');
    const toOrders = async () => {
      for (let i = 0; i < 40 && view.match.phase !== 'orders'; i++) {
        if (view.legal.actions.find((a: any) => a.type === 'ready')?.allowedNow && !view.team.ready) await act({ type: 'ready', payload: { ready: true } });
        const w = await get(`/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=5`);
        view = w.view ?? (await get('/api/agents/view'));
      }
      expect(view.match.phase).toBe('orders');
    };
    // quarter 1: the agent submits
    await toOrders();
    expect((await act({ type: 'submit', payload: { order: view.legal.order.example } })).status).toBe(200);
    view = (await get(`/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=5`)).view;
    // quarter 2: the agent saves nothing and misses the deadline: the referee submits its bot's order
    await toOrders();
    for (let i = 0; i < 40 && view.match.phase !== 'ended'; i++) {
      if (view.match.phase !== 'orders' && view.legal.actions.find((a: any) => a.type === 'ready')?.allowedNow && !view.team.ready)
        await act({ type: 'ready', payload: { ready: true } });
      const w = await get(`/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=5`);
      if (w.code === 'match-over') break;
      view = w.view ?? (await get('/api/agents/view'));
    }
    const key = { 'x-facilitator-key': facilitatorKey };
    const record = (await api(server.base, `/api/matches/${code}/record`, undefined, key)).body;
    expect(record.turns).toHaveLength(2);
    expect(record.turns[0].playedBy).toEqual({ usGov: 'bot', usLab: 'bot', cnGov: 'agent', cnLab: 'bot' });
    expect(record.turns[1].playedBy.cnGov).toBe('referee');
    expect(record.people.find((p: any) => p.name === 'Marked')).toMatchObject({ agent: true, role: 'cnGov' });

    const rows = parseCsv((await api(server.base, `/api/matches/${code}/decisions.csv`, undefined, key)).body as string);
    const col = rows[0].indexOf('Played by');
    expect(col).toBeGreaterThan(0);
    const china = record.roles.find((r: any) => r.id === 'cnGov').name;
    const us = record.roles.find((r: any) => r.id === 'usGov').name;
    const lever = (turn: number, role: string) => rows.filter((r) => r[0] === String(turn) && r[2] === role && r[4] !== '');
    expect(lever(0, china).map((r) => r[col])).toEqual(lever(0, china).map(() => 'agent'));
    expect(new Set(lever(1, china).map((r) => r[col]))).toEqual(new Set(['referee']));
    expect(new Set(lever(0, us).map((r) => r[col]))).toEqual(new Set(['bot']));
    const scoreRows = rows.filter((r) => r[3] === 'Score');
    expect(scoreRows.find((r) => r[2] === china)![col]).toBe('agent');
    expect(scoreRows.find((r) => r[2] === us)![col]).toBe('');
    await teacher.room.leave();
  }, 60_000);
});
