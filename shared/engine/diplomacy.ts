// Formal proposals: offered, accepted or rejected, ratified by governments, binding orders while held, broken in public at a cost in trust.
import type { RuleFile, ProposalRule } from '../rules/schema.ts';
import type { MatchState, Orders, Order, TurnEvent, PendingProposal, Agreement } from './state.ts';
import { cloneState } from './setup.ts';
import { inSweetSpot } from './safety.ts';
import { applyEffects } from './stats.ts';
import { ruleIndex, type Offer } from './ruleIndex.ts';
import { fmt1, say } from './format.ts';

export type DiplomacyResult = { ok: true; state: MatchState; events: TurnEvent[] } | { ok: false; error: string };

const roleSide = (rules: RuleFile, roleId: string) => ruleIndex(rules).role[roleId]?.side;

/** The governments that must be party to an agreement: both sides' for a treaty, the side's own for a deal within it. */
export function governmentsNeeded(rules: RuleFile, _p: ProposalRule, from: string, to: string): string[] {
  const a = roleSide(rules, from), b = roleSide(rules, to);
  // one pass, in role order, without the Set and the second array (bots ask this for every deal they close)
  const out: string[] = [];
  for (const r of rules.roles) if (r.kind === 'government' && (r.side === a || r.side === b) && r.id !== from && r.id !== to) out.push(r.id);
  return out;
}

/**
 * Every role that must agree before a deal holds, besides the two that made it: the governments it needs, then each
 * role it binds that was not party to it. A deal binds only roles whose teams accepted it: a government cannot commit
 * a lab that never saw the deal (and then name it as breaking it).
 */
export function consentNeeded(rules: RuleFile, p: ProposalRule, from: string, to: string): string[] {
  const out = governmentsNeeded(rules, p, from, to);
  for (const r of rules.roles) if (r.id !== from && r.id !== to && !out.includes(r.id) && binds(p, r.id)) out.push(r.id);
  return out;
}

/** p.binds.some((b) => b.role === roleId), without the closure (bots close deals every quarter). */
function binds(p: ProposalRule, roleId: string): boolean {
  for (let i = 0; i < p.binds.length; i++) if (p.binds[i].role === roleId) return true;
  return false;
}

function pendingWithKey(state: MatchState, key: number): PendingProposal | undefined {
  for (let i = 0; i < state.pending.length; i++) if (state.pending[i].key === key) return state.pending[i];
  return undefined;
}

function inForceNamed(state: MatchState, proposalId: string): boolean {
  for (let i = 0; i < state.agreements.length; i++) if (state.agreements[i].proposalId === proposalId) return true;
  return false;
}

/** Accepts, in place, every request for consent to this proposal still waiting (a bot's imagined future where everyone agrees). */
export function consentAllInPlace(rules: RuleFile, state: MatchState, proposalId: string): void {
  for (const x of state.pending.filter((q) => q.ratify && q.proposalId === proposalId)) respondQuietly(rules, state, x.key, x.to, true);
}

/** An agreement binds and counts once every government it needs has ratified it. */
export const inForce = (a: MatchState['agreements'][number]) => !a.awaiting || a.awaiting.length === 0;

// why a proposal is blocked, as a code: the simulator's bots only need to know whether, and a sentence costs more than the check
const OPEN = 0, NO_PROPOSAL = 1, OVER = 2, NO_FROM = 3, NO_TO = 4, NOT_PROPOSER = 5, NOT_WITHIN = 6, NOT_ACROSS = 7, SWEET_SPOT = 8, TRUST = 9, IN_FORCE = 10, WAITING = 11;

function blockCode(rules: RuleFile, state: MatchState, proposalId: string, from: string, to: string): number {
  return blockedBy(rules, state, ruleIndex(rules).proposal[proposalId], proposalId, from, to, roleSide(rules, from), roleSide(rules, to));
}

/** blockCode for an offer of the rule index made by `from` (the role it is listed under), with the proposal and the
 *  roles it links instead of lookups by id: the same checks in the same order. */
