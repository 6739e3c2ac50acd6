// Branches side by side: a match and its forks, their lead timelines, endings and scores, and where their orders part.
import type { RuleFile } from '../rules/schema.ts';
import type { StoredEntry } from '../match/log.ts';
import type { MatchSettings } from '../match/settings.ts';
import type { ForkedFrom } from '../protocol/match.ts';
import { quarterLabel } from '../engine/state.ts';
import { prepare } from './branch.ts';
import { describeChange, outcomeOf, type Outcome } from './counterfactual.ts';
import type { LeadPoint } from './debrief.ts';

export const COMPARISON_FORMAT = 'the-2028-window/comparison';

export interface BranchInput {
  code: string;
  settings: MatchSettings;
  rules: RuleFile;
  seed: number;
  entries: readonly StoredEntry[];
  /** its true numbers may be shown (finished, or the facilitator asks); otherwise only its name and origin */
  visible: boolean;
}

export interface BranchDifference { role: string; roleName: string; change: string }

export interface ComparedBranch {
  code: string;
  forkedFrom: ForkedFrom | null;
  finished: boolean;
  /** false: the branch is being played and its numbers are not public yet */
  visible: boolean;
  lead: LeadPoint[];
  outcome: Outcome | null;
  /** against the first branch: the first quarter whose orders differ, and how; null when none differs (yet) */
  divergence: null | { turn: number; quarter: string; differences: BranchDifference[] };
}

export interface Comparison { format: typeof COMPARISON_FORMAT; base: string; branches: ComparedBranch[] }

/** A quarter's injected events and diplomatic steps, in words (the keys of proposals left out: they are numbered per branch). */
function stepsOf(rules: RuleFile, entries: readonly StoredEntry[], turn: number): string[] {
  const title = (id: string) => rules.proposals.find((p) => p.id === id)?.title ?? id;
  const role = (id: string) => rules.roles.find((r) => r.id === id)?.name ?? id;
  const out: string[] = [];
  const proposals = new Map<number, string>();
  // a stored log holds only accepted proposals, numbered from 1 (initialState) in order
  let key = 1;
  for (const { entry: e } of entries) {
    if (e.kind === 'propose') proposals.set(key++, `"${title(e.proposalId)}" from ${role(e.from)}`);
    if (!('turn' in e) || e.turn !== turn) continue;
    if (e.kind === 'inject') out.push(`event injected: ${rules.events.find((c) => c.id === e.cardId)?.title ?? e.cardId}`);
    if (e.kind === 'propose') out.push(`${role(e.from)} proposed "${title(e.proposalId)}" to ${role(e.to)}`);
    if (e.kind === 'respond') out.push(`${role(e.role)} ${e.accept ? 'accepted' : 'rejected'} ${proposals.get(e.key) ?? 'a proposal'}`);
  }
  return out;
}

/** Compares every branch with the first (the match asked about). */
export function compareBranches(branches: readonly BranchInput[]): Comparison {
  const replayed = branches.map((b) => ({ input: b, match: prepare(b.rules, b.settings, b.seed, b.entries).original }));
  const base = replayed[0];
  return {
    format: COMPARISON_FORMAT,
    base: base.input.code,
    branches: replayed.map(({ input, match }, i): ComparedBranch => {
      const rules = input.rules;
      let divergence: ComparedBranch['divergence'] = null;
      if (i > 0 && input.visible && base.input.visible) {
        for (const q of match.quarters) {
          const other = base.match.quarters.find((p) => p.turn === q.turn);
          if (!other) break;
          const differences: BranchDifference[] = [];
          for (const role of rules.roles) {
            const a = q.orders[role.id], b = other.orders[role.id];
            if (a && b && JSON.stringify(a) !== JSON.stringify(b)) differences.push({ role: role.id, roleName: role.name, change: describeChange(rules, role.id, a, b) });
          }
          // the world can part without any order changing: an event injected in one branch, a proposal made or answered differently
          const mine = stepsOf(rules, input.entries, q.turn), theirs = stepsOf(rules, base.input.entries, q.turn);
          for (const step of mine) if (!theirs.includes(step)) differences.push({ role: '', roleName: 'This branch', change: step });
          for (const step of theirs) if (!mine.includes(step)) differences.push({ role: '', roleName: base.input.code, change: step });
          if (differences.length) { divergence = { turn: q.turn, quarter: quarterLabel(rules, q.turn), differences }; break; }
        }
      }
      return {
        code: input.code, forkedFrom: input.settings.forkedFrom ?? null, finished: match.state.finished, visible: input.visible,
        lead: input.visible ? match.state.timeline.map((p) => ({ turn: p.turn, quarter: p.label, lead: p.lead })) : [],
        outcome: input.visible ? outcomeOf(match.state) : null,
        divergence,
      };
    }),
  };
}
