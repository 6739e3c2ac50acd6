// Records keyed by a fixed list of rule ids (a role's levers, the regions, the roles) made in one step from values by
// position: one object literal per list, compiled once.
import type { RoleRule, RuleFile } from '../rules/schema.ts';
import { mayCompile } from './may-compile.ts';

/** Builds { [items[i].id]: values[i] } in list order, and writes values back into such a record. */
export interface RecordMaker<T> {
  make: (values: ArrayLike<T>) => Record<string, T>;
  write: (rec: Record<string, T>, values: ArrayLike<T>) => void;
}

const made = new WeakMap<readonly { id: string }[], RecordMaker<unknown>>();

/** A literal with the ids written in, and named stores: a copy of a template then a keyed store per id cost several
 *  times more (the stores' keys change from one to the next, so each is a lookup by name). Ids that a literal would
 *  not write as own keys in the same order ("__proto__", repeats) get the plain loop. */
export function recordMaker<T>(items: readonly { id: string }[]): RecordMaker<T> {
  let r = made.get(items) as RecordMaker<T> | undefined;
  if (r) return r;
  const ids = items.map((x) => x.id);
  const plain = ids.includes('__proto__') || new Set(ids).size !== ids.length;
  r = (plain || !mayCompile ? null : compiledFor<T>(ids)) ?? loops<T>(ids);
  made.set(items, r as RecordMaker<unknown>);
  return r;
}

/** The spend record maker of a role's levers. */
export const spendRecord = (levers: RoleRule['levers']): RecordMaker<number> => recordMaker<number>(levers);
export type SpendRecord = RecordMaker<number>;

/** The maker of records by region id, in rule order. */
export const regionRecord = <T>(regions: RuleFile['regions']): RecordMaker<T> => recordMaker<T>(regions);

function loops<T>(ids: readonly string[]): RecordMaker<T> {
  return {
    make: (a) => {
      const rec: Record<string, T> = {};
      for (let i = 0; i < ids.length; i++) rec[ids[i]] = a[i];
      return rec;
    },
    write: (rec, a) => { for (let i = 0; i < ids.length; i++) rec[ids[i]] = a[i]; },
  };
}

function compiledFor<T>(ids: readonly string[]): RecordMaker<T> | null {
  // JSON.stringify quotes each id as a string literal: no id can be read as code
  const keys = ids.map((id) => JSON.stringify(id));
  try {
    return {
      make: new Function('a', `return { ${keys.map((k, i) => `${k}: a[${i}]`).join(', ')} };`) as RecordMaker<T>['make'],
      write: new Function('s', 'a', keys.map((k, i) => `s[${k}] = a[${i}];`).join(' ')) as RecordMaker<T>['write'],
    };
  } catch {
    // a page whose content security policy forbids compiling code
    return null;
  }
}
