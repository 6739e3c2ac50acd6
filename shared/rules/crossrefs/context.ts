// What every cross-reference check shares: readers for the raw parsed data, the roles and regions collected once, and how a finding is reported.
import { didYouMean, listOf } from '../suggest.ts';
import type { DataPath, Finding } from '../positions.ts';

export type Obj = Record<string, unknown>;
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
export const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
export const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
export const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
export const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));
export const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : isObj(v) ? 'a map' : String(v));

export interface RoleInfo {
  index: number;
  id: string;
  side?: string;
  levers: Set<string>;
  /** every lever has a valid id, so "no such lever" is certain */
  leversComplete: boolean;
  settings: Set<string>;
  /** the settings list is readable, so "does not hold" is certain */
  settingsKnown: boolean;
  perTurn?: number;
}

export const ID = /^[a-z][A-Za-z0-9]*$/;
export interface RegionInfo { index: number; id: string; alignment?: string }

export interface Ctx {
  out: Finding[];
  data: Obj;
  roles: Map<string, RoleInfo>;
  /** every role has a usable id, so "no such role" is certain */
  rolesComplete: boolean;
  regions: Map<string, RegionInfo>;
  regionsComplete: boolean;
  readable: Set<string>;
  writable: Set<string>;
  turns?: number;
  /** the longest safety agreement, in quarters (bounds agreementTurns) */
  longestSafetyAgreement: number;
  catastropheFromTurn?: number;
}

export function push(ctx: Ctx, path: DataPath, message: string, firstAt?: DataPath): void {
  ctx.out.push(firstAt ? { path, message, firstAt } : { path, message });
}

/** Reports ids used twice in a list; returns id → index of the first. */
export function uniqueIds(ctx: Ctx, list: unknown, path: DataPath, what: string): Map<string, number> {
  const seen = new Map<string, number>();
  arr(list).forEach((item, i) => {
    const id = isObj(item) ? str(item.id) : undefined;
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) push(ctx, [...path, i, 'id'], `duplicate ${what} id "${id}": ids must be unique`, [...path, first, 'id']);
    else seen.set(id, i);
  });
  return seen;
}

export function roleIdProblem(ctx: Ctx, id: string): string | null {
  if (!ctx.rolesComplete || ctx.roles.has(id)) return null;
  return `there is no role "${id}"${didYouMean(id, ctx.roles.keys()) || ` (roles: ${listOf([...ctx.roles.keys()])})`}`;
}
