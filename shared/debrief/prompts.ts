// Discussion prompts per role, written from what happened in this match (its decisions, breaches and beliefs).
import type { RuleFile } from '../rules/schema.ts';
import type { AfterActionReport } from './counterfactual.ts';
import type { SaidVsDid } from './said-did.ts';
import type { BeliefVsTruth } from './belief.ts';

const MAX_PROMPTS = 4;

export function discussionPrompts(rules: RuleFile, report: AfterActionReport, said: SaidVsDid, belief: BeliefVsTruth): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const rival = (side: 'us' | 'china') => rules.sides[side === 'us' ? 'china' : 'us'].name;
  for (const role of rules.roles) {
    const prompts: string[] = [];
    const top = report.topByRole[role.id]?.[0];
    if (top) prompts.push(`${top.sentence} Knowing that, would you make the same call? What did you believe it would do at the time?`);
    // one prompt per agreement broken (however often), the first breach named
    const seen = new Set<string>();
    for (const a of said.agreements) {
      if (!a.broken || seen.has(`${a.proposalId}/${a.broken.by === role.id}`)) continue;
      const times = said.agreements.filter((x) => x.proposalId === a.proposalId && x.broken?.by === a.broken!.by).length;
      const often = times > 1 ? ` (${times} times, first in ${a.broken.quarter})` : ` in ${a.broken.quarter}`;
      if (a.broken.by === role.id) {
        seen.add(`${a.proposalId}/true`);
        prompts.push(`You broke "${a.title}"${often}. What did you expect ${rival(role.side)} to do next, and what did it cost your side's trust?`);
      } else if (a.broken.side !== role.side && (a.proposer === role.id || a.accepter === role.id)) {
        seen.add(`${a.proposalId}/false`);
        prompts.push(`${a.broken.byName} broke "${a.title}"${often}. Were there signs before, and how could the agreement have been made harder to break?`);
      }
    }
    const rejected = said.proposals.filter((p) => p.to === role.id && p.answer === 'rejected');
    if (rejected.length) prompts.push(`You rejected ${rejected.length === 1 ? `"${rejected[0].title}" (${rejected[0].quarter})` : `${rejected.length} proposals`}. What would have had to be true for you to accept?`);
    const b = belief.summary.find((s) => s.side === role.side);
    if (b?.worst) prompts.push(`In ${b.worst.quarter} your side estimated ${rival(role.side)}'s capability at ${b.worst.value.toFixed(1)} frontier-months; it was ${b.worst.truth.toFixed(1)}. Which of your orders rested on that estimate?`);
    const score = report.actual.scores[role.id];
    if (report.actual.ending && score !== undefined) prompts.push(`The world ended in ${report.actual.ending.title}, and your score was ${score}. Which of your objectives pulled against each other?`);
    else prompts.push('The match is still being played: which of your objectives is most at risk now?');
    // a handout has room for a few questions per team: the decision, the breaches, then the rest
    out[role.id] = prompts.length > MAX_PROMPTS ? [...prompts.slice(0, MAX_PROMPTS - 1), prompts[prompts.length - 1]] : prompts;
  }
  return out;
}
