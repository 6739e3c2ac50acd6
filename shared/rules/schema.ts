// The shape of a rule file: the single source of truth for loading, checking and the editors' JSON Schema.
import { z } from 'zod';
import { EXPORT_TIERS, SETTING_IDS, setting } from './settings.ts';
import { LEVER_EFFECTS } from './effects.ts';

const id = z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase identifier (letters and digits, starting with a lower-case letter)');
const text = z.string().min(1, 'must not be empty');
const nonNegative = z.number().min(0, 'must be 0 or more');
const share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const positive = z.number().gt(0, 'must be more than 0');

/** The two sides of the race; every role, region alignment and stat names one. */
export const SIDES = ['us', 'china'] as const;
export const side = z.enum(SIDES);

/** The four allocations every player knows. */
export const CATEGORIES = ['compute', 'exportControls', 'enforcement', 'safety'] as const;

export { LEVER_EFFECTS };
export const leverEffect = z.enum(LEVER_EFFECTS);

/** Settings a role may hold besides its budget split. */
export const SETTING_KINDS = SETTING_IDS;

export { EXPORT_TIERS };
export const exportTier = z.enum(EXPORT_TIERS);

const lever = z.strictObject({
  id: id.describe('Unique within the role; orders and proposals name the lever by it (camelCase).'),
  name: text.describe('What players see on the lever.'),
  category: z.enum(CATEGORIES).describe('Which of the four allocations it belongs to: compute, exportControls, enforcement or safety.'),
  effect: leverEffect.describe('The mechanism the money drives: chips, power, fabs, algorithms, greyMarket, enforcement, antiDistillation, distillation, intelligence, safety or adoption.'),
  help: text.describe('One or two sentences players read when they hover the lever.'),
  /** share of the role's budget a status-quo player puts here (the 2026 split) */
  statusQuo: share.default(0).describe('Share (0-1) of the role\'s budget a status-quo player puts here (the 2026 split); a role\'s shares add up to 1 at most.'),
}).describe('A place to put money: its mechanism (effect), the allocation it belongs to, and the 2026 share.');

/** A score term: how one number of the final world turns into 0..1 for a role. */
const objective = z.strictObject({
  stat: z.string().describe('The number scored at the end, e.g. lead, us.capability, china.adoption (stat names: docs/rules.md).'),
  /** 'band': 1 inside [low, high]; 'high': more is better from low to high; 'low': less is better */
  kind: z.enum(['band', 'high', 'low']).describe('band: full score inside [low, high]; high: more is better, from 0 at low to full at high; low: less is better, from full at low to 0 at high.'),
  low: z.number().describe('Lower end of the scale (or of the band), in the stat\'s unit.'),
  high: z.number().describe('Upper end of the scale (or of the band), in the stat\'s unit.'),
  /** for 'band': how far outside the band the score falls to 0 */
  falloff: positive.default(6).describe('For band: how far outside the band the score falls to 0, in the stat\'s unit.'),
  weight: positive.describe('Weight of this term in the role\'s 0-100 score.'),
  label: text.describe('What the score screen calls this objective.'),
}).describe('A score term: how one number of the final world turns into part of the role\'s 0-100 score.');

