// `npm run loadtest` end to end at a tiny size: a real server child, real SDK clients in client processes, the report.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve, join } from 'node:path';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function loadtest(args: string[]): Promise<{ code: number | null; report: any; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(root, 'bench/loadtest.ts'), '--json', '--duration-limit', '90', ...args], { cwd: root, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      let report: any = null;
      try { report = JSON.parse(stdout); } catch { /* reported below */ }
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, report, stderr });
    });
  });
}

describe('the load test', () => {
  it('plays online matches in lock-step over two client processes and reports latency, bytes and the server\'s event loop', async () => {
    const { code, report, stderr } = await loadtest(['--matches', '2', '--turns', '1', '--think-ms', '300', '--lockstep', '--workers', '2']);
    expect(report, stderr).not.toBeNull();
    expect(report.errors.byKind).toEqual({});
    expect(code).toBe(0);
    expect(report.completed).toBe(true);
    expect(report.settings).toMatchObject({ mode: 'online', lockstep: true, workers: 2 });
    expect(report.clients.connected).toBe(8);
    expect(report.quartersResolved).toBe(2);
    expect(report.resolutionLatencyMs.n).toBe(8);
    // every client saw one quarter change and one chat, and what each cost it on the wire
    expect(report.bytesPerClient.quarterChange.n).toBe(8);
    expect(report.bytesPerClient.chat.n).toBe(8);
    expect(report.bytesPerClient.quarterChange.p50).toBeGreaterThan(0);
    expect(report.server.eventLoopDelayMs.max).toBeGreaterThan(0);
    expect(report.server.resolutionQueue.turns).toBeGreaterThan(0);
    expect(report.generator.perProcess).toHaveLength(2);
  }, 130_000);

  it('plays a class match as a class joins it: the facilitator starts, each team\'s lead submits, its team-mates follow', async () => {
    const { code, report, stderr } = await loadtest(['--matches', '1', '--clients-per-match', '11', '--turns', '1', '--think-ms', '200', '--start-spread-ms', '0', '--no-chat']);
    expect(report, stderr).not.toBeNull();
    expect(report.errors.byKind).toEqual({});
    expect(code).toBe(0);
    expect(report.settings).toMatchObject({ mode: 'class', clientsPerMatch: 11, chat: false });
    expect(report.messages.sent.control).toBe(1);
    expect(report.messages.sent.submit).toBe(4);
    // the quarter reached all eleven: facilitator, ten students
    expect(report.resolutionLatencyMs.n).toBe(11);
    expect(report.bytesPerClient.chats).toBe(0);
  }, 130_000);
});
