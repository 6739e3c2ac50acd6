// The agent seat API with a real server: a whole match by HTTP only, field-level errors that change nothing, estimates only.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { bootServer, api, join, waitFor, NO_TIMERS } from '../helpers/server.ts';
import { hiddenNumbers, numbersIn } from '../helpers/secrets.ts';
import { defaultRules } from '../helpers/rules.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
// a test agent acts faster than a person (or a model) could: the per-seat limit is raised here, not switched off
beforeAll(async () => { server = await bootServer({ limits: { messagesPerSecond: 100, messageBurst: 100 } }); });
afterAll(async () => { await server?.close(); });
const rules = defaultRules();

const as = (token: string) => ({ authorization: `Bearer ${token}` });
async function get(path: string, token: string) { return api(server.base, path, undefined, as(token)); }
async function act(token: string, body: unknown) { return api(server.base, '/api/agents/act', body, as(token)); }

describe('agent seats', () => {
  it('are refused where the creator did not allow them (class default), and marked where allowed', async () => {
    const cls = await api(server.base, '/api/matches', { mode: 'class', timers: NO_TIMERS });
    const refused = await api(server.base, '/api/agents/join', { code: cls.body.code, name: 'Bot A', role: 'cnGov', agent: true });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('agents-off');
    const missingFlag = await api(server.base, '/api/agents/join', { code: cls.body.code, name: 'Bot A', role: 'cnGov' });
    expect(missingFlag.status).toBe(400);
    expect(missingFlag.body.fields[0].field).toBe('agent');
  });

  it('play a whole match by HTTP only, with field-level errors that change nothing and the rival only as estimates', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', agents: true, seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 }, timers: NO_TIMERS });
    const { code, facilitatorKey } = created.body;
    const { roomId } = (await api(server.base, `/api/matches/${code}`)).body;
    const teacher = await join(server.base, roomId, { facilitatorKey });
    const joined = await api(server.base, '/api/agents/join', { code, name: 'Claude', role: 'cnGov', agent: true });
    expect(joined.status).toBe(201);
    const token = joined.body.token as string;
    expect(token.startsWith(`${code}.`)).toBe(true);
    expect((await get('/api/agents/view', `${code}.` + 'x'.repeat(22))).status).toBe(401);
    // the AI badge reaches every client: the synced people list marks the seat
    await waitFor(() => [...teacher.room.state.people.values()].some((p: any) => p.agent && p.name === 'Claude'), 'agent marked');
    await teacher.ask('control', { action: 'start' });

    let view = (await get('/api/agents/view', token)).body;
    expect(view.you.agent).toBe(true);
    expect(view.legal.order.levers[0]).toMatchObject({ min: 0, unit: '$B' });
    const seen: unknown[] = [];
    let quarters = 0;
    while (view.match.phase !== 'ended') {
      seen.push(view);
      const truth = teacher.desk()!.state;
      for (const secret of hiddenNumbers(rules, truth, 'us')) expect(numbersIn(view).has(secret), `the agent's view holds the rival's ${secret}`).toBe(false);
      if (view.match.phase === 'orders') {
        const before = teacher.desk()!.teams.cnGov;
        // malformed: a negative amount, an unknown lever, a wrong type: each refused by field, nothing changes
        const neg = await act(token, { type: 'submit', payload: { order: { spend: { [view.legal.order.levers[0].id]: -5 } } } });
        expect(neg.status).toBe(400);
        expect(neg.body.fields[0].field).toBe(`payload.order.spend.${view.legal.order.levers[0].id}`);
        expect(neg.body.fields[0].allowed).toMatch(/from 0 to/);
        expect(neg.body.example.payload.order.spend).toBeTruthy();
        const bad = await act(token, { type: 'sumbit', payload: {} });
        expect(bad.body.fields[0]).toMatchObject({ field: 'type' });
        const over = await act(token, { type: 'submit', payload: { order: { spend: { [view.legal.order.levers[0].id]: view.legal.order.budget * 10 } } } });
        expect(over.status).toBe(400);
        expect(over.body.error).toMatch(/spends/);
        await new Promise((r) => setTimeout(r, 50));
        expect(teacher.desk()!.teams.cnGov.submitted).toEqual(before.submitted);
        const ok = await act(token, view.legal.actions.find((a: any) => a.type === 'submit').example);
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        quarters++;
      } else if (view.legal.actions.find((a: any) => a.type === 'ready').allowedNow) {
        expect((await act(token, { type: 'ready', payload: { ready: true } })).status).toBe(200);
      }
      const waited = await get(`/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=10`, token);
      expect(waited.status).toBe(200);
      view = waited.body.changed ? waited.body.view : (await get('/api/agents/view', token)).body;
    }
    const record = (await api(server.base, `/api/matches/${code}/record`)).body;
    // every quarter was the agent's order (a catastrophe may end the match before the last quarter)
    expect(quarters).toBe(record.turns.length);
    expect(record.people.find((p: any) => p.name === 'Claude').agent).toBe(true);
    const text = await get('/api/agents/view?format=text', token);
    expect([200, 409]).toContain(text.status); // the last view, or "match over" once the room has closed
    if (text.status === 409) expect(text.body.ending).toBeTruthy();
  }, 60_000);

  it('the Python reference agent plays a full match against a real server', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'online', seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 }, timers: { briefing: 2, negotiation: 2, orders: 3, report: 1 } });
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('python3', ['docs/examples/agent.py', '--server', server.base, '--code', created.body.code, '--role', 'cnGov', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout.trim().split('\n').pop()!);
    expect(summary.role).toBe('cnGov');
    expect(summary.ending).toBeTruthy();
  }, 120_000);

  it('the JavaScript reference agent and the Python one play a match against each other', async () => {
    // a class match, started by the facilitator once both agents sit, so neither plays alone against a bot
    const created = await api(server.base, '/api/matches', { mode: 'class', agents: true, seats: { usGov: 1, usLab: 0, cnGov: 1, cnLab: 0 }, timers: { briefing: 3, negotiation: 3, orders: 3, report: 2 } });
    const teacher = await join(server.base, (await api(server.base, `/api/matches/${created.body.code}`)).body.roomId, { facilitatorKey: created.body.facilitatorKey });
    void waitFor(() => [...teacher.room.state.people.values()].filter((p: any) => p.agent).length === 2, 'both agents', 20_000).then(() => teacher.ask('control', { action: 'start' }));
    const run = (cmd: string, args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const [js, py] = await Promise.all([
      run(process.execPath, ['docs/examples/agent.mjs', '--server', server.base, '--code', created.body.code, '--role', 'usGov']),
      run('python3', ['docs/examples/agent.py', '--server', server.base, '--code', created.body.code, '--role', 'cnGov', '--quiet']),
    ]);
    expect(js.code, js.stderr).toBe(0);
    expect(py.code, py.stderr).toBe(0);
    const a = JSON.parse(js.stdout.trim().split('\n').pop()!), b = JSON.parse(py.stdout.trim().split('\n').pop()!);
    expect(a.ending).toBeTruthy();
    expect(a.ending).toBe(b.ending);
  }, 120_000);

  it('a missed orders deadline submits the agent\'s draft for it, and the record says so', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'class', agents: true, seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 }, timers: { briefing: 1, negotiation: 1, orders: 2, report: 1 } });
    const { code, facilitatorKey } = created.body;
    const teacher = await join(server.base, (await api(server.base, `/api/matches/${code}`)).body.roomId, { facilitatorKey });
    const token = (await api(server.base, '/api/agents/join', { code, name: 'Slow', role: 'cnGov', agent: true })).body.token;
    await teacher.ask('control', { action: 'start' });
    let view = (await get('/api/agents/view', token)).body;
    for (let i = 0; i < 20 && view.match.phase !== 'orders'; i++) view = (await get(`/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=5`, token)).body.view ?? (await get('/api/agents/view', token)).body;
    expect(view.match.phase, JSON.stringify(view.match)).toBe('orders');
    const lever = view.legal.order.levers[0].id;
    expect((await act(token, { type: 'draft', payload: { order: { spend: { [lever]: 0.123456 } } } })).status).toBe(200);
    // then silence until the deadline: the referee submits the draft
    const after = (await get(`/api/agents/wait?after=${encodeURIComponent(view.stamp)}&timeout=8`, token)).body;
    expect(after.changed).toBe(true);
    const record = (await api(server.base, `/api/matches/${code}/record`, undefined, { 'x-facilitator-key': facilitatorKey })).body;
    expect(JSON.stringify(record)).toContain('0.123456');
    expect(JSON.stringify(record)).toMatch(/Referee: missed deadline/);
  }, 30_000);
});