const role = z.strictObject({
  id: id.describe('Unique role id (camelCase); proposals, bindings and role.<id>.budget use it.'),
  name: text.describe('The role as players see it, e.g. US Government.'),
  side: side.describe('The side the role plays: us or china.'),
  /** government or lab, for the client's art and the help text */
  kind: z.enum(['government', 'lab', 'hub', 'allies']).describe('government, lab, hub or allies: picks the client\'s art and help text.'),
  blurb: text.describe('A short description shown when players choose a seat.'),
  budget: z.strictObject({
    /** $B available in the first quarter */
    perTurn: positive.describe('$B available in the first quarter.'),
    /** budget multiplies by this each quarter */
    growth: positive.default(1).describe('The quarterly budget multiplies by this each quarter (1.05 = +5% a quarter).'),
    /** share of unspent budget kept for next quarter */
    carryOver: share.describe('Share (0-1) of unspent money kept for the next quarter.'),
  }).describe('Money in $B per quarter, split over the role\'s levers.'),
  levers: z.array(lever).min(1, 'a role needs at least one lever').describe('Where the role can put money each quarter.'),
  settings: z.array(z.enum(SETTING_KINDS)).default([]).describe(`Policies the role sets besides its budget: ${SETTING_IDS.map((k) => `${k}${setting(k).side ? ` (${setting(k).side} side)` : ''}`).join(', ')}.`),
  /** where the role's on/off settings stand in 2026 (the status quo keeps them there) */
  startSettings: z.strictObject({
    globalLicensing: z.boolean().optional().describe('Global licensing at the start (off unless set).'),
    openWeights: z.boolean().optional().describe('Open-weight releases at the start (off unless set).'),
  }).default({}).describe('Where the role\'s on/off settings stand in 2026; status-quo players keep them there.'),
  objectives: z.array(objective).min(1, 'a role needs at least one objective to be scored').describe('What the role is scored on at the end (0-100).'),
}).describe('A seat: its side, budget, levers, settings and objectives.');

const region = z.strictObject({
  id: id.describe('Unique region id (camelCase); region.<id>.compliance and region.<id>.tier use it.'),
  name: text.describe('The region\'s name on the map.'),
  /** ISO 3166-1 alpha-3 codes of the countries drawn as this region */
  countries: z.array(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code like USA')).min(1).describe('ISO 3166-1 alpha-3 codes of the countries drawn as this region, e.g. [USA] or [DEU, FRA].'),
  alignment: z.enum(['us', 'china', 'tier2']).describe('us, china or tier2 (a hub smugglers can route chips through).'),
  /** where it sits on the map, [longitude, latitude], for markers and flows */
  anchor: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).describe('[longitude, latitude] of the region\'s marker on the map.'),
  exportTier: exportTier.describe('Starting export tier for US-aligned chips: open, licensed or embargo.'),
  /** H100e a quarter the region can import of US-aligned chips when open */
  chipImports: nonNegative.default(0).describe('H100e a quarter the region can import of US-aligned chips when open (china-aligned regions and tier2 hubs).'),
  /** H100e a quarter produced here for the US-aligned supply */
  chipProduction: nonNegative.default(0).describe('H100e a quarter produced here for the US-aligned supply (us-aligned regions).'),
  /** 0..1: how well local firms follow US licensing (hubs) */
  compliance: share.default(1).describe('0-1: how well local firms follow US licensing; lower lets smugglers divert more (tier2 hubs).'),
}).describe('A region of the map.');

const tierRule = z.strictObject({
  /** share of a region's chip imports allowed legally */
  importShare: share.describe('Share (0-1) of a region\'s chip imports allowed legally under this tier.'),
  /** H100e per legal chip sold to the rival under this tier (downgraded chips count less) */
  chipPerformance: share.describe('H100e per legal chip sold to the rival under this tier (downgraded chips count less).'),
  /** share of a hub's imports that smugglers can divert */
  divertibleShare: share.describe('Share (0-1) of a hub\'s imports that smugglers can divert under this tier.'),
}).describe('What one export tier lets through, legally and to smugglers.');

const condition = z.strictObject({
  stat: z.string().describe('The stat compared, e.g. lead, us.safeguards, region.gulf.compliance, globalLicensing (stat names: docs/rules.md).'),
  above: z.number().optional().describe('Holds when the stat is more than this.'),
  below: z.number().optional().describe('Holds when the stat is less than this.'),
  atLeast: z.number().optional().describe('Holds when the stat is this or more.'),
  atMost: z.number().optional().describe('Holds when the stat is this or less.'),
  equals: z.union([z.number(), z.string(), z.boolean()]).optional().describe('Holds when the stat is exactly this: a number, an export tier or true/false. Not combined with the others.'),
}).describe('A condition on one stat. Use one or more of above, below, atLeast, atMost, or equals alone.');

