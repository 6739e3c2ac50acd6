// The worker thread that checks uploaded rule files (see rules-checker.ts): one file per task, plain data back.
import { checkRulesText } from '../shared/rules/check.ts';
import type { RulesCheck } from '../shared/rules/check.ts';

export default function checkInWorker({ text, name }: { text: string; name: string }): RulesCheck {
  return checkRulesText(text, name);
}