function offerBlockCode(rules: RuleFile, state: MatchState, offer: Offer, from: string): number {
  return blockedBy(rules, state, offer.proposal, offer.proposalId, from, offer.to, offer.fromRole?.side, offer.toRole?.side);
}

/** The checks of blockCode, in order, given the proposal and both sides found however the caller found them. */
function blockedBy(rules: RuleFile, state: MatchState, p: ProposalRule | undefined, proposalId: string, from: string, to: string,
  fromSide: string | undefined, toSide: string | undefined): number {
  if (!p) return NO_PROPOSAL;
  if (state.finished) return OVER;
  if (!fromSide) return NO_FROM;
  if (!toSide) return NO_TO;
  if (!p.proposers.includes(from)) return NOT_PROPOSER;
  if (p.withinSide && fromSide !== toSide) return NOT_WITHIN;
  if (!p.withinSide && fromSide === toSide) return NOT_ACROSS;
  if (p.needsSweetSpot && !inSweetSpot(rules, state)) return SWEET_SPOT;
  if (!p.withinSide && state.trust < p.minTrust - 1e-9) return TRUST;
  for (const a of state.agreements) if (a.proposalId === proposalId) return IN_FORCE;
  for (const x of state.pending) if (x.proposalId === proposalId && x.from === from && x.to === to) return WAITING;
  return OPEN;
}

/** mayProposeQuietly for an offer of the rule index, made by the role it is listed under. */
export function mayOfferQuietly(rules: RuleFile, next: MatchState, offer: Offer, from: string): boolean {
  return offerBlockCode(rules, next, offer, from) === OPEN;
}

/** proposeQuietly for an offer of the rule index, made by the role it is listed under. */
export function offerQuietly(rules: RuleFile, next: MatchState, offer: Offer, from: string): PendingProposal | null {
  if (offerBlockCode(rules, next, offer, from) !== OPEN) return null;
  return addProposal(next, offer.proposalId, from, offer.to);
}

/** Why a role may not make this proposal to that role now, or null when it may. */
export function proposalBlocked(rules: RuleFile, state: MatchState, proposalId: string, from: string, to: string): string | null {
  const code = blockCode(rules, state, proposalId, from, to);
  if (code === OPEN) return null;
  const p = ruleIndex(rules).proposal[proposalId]!;
  switch (code) {
    case NO_PROPOSAL: return `there is no proposal "${proposalId}" in these rules`;
    case OVER: return 'the match is over';
    case NO_FROM: return `there is no role "${from}"`;
    case NO_TO: return `there is no role "${to}"`;
    case NOT_PROPOSER: return `${from} cannot propose "${p.title}" (proposers: ${p.proposers.join(', ')})`;
    case NOT_WITHIN: return `"${p.title}" is a deal within one side: it goes to a role of your own side`;
    case NOT_ACROSS: return 'treaties go to a role on the other side';
    case SWEET_SPOT: return `"${p.title}" needs a lead inside the ${rules.model.safeguards.sweetSpot.join('–')} month sweet spot`;
    case TRUST: return `"${p.title}" needs trust between the sides of at least ${fmt1(p.minTrust * 100)}% (it is ${fmt1(state.trust * 100)}%)`;
    case IN_FORCE: return `"${p.title}" is already in force`;
    default: return `"${p.title}" is already waiting for an answer`;
  }
}

export function propose(rules: RuleFile, state: MatchState, proposalId: string, from: string, to: string): DiplomacyResult {
  const blocked = proposalBlocked(rules, state, proposalId, from, to);
  if (blocked) return { ok: false, error: blocked };
  return proposeInPlace(rules, cloneState(state), proposalId, from, to);
}

