// resolveTurn: the whole rules of one quarter as a pure function of (rules, state, orders, rng).
import type { RuleFile, RoleRule, Side, ExportTier } from '../rules/schema.ts';
import { LEVER_EFFECTS } from '../rules/effects.ts';
import type { MatchState, Orders, Order, TurnEvent, RoleState } from './state.ts';
import type { SettingId } from '../rules/settings.ts';
import { cloneState, budgetWith, statusQuoOrder, snapshot } from './setup.ts';
import { newAcquisition, buyChips, runFabs, smuggle, pressHubs } from './chips.ts';
import { updateFleet, train, distill, catchUpMonths } from './training.ts';
import { updateSafeguards, drawIncident, updateAdoption, intelError } from './safety.ts';
import { checkAgreements, tickAgreements } from './diplomacy.ts';
import { drawEvents, resolveDilemmas, dilemmaAnswer } from './deck.ts';
import { finishMatch } from './endings.ts';
import { rngFor, STREAM, type Rng } from './rng.ts';
import { leadMonths, regionList } from './state.ts';
import { say } from './format.ts';
import { ruleIndex } from './ruleIndex.ts';
import { spendRecord, type SpendRecord } from './recordMaker.ts';

export interface TurnResult {
  state: MatchState;
  events: TurnEvent[];
  /** the orders that actually resolved, after fallbacks and clamping, per role */
  orders: Orders;
}


const SUMS = { us: new Float64Array(LEVER_EFFECTS.length), china: new Float64Array(LEVER_EFFECTS.length) };

// positions in LEVER_EFFECTS of the mechanisms resolution reads from the summed spend
const CHIPS = 0, POWER = 1, FABS = 2, ALGORITHMS = 3, GREY_MARKET = 4, ENFORCEMENT = 5, ANTI_DISTILLATION = 6, DISTILLATION = 7, INTELLIGENCE = 8, SAFETY = 9, ADOPTION = 10;
if (LEVER_EFFECTS.join() !== 'chips,power,fabs,algorithms,greyMarket,enforcement,antiDistillation,distillation,intelligence,safety,adoption') {
  throw new Error('LEVER_EFFECTS changed: update the positions above');
}
const BOTH_SIDES = ['us', 'china'] as const;
// per role, its money on chips and the grey market (CHIPS, GREY_MARKET), which supply caps may leave unspent: what is left goes back to the roles that spent it
// (by the role's position in rules.roles: a typed array, not a lookup by id)
let BUY_SPEND = new Float64Array(8);

/** Money a side's chip purchases could not place returns to its roles' banks, in proportion to what each spent on them. */
function refundUnspent(rules: RuleFile, state: MatchState, side: Side, unspent: number): void {
  if (unspent <= 1e-12) return;
  let total = 0;
  const roles = rules.roles;
  for (let j = 0; j < roles.length; j++) if (roles[j].side === side) total += BUY_SPEND[j];
  if (total <= 0) return;
  for (let j = 0; j < roles.length; j++) if (roles[j].side === side && BUY_SPEND[j] > 0) state.roles[roles[j].id].bank += (unspent * BUY_SPEND[j]) / total;
}

/** Fits an order to the role: known levers only, no negative or non-finite money, never over budget. */
export function fitOrder(rules: RuleFile, state: MatchState, roleId: string, order: Order | undefined): Order {
  return fitOrderAmounts(rules, state, ruleIndex(rules).role[roleId], order);
}

// fitOrderAmounts' money per lever, in the role's lever order: scratch reused across calls (resolution is synchronous)
let AMOUNTS = new Float64Array(16);

// and their total, and the budget they were fitted to
// (in a typed array: a number kept in a module variable is boxed anew at each store)
const FIT = new Float64Array(2);
const TOTAL = 0, BUDGET = 1;

/**
 * Whether a spend names exactly the role's levers, in lever order, each with money that needs no fixing (finite, positive
 * or +0): then a plain copy of it is what fitting builds lever by lever (bots' orders always are). Reads it in one pass
 * (for-in is much cheaper than a lookup per lever id), leaving the amounts in `amounts` and their sum in FIT[TOTAL].
 */
function spendFitsAsIs(src: Record<string, number>, levers: RoleRule['levers'], amounts: Float64Array): boolean {
  if (Object.getPrototypeOf(src) !== Object.prototype) return false;
  let i = 0, total = 0;
  for (const k in src) {
    if (i >= levers.length || k !== levers[i].id) return false;
    const v = src[k];
    if (typeof v !== 'number' || !((v > 0 && v !== Infinity) || (v === 0 && 1 / v > 0))) return false;
    amounts[i++] = v;
    total += v;
  }
  FIT[TOTAL] = total;
  return i === levers.length;
}