const effect = z.strictObject({
  /** a stat path such as china.chips, us.safeguards, region.sea.compliance, role.usLab.budget */
  stat: z.string().describe('The stat changed, e.g. china.chips, us.safeguards, region.seAsia.compliance, role.usLab.budget (stat names: docs/rules.md).'),
  add: z.number().optional().describe('Adds this (negative subtracts).'),
  multiply: z.number().optional().describe('Multiplies by this (0.95 = 5% less).'),
  set: z.union([z.number(), z.string(), z.boolean()]).optional().describe('Sets the stat to this: a number, an export tier (region.<id>.tier) or true/false (globalLicensing, openWeights).'),
}).describe('A change to one stat: exactly one of add, multiply or set.');

/** One answer to a dilemma card: what it changes, and which way a hawkish or dovish player leans. */
const dilemmaOption = z.strictObject({
  id: id.describe('Unique within the card; the role\'s order names it (dilemmas: { cardId: optionId }).'),
  label: text.describe('The answer as the role reads it, with its trade-off.'),
  effects: z.array(effect).default([]).describe('What this answer changes when the order resolves.'),
  stance: z.enum(['hawk', 'dove']).optional().describe('Which way this answer leans, for the bots: hawk or dove.'),
}).describe('One answer to a dilemma.');

const dilemma = z.strictObject({
  role: id.describe('The role the choice is put to; only its side sees the card.'),
  options: z.array(dilemmaOption).min(2, 'a dilemma needs at least two answers').describe('The answers the role may give in its next order.'),
  default: id.describe('The answer taken when the role\'s order gives none.'),
}).describe('A choice the card puts to one role: its next order answers it.');

const eventCard = z.strictObject({
  id: id.describe('Unique event id (camelCase).'),
  title: text.describe('The event\'s headline.'),
  text: text.describe('What happened, in a sentence or two.'),
  weight: positive.describe('Relative chance of being drawn among the cards whose conditions hold.'),
  when: z.array(condition).default([]).describe('Conditions that must all hold for the card to be drawn; none means always eligible.'),
  effects: z.array(effect).default([]).describe('What the card changes when it is drawn.'),
  /** may it be drawn again after it happened */
  repeatable: z.boolean().default(false).describe('May the card be drawn again after it happened.'),
  /** shown to everyone, or only to one side's roles */
  visibleTo: z.enum(['all', 'us', 'china']).default('all').describe('Who sees the card: all, us or china.'),
  /** a crisis fires whenever its conditions hold, besides the quarter's draw */
  crisis: z.boolean().default(false).describe('A threshold crisis: it fires as soon as its conditions hold, besides the quarter\'s draw (once, unless repeatable).'),
  dilemma: dilemma.optional().describe('A choice put to one role, answered in its next order; a dilemma card is seen only by that role\'s side.'),
}).describe('An event card.');

/** An order constraint an agreement imposes while it holds. */
const binding = z.strictObject({
  role: id.describe('The role whose orders are bound.'),
  lever: id.optional().describe('A lever of that role whose spend is limited (with atMost or atLeast).'),
  setting: z.enum(SETTING_KINDS).optional().describe('A setting of that role that is fixed (with value).'),
  region: id.optional().describe('For setting: exportTiers, the region whose tier is fixed.'),
  /** lever spend at most / at least this many $B */
  atMost: nonNegative.optional().describe('$B a quarter the role may spend on the lever at most.'),
  atLeast: nonNegative.optional().describe('$B a quarter the role must spend on the lever at least.'),
  /** a setting's required value (an export tier, true/false, a share) */
  value: z.union([z.string(), z.boolean(), z.number()]).optional().describe('The setting\'s required value: an export tier, true/false or a share.'),
}).describe('An order constraint an agreement imposes while it holds: a lever with atMost/atLeast, or a setting with value.');