/** propose() into a state the caller owns; checks first and changes nothing when refused. */
export function proposeInPlace(rules: RuleFile, next: MatchState, proposalId: string, from: string, to: string): DiplomacyResult {
  const blocked = proposalBlocked(rules, next, proposalId, from, to);
  if (blocked) return { ok: false, error: blocked };
  addProposal(next, proposalId, from, to);
  const p = ruleIndex(rules).proposal[proposalId]!;
  return { ok: true, state: next, events: [{ kind: 'agreement', title: 'Proposal', text: `${roleName(rules, from)} proposes "${p.title}" to ${roleName(rules, to)}.`, visibleTo: 'all', ref: proposalId }] };
}

/** proposeInPlace() for bots, which read no events: the new pending proposal, or null when refused (nothing changes). */
export function proposeQuietly(rules: RuleFile, next: MatchState, proposalId: string, from: string, to: string): PendingProposal | null {
  if (blockCode(rules, next, proposalId, from, to) !== OPEN) return null;
  return addProposal(next, proposalId, from, to);
}

/** Whether proposeQuietly would make this proposal now. */
export function mayProposeQuietly(rules: RuleFile, next: MatchState, proposalId: string, from: string, to: string): boolean {
  return blockCode(rules, next, proposalId, from, to) === OPEN;
}

/**
 * A proposal that mayProposeQuietly allows, made and refused at once, for a bot whose answer does not depend on it being
 * made: all that proposeQuietly then respondQuietly(false) leave behind is the key it used (the answer removes the entry).
 */
export function proposeRefusedQuietly(next: MatchState): void {
  next.nextProposalKey++;
}

function addProposal(next: MatchState, proposalId: string, from: string, to: string): PendingProposal {
  const pending: PendingProposal = { key: next.nextProposalKey++, proposalId, from, to, turn: next.turn };
  next.pending.push(pending);
  return pending;
}

export function respond(rules: RuleFile, state: MatchState, key: number, by: string, accept: boolean): DiplomacyResult {
  const refused = responseRefused(rules, state, key, by, accept);
  if (refused) return { ok: false, error: refused };
  return respondInPlace(rules, cloneState(state), key, by, accept);
}

function responseRefused(rules: RuleFile, state: MatchState, key: number, by: string, accept: boolean): string | null {
  const pending = pendingWithKey(state, key);
  if (!pending) return `no proposal #${key} is waiting for an answer`;
  if (pending.to !== by) return `proposal #${key} was made to ${pending.to}, not ${by}`;
  const p = ruleIndex(rules).proposal[pending.proposalId]!;
  if (pending.ratify) return state.agreements.some((a) => a.proposalId === p.id && a.awaiting?.includes(by)) ? null : `"${p.title}" no longer waits for ${by}'s ratification`;
  if (accept && inForceNamed(state, p.id)) return `"${p.title}" is already in force`;
  return null;
}

/** respond() into a state the caller owns; checks first and changes nothing when refused. */
export function respondInPlace(rules: RuleFile, next: MatchState, key: number, by: string, accept: boolean): DiplomacyResult {
  const refused = responseRefused(rules, next, key, by, accept);
  if (refused) return { ok: false, error: refused };
  const events: TurnEvent[] = [];
  applyResponse(rules, next, key, by, accept, events);
  return { ok: true, state: next, events };
}

/** respondInPlace() for bots, which read no events: whether the answer was taken (when not, nothing changes). */
export function respondQuietly(rules: RuleFile, next: MatchState, key: number, by: string, accept: boolean): boolean {
  if (responseRefused(rules, next, key, by, accept)) return false;
  applyResponse(rules, next, key, by, accept, null);
  return true;
}