/** Whether export tiers name exactly the rules' regions, in their order, each with a known tier: then a copy is the fitted form. */
function tiersFitAsIs(src: Record<string, string>, regions: RuleFile['regions']): boolean {
  if (Object.getPrototypeOf(src) !== Object.prototype) return false;
  let i = 0;
  for (const k in src) {
    if (i >= regions.length || k !== regions[i].id) return false;
    const t = src[k];
    if (t !== 'open' && t !== 'licensed' && t !== 'embargo') return false;
    i++;
  }
  return i === regions.length;
}

/**
 * Whether the fitted form of an order is the order itself, key for key and number for number: its spend fits as is
 * (checked by the caller), then only the settings the role holds, each valid as given, in the order fitting writes them,
 * and exactly the dilemma answers fitting would give.
 */
function orderFitsAsIs(rules: RuleFile, state: MatchState, roleId: string, holds: Record<string, boolean>, order: Order): boolean {
  if (Object.getPrototypeOf(order) !== Object.prototype) return false;
  // the position of each key in fitting's order: spend, exportTiers, globalLicensing, openWeights, hubCompliance, dilemmas
  let at = 0;
  let answered = false;
  for (const k in order) {
    const v = (order as unknown as Record<string, unknown>)[k];
    let here = 0;
    if (k === 'spend') here = 1;
    else if (k === 'exportTiers') {
      if (!holds.exportTiers || typeof v !== 'object' || v === null || !tiersFitAsIs(v as Record<string, string>, rules.regions)) return false;
      here = 2;
    } else if (k === 'globalLicensing') {
      if (!holds.globalLicensing || typeof v !== 'boolean') return false;
      here = 3;
    } else if (k === 'openWeights') {
      if (!holds.openWeights || typeof v !== 'boolean') return false;
      here = 4;
    } else if (k === 'hubCompliance') {
      if (!holds.hubCompliance || typeof v !== 'number' || !(v > 0 && v <= 1 || (v === 0 && 1 / v > 0))) return false;
      here = 5;
    } else if (k === 'dilemmas') {
      if (typeof v !== 'object' || v === null || !answersFitAsIs(rules, state, roleId, v as Record<string, string>)) return false;
      answered = true;
      here = 6;
    } else return false;
    if (here <= at) return false;
    at = here;
  }
  if (!answered) for (const d of state.dilemmas) if (d.role === roleId && dilemmaAnswer(rules, d.cardId, undefined) !== undefined) return false;
  return true;
}

/** Whether answers name exactly the dilemmas fitting answers for this role, in that order, each with a valid option. */
function answersFitAsIs(rules: RuleFile, state: MatchState, roleId: string, answers: Record<string, string>): boolean {
  if (Object.getPrototypeOf(answers) !== Object.prototype) return false;
  const open = state.dilemmas;
  let j = 0;
  for (const k in answers) {
    while (j < open.length && (open[j].role !== roleId || dilemmaAnswer(rules, open[j].cardId, undefined) === undefined)) j++;
    if (j >= open.length || open[j].cardId !== k || dilemmaAnswer(rules, k, answers) !== answers[k]) return false;
    // a card put twice would be answered once, under its first place
    for (let i = 0; i < j; i++) if (open[i].cardId === k) return false;
    j++;
  }
  for (; j < open.length; j++) if (open[j].role === roleId && dilemmaAnswer(rules, open[j].cardId, undefined) !== undefined) return false;
  return true;
}

/** Fits the order and leaves each lever's money in AMOUNTS[0..levers) and their sum in FIT[TOTAL]. With `owned`, the caller
 *  gives up the order (the simulator's bots make a fresh one each quarter): one that fits as is is kept itself, not copied. */