const proposal = z.strictObject({
  id: id.describe('Unique proposal id (camelCase).'),
  title: text.describe('The proposal\'s name in the negotiation phase.'),
  text: text.describe('What the agreement means, as players read it.'),
  /** who may propose it (role ids); the other side's roles accept */
  proposers: z.array(id).min(1).describe('Role ids that may propose it; the other side\'s roles accept or reject.'),
  turns: z.number().int().min(1).describe('Quarters the agreement lasts once accepted.'),
  binds: z.array(binding).default([]).describe('Constraints on orders while it holds; an order that breaks one ends the agreement in public.'),
  /** effects applied each quarter while the agreement holds */
  whileHeld: z.array(effect).default([]).describe('Effects applied each quarter while the agreement holds.'),
  /** counts toward the cooperative-governance ending */
  safetyAgreement: z.boolean().default(false).describe('Counts toward agreementTurns (the cooperative-governance ending).'),
  /** only available while the lead is inside the sweet spot */
  needsSweetSpot: z.boolean().default(false).describe('Only available while the US lead is inside model.safeguards.sweetSpot.'),
  /** a deal between a government and a lab of the same side, instead of a treaty between the sides */
  withinSide: z.boolean().default(false).describe('A deal between roles of the same side (a government and its lab) instead of a treaty between the sides.'),
  /** the trust between the sides this proposal needs before it can be made */
  minTrust: share.default(0).describe('Trust between the sides (0-1) needed before this treaty can be proposed.'),
}).describe('A formal proposal. A treaty between the sides needs both governments: a lab may propose, its government ratifies.');

const ending = z.strictObject({
  id: id.describe('Unique ending id (camelCase).'),
  title: text.describe('The scenario\'s title.'),
  text: text.describe('The scenario text shown at the end of the match.'),
  when: z.array(condition).default([]).describe('Conditions that must all hold. Endings are checked in order; the last one has none and is the fallback.'),
  scoreCap: z.number().min(0).max(100).optional().describe('No role scores above this under this ending (a catastrophe leaves nobody a winner, whatever their own objectives say).'),
}).describe('A 2028 scenario.');

