// The MCP server with an MCP client from the SDK, over stdio and over streamable HTTP: a whole match played through its
// tools, resources read.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bootServer, api } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => {
  server = await bootServer();
});
afterAll(async () => {
  await server?.close();
});

/** Plays the seat to the end through the MCP tools, as a model would: view, act, wait; then checks the record. */
async function playThrough(client: Client, code: string): Promise<void> {
  const tools = (await client.listTools()).tools.map((t) => t.name);
  for (const t of ['get_view', 'submit_order', 'send_message', 'propose', 'respond', 'wait_for_phase']) expect(tools).toContain(t);
  const text = (r: any) => r.content[0].text as string;
  const resources = (await client.listResources()).resources.map((r) => r.uri);
  expect(resources).toEqual([`game://${code}/rules`, `game://${code}/briefing`]);
  const briefing = await client.readResource({ uri: `game://${code}/briefing` });
  expect((briefing.contents[0] as any).text).toMatch(/Levers:/);
  let view = JSON.parse(text(await client.callTool({ name: 'get_view', arguments: { format: 'json' } })));
  let submitted = 0;
  const bad = await client.callTool({ name: 'send_message', arguments: { to: 'nowhere', text: 'hi' } });
  expect(bad.isError).toBe(true);
  for (let step = 0; step < 200 && view.match.phase !== 'ended'; step++) {
    const allowed = new Set(view.legal.actions.filter((a: any) => a.allowedNow).map((a: any) => a.type));
    if (allowed.has('submit') && !view.team.submitted) {
      const r = await client.callTool({ name: 'submit_order', arguments: { order: view.legal.order.example } });
      expect(r.isError, text(r)).toBeFalsy();
      submitted++;
    } else if (allowed.has('ready') && !view.team.ready) await client.callTool({ name: 'ready', arguments: {} });
    const waited = await client.callTool({ name: 'wait_for_phase', arguments: { after: view.stamp, timeoutSeconds: 10 } });
    if (waited.isError && /match-over/.test(text(waited))) break;
    const now = await client.callTool({ name: 'get_view', arguments: { format: 'json' } });
    if (now.isError && /match-over/.test(text(now))) break;
    view = JSON.parse(text(now));
  }
  const record = (await api(server.base, `/api/matches/${code}/record`)).body;
  expect(record.ending).toBeTruthy();
  // no timers: every quarter waited for this seat's order (a catastrophe may end the match before the last one)
  expect(submitted).toBe(record.turns.length);
}

const seatMatch = async () =>
  (
    await api(server.base, '/api/matches', {
      mode: 'online',
      seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 },
      timers: { briefing: 0, negotiation: 0, orders: 0, report: 0 },
    })
  ).body.code as string;

describe('the MCP seat server', () => {
  it('lets an MCP client play a full match through its tools over stdio', async () => {
    const code = await seatMatch();
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['tools/agent-mcp.ts', '--server', server.base, '--code', code, '--role', 'cnGov', '--name', 'MCP test'],
        stderr: 'pipe',
      }),
    );
    try {
      await playThrough(client, code);
    } finally {
      await client.close();
    }
  }, 120_000);

  it('lets an MCP client play a full match through its tools over streamable HTTP', async () => {
    const code = await seatMatch();
    const child = spawn(
      process.execPath,
      ['tools/agent-mcp.ts', '--server', server.base, '--code', code, '--role', 'cnGov', '--name', 'MCP http', '--http', '0'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d) => {
          err += d;
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
          if (m) resolve(m[1]);
        });
        child.on('close', (c) => reject(new Error(`agent-mcp exited (${c}): ${err}`)));
      });
      // a request that is not an initialize, without a session: refused with a message saying what to do
      const stray = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(stray.status).toBe(400);
      expect((await stray.json()).error.message).toMatch(/initialize/);
      const client = new Client({ name: 'test-http', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(url));
      await client.connect(transport);
      try {
        expect(transport.sessionId).toBeTruthy();
        await playThrough(client, code);
        const record = (await api(server.base, `/api/matches/${code}/record`)).body;
        expect(record.people.find((p: any) => p.name === 'MCP http')).toMatchObject({ agent: true, role: 'cnGov' });
      } finally {
        await client.close();
      }
    } finally {
      child.kill();
    }
  }, 120_000);
});
