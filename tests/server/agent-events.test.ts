// The agent seat's Server-Sent Events (GET /api/agents/events) read by a real HTTP client: a view now, one at each new
// phase, the stream closed at the end; refused without a seat token.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { bootServer, api } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => {
  server = await bootServer({ limits: { messagesPerSecond: 100, messageBurst: 100 } });
});
afterAll(async () => {
  await server?.close();
});

interface SseEvent {
  event: string;
  data: string;
}

/** Opens an event stream with node:http and hands each event to `onEvent` as it arrives; resolves when the server closes it. */
function readEvents(url: string, token: string, onEvent: (e: SseEvent) => void): Promise<{ status: number; type: string; comments: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      let buffer = '',
        comments = 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) {
            comments++;
            continue;
          }
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          onEvent({ event, data });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), comments }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('agent events (SSE)', () => {
  it('deliver a view now and at every phase change, in order, until the match ends', async () => {
    const created = await api(server.base, '/api/matches', { mode: 'online', turns: 2, seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 } });
    const joined = await api(server.base, '/api/agents/join', { code: created.body.code, name: 'Listener', role: 'cnGov', agent: true });
    const token = joined.body.token as string;
    const act = (body: unknown) => api(server.base, '/api/agents/act', body, { authorization: `Bearer ${token}` });
    const stamps: string[] = [];
    const phases: string[] = [];
    // the agent plays from the events alone: each new view says what to do (ready, or submit in the orders)
    const acting: Promise<unknown>[] = [];
    const done = readEvents(`${server.base}/api/agents/events`, token, (e) => {
      expect(e.event).toBe('view');
      const view = JSON.parse(e.data);
      stamps.push(view.stamp);
      phases.push(view.match.phase);
      if (view.match.phase === 'orders') acting.push(act({ type: 'submit', payload: { order: view.legal.order.example } }));
      else if (view.legal.actions.find((a: any) => a.type === 'ready')?.allowedNow) acting.push(act({ type: 'ready', payload: { ready: true } }));
    });
    const stream = await Promise.race([
      done,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no end of stream; phases so far: ${phases.join(' ')}`)), 40_000)),
    ]);
    const answers = (await Promise.all(acting)) as { status: number }[];
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/text\/event-stream/);
    // a view per phase, none twice: the lobby, then briefing, negotiation, orders and report of each quarter (the last
    // quarter's resolution ends the match at once), then the end
    expect(phases).toEqual(['lobby', 'briefing', 'negotiation', 'orders', 'report', 'briefing', 'negotiation', 'orders', 'ended']);
    expect(new Set(stamps).size).toBe(stamps.length);
  }, 60_000);

  it('are refused without a seat token, as JSON, not as a stream', async () => {
    const res = await fetch(`${server.base}/api/agents/events`, { headers: { authorization: 'Bearer NOPE.xxxxxxxxxxxxxxxxxxxxxx' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const none = await fetch(`${server.base}/api/agents/events`);
    expect(none.status).toBe(401);
    expect((await none.json()).code).toBe('unknown-token');
  });
});
