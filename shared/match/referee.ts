// Referee rules for agent seats: a missed orders deadline submits the team's draft or its bot's order; three invalid
// submissions in one quarter hand that quarter to the bot. Pure, like decide: the room appends what these return.
import { botOrder } from '../bots/personalities.ts';
import { rngFor, STREAM } from '../engine/rng.ts';
import type { Order } from '../engine/state.ts';
import type { LogEntry } from './log.ts';
import type { Refusal, Actor } from './decide.ts';
import { INVALID_SUBMITS_PER_QUARTER, members, personality, type Match } from './match.ts';
import { PHASES } from './phases.ts';

export { INVALID_SUBMITS_PER_QUARTER } from './match.ts';

/** A role some agent (a program) holds: the referee rules apply to it. */
export const agentHeld = (m: Match, roleId: string): boolean => members(m, roleId).some((p) => p.agent);

/** How many invalid submissions the role made this quarter. */
export function invalidSubmits(m: Match, roleId: string): number {
  const t = m.teams[roleId];
  return t.invalid && t.invalid.turn === m.state.turn ? t.invalid.count : 0;
}

/** The referee has handed this quarter to the role's bot (three invalid submissions). */
export const refereeHandedOver = (m: Match, roleId: string): boolean => invalidSubmits(m, roleId) >= INVALID_SUBMITS_PER_QUARTER;

/** An agent's submission was refused as invalid: the strike to log (the third one hands the quarter to the bot). */
export function invalidSubmit(m: Match, actor: Actor, refusal: Refusal): LogEntry[] {
  const role = actor.role;
  const person = actor.personId ? m.people.get(actor.personId) : undefined;
  if (!role || !person?.agent || refusal.code !== 'invalid' || refereeHandedOver(m, role)) return [];
  const count = invalidSubmits(m, role) + 1;
  const detail = count >= INVALID_SUBMITS_PER_QUARTER
    ? `${count} invalid submissions this quarter: the bot plays this quarter for the team`
    : `invalid submission ${count} of ${INVALID_SUBMITS_PER_QUARTER} allowed this quarter: ${(refusal.details ?? [refusal.message]).slice(0, 3).join('; ')}`;
  return [{ kind: 'referee', turn: m.state.turn, role, rule: 'invalid-submit', by: person.id, detail: detail.slice(0, 500) }];
}

/** A handed-over quarter takes no more submissions from the team. */
export function refereeRefusal(m: Match, actor: Actor, type: string): Refusal | null {
  if ((type !== 'submit' && type !== 'unsubmit') || !actor.role || !refereeHandedOver(m, actor.role)) return null;
  return { code: 'not-allowed', message: `${type}: after ${INVALID_SUBMITS_PER_QUARTER} invalid submissions the bot plays this quarter for your team; you play again next quarter` };
}

/** The bot's order for a role now (the same draw the match uses for bot-held roles). */
export function botOrderNow(m: Match, roleId: string): Order {
  const rng = rngFor(m.state.seed, m.state.turn, STREAM.bots, roleId.length * 131 + roleId.charCodeAt(0));
  return botOrder(m.rules, m.state, roleId, personality(m, roleId), rng);
}

/**
 * The orders deadline has passed: each agent-held team that has not submitted submits its draft, or its bot's order
 * when it has none (or the quarter was handed over), each with a referee entry saying why. Nothing outside the orders.
 */
export function refereeAtDeadline(m: Match, now: number): LogEntry[] {
  if (PHASES[m.phase].waitsFor !== 'submit' || m.paused || !m.timer.endsAt || now < m.timer.endsAt) return [];
  const out: LogEntry[] = [];
  for (const role of m.rules.roles) {
    const team = m.teams[role.id];
    if (team.submitted || !agentHeld(m, role.id)) continue;
    const useDraft = team.draft !== null && !refereeHandedOver(m, role.id);
    const order = useDraft ? team.draft! : botOrderNow(m, role.id);
    out.push({ kind: 'referee', turn: m.state.turn, role: role.id, rule: 'missed-deadline', by: 'referee', detail: useDraft ? 'the orders deadline passed: the team\'s draft was submitted' : 'the orders deadline passed with no draft: the bot\'s order was submitted' });
    out.push({ kind: 'submit', turn: m.state.turn, role: role.id, order, by: 'referee' });
  }
  return out;
}