const model = z.strictObject({
  capability: z.strictObject({
    /** frontier-months per doubling of effective compute */
    monthsPerDoubling: positive.describe('Frontier-months gained per doubling of effective training compute.'),
    /** frontier-months of algorithmic progress per quarter, before research */
    algorithmicMonthsPerTurn: z.strictObject({ us: nonNegative, china: nonNegative }).describe('Frontier-months of algorithmic progress per quarter for each side, before research.'),
    /** luck: the standard deviation, in months, of a quarter's algorithmic progress (breakthroughs and dead ends) */
    algorithmicNoise: nonNegative.default(0).describe('Luck: standard deviation, in months, of a quarter\'s algorithmic progress.'),
    /** extra algorithmic months per quarter at full research, and the $B for half of it */
    researchMonthsMax: nonNegative.describe('Extra algorithmic months per quarter that research (\'algorithms\' levers) approaches at unlimited spend.'),
    researchHalfSpend: positive.describe('$B a quarter of research that buys half of researchMonthsMax.'),
    /** share of the training fleet retired each quarter */
    depreciation: share.describe('Share (0-1) of the training fleet retired each quarter.'),
    /** the trailing side's technology acquisition: extra algorithmic months it approaches, and the $B for half */
    catchUpMonthsMax: nonNegative.default(0).describe('Extra algorithmic months a quarter the trailing side\'s intelligence (technology acquisition) approaches at unlimited spend.'),
    catchUpHalfSpend: positive.default(1).describe('$B a quarter of intelligence that buys half of catchUpMonthsMax.'),
    /** the leader's own intelligence guards its secrets: catch-up shrinks by this share at its sharpest */
    counterIntelligence: share.default(0).describe('Share of the trailing side\'s catch-up that the leader\'s intelligence (counter-intelligence) blocks at its sharpest.'),
  }).describe('The scaling law: capability in frontier-months from effective compute and algorithmic progress.'),
  start: z.strictObject({
    /** chips in H100e; algorithmicMonths is the side's algorithmic edge; capability = monthsPerDoubling · log2(chips) + algorithmicMonths */
    us: z.strictObject({ chips: positive.describe('H100e in the training fleet.'), powerGW: positive.describe('GW of data-centre power.'), algorithmicMonths: z.number().describe('Algorithmic edge in frontier-months (negative: behind).'), safeguards: share.describe('Share (0-1) of malicious requests refused.'), adoption: share.describe('Share (0-1) of the world building on this side\'s AI.'), domesticShare: share.default(0).describe('Share (0-1) of the chips made at home.') }).describe('chips (H100e), powerGW, algorithmicMonths (edge in months), safeguards (0-1), adoption (0-1), domesticShare (0-1 of chips made at home).'),
    china: z.strictObject({ chips: positive.describe('H100e in the training fleet.'), powerGW: positive.describe('GW of data-centre power.'), algorithmicMonths: z.number().describe('Algorithmic edge in frontier-months (negative: behind).'), safeguards: share.describe('Share (0-1) of malicious requests refused.'), adoption: share.describe('Share (0-1) of the world building on this side\'s AI.'), domesticShare: share.default(0).describe('Share (0-1) of the chips made at home.') }).describe('chips (H100e), powerGW, algorithmicMonths (edge in months), safeguards (0-1), adoption (0-1), domesticShare (0-1 of chips made at home).'),
  }).describe('Each side in the first quarter. Capability = monthsPerDoubling x log2(chips) + algorithmicMonths.'),
  chips: z.strictObject({
    /** $B per million H100e of US-aligned chips (with the data centre) at the start */
    usPrice: positive.describe('$B per million H100e of US-aligned chips (with the data centre) at the start.'),
    /** price multiplies by this each quarter (newer generations) */
    usPriceTrend: positive.describe('The US price multiplies by this each quarter (newer generations).'),
    /** a rival's markup on legal imports */
    importMarkup: positive.describe('A rival\'s markup on legal imports of US-aligned chips.'),
    /** kW of data-centre power per H100e of the newest chips, and its trend a quarter */
    usPowerPerChip: positive.describe('kW of data-centre power per H100e of the newest chips.'),
    usPowerTrend: positive.describe('Power per H100e multiplies by this each quarter.'),
    /** China's domestic chips: H100e each, power per H100e relative to the newest chips, $B per million chips and trend */
    domesticPerformance: share.describe('H100e per Chinese domestic chip (about 0.5).'),
    domesticPowerFactor: positive.describe('Power a domestic chip needs per H100e, relative to the newest US chips (2-4).'),
    domesticPrice: positive.describe('$B per million domestic chips.'),
    domesticPriceTrend: positive.describe('The domestic price multiplies by this each quarter.'),
    /** domestic chips China can buy a quarter without new fabs */
    domesticSupply: nonNegative.describe('Domestic chips China can buy a quarter without new fabs.'),
    /** quarters from fab investment to chips */
    fabLag: z.number().int().min(0).max(8).describe('Quarters from fab investment to chips.'),
    /** each $B of fab investment lowers later fab chip prices by this share (yield learning), up to the floor */
    fabLearning: share.describe('Each $B of fab investment lowers later fab chip prices by this share (yield learning).'),
    fabPriceFloor: share.describe('Fab chip prices never fall below this share of the domestic price.'),
    /** $B per GW of new data-centre power, per side */
    powerPrice: z.strictObject({ us: positive, china: positive }).describe('$B per GW of new data-centre power, per side.'),
    /** GW added a quarter without spending (grid growth) */
    powerGrowth: z.strictObject({ us: nonNegative, china: nonNegative }).describe('GW each side\'s grid adds a quarter without spending.'),
  }).describe('Where chips come from and what they cost.'),
  exportTiers: z.strictObject({ open: tierRule, licensed: tierRule, embargo: tierRule }).describe('What each export tier lets through: open, licensed, embargo.'),
  smuggling: z.strictObject({
    /** price of a smuggled H100e relative to the US price */
    markup: positive.describe('Price of a smuggled H100e relative to the US price.'),
    /** chips per shipment (each shipment is seized or not) */
    shipmentSize: positive.describe('H100e per shipment (each shipment is seized or not).'),
    /** cap on shipments per hub per quarter, for speed and readability */
    maxShipmentsPerHub: z.number().int().min(1).max(50).describe('Cap on shipments per hub per quarter.'),
    seizureBase: share.describe('Chance a shipment is seized with no enforcement.'),
    /** seizure chance added by enforcement at full strength, and the $B for half of it */
    enforcementMax: share.describe('Seizure chance enforcement adds at unlimited spend.'),
    enforcementHalfSpend: positive.describe('$B a quarter of enforcement that adds half of enforcementMax.'),
    globalLicensingBonus: share.describe('Seizure chance added while global licensing is on.'),
    complianceWeight: share.describe('Seizure chance added per unit of hub compliance.'),
    /** each $B of Tier-2 compliance spend raises hub compliance by this */
    intelligenceBonus: share.default(0).describe('Seizure chance added by the enforcing side\'s intelligence at its sharpest (tips that name shipments).'),
    complianceGainPerBillion: nonNegative.describe('Each quarter, Tier-2 hub compliance rises by this per $B of enforcement spent against smuggling, times the share still non-compliant.'),
  }).describe('The grey market through tier2 hubs and the chance shipments are seized.'),
  distillation: z.strictObject({
    /** $B per million fake accounts (API usage included) */
    accountPrice: positive.describe('$B per million fake accounts (API usage included).'),
    exchangesPerAccount: positive.describe('Exchanges each account runs in a quarter.'),
    /** share of the gap that unlimited undetected exchanges could close in a quarter */
    maxGapShare: share.describe('Share of the gap that unlimited undetected exchanges could close in a quarter.'),
    /** undetected exchanges (millions) for 63% of that */
    exchangeScaleMillions: positive.describe('Undetected exchanges (millions) that close 63% of maxGapShare.'),
    /** share of accounts detected with no spend, and the extra at full spend with the $B for half of it */
    detectionBase: share.describe('Share of accounts detected with no anti-distillation spend.'),
    detectionMax: share.describe('Extra detected share at unlimited anti-distillation spend.'),
    detectionHalfSpend: positive.describe('$B a quarter of anti-distillation that adds half of detectionMax.'),
    /** campaigns stand out as they grow: undetected share divides by 1 + accounts / this */
    campaignSizeScale: positive.describe('Large campaigns stand out: the undetected share divides by 1 + accounts / this.'),
    /** safeguards lost per distilled frontier-month (distilled capability has none) */
    safeguardLossPerMonth: share.describe('Safeguards lost per distilled frontier-month.'),
    /** distilling needs compute of one's own: the gain scales by own / (own + this) */
    computeHalf: nonNegative.default(0).describe('H100e of the distiller\'s own effective compute at which a campaign yields half of its gain (0: compute does not matter).'),
  }).describe('Fake-account campaigns that copy the leader\'s capability (without its safeguards).'),
  safeguards: z.strictObject({
    max: share.describe('The highest safeguards any spending reaches.'),
    /** $B of safety a quarter that reaches half the max at the 2026 frontier */
    halfSpend: positive.describe('$B of safety a quarter that reaches half of max at the 2026 frontier.'),
    /** the half-spend grows by this share per frontier-month above the start */
    capabilityCost: nonNegative.describe('halfSpend grows by this share per frontier-month above the start.'),
    /** share of the gap to the target closed each quarter */
    adjustRate: share.describe('Share of the gap to the target closed each quarter.'),
    /** safety teams, evaluations and standards take time to build: the most safeguards rise in one quarter */
    maxGainPerTurn: share.default(1).describe('The most safeguards can rise in one quarter from safety spending (institutions take time to build); 1: no limit.'),
    /** lead (months) under which race pressure cuts safety's worth, and what it is worth then */
    racePressureLead: nonNegative.describe('Lead (months) under which race pressure cuts what safety money buys.'),
    racePressureFactor: share.describe('What safety money is worth under race pressure (0-1).'),
    /** the lead band in which safety dialogue proposals open up */
    sweetSpot: z.tuple([z.number(), z.number()]).describe('[low, high]: the US lead in months in which safety dialogue proposals open up (12-24).'),
  }).describe('Safeguards (share of malicious requests refused, 0-1) and race pressure.'),
  incidents: z.strictObject({
    /** chance of an incident a quarter at the 2026 frontier with no safeguards */
    baseRisk: share.describe('Chance of an incident a quarter at the 2026 frontier with no safeguards.'),
    /** risk multiplies by this per frontier-month above the start */
    capabilityGrowth: positive.describe('Risk multiplies by this per frontier-month above the start.'),
    /** extra risk from proliferation: open weights and distilled months */
    openWeightsRisk: nonNegative.describe('Extra risk (relative) from open-weight releases.'),
    distilledRisk: nonNegative.describe('Extra risk (relative) per distilled frontier-month.'),
    /** share of incidents that are major, and catastrophic */
    majorShare: share.describe('Share of incidents that are major.'),
    catastrophicShare: share.describe('Share of incidents that are catastrophic (ends the game).'),
    /** no catastrophe before this turn */
    catastropheFromTurn: z.number().int().min(1).describe('No catastrophe before this turn.'),
  }).describe('Misuse incidents drawn each quarter: minor, major, catastrophic.'),
  intelligence: z.strictObject({
    /** relative error (one standard deviation) of estimates with no spend, the floor, and the $B that halves it */
    baseError: share.describe('Relative error (one standard deviation) of estimates with no intelligence spend.'),
    minError: share.describe('The floor the error approaches at unlimited spend.'),
    halfSpend: positive.describe('$B a quarter that halves the error above the floor.'),
    /** at a relative error of 1, the sd of capability estimates in months and of safeguards estimates */
    capabilityErrorMonths: nonNegative.describe('At a relative error of 1, the standard deviation of capability estimates in months.'),
    safeguardsError: nonNegative.describe('At a relative error of 1, the standard deviation of safeguards estimates.'),
  }).describe('How precise each side\'s estimates of the other are.'),
  adoption: z.strictObject({
    /** adoption gained a quarter per $B, and the most it can reach */
    perBillion: nonNegative.describe('Adoption gained a quarter per $B of adoption spend.'),
    /** markets saturate: a quarter's adoption money buys perBillion · halfSpend · x / (x + halfSpend); 0 keeps it linear */
    halfSpend: nonNegative.default(0).describe('$B a quarter at which adoption money buys half of what it would if linear (markets saturate); 0: linear.'),
    max: share.describe('The most adoption a side can reach.'),
    /** adoption a side gains a quarter from open-weight releases */
    openWeightsGain: nonNegative.describe('Adoption China gains a quarter from open-weight releases.'),
    /** adoption drifts to the side ahead by this per month of lead */
    leadPull: nonNegative.describe('Adoption drifts to the side ahead by this per month of lead.'),
  }).describe('Adoption: the share of the world building on each side\'s AI (0-1).'),
  events: z.strictObject({ perTurn: z.number().int().min(0).max(5).describe('Event cards drawn each quarter (0-5).') }).describe('The event deck\'s draw.'),
  diplomacy: z.strictObject({
    startTrust: share.default(0.3).describe('Trust between the sides at the start (0-1).'),
    heldGain: nonNegative.default(0.05).describe('Trust gained each quarter a treaty between the sides holds.'),
    breakCost: nonNegative.default(0.3).describe('Trust lost when a treaty is broken, on top of the breaker\'s public mark.'),
    breakAdoption: nonNegative.default(0.03).describe('Adoption the breaking side loses: partners shy away from a side that breaks its word.'),
    breakTension: nonNegative.default(0.15).describe('Tension added when a treaty is broken.'),
  }).default({ startTrust: 0.3, heldGain: 0.05, breakCost: 0.3, breakAdoption: 0.03, breakTension: 0.15 }).describe('The trust track between the sides, which treaties build and betrayals spend.'),
  tension: z.strictObject({
    decay: share.default(0.15).describe('Share of tension that fades each quarter.'),
    leadAbove: nonNegative.default(24).describe('A lead (months) above which the trailing side feels cornered and tension rises.'),
    perMonthAbove: nonNegative.default(0.02).describe('Tension added each quarter per month of lead above leadAbove.'),
    perGreyBillion: nonNegative.default(0).describe('Tension added each quarter per $B of grey-market procurement.'),
    risk: nonNegative.default(0.04).describe('Extra incident chance a quarter at tension 1.'),
  }).default({ decay: 0.15, leadAbove: 24, perMonthAbove: 0.02, perGreyBillion: 0, risk: 0.04 }).describe('The escalation track both sides push: it raises incident risk and sets off crises.'),
});

