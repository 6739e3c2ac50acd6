// Said vs did: proposals made and how they ended, agreements accepted and later broken (by whom, when, at what cost).
import type { Side } from '../rules/schema.ts';
import { quarterLabel } from '../engine/state.ts';
import { brokenBinding } from '../engine/diplomacy.ts';
import { ruleIndex } from '../engine/ruleIndex.ts';
import { complyWith } from '../bots/personalities.ts';
import { fitOrder } from '../engine/resolve.ts';
import { replayBranch, type Source } from './branch.ts';
import { outcomeOf, type Outcome } from './counterfactual.ts';

export interface ProposalStory {
  turn: number;
  quarter: string;
  proposalId: string;
  title: string;
  from: string;
  to: string;
  /** accepted, rejected, or left unanswered until the quarter ended (it lapses) */
  answer: 'accepted' | 'rejected' | 'lapsed' | 'pending';
}

export interface Commitment { role: string; text: string }

export interface AgreementStory {
  proposalId: string;
  title: string;
  proposer: string;
  accepter: string;
  /** the quarter it was accepted in */
  acceptedTurn: number;
  acceptedQuarter: string;
  /** what each side promised (the proposal's bindings) */
  commitments: Commitment[];
  /** quarters it held before it ended or the match did */
  heldQuarters: number;
  outcome: 'broken' | 'completed' | 'in force';
  broken: null | {
    by: string;
    byName: string;
    side: Side;
    turn: number;
    quarter: string;
    why: string;
    /** the same match with the breaker keeping its word that quarter (its order held to the bindings) */
    ifKept: Outcome;
    /** months of lead the breach was worth to the breaker's side, and points of the breaker's score */
    sideGain: number;
    scoreGain: number | null;
    sentence: string;
  };
}

export interface SaidVsDid {
  proposals: ProposalStory[];
  agreements: AgreementStory[];
}

function commitmentText(rules: Source['rules'], b: ReturnType<typeof ruleIndex>['proposal'][string]['binds'][number]): string {
  const role = ruleIndex(rules).role[b.role];
  const lever = b.lever ? role?.levers.find((l) => l.id === b.lever)?.name ?? b.lever : '';
  if (b.lever && b.atMost !== undefined) return `at most $${b.atMost}B on ${lever}`;
  if (b.lever && b.atLeast !== undefined) return `at least $${b.atLeast}B on ${lever}`;
  if (b.setting === 'exportTiers') return `keep ${rules.regions.find((r) => r.id === b.region)?.name ?? b.region} ${String(b.value)}`;
  if (b.setting === 'hubCompliance') return `hub compliance at least ${String(b.value)}`;
  return `${b.setting} ${String(b.value)}`;
}

export function saidVsDid(src: Source): SaidVsDid {
  const { rules, original: m } = src;
  const index = ruleIndex(rules);
  const name = (id: string) => index.role[id]?.name ?? id;
  const proposals: ProposalStory[] = [];
  const agreements: AgreementStory[] = [];
  const resolvedTurns = new Set(m.quarters.map((q) => q.turn));
  for (const step of m.diplomacy) {
    if (step.kind !== 'propose') continue;
    const answer = m.diplomacy.find((s) => s.kind === 'respond' && s.key === step.key);
    const p = index.proposal[step.proposalId];
    proposals.push({
      turn: step.turn, quarter: quarterLabel(rules, step.turn), proposalId: step.proposalId, title: p?.title ?? step.proposalId, from: step.from, to: step.to,
      answer: answer?.kind === 'respond' ? (answer.accept ? 'accepted' : 'rejected') : resolvedTurns.has(step.turn) ? 'lapsed' : 'pending',
    });
    if (answer?.kind !== 'respond' || !answer.accept || !p) continue;
    const story: AgreementStory = {
      proposalId: p.id, title: p.title, proposer: step.from, accepter: step.to, acceptedTurn: answer.turn, acceptedQuarter: quarterLabel(rules, answer.turn),
      commitments: p.binds.map((b) => ({ role: b.role, text: commitmentText(rules, b) })), heldQuarters: 0, outcome: 'in force', broken: null,
    };
    for (const q of m.quarters) {
      if (q.turn < answer.turn) continue;
      if (!q.before!.agreements.some((a) => a.proposalId === p.id)) break;
      const breach = brokenBinding(p, q.orders);
      if (breach) {
        story.outcome = 'broken';
        const role = index.role[breach.role]!;
        const kept = fitOrder(rules, q.before!, breach.role, complyWith(rules, q.before!, breach.role, structuredClone(q.orders[breach.role])));
        const ifKept = outcomeOf(replayBranch(src, { turn: q.turn, role: breach.role, order: kept }).match.state);
        const actual = outcomeOf(m.state);
        const sideGain = (role.side === 'us' ? 1 : -1) * (actual.lead - ifKept.lead);
        const scoreGain = actual.scores[breach.role] !== undefined && ifKept.scores[breach.role] !== undefined ? actual.scores[breach.role] - ifKept.scores[breach.role] : null;
        const gain = Math.abs(sideGain) < 0.05 ? 'changed the lead by less than a tenth of a month'
          : sideGain > 0 ? `gained ${rules.sides[role.side].name} ${sideGain.toFixed(1)} months of lead` : `cost ${rules.sides[role.side].name} ${(-sideGain).toFixed(1)} months of lead`;
        const ending = actual.ending && ifKept.ending && actual.ending.id !== ifKept.ending.id ? `; kept, the world would have ended in ${ifKept.ending.title}` : '';
        story.broken = {
          by: breach.role, byName: name(breach.role), side: role.side, turn: q.turn, quarter: quarterLabel(rules, q.turn), why: breach.why, ifKept, sideGain, scoreGain,
          sentence: `${name(breach.role)} broke "${p.title}" in ${quarterLabel(rules, q.turn)} (it ${breach.why}): the breach ${gain}${ending}${scoreGain ? ` (${name(breach.role)}'s score ${scoreGain > 0 ? '+' : '−'}${Math.abs(scoreGain)})` : ''}.`,
        };
        break;
      }
      story.heldQuarters++;
      if (!q.state!.agreements.some((a) => a.proposalId === p.id)) { story.outcome = 'completed'; break; }
    }
    agreements.push(story);
  }
  return { proposals, agreements };
}
