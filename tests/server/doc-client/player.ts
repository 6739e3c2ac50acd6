// Plays one seat from the lobby to the ending, using only what docs/protocol.md describes:
// ready in the lobby, briefing, negotiation and report; submit in the orders; answer proposals made to us.
import { Seat, matchRules, type Order, type RoleView, type Answer, type RoleRule } from './client.ts';

/** An order for this quarter from the role view and the role as the rule file describes it (docs/protocol.md, section 8). */
export type Strategy = (view: RoleView, role: RoleRule) => Order;

const cents = (x: number) => Math.floor(x * 100) / 100;

/** Spends `share` of the budget, split evenly over every lever, rounded down to $0.01B. */
export const evenSplit = (share = 0.9): Strategy => (view, role) => {
  const each = cents((view.budget * share) / role.levers.length);
  return { spend: Object.fromEntries(role.levers.map((l) => [l.id, each])) };
};

/**
 * Reads each lever's documented mechanism: half of `share` of the budget follows the 2026 split (statusQuo),
 * the other half goes to compute (chips, fabs, power, algorithms) and safety; every lever gets at least $0.01B.
 */
export const helpfulSplit = (share = 0.9): Strategy => (view, role) => {
  const favoured = ['chips', 'fabs', 'power', 'algorithms', 'safety'];
  const picked = role.levers.filter((l) => favoured.includes(l.effect));
  const favs = picked.length ? picked : role.levers;
  const sq = role.levers.reduce((n, l) => n + l.statusQuo, 0) || 1;
  const pot = Math.max(0, view.budget * share - 0.01 * role.levers.length);
  return {
    spend: Object.fromEntries(role.levers.map((l) => [l.id,
      cents(0.01 + (pot / 2) * (l.statusQuo / sq) + (favs.includes(l) ? pot / 2 / favs.length : 0))])),
  };
};

export interface PlayOptions {
  base: string;
  code: string;
  name: string;
  role?: string;
  strategy?: Strategy;
  /** answer proposals made to our role: accept or reject (default reject) */
  acceptProposals?: boolean;
  /** leave the room once this many quarters have resolved and come back with the seat token (section 15) */
  rejoinAfterQuarter?: number;
  /** give up if a phase takes longer than this */
  phaseTimeoutMs?: number;
}

export interface PlayResult {
  role: string;
  seatToken: string;
  /** every accepted submission, by quarter (state.turn when it was submitted) */
  submitted: { turn: number; order: Order; warnings?: string[] }[];
  responded: { key: number; proposalId: string; accept: boolean; ok: boolean }[];
  phases: string[];
  rejoined: boolean;
  endingId: string;
  ending: { id: string; title: string; text: string; scores: Record<string, number> } | null;
  /** refusals the client met along the way (it retries the ones that can pass later) */
  refusals: string[];
}

const ACTIVE = ['briefing', 'negotiation', 'orders'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function playSeat(o: PlayOptions): Promise<PlayResult> {
  const strategy = o.strategy ?? helpfulSplit();
  const timeout = o.phaseTimeoutMs ?? 15_000;
  let seat = await Seat.join(o.base, o.code, { name: o.name, ...(o.role ? { role: o.role } : {}) });
  const role = seat.welcome.role;
  const seatToken = seat.welcome.seatToken;
  if (!role || !seatToken) throw new Error(`joined without a seat: ${JSON.stringify(seat.welcome)}`);
  // our role as the match's rule file describes it: levers with their help, settings (section 8.3)
  const rules = await matchRules(o.base, o.code);
  const roleRule = rules.roles.find((r) => r.id === role);
  if (!roleRule?.levers.length) throw new Error(`the rules list no levers for ${role}`);

  const result: PlayResult = { role, seatToken, submitted: [], responded: [], phases: [], rejoined: false, endingId: '', ending: null, refusals: [] };
  const done = new Set<string>();
  const answered = new Set<number>();
  const here = () => `${seat.phase}/${seat.turn}`;

  /** sends until accepted; a refusal is retried while the phase has not moved on (e.g. "slow down") */
  const insist = async (type: string, payload: () => unknown): Promise<Answer | null> => {
    const at = here();
    for (let attempt = 0; attempt < 5; attempt++) {
      const a = await seat.ask(type, payload());
      if (a.ok) return a;
      result.refusals.push(`${at} ${type}: ${a.message}${a.details ? ` (${a.details.join('; ')})` : ''}`);
      if (here() !== at) return null;
      await sleep(150 * (attempt + 1));
    }
    throw new Error(`${type} refused five times at ${at}: ${result.refusals.at(-1)}`);
  };

  for (;;) {
    await seat.until(() => seat.phase === 'ended' || !done.has(here()), `the phase after ${here()}`, timeout);
    const phase = seat.phase, turn = seat.turn, key = here();
    if (phase === 'ended') break;
    if (result.phases.at(-1) !== key) result.phases.push(key);

    if (o.rejoinAfterQuarter !== undefined && !result.rejoined && phase === 'report' && turn >= o.rejoinAfterQuarter) {
      // come back as a program that only kept the code and the seat token would
      await seat.leave();
      seat = await Seat.join(o.base, o.code, { seatToken });
      if (seat.welcome.role !== role || seat.welcome.seatToken !== null) throw new Error(`came back as ${JSON.stringify(seat.welcome)}`);
      result.rejoined = true;
      continue;
    }

    // our team's view of this very quarter (it arrives with the phase, but never act on a stale one)
    await seat.until(() => seat.team()?.view?.world.turn === seat.turn, `the ${role} view of quarter ${turn}`, timeout);
    const view = seat.team()!.view!;

    if (ACTIVE.includes(phase)) {
      for (const p of view.world.pending) {
        if (p.to !== role || answered.has(p.key)) continue;
        answered.add(p.key);
        const accept = o.acceptProposals ?? false;
        const a = await seat.ask('respond', { key: p.key, accept });
        result.responded.push({ key: p.key, proposalId: p.proposalId, accept, ok: a.ok });
      }
    }

    if (phase === 'orders') {
      const order = strategy(view, roleRule);
      const a = await insist('submit', () => ({ order }));
      if (a) result.submitted.push({ turn, order, ...(a.warnings ? { warnings: a.warnings } : {}) });
    } else {
      await insist('ready', () => ({ ready: true }));
    }
    done.add(key);
  }

  result.endingId = seat.state.endingId;
  result.ending = seat.publicDoc()?.view.world.ending ?? null;
  await seat.leave();
  return result;
}
