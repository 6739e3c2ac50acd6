// The whole debrief of a match, from its rules, settings, seed and log: the report a worker computes and the API serves.
import type { RuleFile } from '../rules/schema.ts';
import type { StoredEntry } from '../match/log.ts';
import type { MatchSettings } from '../match/settings.ts';
import { quarterLabel } from '../engine/state.ts';
import { prepare } from './branch.ts';
import { afterActionReport, type AfterActionReport } from './counterfactual.ts';
import { saidVsDid, type SaidVsDid } from './said-did.ts';
import { beliefVsTruth, type BeliefVsTruth } from './belief.ts';
import { discussionPrompts } from './prompts.ts';

export const DEBRIEF_FORMAT = 'the-2028-window/debrief';

export interface LeadPoint { turn: number; quarter: string; lead: number }

export interface Debrief {
  format: typeof DEBRIEF_FORMAT;
  /** the match is over (a running match's debrief is "so far") */
  finished: boolean;
  roles: { id: string; name: string; side: 'us' | 'china' }[];
  sides: { us: string; china: string };
  /** the true lead, quarter by quarter (turn 0 is the start) */
  lead: LeadPoint[];
  report: AfterActionReport;
  saidVsDid: SaidVsDid;
  belief: BeliefVsTruth;
  prompts: Record<string, string[]>;
}

export function debriefMatch(rules: RuleFile, settings: MatchSettings, seed: number, entries: readonly StoredEntry[]): Debrief {
  const src = prepare(rules, settings, seed, entries);
  const report = afterActionReport(src);
  const said = saidVsDid(src);
  const belief = beliefVsTruth(src);
  return {
    format: DEBRIEF_FORMAT,
    finished: src.original.state.finished,
    roles: rules.roles.map((r) => ({ id: r.id, name: r.name, side: r.side })),
    sides: { us: rules.sides.us.name, china: rules.sides.china.name },
    lead: src.original.state.timeline.map((p) => ({ turn: p.turn, quarter: p.label, lead: p.lead })),
    report, saidVsDid: said, belief, prompts: discussionPrompts(rules, report, said, belief),
  };
}

export { quarterLabel };
