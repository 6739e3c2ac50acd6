// The shape of a rule file: the single source of truth for loading, checking and the editors' JSON Schema.
import { z } from 'zod';

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

/** Mechanisms a lever can drive; code holds these, rule files choose which roles hold them. */
export const LEVER_EFFECTS = [
  'chips', // buy training chips through the side's channels
  'power', // data centres and power capacity
  'fabs', // domestic fabs: chips after a lag
  'algorithms', // research that adds algorithmic progress
  'greyMarket', // smuggled chips through Tier-2 hubs
  'enforcement', // export-control enforcement (seizure chance)
  'antiDistillation', // account verification and detection
  'distillation', // fake-account campaigns against the other side's models
  'intelligence', // better estimates of the other side
  'safety', // safety research, institutes, safeguards
  'adoption', // allied / global adoption of the side's AI
] as const;
export const leverEffect = z.enum(LEVER_EFFECTS);

/** Settings a role may hold besides its budget split. */
export const SETTING_KINDS = ['exportTiers', 'globalLicensing', 'openWeights', 'hubCompliance'] as const;

export const EXPORT_TIERS = ['open', 'licensed', 'embargo'] as const;
export const exportTier = z.enum(EXPORT_TIERS);

const lever = z.strictObject({
  id,
  name: text,
  category: z.enum(CATEGORIES),
  effect: leverEffect,
  help: text,
  /** share of the role's budget a status-quo player puts here (the 2026 split) */
  statusQuo: share.default(0),
});

/** A score term: how one number of the final world turns into 0..1 for a role. */
const objective = z.strictObject({
  stat: z.string(),
  /** 'band': 1 inside [low, high]; 'high': more is better from low to high; 'low': less is better */
  kind: z.enum(['band', 'high', 'low']),
  low: z.number(),
  high: z.number(),
  /** for 'band': how far outside the band the score falls to 0 */
  falloff: positive.default(6),
  weight: positive,
  label: text,
});

const role = z.strictObject({
  id,
  name: text,
  side,
  /** government or lab, for the client's art and the help text */
  kind: z.enum(['government', 'lab', 'hub', 'allies']),
  blurb: text,
  budget: z.strictObject({
    /** $B available in the first quarter */
    perTurn: positive,
    /** budget multiplies by this each quarter */
    growth: positive.default(1),
    /** share of unspent budget kept for next quarter */
    carryOver: share,
  }),
  levers: z.array(lever).min(1, 'a role needs at least one lever'),
  settings: z.array(z.enum(SETTING_KINDS)).default([]),
  objectives: z.array(objective).min(1, 'a role needs at least one objective to be scored'),
});