export const ruleFile = z.strictObject({
  name: text.describe('Title of the rule set, shown in lobbies.'),
  description: text.describe('What this rule set is about, for players and designers.'),
  version: z.number().int().min(1).describe('Version of this rule file, a whole number from 1.'),
  calendar: z.strictObject({
    startYear: z.number().int().min(2000).max(2100).describe('Year of the first quarter.'),
    startQuarter: z.number().int().min(1).max(4).describe('Quarter (1-4) of the first turn.'),
    turns: z.number().int().min(1).max(40).describe('Number of quarterly turns.'),
  }).describe('When the match starts and how many quarterly turns it lasts.'),
  sides: z.strictObject({ us: z.strictObject({ name: text.describe('The US side\'s name, e.g. United States & allies.') }), china: z.strictObject({ name: text.describe('The China side\'s name.') }) }).describe('Display names of the two sides.'),
  roles: z.array(role).min(2, 'a match needs at least two roles').describe('The seats: each role\'s side, budget, levers, settings and objectives.'),
  regions: z.array(region).min(2).describe('The map\'s regions: countries, alignment, export tier and chips.'),
  model: model.describe('Every number of the reference model. Units: compute in H100e, capability in frontier-months, money in $B a quarter.'),
  events: z.array(eventCard).default([]).describe('The event deck: each quarter model.events.perTurn cards are drawn by weight among those whose conditions hold.'),
  proposals: z.array(proposal).default([]).describe('Formal proposals for the negotiation phase.'),
  endings: z.array(ending).min(1, 'at least one ending is needed').describe('The 2028 scenarios, checked in order; the last, without conditions, is the fallback.'),
});

export type RuleFile = z.infer<typeof ruleFile>;
export type RoleRule = RuleFile['roles'][number];
export type LeverRule = RoleRule['levers'][number];
export type RegionRule = RuleFile['regions'][number];
export type EventCard = RuleFile['events'][number];
export type ProposalRule = RuleFile['proposals'][number];
export type EndingRule = RuleFile['endings'][number];
export type Condition = EventCard['when'][number];
export type Effect = EventCard['effects'][number];
export type Objective = RoleRule['objectives'][number];
export type Side = z.infer<typeof side>;
export type ExportTier = z.infer<typeof exportTier>;
export type SettingKind = (typeof SETTING_KINDS)[number];
export type LeverEffect = (typeof LEVER_EFFECTS)[number];
