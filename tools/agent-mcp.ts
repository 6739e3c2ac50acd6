// An MCP server (stdio) exposing one agent seat as tools and the rule file and role briefing as resources:
//   npm run agent:mcp -- --server URL --code CODE --role cnGov [--name NAME]
// It speaks the JSON seat API (server/http/seats.ts) for the model, so the rules are the server's, as for people.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const server = arg('server') ?? 'http://127.0.0.1:2567';
const code = arg('code');
const role = arg('role');
const name = arg('name') ?? 'MCP agent';
if (!code) { process.stderr.write('usage: npm run agent:mcp -- --server URL --code CODE [--role ROLE] [--name NAME]\n'); process.exit(2); }

let token: string | null = null;
async function http(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(server + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}
async function seat(): Promise<void> {
  if (token) return;
  const r = await http('POST', '/api/agents/join', { code, name, agent: true, ...(role ? { role } : {}) });
  if (r.status !== 201) throw new Error(`join refused (${r.status}): ${r.text}`);
  token = (JSON.parse(r.text) as { token: string }).token;
}
/** A tool's answer: the server's text, flagged as an error when the server refused (the message says what to fix). */
const answer = (r: { status: number; text: string }) => ({ content: [{ type: 'text' as const, text: r.text }], ...(r.status >= 400 ? { isError: true } : {}) });
const act = async (type: string, payload: unknown) => { await seat(); return answer(await http('POST', '/api/agents/act', { type, payload })); };

const mcp = new McpServer({ name: 'the-2028-window-seat', version: '0.1.0' });
const order = z.object({
  spend: z.record(z.string(), z.number()).describe('$B per lever id (see get_view legal.order.levers), each >= 0, together <= the budget'),
  exportTiers: z.record(z.string(), z.enum(['open', 'licensed', 'embargo'])).optional(),
  globalLicensing: z.boolean().optional(), openWeights: z.boolean().optional(), hubCompliance: z.number().optional(),
  dilemmas: z.record(z.string(), z.string()).optional().describe('answers to open dilemmas: cardId -> option id'),
});

mcp.registerTool('get_view', { description: 'Your seat\'s view: phase and deadline, your numbers (exact), the rival (estimates with ranges), budget, levers with limits, proposals, chat, and the actions allowed now. format "text" is compact for reading; "json" is complete.', inputSchema: { format: z.enum(['text', 'json']).optional() } },
  async ({ format }) => { await seat(); return answer(await http('GET', `/api/agents/view${format === 'json' ? '' : '?format=text'}`)); });
mcp.registerTool('submit_order', { description: 'Submit your order for this quarter (orders phase). The last submit before the deadline counts; three invalid submits in a quarter hand it to the bot.', inputSchema: { order } },
  async (a) => act('submit', { order: a.order }));
mcp.registerTool('save_draft', { description: 'Save a draft order; at the orders deadline an unsubmitted draft is submitted for you.', inputSchema: { order } }, async (a) => act('draft', { order: a.order }));
mcp.registerTool('ready', { description: 'Say your team is done with this phase (briefing, negotiation, report).', inputSchema: {} }, async () => act('ready', { ready: true }));
mcp.registerTool('send_message', { description: 'Chat: to "all" or another role id.', inputSchema: { to: z.string(), text: z.string() } }, async (a) => act('chat', { to: a.to, text: a.text }));
mcp.registerTool('propose', { description: 'Offer a formal proposal (see get_view "You may propose").', inputSchema: { proposalId: z.string(), to: z.string() } }, async (a) => act('propose', { proposalId: a.proposalId, to: a.to }));
mcp.registerTool('respond', { description: 'Accept or reject a proposal waiting for your answer, by its key.', inputSchema: { key: z.number().int(), accept: z.boolean() } }, async (a) => act('respond', { key: a.key, accept: a.accept }));
mcp.registerTool('wait_for_phase', { description: 'Wait (up to timeoutSeconds, at most 30) until the phase or quarter changes from the stamp given (the view shows it); returns the new view as text.', inputSchema: { after: z.string(), timeoutSeconds: z.number().optional() } },
  async (a) => { await seat(); return answer(await http('GET', `/api/agents/wait?format=text&after=${encodeURIComponent(a.after)}&timeout=${Math.min(30, a.timeoutSeconds ?? 25)}`)); });

mcp.registerResource('rules', `game://${code}/rules`, { description: 'The match\'s rule file as JSON: roles, levers and their help, regions, events, proposals, endings.', mimeType: 'application/json' },
  async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: (await http('GET', `/api/matches/${code}/rules`)).text }] }));
mcp.registerResource('briefing', `game://${code}/briefing`, { description: 'Your role\'s briefing: who you are, your levers, settings and objectives.', mimeType: 'text/plain' },
  async (uri) => {
    await seat();
    const view = JSON.parse((await http('GET', '/api/agents/view')).text) as { you: { role: string } };
    const rules = JSON.parse((await http('GET', `/api/matches/${code}/rules`)).text) as { roles: { id: string; name: string; blurb: string; levers: { id: string; name: string; help: string }[]; settings: string[]; objectives?: unknown }[] };
    const r = rules.roles.find((x) => x.id === view.you.role)!;
    const text = [`You play ${r.name} (${r.id}). ${r.blurb}`, 'Levers:', ...r.levers.map((l) => `- ${l.id} (${l.name}): ${l.help}`), `Settings: ${r.settings.join(', ') || 'none'}`, `Objectives: ${JSON.stringify(r.objectives ?? null)}`].join('\n');
    return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
  });

await mcp.connect(new StdioServerTransport());
