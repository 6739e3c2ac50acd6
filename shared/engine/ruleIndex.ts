// Lookups computed once per rule file, so the hot loop never searches arrays by id.
import { SETTING_IDS } from '../rules/settings.ts';
import type { SettingId } from '../rules/settings.ts';
import type { RuleFile, RoleRule, ProposalRule, RegionRule, EventCard } from '../rules/schema.ts';
import { LEVER_EFFECTS } from '../rules/effects.ts';
import { spendRecord, type SpendRecord } from './recordMaker.ts';

/** A proposal a role may make, and to whom; with the proposal and both roles as the index holds them (a bot's check of
 *  whether it may make it then looks none of them up by id). */
export interface Offer {
  proposalId: string;
  to: string;
  safety: boolean;
  needsRatification: boolean;
  proposal: ProposalRule;
  fromRole: RoleRule;
  toRole: RoleRule;
}

export interface RuleIndex {
  role: Record<string, RoleRule>;
  proposal: Record<string, ProposalRule>;
  region: Record<string, RegionRule>;
  card: Record<string, EventCard>;
  hubs: RegionRule[];
  /** each hub's position in rules.regions */
  hubAt: number[];
  /** the threshold crises, which fire on their own besides the draw */
  crises: EventCard[];
  /** per role, each lever's position in LEVER_EFFECTS */
  effectIndex: Record<string, number[]>;
  /** per role, a spend object with every lever at 0: cloning it beats building one key by key */
  spendTemplate: Record<string, Record<string, number>>;
  /** per role, which settings it holds */
  holds: Record<string, Record<SettingId, boolean>>;
  /** each region's starting export tier, by region id in rule order (the status quo's tiers: a copy beats building one key by key) */
  startTiers: Record<string, RegionRule['exportTier']>;
  /** holds by role position in rules.roles */
  holdsAt: Record<SettingId, boolean>[];
  /** by role position in rules.roles, whether it holds any setting at all (a fitted order of one that holds none sets nothing) */
  holdsAnyAt: boolean[];
  /** by role position, the maker of its spend records (and writer of their amounts) */
  spendAt: SpendRecord[];
  /** by role position, each lever's position in LEVER_EFFECTS (effectIndex without the lookup by id) */
  effectIndexAt: number[][];
  /** for each role, the proposals it may make and the rival role each is addressed to */
  offers: Record<string, Offer[]>;
  startCapability: { us: number; china: number };
  /** per role, perTurn · growth^turn for every quarter of the calendar (the same product availableBudget made each call),
   *  with the two numbers it was made from (a test that edits a budget afterwards gets the product worked out again) */
  budgetAt: Record<string, { perTurn: number; growth: number; at: number[] }>;
}

const INDEX = Symbol('ruleIndex');
type Indexed = RuleFile & { [INDEX]?: RuleIndex };

