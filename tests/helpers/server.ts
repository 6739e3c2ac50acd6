// Boots a real game server on a free port and drives it with real @colyseus/sdk clients.
import { Client, type Room } from '@colyseus/sdk';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import type { Limits } from '../../server/context.ts';
import type { Logger } from '../../server/log.ts';
import { readDocuments } from '../../shared/protocol/read-state.ts';

export async function bootServer(options: { storePath?: string; limits?: Partial<Limits>; logger?: Logger } = {}): Promise<RunningServer & { base: string }> {
  const running = await startServer({ port: 0, storePath: options.storePath ?? ':memory:', logger: options.logger ?? createLogger({ level: process.env.TEST_LOG ?? 'silent' }), limits: options.limits });
  return Object.assign(running, { base: `http://127.0.0.1:${running.port}` });
}

export async function api<T = any>(base: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* CSV or plain text */ }
  return { status: res.status, body: parsed as T };
}

export interface Player {
  room: Room<any, any>;
  welcome: { personId: string; role: string | null; seatToken: string | null; facilitator: boolean; spectator: boolean; name: string; seat?: string };
  errors: { type: string; code?: string; message: string; details?: string[] }[];
  oks: { type: string; warnings?: string[] }[];
  /** sends and waits for the server's ok or error answer to this message type */
  ask(type: string, payload: unknown): Promise<{ ok: boolean; message?: string; details?: string[]; warnings?: string[] }>;
  /** the documents of this client's own team channel, read from the synced state (shared/protocol/read-state.ts) */
  team(): any;
  publicDoc(): any;
  desk(): any;
}

export async function join(base: string, roomId: string, options: Record<string, unknown>): Promise<Player> {
  const room = await new Client(base).joinById(roomId, options);
  const errors: Player['errors'] = [];
  const oks: Player['oks'] = [];
  const waiting: ((r: any) => void)[] = [];
  const welcome = await new Promise<Player['welcome']>((resolve) => {
    room.onMessage('welcome', (m: Player['welcome']) => resolve(m));
  });
  room.onMessage('error', (m: any) => { errors.push(m); waiting.shift()?.({ ok: false, ...m }); });
  room.onMessage('ok', (m: any) => { oks.push(m); waiting.shift()?.({ ok: true, ...m }); });
  const player: Player = {
    room, welcome, errors, oks,
    ask(type, payload) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no answer to ${type}`)), 5000);
        waiting.push((r) => { clearTimeout(t); resolve(r); });
        room.send(type, payload);
      });
    },
    team() {
      const role = welcome.role;
      return (role && readDocuments(room.state).teams[role]) || null;
    },
    publicDoc() { return readDocuments(room.state).publicDoc; },
    desk() { return readDocuments(room.state).desk; },
  };
  return player;
}

export async function waitFor(cond: () => boolean, what: string, ms = 8000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) {
      if (process.env.DIAG) console.log('DIAG', (await import('node:child_process')).execSync('ss -tnoi state established', { encoding: 'utf8' }));
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The timers-off class settings tests use: phases move on when every team is ready. */
export const NO_TIMERS = { briefing: 0, negotiation: 0, orders: 0, report: 0 };
