// The one table of policy settings a role may hold besides its budget: how each is named, what values it takes, where it stands in the world and how an order carries it.
import { z } from 'zod';

export const EXPORT_TIERS = ['open', 'licensed', 'embargo'] as const;
export type ExportTierName = (typeof EXPORT_TIERS)[number];

/** The part of a match's state the settings live in (MatchState has it; kept structural so shared/rules needs nothing from shared/engine). */
export interface SettingsWorld {
  regions: Record<string, { tier: ExportTierName; compliance: number }>;
  globalLicensing: boolean;
  openWeights: boolean;
}

/** The part of a rule file the settings need: the regions, to find the tier-2 hubs. */
export interface SettingsRules { regions: readonly { id: string; alignment: string }[] }

/** How a setting's value is shaped: a tier per region, on/off, or a share between 0 and 1. */
export type SettingKind = 'tiers' | 'boolean' | 'share';

export interface Setting<V> {
  /** a label for a panel or a table heading */
  label: string;
  /** the setting in a sentence ("turned global licensing on") */
  words: string;
  /** what it does, for the player setting it (the order panel) */
  explain: string;
  kind: SettingKind;
  /** the only side whose roles may hold it, when it belongs to one */
  side?: 'us' | 'china';
  /** the order field's wire shape (the order carries it under the setting's id) */
  shape: z.ZodType<V>;
  /** where it stands now in the world; undefined when the world has nothing for it (no tier-2 hub) */
  current(rules: SettingsRules, world: SettingsWorld): V | undefined;
  /** an order's value filled in from the world where the order left it (or part of it) out */
  complete(rules: SettingsRules, world: SettingsWorld, given: V | undefined): V | undefined;
}

const firstHub = (rules: SettingsRules) => rules.regions.find((r) => r.alignment === 'tier2');
const scalar = <V>(current: (rules: SettingsRules, world: SettingsWorld) => V | undefined) => ({
  current,
  complete: (rules: SettingsRules, world: SettingsWorld, given: V | undefined) => given ?? current(rules, world),
});

export const SETTINGS = {
  exportTiers: {
    label: 'Export tiers', words: 'export tiers', kind: 'tiers', side: 'us',
    explain: 'Export tier for US-aligned chips: open (free), licensed (downgraded chips, about half), embargo (none). Tier-2 hubs are where smugglers divert chips.',
    shape: z.record(z.string().max(64), z.enum(EXPORT_TIERS)).refine((r) => Object.keys(r).length <= 100, 'at most 100 regions in one order'),
    current: (rules, world) => Object.fromEntries(rules.regions.map((r) => [r.id, world.regions[r.id].tier])),
    complete: (rules, world, given) => {
      const tiers: Record<string, ExportTierName> = { ...given };
      for (const r of rules.regions) tiers[r.id] ??= world.regions[r.id].tier;
      return tiers;
    },
  } satisfies Setting<Record<string, ExportTierName>>,
  globalLicensing: {
    label: 'Global licensing', words: 'global licensing', kind: 'boolean', side: 'us',
    explain: 'Global licensing: licences for advanced chips worldwide (more smuggled shipments seized)',
    shape: z.boolean(),
    ...scalar((_rules, world) => world.globalLicensing),
  } satisfies Setting<boolean>,
  openWeights: {
    label: 'Open weights', words: 'open weights', kind: 'boolean', side: 'china',
    explain: 'Release models as open weights (adoption rises, and so does the risk of incidents)',
    shape: z.boolean(),
    ...scalar((_rules, world) => world.openWeights),
  } satisfies Setting<boolean>,
  hubCompliance: {
    label: 'Hub compliance', words: 'hub compliance', kind: 'share',
    explain: 'Hub compliance (share of transshipment business refused)',
    shape: z.number().min(0).max(1),
    ...scalar((rules, world) => { const hub = firstHub(rules); return hub ? world.regions[hub.id].compliance : undefined; }),
  } satisfies Setting<number>,
};

export type SettingId = keyof typeof SETTINGS;
/** Every setting's id, in the table's order. */
export const SETTING_IDS = Object.keys(SETTINGS) as [SettingId, ...SettingId[]];

/** One setting's table entry, its value type left open (for code that treats every setting alike). */
export function setting(id: SettingId): Setting<unknown> {
  return SETTINGS[id] as Setting<unknown>;
}

type ValueOf<K extends SettingId> = (typeof SETTINGS)[K] extends Setting<infer V> ? V : never;
/** The settings part of an order: each setting under its id, all optional. */
export type OrderSettings = { [K in SettingId]?: ValueOf<K> };

/** The order fields of every setting, for the order's wire shape. */
export function orderSettingShapes(): { [K in SettingId]: z.ZodOptional<(typeof SETTINGS)[K]['shape']> } {
  return Object.fromEntries(SETTING_IDS.map((id) => [id, SETTINGS[id].shape.optional()])) as never;
}

/** A role's held settings written out in full: the order's values, the world's where the order left them out. */
export function completeSettings(rules: SettingsRules, world: SettingsWorld, held: readonly string[], order: OrderSettings): OrderSettings {
  const out: Record<string, unknown> = {};
  for (const id of SETTING_IDS) {
    if (!held.includes(id)) continue;
    const v = setting(id).complete(rules, world, order[id]);
    if (v !== undefined) out[id] = v;
  }
  return out as OrderSettings;
}