function fitOrderAmounts(rules: RuleFile, state: MatchState, role: RoleRule, order: Order | undefined, owned = false,
  holds: Record<SettingId, boolean> = ruleIndex(rules).holds[role.id], rs: RoleState = state.roles[role.id], record?: SpendRecord): Order {
  const index = ruleIndex(rules);
  const roleId = role.id;
  const base = order ?? rs.lastOrder ?? statusQuoOrder(rules, state, roleId);
  const budget = budgetWith(rules, state, role, rs);
  const levers = role.levers;
  if (AMOUNTS.length < levers.length) AMOUNTS = new Float64Array(levers.length);
  const amounts = AMOUNTS;
  let total = 0;
  let spend: Record<string, number>;
  const keysAsIs = spendFitsAsIs(base.spend, levers, amounts);
  if (keysAsIs && owned && base === order && orderFitsAsIs(rules, state, roleId, holds, base)) {
    // kept itself; an order over budget (a bot's shares may sum a rounding above it) is cut in place, as the copy below cuts
    total = FIT[TOTAL];
    if (total > budget && total > 0) {
      for (let i = 0; i < levers.length; i++) amounts[i] *= budget / total;
      total = budget;
      // the keys are the levers' ids in lever order (spendFitsAsIs): written back by name
      (record ?? spendRecord(levers)).write(base.spend, amounts);
    }
    FIT[TOTAL] = total;
    FIT[BUDGET] = budget;
    return base;
  }
  if (keysAsIs && !(FIT[TOTAL] > budget && FIT[TOTAL] > 0)) {
    total = FIT[TOTAL];
    // the same keys in the same order and the same numbers as the lever-by-lever copy below, made in one step
    spend = { ...base.spend };
  } else {
    spend = { ...index.spendTemplate[roleId] };
    for (let i = 0; i < levers.length; i++) {
      const v = base.spend[levers[i].id];
      const x = typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
      amounts[i] = x;
      total += x;
    }
    if (total > budget && total > 0) {
      for (let i = 0; i < levers.length; i++) amounts[i] *= budget / total;
      total = budget;
    }
    for (let i = 0; i < levers.length; i++) spend[levers[i].id] = amounts[i];
  }
  const fitted: Order = { spend };
  if (holds.exportTiers && base.exportTiers) {
    if (tiersFitAsIs(base.exportTiers, rules.regions)) fitted.exportTiers = { ...base.exportTiers };
    else {
      fitted.exportTiers = {};
      for (const r of rules.regions) {
        const t = base.exportTiers[r.id];
        fitted.exportTiers[r.id] = t === 'open' || t === 'licensed' || t === 'embargo' ? t : state.regions[r.id].tier;
      }
    }
  }
  if (holds.globalLicensing && typeof base.globalLicensing === 'boolean') fitted.globalLicensing = base.globalLicensing;
  if (holds.openWeights && typeof base.openWeights === 'boolean') fitted.openWeights = base.openWeights;
  if (holds.hubCompliance && typeof base.hubCompliance === 'number' && Number.isFinite(base.hubCompliance)) {
    fitted.hubCompliance = Math.min(1, Math.max(0, base.hubCompliance));
  }
  // every dilemma put to this role gets an answer: the order's, else the card's default
  for (const d of state.dilemmas) {
    if (d.role !== roleId) continue;
    const pick = dilemmaAnswer(rules, d.cardId, order?.dilemmas);
    if (pick !== undefined) (fitted.dilemmas ??= {})[d.cardId] = pick;
  }
  FIT[TOTAL] = total;
  FIT[BUDGET] = budget;
  return fitted;
}

// scratch for one order's export tiers, in rule order
const TIERS: (ExportTier | undefined)[] = [];

function applySettings(rules: RuleFile, state: MatchState, order: Order, events: TurnEvent[], roleName: string): void {
  const tiers = order.exportTiers;
  if (tiers) {
    const regions = regionList(rules, state);
    // a fitted order's tiers name the regions in rule order: read in one pass (a lookup per region id costs far more)
    let n = 0;
    for (const id in tiers) {
      if (n >= rules.regions.length || id !== rules.regions[n].id) { n = -1; break; }
      TIERS[n++] = tiers[id];
    }
    const inOrder = n === rules.regions.length;
    for (let k = 0; k < rules.regions.length; k++) {
      const r = rules.regions[k];
      const t = inOrder ? TIERS[k] : tiers[r.id];
      const reg = regions[k];
      if (t && t !== reg.tier) {
        if (say.news) events.push({ kind: 'policy', title: 'Export tier changed', text: !say.texts ? '' : `${roleName} moved ${r.name} from ${reg.tier} to ${t}.`, visibleTo: 'all' });
        reg.tier = t;
      }
    }
  }
  if (order.globalLicensing !== undefined && order.globalLicensing !== state.globalLicensing) {
    state.globalLicensing = order.globalLicensing;
    if (say.news) events.push({ kind: 'policy', title: 'Global licensing', text: !say.texts ? '' : `${roleName} ${order.globalLicensing ? 'requires' : 'drops'} licences for advanced chips worldwide.`, visibleTo: 'all' });
  }
  if (order.openWeights !== undefined && order.openWeights !== state.openWeights) {
    state.openWeights = order.openWeights;
    if (say.news) events.push({ kind: 'policy', title: 'Open weights', text: !say.texts ? '' : `${roleName} ${order.openWeights ? 'releases its models as open weights' : 'stops open-weight releases'}.`, visibleTo: 'all' });
  }
  if (order.hubCompliance !== undefined) {
    const regions = regionList(rules, state);
    for (let k = 0; k < rules.regions.length; k++) if (rules.regions[k].alignment === 'tier2') regions[k].compliance = order.hubCompliance;
  }
}

