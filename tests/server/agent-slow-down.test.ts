// The reference agents under a tight per-seat limit: a "429 slow-down" is waited out and tried again, not taken for an
// answer (an agent that dropped its ready or its order would leave the match waiting for it for ever).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { bootServer, api } from '../helpers/server.ts';

let server: Awaited<ReturnType<typeof bootServer>>;
beforeAll(async () => {
  server = await bootServer({ limits: { messagesPerSecond: 3, messageBurst: 2 } });
});
afterAll(async () => {
  await server?.close();
});

function run(cmd: string, args: string[], ms: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const t = setTimeout(() => child.kill(), ms);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the reference agents and the per-seat limit', () => {
  it('both play a match to the end though the server tells them to slow down', async () => {
    const match = async () =>
      (await api(server.base, '/api/matches', { mode: 'online', turns: 3, seats: { usGov: 0, usLab: 0, cnGov: 1, cnLab: 0 } })).body.code as string;
    const [js, py] = await Promise.all([
      match().then((code) => run(process.execPath, ['docs/examples/agent.mjs', '--server', server.base, '--code', code, '--role', 'cnGov'], 40_000)),
      match().then((code) => run('python3', ['docs/examples/agent.py', '--server', server.base, '--code', code, '--role', 'cnGov', '--quiet'], 40_000)),
    ]);
    for (const out of [js, py]) {
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout.trim().split('\n').pop()!).ending).toBeTruthy();
    }
  }, 60_000);
});
