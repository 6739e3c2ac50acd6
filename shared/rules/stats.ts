// The one table of stat names a rule file may read (conditions, objectives) or write (event effects), and the kind of value each holds.
import type { RuleFile } from './schema.ts';

/** What kind of value a stat holds, for comparators and effects: a share is 0..1, a count never below 0. */
export type StatKind = 'boolean' | 'tier' | 'share' | 'count' | 'number';

interface StatInfo { kind: StatKind; /** an event effect may change it */ write: boolean }

/** Stats of the whole world, named as they are (`trust`). Order is the order "did you mean" and the JSON schema list them in. */
export const WORLD_STATS = {
  turn: { kind: 'count', write: false },
  lead: { kind: 'number', write: false },
  absLead: { kind: 'count', write: false },
  costRatio: { kind: 'count', write: false },
  catastrophes: { kind: 'count', write: false },
  majorIncidents: { kind: 'count', write: false },
  minorIncidents: { kind: 'count', write: false },
  agreementTurns: { kind: 'count', write: false },
  activeAgreements: { kind: 'count', write: false },
  globalLicensing: { kind: 'boolean', write: true },
  openWeights: { kind: 'boolean', write: true },
  hubCompliance: { kind: 'share', write: false },
  riskModifier: { kind: 'count', write: true },
  trust: { kind: 'share', write: true },
  tension: { kind: 'count', write: true },
  brokenTreaties: { kind: 'count', write: false },
} as const satisfies Record<string, StatInfo>;

/** Stats of each side, named `us.<stat>` and `china.<stat>`. */
export const SIDE_STATS = {
  chips: { kind: 'count', write: true },
  domesticShare: { kind: 'share', write: false },
  powerGW: { kind: 'count', write: true },
  effectiveCompute: { kind: 'count', write: false },
  capability: { kind: 'number', write: true },
  distilledMonths: { kind: 'count', write: false },
  safeguards: { kind: 'share', write: true },
  adoption: { kind: 'share', write: true },
  computeCost: { kind: 'count', write: false },
  smuggledChips: { kind: 'count', write: false },
  seizedChips: { kind: 'count', write: false },
  brokenAgreements: { kind: 'count', write: false },
  algorithmicMonths: { kind: 'number', write: true },
} as const satisfies Record<string, StatInfo>;

/** Stats of each region, named `region.<id>.<stat>`. */
export const REGION_STATS = {
  compliance: { kind: 'share', write: true },
  tier: { kind: 'tier', write: true },
} as const satisfies Record<string, StatInfo>;

/** Stats of each role, named `role.<id>.<stat>`. */
export const ROLE_STATS = {
  budget: { kind: 'count', write: true },
} as const satisfies Record<string, StatInfo>;

export type WorldStat = keyof typeof WORLD_STATS;
export type SideStat = keyof typeof SIDE_STATS;

const SIDE_NAMES = ['us', 'china'] as const;

function names(table: Record<string, StatInfo>, use: 'read' | 'write'): string[] {
  return Object.keys(table).filter((k) => use === 'read' || table[k].write);
}

function stats(rules: Pick<RuleFile, 'regions' | 'roles'>, use: 'read' | 'write'): string[] {
  const out: string[] = names(WORLD_STATS, use);
  for (const s of SIDE_NAMES) for (const k of names(SIDE_STATS, use)) out.push(`${s}.${k}`);
  for (const r of rules.regions) for (const k of names(REGION_STATS, use)) out.push(`region.${r.id}.${k}`);
  for (const r of rules.roles) for (const k of names(ROLE_STATS, use)) out.push(`role.${r.id}.${k}`);
  return out;
}

/** Every stat path a rule file may read, for checking and "did you mean". */
export function readableStats(rules: Pick<RuleFile, 'regions' | 'roles'>): string[] {
  return stats(rules, 'read');
}

/** Every stat path an event effect may change. */
export function writableStats(rules: Pick<RuleFile, 'regions' | 'roles'>): string[] {
  return stats(rules, 'write');
}

const own = (table: object, key: string | undefined): key is string => key !== undefined && Object.hasOwn(table, key);

/** What kind of value a stat holds; a name not in the table counts as a plain number (it is reported as unknown elsewhere). */
export function statKind(stat: string): StatKind {
  const parts = stat.split('.');
  if (parts.length === 1) return own(WORLD_STATS, stat) ? WORLD_STATS[stat as WorldStat].kind : 'number';
  if (parts[0] === 'region') return own(REGION_STATS, parts[2]) ? REGION_STATS[parts[2] as keyof typeof REGION_STATS].kind : 'share';
  if (parts[0] === 'role') return 'count';
  if (parts[0] === 'us' || parts[0] === 'china') return own(SIDE_STATS, parts[1]) ? SIDE_STATS[parts[1] as SideStat].kind : 'number';
  return 'number';
}
