// A live match for the room: the shared match core (shared/match) plus the bots' and the turn machine's questions.
import type { RuleFile } from '../../shared/rules/schema.ts';
import type { MatchState, Orders, TurnEvent } from '../../shared/engine/state.ts';
import { botOrder, botAccepts, botProposals, type Personality } from '../../shared/bots/personalities.ts';
import { rngFor, STREAM } from '../../shared/engine/rng.ts';
import { apply } from '../../shared/match/apply.ts';
import * as M from '../../shared/match/match.ts';
import { nextPhase, phaseSeconds, type Phase } from '../../shared/match/phases.ts';
import type { LogEntry, StoredEntry } from '../../shared/match/log.ts';
import type { MatchHeader } from '../store/types.ts';

export type { Person, TeamState, ChatMessage, FeedItem } from '../../shared/match/match.ts';

export class MatchRuntime {
  readonly header: MatchHeader;
  readonly m: M.Match;

  constructor(header: MatchHeader, rules: RuleFile) {
    this.header = header;
    this.m = M.newMatch(header.settings, rules, header.seed);
  }

  get rules(): RuleFile { return this.m.rules; }
  get state(): MatchState { return this.m.state; }
  get phase(): Phase { return this.m.phase; }
  get paused(): boolean { return this.m.paused; }
  get people() { return this.m.people; }
  get teams() { return this.m.teams; }
  get chat() { return this.m.chat; }
  get feed() { return this.m.feed; }
  get timer() { return this.m.timer; }
  /** the orders that resolved each quarter */
  get resolved(): { turn: number; orders: Orders }[] { return this.m.quarters; }
  get endReason() { return this.m.endReason; }
  get turn(): number { return this.m.state.turn; }
  get finished(): boolean { return M.finished(this.m); }

  apply(entry: LogEntry, at: string, seq: number): TurnEvent[] { return apply(this.m, { entry, at, seq } satisfies StoredEntry); }

  seatsFor(roleId: string): number { return M.seatsFor(this.m, roleId); }
  members(roleId: string) { return M.members(this.m, roleId); }
  botPlays(roleId: string, now: number): boolean { return M.botPlays(this.m, roleId, now); }
  personality(roleId: string): Personality { return M.personality(this.m, roleId); }
  roleName(roleId: string): string { return M.roleName(this.m, roleId); }
  humanRoles(now: number): string[] { return M.humanRoles(this.m, now); }
  anyoneConnected(): boolean { return M.anyoneConnected(this.m); }
  chatVisibleTo(msg: M.ChatMessage, viewer: { role: string | null; facilitator: boolean }): boolean { return M.chatVisibleTo(this.m, msg, viewer); }
  assignRole(wanted: string | undefined) { return M.assignRole(this.m, wanted); }
  nextPhase(): Phase | 'resolve' { return nextPhase(this.m.phase, this.m.state.finished); }
  phaseSeconds(): number { return phaseSeconds(this.m.phase, this.m.settings.timers); }

  /** True when every team people play is done with this phase. */
  everyoneDone(now: number): boolean {
    const humans = this.humanRoles(now);
    if (this.phase === 'orders') return humans.every((id) => this.teams[id].submitted !== null);
    return humans.every((id) => this.teams[id].ready);
  }

  /** The orders that resolve now: submissions, bots for bot-held roles, otherwise the engine's fallback (last order). */
  ordersToResolve(now: number): Orders {
    const orders: Orders = {};
    for (const role of this.rules.roles) {
      const team = this.teams[role.id];
      if (team.submitted) orders[role.id] = team.submitted;
      else if (this.botPlays(role.id, now)) {
        const rng = rngFor(this.state.seed, this.state.turn, STREAM.bots, role.id.length * 131 + role.id.charCodeAt(0));
        orders[role.id] = botOrder(this.rules, this.state, role.id, this.personality(role.id), rng);
      }
    }
    return orders;
  }

  /** Proposals bots make when negotiation opens, as log entries. */
  botProposalEntries(now: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (const role of this.rules.roles) {
      if (!this.botPlays(role.id, now)) continue;
      for (const offer of botProposals(this.rules, this.state, role.id, this.personality(role.id))) {
        out.push({ kind: 'propose', turn: this.state.turn, proposalId: offer.proposalId, from: role.id, to: offer.to, by: 'bot' });
      }
    }
    return out;
  }

  /** A bot's answer to a proposal made to its role, or null when people hold the role. */
  botAnswer(key: number, now: number): LogEntry | null {
    const pending = this.state.pending.find((p) => p.key === key);
    if (!pending || !this.botPlays(pending.to, now)) return null;
    const rng = rngFor(this.state.seed, this.state.turn, STREAM.bots, 1000 + key);
    const accept = botAccepts(this.rules, this.state, pending.to, this.personality(pending.to), rng);
    return { kind: 'respond', turn: this.state.turn, key, role: pending.to, accept, by: 'bot' };
  }
}