/** The answer's changes to the state, and its event when `events` is given. */
function applyResponse(rules: RuleFile, next: MatchState, key: number, by: string, accept: boolean, events: TurnEvent[] | null): void {
  const pending = pendingWithKey(next, key)!;
  const p = ruleIndex(rules).proposal[pending.proposalId]!;
  next.pending = next.pending.filter((x) => x.key !== key);
  if (pending.ratify) {
    const a = next.agreements.find((x) => x.proposalId === p.id)!;
    if (!accept) {
      next.agreements = next.agreements.filter((x) => x !== a);
      // one refusal stops it: nobody else is asked any more
      next.pending = next.pending.filter((x) => !(x.ratify && x.proposalId === p.id));
      events?.push({ kind: 'agreement', title: 'Ratification refused', text: `${roleName(rules, by)} refused to ratify "${p.title}"; it never takes effect.`, visibleTo: 'all', ref: p.id });
      return;
    }
    a.awaiting = a.awaiting!.filter((g) => g !== by);
    events?.push({ kind: 'agreement', title: 'Agreement ratified', text: `${roleName(rules, by)} ratified "${p.title}"${inForce(a) ? `; it holds for ${p.turns} quarters` : ''}.`, visibleTo: 'all', ref: p.id });
    return;
  }
  if (!accept) {
    events?.push({ kind: 'agreement', title: 'Proposal rejected', text: `${roleName(rules, by)} rejected "${p.title}".`, visibleTo: 'all', ref: p.id });
    return;
  }
  // a lab may negotiate, but only governments commit a side, and a deal binds only those who accepted it: each missing
  // government, and each bound role not party to it, is asked to agree this quarter
  const awaiting = consentNeeded(rules, p, pending.from, by);
  // the same keys as spreading `{ awaiting }` in only when someone is awaited, without the spread
  next.agreements.push(awaiting.length
    ? { proposalId: p.id, proposer: pending.from, accepter: by, turnsLeft: p.turns, heldTurns: 0, awaiting }
    : { proposalId: p.id, proposer: pending.from, accepter: by, turnsLeft: p.turns, heldTurns: 0 });
  for (const g of awaiting) next.pending.push({ key: next.nextProposalKey++, proposalId: p.id, from: pending.from, to: g, turn: next.turn, ratify: true });
  if (!events) return;
  const tail = awaiting.length ? `; it needs the agreement of ${awaiting.map((g) => roleName(rules, g)).join(' and ')}` : ` for ${p.turns} quarters`;
  events.push({ kind: 'agreement', title: 'Agreement', text: `${roleName(rules, by)} accepted "${p.title}"${tail}.`, visibleTo: 'all', ref: p.id });
}

export function roleName(rules: RuleFile, roleId: string): string {
  return ruleIndex(rules).role[roleId]?.name ?? roleId;
}

/** The first binding of this agreement an order breaks, as a sentence (left empty with `why: false`), or null. */
export function brokenBinding(p: ProposalRule, orders: Orders, why = true): { role: string; why: string } | null {
  for (const b of p.binds) {
    const order: Order | undefined = orders[b.role];
    if (!order) continue;
    if (b.lever) {
      const spent = order.spend[b.lever] ?? 0;
      if (b.atMost !== undefined && spent > b.atMost + 1e-9) return { role: b.role, why: !why ? '' : `spent $${fmt1(spent)}B on ${b.lever} (agreed: at most $${b.atMost}B)` };
      if (b.atLeast !== undefined && spent < b.atLeast - 1e-9) return { role: b.role, why: !why ? '' : `spent $${fmt1(spent)}B on ${b.lever} (agreed: at least $${b.atLeast}B)` };
    }
    if (b.setting === 'exportTiers' && b.region && order.exportTiers && order.exportTiers[b.region] !== undefined && order.exportTiers[b.region] !== b.value) {
      return { role: b.role, why: !why ? '' : `set ${b.region} to ${order.exportTiers[b.region]} (agreed: ${String(b.value)})` };
    }
    if (b.setting === 'globalLicensing' && order.globalLicensing !== undefined && order.globalLicensing !== b.value) return { role: b.role, why: 'changed global licensing' };
    if (b.setting === 'openWeights' && order.openWeights !== undefined && order.openWeights !== b.value) return { role: b.role, why: 'changed open-weight releases' };
    if (b.setting === 'hubCompliance' && typeof b.value === 'number' && order.hubCompliance !== undefined && order.hubCompliance < b.value) {
      return { role: b.role, why: !why ? '' : `set hub compliance to ${fmt1(order.hubCompliance)} (agreed: at least ${b.value})` };
    }
  }
  return null;
}