export function ruleIndex(rules: RuleFile): RuleIndex {
  let idx = (rules as Indexed)[INDEX];
  if (idx) return idx;
  // null-prototype: ids arrive from clients ("constructor", "hasOwnProperty" must be unknown, not Object's methods)
  const byId = <T extends { id: string }>(xs: T[]) => Object.setPrototypeOf(Object.fromEntries(xs.map((x) => [x.id, x])), null) as Record<string, T>;
  const start = (side: 'us' | 'china') => rules.model.capability.monthsPerDoubling * Math.log2(rules.model.start[side].chips) + rules.model.start[side].algorithmicMonths;
  idx = {
    role: byId(rules.roles), proposal: byId(rules.proposals), region: byId(rules.regions), card: byId(rules.events),
    hubs: rules.regions.filter((r) => r.alignment === 'tier2'),
    hubAt: rules.regions.flatMap((r, k) => (r.alignment === 'tier2' ? [k] : [])),
    crises: rules.events.filter((c) => c.crisis),
    effectIndex: Object.fromEntries(rules.roles.map((r) => [r.id, r.levers.map((l) => LEVER_EFFECTS.indexOf(l.effect))])),
    spendTemplate: Object.fromEntries(rules.roles.map((r) => [r.id, Object.fromEntries(r.levers.map((l) => [l.id, 0]))])),
    holdsAt: [],
    startTiers: Object.fromEntries(rules.regions.map((r) => [r.id, r.exportTier])),
    holdsAnyAt: rules.roles.map((r) => SETTING_IDS.some((id) => r.settings.includes(id))),
    spendAt: rules.roles.map((r) => spendRecord(r.levers)),
    effectIndexAt: rules.roles.map((r) => r.levers.map((l) => LEVER_EFFECTS.indexOf(l.effect))),
    holds: Object.fromEntries(rules.roles.map((r) => [r.id, Object.fromEntries(SETTING_IDS.map((id) => [id, r.settings.includes(id)])) as Record<SettingId, boolean>])),
    offers: Object.fromEntries(rules.roles.map((role) => [role.id, rules.proposals.filter((p) => p.proposers.includes(role.id)).map((p) => {
      // a deal within a side goes to the own-side role it binds; a treaty to the rival government (which commits its side),
      // else to the rival role it binds, else to the rival side's first role
      const party = (r: RoleRule) => (p.withinSide ? r.side === role.side && r.id !== role.id : r.side !== role.side);
      const to = (p.withinSide ? undefined : rules.roles.find((r) => party(r) && r.kind === 'government'))
        ?? rules.roles.find((r) => party(r) && p.binds.some((b) => b.role === r.id)) ?? rules.roles.find(party);
      // a government outside the two parties (a lab's own, for a treaty) would still have to ratify it
      const sides = new Set([role.side, to?.side]);
      const needsRatification = rules.roles.some((r) => r.kind === 'government' && sides.has(r.side) && r.id !== role.id && r.id !== to?.id);
      return { proposalId: p.id, to: to?.id ?? '', safety: p.safetyAgreement, needsRatification, proposal: p, fromRole: role, toRole: to! };
    }).filter((o) => o.to)])),
    startCapability: { us: start('us'), china: start('china') },
    budgetAt: Object.fromEntries(rules.roles.map((r) => [r.id, {
      perTurn: r.budget.perTurn, growth: r.budget.growth,
      at: Array.from({ length: rules.calendar.turns + 1 }, (_, turn) => r.budget.perTurn * Math.pow(r.budget.growth, turn)),
    }])),
  };
  // each offer's proposal and roles as the index finds them by id (what blockCode would look up)
  for (const id in idx.offers) for (const o of idx.offers[id]) { o.proposal = idx.proposal[o.proposalId]; o.fromRole = idx.role[id]; o.toRole = idx.role[o.to]; }
  // the same records as holds, by position
  for (const r of rules.roles) idx.holdsAt.push(idx.holds[r.id]);
  // a hidden property is faster than a WeakMap here; it never shows in JSON or Object.keys
  Object.defineProperty(rules, INDEX, { value: idx, enumerable: false });
  // each role's budget row on the role too, now, before shared rules are frozen (server/match-rules.ts)
  for (const r of rules.roles) keepBudgetRow(r, idx.budgetAt[r.id]);
  return idx;
}

const BUDGET_AT = Symbol('budgetAt');
type WithBudget = RoleRule & { [BUDGET_AT]?: RuleIndex['budgetAt'][string] };

function keepBudgetRow(role: RoleRule, row: RuleIndex['budgetAt'][string]): void {
  if (!(role as WithBudget)[BUDGET_AT] && Object.isExtensible(role)) Object.defineProperty(role, BUDGET_AT, { value: row, enumerable: false });
}

/** The role's row of budgetAt, read off the role itself (one plain read, not a lookup by id). The row depends only on
 *  the role's own budget, which budgetOf checks at each use, so a role shared by two rule files may keep either's. */
export function budgetRow(rules: RuleFile, role: RoleRule): RuleIndex['budgetAt'][string] {
  return (role as WithBudget)[BUDGET_AT] ?? ruleIndex(rules).budgetAt[role.id];
}
