// Conditions (events, endings) and effects (events, proposals): comparators that fit the stat, and conditions that could never hold.
import { EXPORT_TIERS } from '../schema.ts';
import { statKind } from '../stats.ts';
import { closest } from '../suggest.ts';
import type { DataPath } from '../positions.ts';
import { arr, fmt, isObj, num, push, show, str } from './context.ts';
import type { Ctx } from './context.ts';
import { conditionInterval, describeInterval, domain, intersect, isEmpty } from './intervals.ts';
import type { Constraint } from './intervals.ts';
import { statProblem } from './statNames.ts';

export const COMPARATORS = ['above', 'below', 'atLeast', 'atMost'] as const;
export const OPERATIONS = ['add', 'multiply', 'set'] as const;

export function checkConditions(ctx: Ctx, list: unknown, path: DataPath): Map<string, Constraint> | null {
  const constraints = new Map<string, Constraint>();
  const firstFor = new Map<string, number>();
  let complete = true;
  arr(list).forEach((c, i) => {
    const at = [...path, i];
    if (!isObj(c)) { complete = false; return; }
    const stat = str(c.stat);
    if (!stat) { complete = false; return; }
    const problem = statProblem(ctx, stat, 'read');
    if (problem) { push(ctx, [...at, 'stat'], problem); complete = false; return; }
    if (!ctx.readable.has(stat)) { complete = false; return; }
    const comps = COMPARATORS.filter((k) => c[k] !== undefined);
    const hasEquals = c.equals !== undefined;
    if (!comps.length && !hasEquals) {
      push(ctx, at, `a condition needs a comparator: above, below, atLeast, atMost or equals (e.g. { stat: ${stat}, atLeast: 1 })`);
      complete = false;
      return;
    }
    if (hasEquals && comps.length) {
      push(ctx, [...at, comps[0]], `equals cannot be combined with ${comps.join(', ')}: only equals would be checked`);
      complete = false;
      return;
    }
    const kind = statKind(stat);
    if (kind === 'boolean') {
      if (comps.length) { push(ctx, [...at, comps[0]], `${stat} is true or false; compare it with equals: true or equals: false`); complete = false; return; }
      if (typeof c.equals !== 'boolean') { push(ctx, [...at, 'equals'], `${stat} is true or false, not ${show(c.equals)}`); complete = false; return; }
    } else if (kind === 'tier') {
      if (comps.length) { push(ctx, [...at, comps[0]], `an export tier is not a number; compare it with equals: ${EXPORT_TIERS.join(', ')}`); complete = false; return; }
      if (typeof c.equals !== 'string' || !(EXPORT_TIERS as readonly string[]).includes(c.equals)) {
        const guess = typeof c.equals === 'string' ? closest(c.equals, EXPORT_TIERS) : null;
        push(ctx, [...at, 'equals'], `${show(c.equals)} is not an export tier${guess ? `; did you mean "${guess}"?` : ` (tiers: ${EXPORT_TIERS.join(', ')})`}`);
        complete = false;
        return;
      }
    } else if (hasEquals && typeof c.equals !== 'number') {
      push(ctx, [...at, 'equals'], `${stat} is a number, not ${show(c.equals)}`);
      complete = false;
      return;
    }
    if (comps.some((k) => num(c[k]) === undefined)) { complete = false; return; }
    if (kind === 'boolean' || kind === 'tier') {
      const prev = constraints.get(stat);
      if (prev && prev.kind === 'equals' && prev.value !== c.equals) {
        push(ctx, at, `can never hold together with when[${firstFor.get(stat)}], which needs ${stat} to be ${show(prev.value)}`);
        complete = false;
        return;
      }
      constraints.set(stat, { kind: 'equals', value: c.equals });
      if (!firstFor.has(stat)) firstFor.set(stat, i);
      return;
    }
    const own = conditionInterval(c);
    if (isEmpty(own)) { push(ctx, at, `can never hold: nothing is ${comps.map((k) => `${k} ${fmt(num(c[k])!)}`).join(' and ')}`); complete = false; return; }
    const dom = domain(kind);
    if (isEmpty(intersect(own, dom))) {
      const range = kind === 'share' ? 'between 0 and 1' : 'never below 0';
      push(ctx, at, `can never hold: ${stat} is ${range}`);
      complete = false;
      return;
    }
    if (stat === 'agreementTurns' && own.lo > ctx.longestSafetyAgreement) {
      push(ctx, at, ctx.longestSafetyAgreement === 0
        ? 'can never hold: agreementTurns counts quarters a safety agreement held, and no proposal has safetyAgreement: true'
        : `can never hold: agreementTurns counts quarters a safety agreement held, and the longest safety agreement lasts ${ctx.longestSafetyAgreement} quarters`);
      complete = false;
      return;
    }
    if (stat === 'catastrophes' && own.lo > 0 && ctx.catastropheFromTurn !== undefined && ctx.turns !== undefined && ctx.catastropheFromTurn > ctx.turns) {
      push(ctx, at, `can never hold: model.incidents.catastropheFromTurn is ${ctx.catastropheFromTurn}, after the last of ${ctx.turns} turns, so no catastrophe can happen`);
      complete = false;
      return;
    }
    if (stat === 'turn' && ctx.turns !== undefined && own.lo > ctx.turns) {
      push(ctx, at, `can never hold: the match has only ${ctx.turns} turns`);
      complete = false;
      return;
    }
    const prev = constraints.get(stat);
    const merged = prev && prev.kind === 'range' ? intersect(prev.range, own) : own;
    if (prev && prev.kind === 'range' && isEmpty(merged)) {
      push(ctx, at, `can never hold together with when[${firstFor.get(stat)}]: ${stat} cannot be ${describeInterval(prev.range)} and ${describeInterval(own)}`);
      complete = false;
      return;
    }
    constraints.set(stat, { kind: 'range', range: merged });
    if (!firstFor.has(stat)) firstFor.set(stat, i);
  });
  return complete ? constraints : null;
}

