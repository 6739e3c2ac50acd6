// The agent seat API: plain HTTP + JSON for programs and LLM agents (join, view, act, wait, events), no SDK needed.
// Every call reaches the live room (matchMaker.remoteRoomCall), which decides through the same match core as for people.
import type { Application, Request, Response } from 'express';
import express from 'express';
import { matchMaker } from '@colyseus/core';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { normaliseCode } from '../security.ts';
import { roomForMatch } from './api.ts';
import type { MatchRoomMetadata } from '../rooms/MatchRoom.ts';
import { matchRecord } from '../record/export.ts';
import { rulesOfMatch } from '../match-rules.ts';
import type { AgentReply, AgentRequest } from '../rooms/agent-seats.ts';
import type { AgentView } from '../../shared/agent/view.ts';
import { textView } from '../../shared/agent/text-view.ts';
import { displayName } from '../../shared/protocol/messages.ts';

/** POST /api/agents/join: agent must be true, so nobody joins through here without being marked as a program. */
export const agentJoinBody = z.strictObject({
  code: z.string().min(1).max(32),
  name: displayName,
  role: z.string().min(1).max(64).optional(),
  agent: z.literal(true, { error: 'must be true: seats taken through this API are shown to everyone as AI agents' }),
});

/** Longest a wait may hold a request (seconds). */
export const WAIT_MAX_SECONDS = 30;

const send = (res: Response, reply: AgentReply) => res.status(reply.status).json(reply.body);
const problem = (res: Response, status: number, code: string, error: string, extra: Record<string, unknown> = {}) => res.status(status).json({ error, code, ...extra });

/** The token is "CODE.secret": the code finds the room, the secret the seat (checked by the room against its hash). */
function tokenOf(req: Request): { code: string; secret: string } | null {
  const m = /^Bearer\s+([A-Za-z0-9-]{1,32})\.([A-Za-z0-9_-]{16,128})$/.exec(req.get('authorization') ?? '');
  return m ? { code: normaliseCode(m[1]), secret: m[2] } : null;
}

export function mountSeats(app: Application, services: ServerContext): void {
  const call = async (code: string, request: AgentRequest): Promise<AgentReply | null> => {
    const header = await services.store.findByCode(code);
    if (!header) return null;
    if (header.status !== 'open') {
      // the room stays while it has work; once it is gone, the answer still says how the match ended
      const live = (await matchMaker.query({ name: 'match' })).find((r) => (r.metadata as MatchRoomMetadata | undefined)?.code === code);
      if (live) return (await matchMaker.remoteRoomCall(live.roomId, 'agentCall', [request])) as AgentReply;
      const loaded = (await services.store.load(header.id))!;
      const record = matchRecord(rulesOfMatch(header), loaded.header, loaded.entries, { full: false });
      return { status: 409, body: { error: `this match is over; its record is at /api/matches/${code}/record`, code: 'match-over', ending: record.ending, scores: record.scores } };
    }
    const roomId = await roomForMatch(header, services.internalToken);
    return (await matchMaker.remoteRoomCall(roomId, 'agentCall', [request])) as AgentReply;
  };
  const noMatch = (res: Response, code: string) => problem(res, 404, 'not-found', `no match has the code ${code}`);
  const unauthorised = (res: Response) => problem(res, 401, 'unknown-token', 'send "Authorization: Bearer <token>" with the token POST /api/agents/join gave you (it looks like CODE.secret)');

  app.use('/api/agents', express.json({ limit: 64 * 1024 }));

  app.post('/api/agents/join', async (req, res) => {
    const parsed = agentJoinBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', problem: i.message }));
      return problem(res, 400, 'invalid', `join: ${fields.map((f) => `${f.field}: ${f.problem}`).join('; ')}`, { fields, example: { code: 'ABCDEF', name: 'Claude (agent)', role: 'cnGov', agent: true } });
    }
    const code = normaliseCode(parsed.data.code);
    const reply = await call(code, { op: 'join', options: { name: parsed.data.name, role: parsed.data.role } });
    if (!reply) return noMatch(res, code);
    // the token names its match, so every later call finds the room without a look-up table
    if (reply.status === 201) (reply.body as { token: string }).token = `${code}.${(reply.body as { token: string }).token}`;
    send(res, reply);
  });

  const seated = (handler: (req: Request, res: Response, code: string, secret: string) => Promise<unknown>) => async (req: Request, res: Response) => {
    const t = tokenOf(req);
    if (!t) return unauthorised(res);
    await handler(req, res, t.code, t.secret);
  };

  app.get('/api/agents/view', seated(async (req, res, code, token) => {
    const reply = await call(code, { op: 'view', token });
    if (!reply) return noMatch(res, code);
    if (req.query.format === 'text' && reply.status === 200) return res.type('text/plain').send(textView(reply.body as AgentView));
    send(res, reply);
  }));

  app.post('/api/agents/act', seated(async (req, res, code, token) => {
    const reply = await call(code, { op: 'act', token, action: req.body });
    if (!reply) return noMatch(res, code);
    send(res, reply);
  }));

  // long-poll: answers as soon as the quarter or the phase moves on from `after` (a view's stamp), or after `timeout` seconds
  app.get('/api/agents/wait', seated(async (req, res, code, token) => {
    const after = typeof req.query.after === 'string' ? req.query.after.slice(0, 40) : '';
    const seconds = Math.min(WAIT_MAX_SECONDS, Math.max(0, Number(req.query.timeout ?? 25) || 0));
    const until = Date.now() + seconds * 1000;
    let closed = false;
    req.on('close', () => { closed = true; });
    for (;;) {
      const reply = await call(code, { op: 'wait', token, after, ms: Math.min(1500, Math.max(0, until - Date.now())) });
      if (!reply) return noMatch(res, code);
      const body = reply.body as { changed?: boolean; view?: AgentView };
      if (reply.status !== 200 || body.changed || Date.now() >= until || closed) {
        if (req.query.format === 'text' && body.view) return res.type('text/plain').send(textView(body.view));
        return send(res, reply);
      }
    }
  }));

  // Server-Sent Events: one "view" event now and at each new phase or quarter, until the match ends or the client goes
  app.get('/api/agents/events', seated(async (req, res, code, token) => {
    const first = await call(code, { op: 'view', token });
    if (!first) return noMatch(res, code);
    if (first.status !== 200) return send(res, first);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let closed = false;
    req.on('close', () => { closed = true; });
    let view = first.body as AgentView;
    res.write(`event: view\ndata: ${JSON.stringify(view)}\n\n`);
    while (!closed && view.match.phase !== 'ended') {
      const reply = await call(code, { op: 'wait', token, after: view.stamp, ms: 1500 }).catch(() => null);
      if (!reply || reply.status !== 200) break;
      const body = reply.body as { changed: boolean; view?: AgentView };
      if (body.changed && body.view) { view = body.view; res.write(`event: view\ndata: ${JSON.stringify(view)}\n\n`); }
      else res.write(': waiting\n\n');
    }
    res.end();
  }));
}
