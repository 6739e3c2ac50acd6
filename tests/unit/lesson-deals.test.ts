// A deal binds only roles whose teams accepted it (issue 13): a government's treaty that binds another role asks that
// role to agree; until it does the deal binds nobody, and nobody is named as breaking it.
import { describe, it, expect } from 'vitest';
import { defaultRules } from '../helpers/rules.ts';
import { initialState, statusQuoOrder, cloneState } from '../../shared/engine/setup.ts';
import { resolveTurn } from '../../shared/engine/resolve.ts';
import { propose, respond, inForce } from '../../shared/engine/diplomacy.ts';
import type { MatchState, Orders } from '../../shared/engine/state.ts';
import { runBotMatch } from '../../shared/sim/botMatch.ts';

const rules = defaultRules();
const sq = (s: MatchState): Orders => Object.fromEntries(rules.roles.map((r) => [r.id, statusQuoOrder(rules, s, r.id)]));

/** The US Government offers China's government a pause on distillation, which binds the Chinese Lab; China's government accepts. */
function governmentsAgree() {
  const made = propose(rules, cloneState(initialState(rules, 1)), 'distillationPause', 'usGov', 'cnGov');
  if (!made.ok) throw new Error(made.error);
  const accepted = respond(rules, made.state, made.state.pending[0].key, 'cnGov', true);
  if (!accepted.ok) throw new Error(accepted.error);
  return accepted;
}

describe('deals bind only the roles that accepted them', () => {
  it('a treaty between governments that binds a lab waits for the lab to agree, and is public about it', () => {
    const accepted = governmentsAgree();
    const a = accepted.state.agreements[0];
    expect(a.awaiting).toEqual(['cnLab']);
    expect(inForce(a)).toBe(false);
    expect(accepted.state.pending.filter((p) => p.ratify).map((p) => p.to)).toEqual(['cnLab']);
    expect(accepted.events[0].text).toContain('it needs the agreement of');
  });

  it('a lab that never agreed is not named as breaking it; the deal lapses', () => {
    const accepted = governmentsAgree();
    const orders = { ...sq(accepted.state), cnLab: { ...statusQuoOrder(rules, accepted.state, 'cnLab'), spend: { ...statusQuoOrder(rules, accepted.state, 'cnLab').spend, distillation: 2 } } };
    const r = resolveTurn(rules, accepted.state, orders);
    expect(r.events.filter((e) => e.title === 'Agreement broken')).toEqual([]);
    expect(r.state.sides.china.brokenAgreements).toBe(0);
    expect(r.state.agreements).toEqual([]);
  });

  it('once the lab agrees, it is bound, and breaking it is named', () => {
    const accepted = governmentsAgree();
    const ask = accepted.state.pending.find((p) => p.ratify && p.to === 'cnLab')!;
    const agreed = respond(rules, accepted.state, ask.key, 'cnLab', true);
    if (!agreed.ok) throw new Error(agreed.error);
    expect(inForce(agreed.state.agreements[0])).toBe(true);
    const lab = statusQuoOrder(rules, agreed.state, 'cnLab');
    const r = resolveTurn(rules, agreed.state, { ...sq(agreed.state), cnLab: { ...lab, spend: { ...lab.spend, distillation: 2 } } });
    expect(r.events.find((e) => e.title === 'Agreement broken')?.text).toMatch(/^Chinese Lab broke "Pause on distillation"/);
  });

  it('a lab refusing to agree stops the deal', () => {
    const accepted = governmentsAgree();
    const ask = accepted.state.pending.find((p) => p.ratify && p.to === 'cnLab')!;
    const refused = respond(rules, accepted.state, ask.key, 'cnLab', false);
    if (!refused.ok) throw new Error(refused.error);
    expect(refused.state.agreements).toEqual([]);
  });

  it('all-dove bots still close treaties that bind their labs (every bound bot agrees)', () => {
    const dove = { usGov: 'dove', usLab: 'dove', cnGov: 'dove', cnLab: 'dove' } as const;
    const log = runBotMatch(rules, 3, dove, true).log!;
    const held = log.flatMap((q) => q.events).filter((e) => e.title === 'Agreement completed' || e.title === 'Agreement ratified');
    expect(held.length).toBeGreaterThan(0);
  });
});