export function checkEffects(ctx: Ctx, list: unknown, path: DataPath): void {
  arr(list).forEach((e, i) => {
    const at = [...path, i];
    if (!isObj(e)) return;
    const stat = str(e.stat);
    const ops = OPERATIONS.filter((k) => e[k] !== undefined);
    if (!ops.length) push(ctx, at, `an effect needs one of add, multiply or set (e.g. { stat: ${stat ?? 'us.chips'}, multiply: 0.95 })`);
    else if (ops.length > 1) push(ctx, [...at, ops[1]], `an effect takes exactly one of add, multiply or set, not ${ops.join(' and ')}; split it into ${ops.length} effects`);
    if (!stat) return;
    const problem = statProblem(ctx, stat, 'write');
    if (problem) { push(ctx, [...at, 'stat'], problem); return; }
    if (!ctx.writable.has(stat) || ops.length !== 1) return;
    const op = ops[0];
    const value = e[op];
    const kind = statKind(stat);
    if (kind === 'boolean') {
      if (op !== 'set' || typeof value !== 'boolean') push(ctx, [...at, op], `${stat} is switched with set: true or set: false`);
    } else if (kind === 'tier') {
      if (op !== 'set') push(ctx, [...at, op], `an export tier is changed with set: ${EXPORT_TIERS.join(', ')}`);
      else if (typeof value !== 'string' || !(EXPORT_TIERS as readonly string[]).includes(value)) {
        const guess = typeof value === 'string' ? closest(value, EXPORT_TIERS) : null;
        push(ctx, [...at, op], `${show(value)} is not an export tier${guess ? `; did you mean "${guess}"?` : ` (tiers: ${EXPORT_TIERS.join(', ')})`}`);
      }
    } else if (typeof value !== 'number') {
      push(ctx, [...at, op], `${stat} is a number; ${op} needs a number, not ${show(value)}`);
    } else if (op === 'multiply' && value < 0) {
      push(ctx, [...at, op], `multiply must be 0 or more (${stat} never goes below 0)`);
    } else if (op === 'set' && kind === 'share' && (value < 0 || value > 1)) {
      push(ctx, [...at, op], `${stat} is between 0 and 1; set: ${fmt(value)} would be cut to ${value < 0 ? 0 : 1}`);
    } else if (op === 'set' && kind === 'count' && value < 0) {
      push(ctx, [...at, op], `${stat} is never below 0; set: ${fmt(value)} would be cut to 0`);
    }
  });
}
