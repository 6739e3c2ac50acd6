// The deck's conditions written out as one function per deck, compiled once: the draw reads every card's conditions
// every quarter, and a call per condition with a switch on its stat cost more than the reads themselves.
import type { RuleFile } from '../rules/schema.ts';
import type { MatchState } from './state.ts';
import { holds, REF_CODE, SIDE_FIELD_NAMES, type CompiledCondition } from './stats.ts';
import { mayCompile } from './may-compile.ts';

/** Marks in `ok`, by deck position, the cards of the draw: not a crisis, not drawn before unless repeatable (`drawn`, by
 *  position), every condition holding. The same test as the draw's loop with holds, card by card; it leaves in `sum`
 *  the weights of the cards marked, added in deck order, and the last one's position (-1 for none). */
export type DeckTest = (rules: RuleFile, state: MatchState, drawn: Uint8Array, ok: Uint8Array, weight: Float64Array, sum: Float64Array) => void;


/** The number holds compares, as an expression, or null for a condition holds itself must read. */
function numberOf(c: CompiledCondition): string | null {
  if (c.equals !== undefined) return null;
  const r = c.ref;
  if (r.code === REF_CODE.us || r.code === REF_CODE.china) {
    const sd = r.code === REF_CODE.us ? 'us' : 'cn';
    // a side's fields by code (fieldCode 1-8 are plain fields; 9 is the domestic share)
    if (r.fieldCode >= 1 && r.fieldCode <= 8) return `${sd}.${SIDE_FIELD_NAMES[r.fieldCode - 1]}`;
    if (r.fieldCode === 9) return `(${sd}.chips > 0 ? ${sd}.domesticChips / ${sd}.chips : 0)`;
    return null;
  }
  if (r.code === REF_CODE.turn) return 'state.turn';
  if (r.code === REF_CODE.lead) return '(us.capability - cn.capability)';
  if (r.code === REF_CODE.absLead) return 'Math.abs(us.capability - cn.capability)';
  if (r.code === REF_CODE.tension) return 'state.tension';
  return null;
}

/** One condition as an expression: its bounds as holds checks them (`!(n > above)` fails, so does NaN), the bounds read
 *  from `k` (no number is printed into the code), anything else asked of holds itself. */
function conditionCode(c: CompiledCondition, at: string, k: unknown[]): string {
  // the two switches, compared as readRef returns them
  if (c.equals !== undefined && (c.ref.code === REF_CODE.globalLicensing || c.ref.code === REF_CODE.openWeights)) {
    k.push(c.equals);
    return `state.${c.ref.code === REF_CODE.globalLicensing ? 'globalLicensing' : 'openWeights'} === k[${k.length - 1}]`;
  }
  const n = numberOf(c);
  if (n === null) { k.push(c); return `holds(rules, state, k[${k.length - 1}])`; }
  const parts: string[] = [];
  const bound = (v: number | undefined, op: string) => { if (v !== undefined) { k.push(v); parts.push(`${at} ${op} k[${k.length - 1}]`); } };
  bound(c.above, '>');
  bound(c.below, '<');
  bound(c.atLeast, '>=');
  bound(c.atMost, '<=');
  if (!parts.length) return 'true';
  return `((${at} = ${n}), ${parts.join(' && ')})`;
}

/** The deck's test, or null where code cannot be compiled (a page whose content security policy forbids it). */
export function deckTest(compiled: readonly (readonly CompiledCondition[])[], crisis: Uint8Array, repeatable: Uint8Array): DeckTest | null {
  if (!mayCompile) return null;
  const k: unknown[] = [];
  const lines = compiled.map((cs, i) => {
    if (crisis[i]) return `ok[${i}] = 0;`;
    const tests = cs.map((c) => conditionCode(c, 'n', k));
    if (!repeatable[i]) tests.unshift(`!drawn[${i}]`);
    return `if (${tests.length ? tests.join(' && ') : 'true'}) { ok[${i}] = 1; total += weight[${i}]; last = ${i}; } else ok[${i}] = 0;`;
  });
  try {
    const make = new Function('holds', 'k', `return function deckTest(rules, state, drawn, ok, weight, sum) {
  const us = state.sides.us, cn = state.sides.china;
  let n = 0, total = 0, last = -1;
  ${lines.join('\n  ')}
  sum[0] = total;
  sum[1] = last;
};`);
    return make(holds, k) as DeckTest;
  } catch {
    return null;
  }
}