const region = z.strictObject({
  id,
  name: text,
  /** ISO 3166-1 alpha-3 codes of the countries drawn as this region */
  countries: z.array(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code like USA')).min(1),
  alignment: z.enum(['us', 'china', 'tier2']),
  /** where it sits on the map, [longitude, latitude], for markers and flows */
  anchor: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  exportTier: exportTier,
  /** H100e a quarter the region can import of US-aligned chips when open */
  chipImports: nonNegative.default(0),
  /** H100e a quarter produced here for the US-aligned supply */
  chipProduction: nonNegative.default(0),
  /** 0..1: how well local firms follow US licensing (hubs) */
  compliance: share.default(1),
});

const tierRule = z.strictObject({
  /** share of a region's chip imports allowed legally */
  importShare: share,
  /** H100e per legal chip sold to the rival under this tier (downgraded chips count less) */
  chipPerformance: share,
  /** share of a hub's imports that smugglers can divert */
  divertibleShare: share,
});

const condition = z.strictObject({
  stat: z.string(),
  above: z.number().optional(),
  below: z.number().optional(),
  atLeast: z.number().optional(),
  atMost: z.number().optional(),
  equals: z.union([z.number(), z.string(), z.boolean()]).optional(),
});

const effect = z.strictObject({
  /** a stat path such as china.chips, us.safeguards, region.sea.compliance, role.usLab.budget */
  stat: z.string(),
  add: z.number().optional(),
  multiply: z.number().optional(),
  set: z.union([z.number(), z.string(), z.boolean()]).optional(),
});

const eventCard = z.strictObject({
  id,
  title: text,
  text: text,
  weight: positive,
  when: z.array(condition).default([]),
  effects: z.array(effect).default([]),
  /** may it be drawn again after it happened */
  repeatable: z.boolean().default(false),
  /** shown to everyone, or only to one side's roles */
  visibleTo: z.enum(['all', 'us', 'china']).default('all'),
});

/** An order constraint an agreement imposes while it holds. */
const binding = z.strictObject({
  role: id,
  lever: id.optional(),
  setting: z.enum(SETTING_KINDS).optional(),
  region: id.optional(),
  /** lever spend at most / at least this many $B */
  atMost: nonNegative.optional(),
  atLeast: nonNegative.optional(),
  /** a setting's required value (an export tier, true/false, a share) */
  value: z.union([z.string(), z.boolean(), z.number()]).optional(),
});

const proposal = z.strictObject({
  id,
  title: text,
  text: text,
  /** who may propose it (role ids); the other side's roles accept */
  proposers: z.array(id).min(1),
  turns: z.number().int().min(1),
  binds: z.array(binding).default([]),
  /** effects applied each quarter while the agreement holds */
  whileHeld: z.array(effect).default([]),
  /** counts toward the cooperative-governance ending */
  safetyAgreement: z.boolean().default(false),
  /** only available while the lead is inside the sweet spot */
  needsSweetSpot: z.boolean().default(false),
});

const ending = z.strictObject({
  id,
  title: text,
  text: text,
  when: z.array(condition).default([]),
});

const model = z.strictObject({
  capability: z.strictObject({
    /** frontier-months per doubling of effective compute */
    monthsPerDoubling: positive,
    /** frontier-months of algorithmic progress per quarter, before research */
    algorithmicMonthsPerTurn: z.strictObject({ us: nonNegative, china: nonNegative }),
    /** luck: the standard deviation, in months, of a quarter's algorithmic progress (breakthroughs and dead ends) */
    algorithmicNoise: nonNegative.default(0),
    /** extra algorithmic months per quarter at full research, and the $B for half of it */
    researchMonthsMax: nonNegative,
    researchHalfSpend: positive,
    /** share of the training fleet retired each quarter */
    depreciation: share,
  }),
  start: z.strictObject({
    /** chips in H100e; algorithmicMonths is the side's algorithmic edge; capability = monthsPerDoubling · log2(chips) + algorithmicMonths */
    us: z.strictObject({ chips: positive, powerGW: positive, algorithmicMonths: z.number(), safeguards: share, adoption: share, domesticShare: share.default(0) }),
    china: z.strictObject({ chips: positive, powerGW: positive, algorithmicMonths: z.number(), safeguards: share, adoption: share, domesticShare: share.default(0) }),
  }),
  chips: z.strictObject({
    /** $B per million H100e of US-aligned chips (with the data centre) at the start */
    usPrice: positive,
    /** price multiplies by this each quarter (newer generations) */
    usPriceTrend: positive,
    /** a rival's markup on legal imports */
    importMarkup: positive,
    /** kW of data-centre power per H100e of the newest chips, and its trend a quarter */
    usPowerPerChip: positive,
    usPowerTrend: positive,
    /** China's domestic chips: H100e each, power per H100e relative to the newest chips, $B per million chips and trend */
    domesticPerformance: share,
    domesticPowerFactor: positive,
    domesticPrice: positive,
    domesticPriceTrend: positive,
    /** domestic chips China can buy a quarter without new fabs */
    domesticSupply: nonNegative,
    /** quarters from fab investment to chips */
    fabLag: z.number().int().min(0).max(8),
    /** each $B of fab investment lowers later fab chip prices by this share (yield learning), up to the floor */
    fabLearning: share,
    fabPriceFloor: share,
    /** $B per GW of new data-centre power, per side */
    powerPrice: z.strictObject({ us: positive, china: positive }),
    /** GW added a quarter without spending (grid growth) */
    powerGrowth: z.strictObject({ us: nonNegative, china: nonNegative }),
  }),
  exportTiers: z.strictObject({ open: tierRule, licensed: tierRule, embargo: tierRule }),
  smuggling: z.strictObject({
    /** price of a smuggled H100e relative to the US price */
    markup: positive,
    /** chips per shipment (each shipment is seized or not) */
    shipmentSize: positive,
    /** cap on shipments per hub per quarter, for speed and readability */
    maxShipmentsPerHub: z.number().int().min(1).max(50),
    seizureBase: share,
    /** seizure chance added by enforcement at full strength, and the $B for half of it */
    enforcementMax: share,
    enforcementHalfSpend: positive,
    globalLicensingBonus: share,
    complianceWeight: share,
    /** each $B of Tier-2 compliance spend raises hub compliance by this */
    complianceGainPerBillion: nonNegative,
  }),
  distillation: z.strictObject({
    /** $B per million fake accounts (API usage included) */
    accountPrice: positive,
    exchangesPerAccount: positive,
    /** share of the gap that unlimited undetected exchanges could close in a quarter */
    maxGapShare: share,
    /** undetected exchanges (millions) for 63% of that */
    exchangeScaleMillions: positive,
    /** share of accounts detected with no spend, and the extra at full spend with the $B for half of it */
    detectionBase: share,
    detectionMax: share,
    detectionHalfSpend: positive,
    /** campaigns stand out as they grow: undetected share divides by 1 + accounts / this */
    campaignSizeScale: positive,
    /** safeguards lost per distilled frontier-month (distilled capability has none) */
    safeguardLossPerMonth: share,
  }),
  safeguards: z.strictObject({
    max: share,
    /** $B of safety a quarter that reaches half the max at the 2026 frontier */
    halfSpend: positive,
    /** the half-spend grows by this share per frontier-month above the start */
    capabilityCost: nonNegative,
    /** share of the gap to the target closed each quarter */
    adjustRate: share,
    /** lead (months) under which race pressure cuts safety's worth, and what it is worth then */
    racePressureLead: nonNegative,
    racePressureFactor: share,
    /** the lead band in which safety dialogue proposals open up */
    sweetSpot: z.tuple([z.number(), z.number()]),
  }),
  incidents: z.strictObject({
    /** chance of an incident a quarter at the 2026 frontier with no safeguards */
    baseRisk: share,
    /** risk multiplies by this per frontier-month above the start */
    capabilityGrowth: positive,
    /** extra risk from proliferation: open weights and distilled months */
    openWeightsRisk: nonNegative,
    distilledRisk: nonNegative,
    /** share of incidents that are major, and catastrophic */
    majorShare: share,
    catastrophicShare: share,
    /** no catastrophe before this turn */
    catastropheFromTurn: z.number().int().min(1),
  }),
  intelligence: z.strictObject({
    /** relative error (one standard deviation) of estimates with no spend, the floor, and the $B that halves it */
    baseError: share,
    minError: share,
    halfSpend: positive,
    /** at a relative error of 1, the sd of capability estimates in months and of safeguards estimates */
    capabilityErrorMonths: nonNegative,
    safeguardsError: nonNegative,
  }),
  adoption: z.strictObject({
    /** adoption gained a quarter per $B, and the most it can reach */
    perBillion: nonNegative,
    max: share,
    /** adoption a side gains a quarter from open-weight releases */
    openWeightsGain: nonNegative,
    /** adoption drifts to the side ahead by this per month of lead */
    leadPull: nonNegative,
  }),
  events: z.strictObject({ perTurn: z.number().int().min(0).max(5) }),
});

export const ruleFile = z.strictObject({
  name: text,
  description: text,
  version: z.number().int().min(1),
  calendar: z.strictObject({
    startYear: z.number().int().min(2000).max(2100),
    startQuarter: z.number().int().min(1).max(4),
    turns: z.number().int().min(1).max(40),
  }),
  sides: z.strictObject({ us: z.strictObject({ name: text }), china: z.strictObject({ name: text }) }),
  roles: z.array(role).min(2, 'a match needs at least two roles'),
  regions: z.array(region).min(2),
  model,
  events: z.array(eventCard).default([]),
  proposals: z.array(proposal).default([]),
  endings: z.array(ending).min(1, 'at least one ending is needed'),
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
