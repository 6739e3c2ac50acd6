// Errors an agent (maybe a language model) can act on: the field, what is allowed there, and a corrected example.
import type { z } from 'zod';
import type { MessageErrorCode } from '../protocol/errors.ts';
import type { AgentView } from './view.ts';

export interface FieldProblem { field: string; problem: string; allowed: string }
export interface AgentError { error: string; code: MessageErrorCode | string; fields?: FieldProblem[]; details?: string[]; example?: unknown; hint?: string }

/** The types an agent may send through /api/agents/act (the facilitator's controls are not a seat's). */
export const AGENT_ACTION_TYPES = ['submit', 'unsubmit', 'draft', 'ready', 'chat', 'propose', 'respond'] as const;
export type AgentActionType = (typeof AGENT_ACTION_TYPES)[number];

/** What an allowed value of a field looks like, in words, for the fields agents send. */
function allowedFor(field: string, view: AgentView | null): string {
  const order = view?.legal.order;
  if (field === 'type') return `one of ${AGENT_ACTION_TYPES.join(', ')}`;
  const spend = /^(?:payload\.)?order\.spend(?:\.(.+))?$/.exec(field);
  if (spend) {
    const lever = order?.levers.find((l) => l.id === spend[1]);
    if (lever) return `a number of $B from 0 to ${lever.max} (${lever.name}; last quarter ${lever.last})`;
    return order ? `a map from lever id (${order.levers.map((l) => l.id).join(', ')}) to $B, each at least 0, together at most ${order.budget}` : 'a map from lever id to $B';
  }
  const setting = /^(?:payload\.)?order\.(exportTiers|globalLicensing|openWeights|hubCompliance|dilemmas)/.exec(field);
  if (setting) {
    if (setting[1] === 'dilemmas') return order?.dilemmas.length ? order.dilemmas.map((d) => `${d.cardId}: one of ${d.options.map((o) => o.id).join(', ')}`).join('; ') : 'no dilemma waits for you: leave dilemmas out';
    const s = order?.settings.find((x) => x.key === setting[1]);
    return s ? s.allowed : `your role does not set ${setting[1]}: leave it out`;
  }
  if (/^(?:payload\.)?order/.test(field)) return 'an object {"spend": {...}} with optional settings (see legal.order)';
  if (/^(?:payload\.)?to$/.test(field)) return view ? `one of ${view.legal.chatChannels.join(', ')}` : 'a role id or "all"';
  if (/^(?:payload\.)?text$/.test(field)) return 'visible text, 1 to 4000 characters';
  if (/^(?:payload\.)?key$/.test(field)) return view?.legal.proposals.waitingForYourAnswer.length ? `one of the keys ${view.legal.proposals.waitingForYourAnswer.map((p) => p.key).join(', ')}` : 'a whole number from legal.proposals.waitingForYourAnswer';
  if (/^(?:payload\.)?accept$/.test(field) || /^(?:payload\.)?ready$/.test(field)) return 'true or false';
  if (/^(?:payload\.)?proposalId$/.test(field)) return view?.legal.proposals.youMayPropose.length ? `one of ${[...new Set(view.legal.proposals.youMayPropose.map((p) => p.proposalId))].join(', ')}` : 'none is open to you now';
  return 'see legal.actions in /api/agents/view';
}

/** A zod failure of an action's payload, as field problems. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[], prefix: string, view: AgentView | null): FieldProblem[] {
  return issues.slice(0, 10).map((i) => {
    const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'body';
    return { field, problem: i.message, allowed: allowedFor(field, view) };
  });
}

/** A rule refusal's details ("spend.x: ..."), as field problems where they name a field. */
export function detailProblems(details: readonly string[] | undefined, view: AgentView | null): FieldProblem[] {
  return (details ?? []).slice(0, 10).map((d) => {
    const m = /^([A-Za-z0-9_.]+): (.*)$/.exec(d);
    const field = m ? `payload.order.${m[1]}` : 'payload.order';
    return { field, problem: m ? m[2] : d, allowed: allowedFor(field, view) };
  });
}

/** The example for an action type as the view spells it (legal now, with this quarter's budget). */
export const exampleFor = (type: string, view: AgentView | null): unknown => view?.legal.actions.find((a) => a.type === type)?.example ?? { type: 'submit', payload: { order: { spend: {} } } };
