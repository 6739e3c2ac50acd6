// The teacher's class report: per team and person, who drafted and submitted, who decided each quarter, how much they talked.
import type { StoredEntry } from '../match/log.ts';
import type { Match } from '../match/match.ts';
import type { AfterActionReport } from './counterfactual.ts';

export const CLASS_REPORT_COLUMNS = ['Team', 'Person', 'Drafts', 'Submissions', 'Quarters decided', 'Chat to all', 'Chat to teams', 'Chat to facilitator', 'Proposals made', 'Proposals answered', 'Score', 'Biggest decision'] as const;

interface Tally { drafts: number; submissions: number; decided: number; chatAll: number; chatTeams: number; chatFacilitator: number; proposals: number; answers: number }
const zero = (): Tally => ({ drafts: 0, submissions: 0, decided: 0, chatAll: 0, chatTeams: 0, chatFacilitator: 0, proposals: 0, answers: 0 });

/**
 * One row per person who held a role, then one per team (Person "(team)": its totals, and in "Quarters decided"
 * the quarters its order came from a bot or the engine's fallback as "bot N"). From the log and the match it built.
 */
export function classReportRows(m: Match, entries: readonly StoredEntry[], report: AfterActionReport): (string | number)[][] {
  const byPerson = new Map<string, Tally>();
  const byTeam = new Map<string, Tally>();
  const botQuarters = new Map<string, number>();
  const submitted = new Map<string, string | null>();
  const t = (map: Map<string, Tally>, k: string) => { let x = map.get(k); if (!x) map.set(k, (x = zero())); return x; };
  const roleOf = (personId: string) => m.people.get(personId)?.role ?? null;
  const count = (personId: string, role: string | null, f: (x: Tally) => void) => {
    if (m.people.has(personId)) f(t(byPerson, personId));
    if (role) f(t(byTeam, role));
  };
  for (const { entry: e } of entries) {
    switch (e.kind) {
      case 'draft': count(e.by, e.role, (x) => x.drafts++); break;
      case 'submit': count(e.by, e.role, (x) => x.submissions++); submitted.set(e.role, e.by); break;
      case 'unsubmit': submitted.set(e.role, null); break;
      case 'propose': if (e.by !== 'bot') count(e.by, e.from, (x) => x.proposals++); break;
      case 'respond': if (e.by !== 'bot') count(e.by, e.role, (x) => x.answers++); break;
      case 'chat': {
        const f = (x: Tally) => { if (e.to === 'all') x.chatAll++; else if (e.to === 'facilitator') x.chatFacilitator++; else x.chatTeams++; };
        if (e.from !== 'facilitator') count(e.from, e.fromRole ?? roleOf(e.from), f);
        break;
      }
      case 'resolve':
        for (const role of m.rules.roles) {
          const by = submitted.get(role.id);
          if (by) count(by, role.id, (x) => x.decided++);
          else botQuarters.set(role.id, (botQuarters.get(role.id) ?? 0) + 1);
        }
        submitted.clear();
        break;
    }
  }
  const rows: (string | number)[][] = [];
  const line = (team: string, person: string, x: Tally, decided: string | number, score: string | number, top: string) =>
    [team, person, x.drafts, x.submissions, decided, x.chatAll, x.chatTeams, x.chatFacilitator, x.proposals, x.answers, score, top];
  for (const role of m.rules.roles) {
    for (const p of m.people.values()) {
      if (p.role !== role.id) continue;
      // a program's seat says so, as it does in the room and the record
      rows.push(line(role.name, p.name + (p.agent ? ' (AI agent)' : '') + (p.removed ? ' (removed)' : ''), byPerson.get(p.id) ?? zero(), (byPerson.get(p.id) ?? zero()).decided, '', ''));
    }
    const team = byTeam.get(role.id) ?? zero();
    const bots = botQuarters.get(role.id) ?? 0;
    rows.push(line(role.name, '(team)', team, bots ? `${team.decided} (bot ${bots})` : team.decided, report.actual.scores[role.id] ?? '', report.topByRole[role.id]?.[0]?.sentence ?? ''));
  }
  return rows;
}
