// An MCP server exposing one agent seat as tools and the rule file and role briefing as resources, over stdio or
// streamable HTTP:
//   npm run agent:mcp -- --server URL --code CODE --role cnGov [--name NAME] [--http PORT]
// It speaks the JSON seat API (server/http/seats.ts) for the model, so the rules are the server's, as for people.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { readFlags, wholeNumber, UsageError } from './args.ts';

const USAGE = 'usage: npm run agent:mcp -- --server URL --code CODE [--role ROLE] [--name NAME] [--http PORT]\n';
let flags;
let httpPort: number | null = null;
try {
  flags = readFlags(process.argv.slice(2), {
    server: { type: 'string' },
    code: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    http: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }).values;
  if (flags.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!flags.code) throw new UsageError("--code CODE is needed (the match's join code)");
  if (flags.http !== undefined) httpPort = wholeNumber('--http', flags.http, 0, 65_535);
} catch (err) {
  process.stderr.write(`agent-mcp: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const server = (flags.server ?? 'http://127.0.0.1:2567').replace(/\/$/, '');
const code = flags.code;
const role = flags.role;
const name = flags.name ?? 'MCP agent';

let token: string | null = null;
/** Most waits for one call the server asked to slow down (429), each as long as its Retry-After (at most 2 s). */
const SLOW_DOWN_TRIES = 10;
async function http(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(server + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // the per-seat limit (as for people): a model calling tools back to back waits here rather than seeing an error
    if (res.status !== 429 || attempt >= SLOW_DOWN_TRIES) return { status: res.status, text };
    const after = Number(res.headers.get('retry-after'));
    await new Promise((r) => setTimeout(r, Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 2000) : 250 * attempt));
  }
}
let joining: Promise<void> | null = null;
/** Joins once, on the first call that needs the seat (HTTP sessions calling at once share the one join). */
function seat(): Promise<void> {
  joining ??= (async () => {
    const r = await http('POST', '/api/agents/join', { code, name, agent: true, ...(role ? { role } : {}) });
    if (r.status !== 201) {
      joining = null;
      throw new Error(`join refused (${r.status}): ${r.text}`);
    }
    token = (JSON.parse(r.text) as { token: string }).token;
  })();
  return joining;
}
/** A tool's answer: the server's text, flagged as an error when the server refused (the message says what to fix). */
const answer = (r: { status: number; text: string }) => ({ content: [{ type: 'text' as const, text: r.text }], ...(r.status >= 400 ? { isError: true } : {}) });
const act = async (type: string, payload: unknown) => {
  await seat();
  return answer(await http('POST', '/api/agents/act', { type, payload }));
};

const order = z.object({
  spend: z.record(z.string(), z.number()).describe('$B per lever id (see get_view legal.order.levers), each >= 0, together <= the budget'),
  exportTiers: z.record(z.string(), z.enum(['open', 'licensed', 'embargo'])).optional(),
  globalLicensing: z.boolean().optional(),
  openWeights: z.boolean().optional(),
  hubCompliance: z.number().optional(),
  dilemmas: z.record(z.string(), z.string()).optional().describe('answers to open dilemmas: cardId -> option id'),
});

/** One MCP server for the seat: stdio has one; streamable HTTP one per session (all of them play the same seat). */
function seatServer(): McpServer {
  const mcp = new McpServer({ name: 'the-2028-window-seat', version: '0.1.0' });
  mcp.registerTool(
    'get_view',
    {
      description:
        'Your seat\'s view: phase and deadline, your numbers (exact), the rival (estimates with ranges), budget, levers with limits, proposals, chat, and the actions allowed now. format "text" is compact for reading; "json" is complete.',
      inputSchema: { format: z.enum(['text', 'json']).optional() },
    },
    async ({ format }) => {
      await seat();
      return answer(await http('GET', `/api/agents/view${format === 'json' ? '' : '?format=text'}`));
    },
  );
  mcp.registerTool(
    'submit_order',
    {
      description:
        'Submit your order for this quarter (orders phase). The last submit before the deadline counts; three invalid submits in a quarter hand it to the bot.',
      inputSchema: { order },
    },
    async (a) => act('submit', { order: a.order }),
  );
  mcp.registerTool(
    'save_draft',
    { description: 'Save a draft order; at the orders deadline an unsubmitted draft is submitted for you.', inputSchema: { order } },
    async (a) => act('draft', { order: a.order }),
  );
  mcp.registerTool('ready', { description: 'Say your team is done with this phase (briefing, negotiation, report).', inputSchema: {} }, async () =>
    act('ready', { ready: true }),
  );
  mcp.registerTool('send_message', { description: 'Chat: to "all" or another role id.', inputSchema: { to: z.string(), text: z.string() } }, async (a) =>
    act('chat', { to: a.to, text: a.text }),
  );
  mcp.registerTool(
    'propose',
    { description: 'Offer a formal proposal (see get_view "You may propose").', inputSchema: { proposalId: z.string(), to: z.string() } },
    async (a) => act('propose', { proposalId: a.proposalId, to: a.to }),
  );
  mcp.registerTool(
    'respond',
    { description: 'Accept or reject a proposal waiting for your answer, by its key.', inputSchema: { key: z.number().int(), accept: z.boolean() } },
    async (a) => act('respond', { key: a.key, accept: a.accept }),
  );
  mcp.registerTool(
    'wait_for_phase',
    {
      description:
        'Wait (up to timeoutSeconds, at most 30) until the phase or quarter changes from the stamp given (the view shows it); returns the new view as text.',
      inputSchema: { after: z.string(), timeoutSeconds: z.number().optional() },
    },
    async (a) => {
      await seat();
      return answer(await http('GET', `/api/agents/wait?format=text&after=${encodeURIComponent(a.after)}&timeout=${Math.min(30, a.timeoutSeconds ?? 25)}`));
    },
  );

  mcp.registerResource(
    'rules',
    `game://${code}/rules`,
    { description: "The match's rule file as JSON: roles, levers and their help, regions, events, proposals, endings.", mimeType: 'application/json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: (await http('GET', `/api/matches/${code}/rules`)).text }] }),
  );
  mcp.registerResource(
    'briefing',
    `game://${code}/briefing`,
    { description: "Your role's briefing: who you are, your levers, settings and objectives.", mimeType: 'text/plain' },
    async (uri) => {
      await seat();
      const view = JSON.parse((await http('GET', '/api/agents/view')).text) as { you: { role: string } };
      const rules = JSON.parse((await http('GET', `/api/matches/${code}/rules`)).text) as {
        roles: { id: string; name: string; blurb: string; levers: { id: string; name: string; help: string }[]; settings: string[]; objectives?: unknown }[];
      };
      const r = rules.roles.find((x) => x.id === view.you.role)!;
      const text = [
        `You play ${r.name} (${r.id}). ${r.blurb}`,
        'Levers:',
        ...r.levers.map((l) => `- ${l.id} (${l.name}): ${l.help}`),
        `Settings: ${r.settings.join(', ') || 'none'}`,
        `Objectives: ${JSON.stringify(r.objectives ?? null)}`,
      ].join('\n');
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
    },
  );
  return mcp;
}

if (httpPort === null) {
  await seatServer().connect(new StdioServerTransport());
} else {
  // streamable HTTP, stateful: a session per client (its own transport and server), at POST/GET/DELETE /mcp;
  // bound to 127.0.0.1 with the SDK's DNS-rebinding protection
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  app.post('/mcp', async (req: Request, res: Response) => {
    const id = req.get('mcp-session-id');
    let transport = id ? sessions.get(id) : undefined;
    if (!transport) {
      if (id || !isInitializeRequest(req.body)) {
        res
          .status(id ? 404 : 400)
          .json({
            jsonrpc: '2.0',
            error: {
              code: -32000,
              message: id ? 'no such session (it ended, or this server restarted): initialize again' : 'start with an initialize request (no session id yet)',
            },
            id: null,
          });
        return;
      }
      const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => {
          sessions.set(sid, t);
        },
      });
      t.onclose = () => {
        if (t.sessionId) sessions.delete(t.sessionId);
      };
      await seatServer().connect(t);
      transport = t;
    }
    await transport.handleRequest(req, res, req.body);
  });
  const bySession = async (req: Request, res: Response) => {
    const transport = sessions.get(req.get('mcp-session-id') ?? '');
    if (!transport) {
      res.status(404).send('no such session');
      return;
    }
    await transport.handleRequest(req, res);
  };
  app.get('/mcp', bySession);
  app.delete('/mcp', bySession);
  const listener = app.listen(httpPort, '127.0.0.1', () => {
    const address = listener.address();
    const port = typeof address === 'object' && address ? address.port : httpPort;
    process.stderr.write(`agent-mcp: MCP over streamable HTTP at http://127.0.0.1:${port}/mcp (match ${code}${role ? `, role ${role}` : ''})\n`);
  });
  const stop = () => {
    for (const t of sessions.values()) void t.close();
    listener.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
