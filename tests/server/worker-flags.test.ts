// The server's threads (the store's checkpointer, rule checks, debriefs) start when the server is run with V8's heap
// flags, as an operator tuning it for thousands of clients runs it: a Worker refuses those flags outright.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerExecArgv } from '../../server/worker-flags.ts';

describe('worker flags', () => {
  it('keeps the module flags a thread needs and leaves the process-only ones with the process', () => {
    expect(workerExecArgv(['--max-old-space-size=600', '--import', 'probe.ts', '--cpu-prof', '--cpu-prof-dir=/tmp/x', '--max-semi-space-size', '--expose-gc', '--enable-source-maps', '--conditions=dev', '--title=w2028']))
      .toEqual(['--import', 'probe.ts', '--enable-source-maps', '--conditions=dev']);
    expect(workerExecArgv([])).toEqual([]);
  });

  it('starts `serve` run with --max-old-space-size and --max-semi-space-size: the store opens and a rule file is checked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'w2028-flags-'));
    const port = await new Promise<number>((resolve) => { const t = createServer(); t.listen(0, '127.0.0.1', () => { const p = (t.address() as { port: number }).port; t.close(() => resolve(p)); }); });
    const child = spawn(process.execPath, ['--max-old-space-size=600', '--max-semi-space-size=16', fileURLToPath(new URL('../../server/cli/serve.ts', import.meta.url))], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (const t0 = Date.now(); ;) {
        try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
        if (Date.now() - t0 > 15_000) throw new Error(`the server did not start: ${stderr.slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const created = await fetch(`${base}/api/matches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'online' }) });
      expect(created.status).toBe(201);
      const checked = await fetch(`${base}/api/rules/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'name: x\ncalendar: { turns: ten }\n' }) });
      const body = await checked.json();
      expect(body.ok).toBe(false);
      expect(body.problems.join('\n')).toMatch(/upload\.yaml:2:\d+/);
      expect(stderr).not.toMatch(/invalid execArgv/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
