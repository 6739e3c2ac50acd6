// The agent's view as concise plain text for a prompt: numbers with units, the rival as ranges, what changed, the legal moves.
import type { AgentView } from './view.ts';

const n = (x: number, d = 1) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d));
const range = (e: { value: number; low: number; high: number }, unit: string, d = 1) => `~${n(e.value, d)}${unit} (likely ${n(e.low, d)} to ${n(e.high, d)})`;

/** Pure: the same view always gives the same text. */
export function textView(v: AgentView): string {
  const { match, you, view, legal } = v;
  const own = view.own;
  const r = view.rival;
  const out: string[] = [];
  // after the last quarter the turn counter has moved past it: the match is over, not in a quarter 11 of 10
  const which = match.turn < match.turns ? ` (quarter ${match.turn + 1} of ${match.turns})` : ` (after the last of ${match.turns} quarters)`;
  out.push(`# ${match.title}: ${match.quarter}${which}, phase: ${match.phase}${match.paused ? ' (paused)' : ''}`);
  out.push(`You are ${you.name}, playing ${you.roleName} (${you.role}, side ${you.side}).`);
  out.push(match.deadline ? `Deadline: ${match.secondsLeft} s left. On timeout: ${match.onTimeout}.` : `No deadline. ${match.onTimeout}.`);
  out.push('', '## Your side (exact)');
  out.push(`- capability: ${n(own.capability)} months; effective compute: ${n(own.effectiveCompute)}; chips: ${n(own.chips, 0)} H100e (${Math.round(own.domesticShare * 100)}% domestic); power: ${n(own.powerGW)} of ${n(own.powerNeedGW)} GW needed`);
  out.push(`- safeguards: ${n(own.safeguards, 2)}; adoption: ${Math.round(own.adoption * 100)}%`);
  out.push('', '## Rival (estimates only)');
  out.push(`- capability: ${range(r.capability, ' months')}; effective compute: ${range(r.effectiveCompute, '')}; chips: ${range(r.chips, ' H100e', 0)}; safeguards: ${range(r.safeguards, '', 2)}`);
  out.push(`- lead (US minus China): ${range(view.lead, ' months')}; press estimate ${range(view.world.pressLead, ' months')}`);
  out.push(`- world: trust ${n(view.world.trust, 2)}, tension ${n(view.world.tension, 2)}, agreements in force: ${view.world.agreements.length}`);
  const lastOrder = view.lastOrder;
  if (v.lastQuarter) {
    out.push('', `## What changed last quarter`);
    for (const e of v.lastQuarter.events.slice(0, 12)) out.push(`- ${e.title}: ${e.text}`);
    if (!v.lastQuarter.events.length) out.push('- nothing reported');
  }
  out.push('', `## Your order: budget $${n(legal.order.budget, 2)}B (carried over $${n(legal.order.carriedOver, 2)}B; ${Math.round(legal.order.carryOverShare * 100)}% of unspent money carries over)`);
  for (const l of legal.order.levers) out.push(`- ${l.id} (${l.name}): $0 to $${n(l.max, 2)}B, last $${n(l.last, 2)}B. ${l.help}`);
  for (const s of legal.order.settings) out.push(`- setting ${s.key}: ${s.allowed}; now ${JSON.stringify(s.current)}`);
  for (const d of legal.order.dilemmas) out.push(`- dilemma ${d.cardId} "${d.title}": ${d.text} Options: ${d.options.map((o) => `${o.id} (${o.label})`).join(', ')}; default ${d.default}`);
  if (v.team.submitted) out.push(`Submitted: ${JSON.stringify(v.team.submitted)}`);
  else if (v.team.draft) out.push(`Draft: ${JSON.stringify(v.team.draft)}`);
  else if (lastOrder) out.push(`Last order: ${JSON.stringify({ spend: lastOrder.spend })}`);
  const p = legal.proposals;
  if (p.waitingForYourAnswer.length) out.push('', '## Proposals waiting for your answer', ...p.waitingForYourAnswer.map((x) => `- key ${x.key}: "${x.title}" from ${x.from}${x.ratify ? ' (ratify)' : ''}`));
  if (p.youMayPropose.length) out.push('', '## You may propose', ...p.youMayPropose.slice(0, 10).map((x) => `- ${x.proposalId} to ${x.to}: ${x.title}`));
  if (v.chat.length) out.push('', '## Recent chat', ...v.chat.slice(-8).map((c) => `- ${c.from}${c.fromRole ? ` (${c.fromRole})` : ''} to ${c.to}: ${c.text}`));
  out.push('', '## Allowed now');
  for (const a of legal.actions.filter((x) => x.allowedNow)) out.push(`- ${a.type}: ${a.why}. Example: ${JSON.stringify(a.example)}`);
  if (v.referee.invalidSubmitsThisQuarter) out.push(`Referee: ${v.referee.invalidSubmitsThisQuarter} of ${v.referee.limit} invalid submissions this quarter${v.referee.botPlaysThisQuarter ? '; the bot plays this quarter' : ''}.`);
  out.push(`(stamp ${v.stamp}: pass it to /api/agents/wait?after=)`);
  return out.join('\n') + '\n';
}
