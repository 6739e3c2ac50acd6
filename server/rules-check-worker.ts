// The worker thread that checks uploaded rule files (see rules-checker.ts): one file per task, plain data back.
import { setPriority } from 'node:os';
import { checkRulesText } from '../shared/rules/check.ts';
import type { RulesCheck } from '../shared/rules/check.ts';

// On Linux a thread has its own nice value: this one yields the cores to the main thread, whose matches and timers
// must not wait behind a stranger's file (elsewhere the call would lower the whole process, so it is not made)
if (process.platform === 'linux') {
  try { setPriority(19); } catch { /* not allowed here: the check still runs, at the normal priority */ }
}

export default function checkInWorker({ text, name }: { text: string; name: string }): RulesCheck {
  return checkRulesText(text, name);
}