/** The escalation track: it fades, and rises with a cornered rival and grey-market trade. */
function updateTension(rules: RuleFile, state: MatchState, greySpend: number): void {
  const t = rules.model.tension;
  const lead = Math.abs(leadMonths(state));
  state.tension = Math.max(0, state.tension * (1 - t.decay) + t.perMonthAbove * Math.max(0, lead - t.leadAbove) + t.perGreyBillion * greySpend);
}

/**
 * Resolves one quarter. Missing orders fall back to the role's last order (or the status quo);
 * the caller's state is never modified.
 */
export function resolveTurn(rules: RuleFile, state: MatchState, orders: Orders, rng: Rng = rngFor(state.seed, state.turn, STREAM.resolve)): TurnResult {
  if (state.finished) throw new Error('the match is over');
  const next = cloneState(state);
  const { events, orders: fitted } = resolveTurnInPlace(rules, next, orders, rng);
  return { state: next, events, orders: fitted };
}

/**
 * The same quarter, resolved into a state the caller owns (the simulator's fast path: no copy).
 * With `texts: false` the events keep their kind, title, visibility and ref but not their sentences
 * (the simulator's records read only which cards were drawn); the state is the same either way.
 * With `charts: false` no point is added to the state's timeline (the charts' data, which the simulator's records and
 * the scripted bots never read), and with `news: false` the events are only the cards' and the ending (see `say`);
 * everything else is the same.
 */
export function resolveTurnInPlace(rules: RuleFile, next: MatchState, orders: Orders, rng: Rng = rngFor(next.seed, next.turn, STREAM.resolve),
  texts = true, ordersOwned = false, charts = true, news = true): Omit<TurnResult, 'state'> {
  if (next.finished) throw new Error('the match is over');
  if (texts && news) return resolveQuarter(rules, next, orders, rng, ordersOwned, charts);
  say.texts = texts;
  say.news = news;
  try {
    return resolveQuarter(rules, next, orders, rng, ordersOwned, charts);
  } finally {
    say.texts = true;
    say.news = true;
  }
}

// one side's acquisition, reset before each (scratch: it never outlives the side's turn)
const ACQ = newAcquisition();

// each role's fitted order this quarter, by its position in rules.roles (scratch: resolution is synchronous)
const FITTED: Order[] = [];
// the orders given and the roles' states, by role position, when read in one pass
const GIVEN: (Order | undefined)[] = [];
const ROLE_STATES: MatchState['roles'][string][] = [];

/** Whether a record names exactly the roles, in rule order; if so its values are left in `into` by role position
 *  (one pass of for-in reads them for much less than a lookup per role id). */
function byRolePosition<T>(rules: RuleFile, rec: Record<string, T>, into: T[]): boolean {
  if (Object.getPrototypeOf(rec) !== Object.prototype) return false;
  let n = 0;
  for (const id in rec) {
    if (n >= rules.roles.length || id !== rules.roles[n].id) return false;
    into[n++] = rec[id];
  }
  return n === rules.roles.length;
}