/** Ends agreements whose bindings these orders break; the breaker's side is marked and a broken treaty costs trust, adoption and calm. */
export function checkAgreements(rules: RuleFile, state: MatchState, orders: Orders, events: TurnEvent[]): void {
  if (!state.agreements.length) return;
  const d = rules.model.diplomacy;
  // the filter's walk by hand: a new list only when an agreement ends (most quarters none does, and the list is the state's own)
  const list = state.agreements;
  let kept: Agreement[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (holdsUnbroken(rules, state, a, orders, d, events)) kept?.push(a);
    else kept ??= list.slice(0, i);
  }
  if (kept) state.agreements = kept;
}

/** checkAgreements for one agreement: whether it still holds; if these orders break it, the break's costs and its event. */
function holdsUnbroken(rules: RuleFile, state: MatchState, a: Agreement, orders: Orders, d: RuleFile['model']['diplomacy'], events: TurnEvent[]): boolean {
  if (!inForce(a)) return true;
  const p = ruleIndex(rules).proposal[a.proposalId]!;
  const broken = brokenBinding(p, orders, say.texts);
  if (!broken) return true;
  const side = roleSide(rules, broken.role)!;
  const breaker = side === 'us' ? state.sides.us : state.sides.china;
  breaker.brokenAgreements++;
  if (!p.withinSide) {
    state.brokenTreaties++;
    state.trust = Math.max(0, state.trust - d.breakCost);
    state.tension += d.breakTension;
    breaker.adoption = Math.max(0, breaker.adoption - d.breakAdoption);
  }
  if (say.news) events.push({ kind: 'agreement', title: 'Agreement broken', text: !say.texts ? '' : `${roleName(rules, broken.role)} broke "${p.title}": it ${broken.why}.${p.withinSide ? '' : ' Trust between the sides falls.'}`, visibleTo: 'all', ref: p.id });
  return false;
}

/** Agreements that held this quarter apply their effects, count toward governance, and expire. */
export function tickAgreements(rules: RuleFile, state: MatchState, events: TurnEvent[]): void {
  const list = state.agreements;
  // as checkAgreements: a new list only when one lapses or completes
  let kept: Agreement[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (tickOne(rules, state, a, events)) kept?.push(a);
    else kept ??= list.slice(0, i);
  }
  if (kept) state.agreements = kept;
  // proposals not answered within the quarter lapse
  const pending = state.pending;
  if (pending.length) {
    let left: PendingProposal[] | null = null;
    for (let i = 0; i < pending.length; i++) {
      if (pending[i].turn > state.turn) left?.push(pending[i]);
      else left ??= pending.slice(0, i);
    }
    if (left) state.pending = left;
  }
}

/** tickAgreements for one agreement: whether it goes on after this quarter. */
function tickOne(rules: RuleFile, state: MatchState, a: Agreement, events: TurnEvent[]): boolean {
  const p = ruleIndex(rules).proposal[a.proposalId]!;
  // not ratified within the quarter it was made: it lapses
  if (!inForce(a)) {
    if (say.news) events.push({ kind: 'agreement', title: 'Agreement lapsed', text: !say.texts ? '' : `"${p.title}" lapsed without ratification.`, visibleTo: 'all', ref: p.id });
    return false;
  }
  applyEffects(state, p.whileHeld);
  if (!p.withinSide) state.trust = Math.min(1, state.trust + rules.model.diplomacy.heldGain);
  a.heldTurns++;
  a.turnsLeft--;
  if (p.safetyAgreement) state.agreementTurns = Math.max(state.agreementTurns, a.heldTurns);
  if (a.turnsLeft > 0) return true;
  if (say.news) events.push({ kind: 'agreement', title: 'Agreement completed', text: !say.texts ? '' : `"${p.title}" ran its full ${p.turns} quarters.`, visibleTo: 'all', ref: p.id });
  return false;
}
