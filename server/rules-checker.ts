// Checks uploaded rule files in worker threads (piscina) with a time and memory budget, so that no file, however
// pathological, holds the main thread: every match, timer and /healthz keeps answering while it is checked.
import { Piscina } from 'piscina';
import { formatProblem } from '../shared/rules/check.ts';
import type { Problem, RulesCheck } from '../shared/rules/check.ts';
import { workerExecArgv } from './worker-flags.ts';

/** Wall time one check may take (queueing included) before the answer is "this file takes too long to check". */
export const CHECK_SECONDS = 5;
/** Heap one checking thread may use; past it the thread is ended and the file refused the same way. */
export const CHECK_MEMORY_MB = 256;

let pool: Piscina | null = null;

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./rules-check-worker.ts', import.meta.url).href,
    execArgv: workerExecArgv(),
    // two cores are the smallest machine the game runs on: one thread checks, a second keeps a slow file from queueing the rest
    minThreads: 0,
    maxThreads: 2,
    // past this many waiting checks the answer is "busy" at once, rather than a queue that grows
    maxQueue: 16,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: CHECK_MEMORY_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  });
  return pool;
}

/** Why a file was not checked: it took too long or too much memory, or too many checks are waiting. */
export type Unchecked = { unchecked: 'too-long' | 'busy'; message: string };

/** Checks a rule file off the main thread; never throws for anything about the file itself. */
export async function checkRulesOffThread(text: string, name: string, seconds = CHECK_SECONDS): Promise<RulesCheck | Unchecked> {
  const p = thePool();
  if (p.queueSize >= (p.options.maxQueue as number)) return { unchecked: 'busy', message: 'the server is checking many rule files right now; try again in a few seconds' };
  try {
    return (await p.run({ text, name }, { signal: AbortSignal.timeout(seconds * 1000) })) as RulesCheck;
  } catch (err) {
    const e = err as Error & { code?: string };
    // an aborted task ends its thread (piscina starts another); so does running out of the memory budget
    if (e.name === 'AbortError' || e.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|terminated|abort/i.test(e.message)) {
      return { unchecked: 'too-long', message: `this file takes too long to check (more than ${seconds} seconds or ${CHECK_MEMORY_MB} MB): most likely a bracket never closed, or thousands of aliases or merge keys; fix the first lines the editor or \`npm run rules -- check\` points at` };
    }
    if (/queue/i.test(e.message)) return { unchecked: 'busy', message: 'the server is checking many rule files right now; try again in a few seconds' };
    throw err;
  }
}

/** Most problem lines one answer lists; the last one shown says how many more there are, in the same file:line:col form. */
export const MAX_PROBLEM_LINES = 50;

/** A check's problems as `file:line:col  path  message` lines, at most MAX_PROBLEM_LINES of them. */
export function problemLines(problems: readonly Problem[]): string[] {
  const shown = problems.slice(0, MAX_PROBLEM_LINES).map((p) => ({ ...p }));
  if (problems.length > MAX_PROBLEM_LINES) shown[shown.length - 1].message += ` (and ${problems.length - MAX_PROBLEM_LINES} more problems after this one)`;
  return shown.map(formatProblem);
}

/** Ends the checking threads (the server's close). */
export async function closeRulesChecker(): Promise<void> {
  const p = pool;
  pool = null;
  // destroy, not close: close waits for a running check, which a pathological file makes last its whole budget
  await p?.destroy();
}