function resolveQuarter(rules: RuleFile, next: MatchState, orders: Orders, rng: Rng, owned: boolean, charts: boolean): Omit<TurnResult, 'state'> {
  const events: TurnEvent[] = [];
  // scratch sums reused across calls: resolution is synchronous, and typed-array allocation is costly
  const sums = SUMS;
  // zeroed by hand: fill is a call into the runtime, dearer than eleven stores
  for (let i = 0; i < sums.us.length; i++) sums.us[i] = 0;
  for (let i = 0; i < sums.china.length; i++) sums.china[i] = 0;
  const index = ruleIndex(rules);
  const effectIndex = index.effectIndexAt;

  if (BUY_SPEND.length < rules.roles.length) BUY_SPEND = new Float64Array(rules.roles.length);
  const holdsAt = index.holdsAt;
  const spendAt = index.spendAt;
  const givenInOrder = byRolePosition(rules, orders, GIVEN);
  const statesInOrder = byRolePosition(rules, next.roles, ROLE_STATES);
  // whether every order resolved as given: then the fitted orders are a copy of the given record, keys and all
  let allKept = givenInOrder;
  for (let j = 0; j < rules.roles.length; j++) {
    const role = rules.roles[j];
    const given = givenInOrder ? GIVEN[j] : orders[role.id];
    const rs = statesInOrder ? ROLE_STATES[j] : next.roles[role.id];
    const order = fitOrderAmounts(rules, next, role, given, owned, holdsAt[j], rs, spendAt[j]);
    const total = FIT[TOTAL];
    const amounts = AMOUNTS;
    if (order !== given) allKept = false;
    FITTED[j] = order;
    const idx = effectIndex[j];
    const sum = role.side === 'us' ? sums.us : sums.china;
    let buys = 0;
    for (let i = 0; i < idx.length; i++) {
      sum[idx[i]] += amounts[i];
      if (idx[i] === CHIPS || idx[i] === GREY_MARKET) buys += amounts[i];
    }
    BUY_SPEND[j] = buys;
    // the budget the order was fitted to: availableBudget again would give the same, nothing changed in between
    rs.bank = Math.max(0, FIT[BUDGET] - total) * role.budget.carryOver;
    rs.lastOrder = order;
  }

  let fitted: Orders;
  // given up by the caller (owned), the record itself is the copy
  if (allKept) fitted = owned ? orders : { ...orders };
  else {
    fitted = {};
    for (let j = 0; j < rules.roles.length; j++) fitted[rules.roles[j].id] = FITTED[j];
  }

  // the totals per mechanism, read straight from the summed arrays
  const spend = sums;
  checkAgreements(rules, next, fitted, events);
  const holdsAny = index.holdsAnyAt;
  for (let j = 0; j < rules.roles.length; j++) if (holdsAny[j]) applySettings(rules, next, FITTED[j], events, rules.roles[j].name);
  if (next.dilemmas.length) {
    const answers: Record<string, Record<string, string> | undefined> = {};
    for (const d of next.dilemmas) answers[d.role] = fitted[d.role]?.dilemmas;
    resolveDilemmas(rules, next, answers, events);
  }
  const leadBefore = leadMonths(next);

  for (const side of BOTH_SIDES) {
    const sp = side === 'us' ? spend.us : spend.china;
    const own = side === 'us' ? next.sides.us : next.sides.china;
    const rival = side === 'us' ? next.sides.china : next.sides.us;
    const acq = ACQ;
    acq.chips = 0; acq.domesticChips = 0; acq.powerNeedGW = 0; acq.cost = 0; acq.unspent = 0;
    buyChips(rules, next, side, sp[CHIPS], acq);
    runFabs(rules, next, side, sp[FABS], acq, events);
    smuggle(rules, next, side, sp[GREY_MARKET], (side === 'us' ? spend.china : spend.us)[ENFORCEMENT], acq, rng, events);
    refundUnspent(rules, next, side, acq.unspent);
    updateFleet(rules, own, side, acq, sp[POWER]);
    const behind = side === 'us' ? leadBefore < 0 : leadBefore > 0;
    train(rules, own, side, sp[ALGORITHMS], rng, catchUpMonths(rules, sp[INTELLIGENCE], behind, rival.intelError));
    own.intelError = intelError(rules, sp[INTELLIGENCE]);
  }
  pressHubs(rules, next, spend.us[ENFORCEMENT]);
  // distillation works on the new frontier, after both sides trained
  distill(rules, next, 'china', spend.china[DISTILLATION], spend.us[ANTI_DISTILLATION], rng, events);
  distill(rules, next, 'us', spend.us[DISTILLATION], spend.china[ANTI_DISTILLATION], rng, events);

  updateSafeguards(rules, next, 'us', spend.us[SAFETY]);
  updateSafeguards(rules, next, 'china', spend.china[SAFETY]);
  updateAdoption(rules, next, { us: spend.us[ADOPTION], china: spend.china[ADOPTION] });
  tickAgreements(rules, next, events);
  updateTension(rules, next, spend.us[GREY_MARKET] + spend.china[GREY_MARKET]);
  drawEvents(rules, next, rng, events);
  next.riskModifier += next.tension * rules.model.tension.risk;
  drawIncident(rules, next, rng, events);

  next.turn += 1;
  if (charts) next.timeline.push(snapshot(rules, next, next.turn));
  if (next.incidents.catastrophic > 0 || next.turn >= rules.calendar.turns) {
    finishMatch(rules, next);
    events.push({ kind: 'ending', title: next.ending!.title, text: next.ending!.text, visibleTo: 'all', ref: next.ending!.id });
  }
  return { events, orders: fitted };
}
