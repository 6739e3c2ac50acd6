// The "AI" badge beside a seat an agent (a program, maybe an LLM) holds: every list of people shows it, so nobody is misled.
import { h } from './dom.ts';

export function aiBadge(p: { agent?: boolean }): HTMLElement | null {
  return p.agent ? h('span', { class: 'badge ai', title: 'An AI agent plays this seat (joined through the agent seat API)', 'aria-label': 'AI agent' }, 'AI') : null;
}

/** A name as projected in a comma list: "Ada", or "Ada [AI]". */
export const nameWithBadge = (p: { name: string; agent?: boolean }): string => (p.agent ? `${p.name} [AI]` : p.name);
