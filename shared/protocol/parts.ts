// A JSON document kept in the synced state as parts by path (docs/protocol.md, section 12.1): the server writes only the
// parts that changed, so a changed number costs a dozen bytes, not the whole document; a reader assembles it again.

/** The two maps of a split document as both sides see them (a MapSchema, or anything map-like). */
export interface ReadableParts {
  numbers: { get(path: string): number | undefined };
  values: { get(path: string): string | undefined };
}
export interface WritableParts {
  numbers: { get(path: string): number | undefined; set(path: string, v: number): unknown; delete(path: string): unknown };
  values: { get(path: string): string | undefined; set(path: string, v: string): unknown; delete(path: string): unknown };
  version: number;
}

/**
 * A piece of a document written as one part (`{"whole":…}`), not split by path: text a player reads and that changes
 * as one (a dilemma, its options), where the paths would cost more than the text.
 */
export class Whole<T = unknown> {
  readonly value: T;
  constructor(value: T) { this.value = value; }
}
export const whole = <T>(value: T): Whole<T> => new Whole(value);

/**
 * A value that may be null, written while null in the shape it will take (`{"keys":[…],"none":true}` over the shape's
 * parts): its first real value then moves numbers already held instead of adding every path (a team's last orders).
 */
export class Shaped<T = unknown> {
  readonly value: T | null;
  readonly shape: object;
  constructor(value: T | null, shape: object) { this.value = value; this.shape = shape; }
}
export const shaped = <T>(value: T | null, shape: object): Shaped<T> => new Shaped(value, shape);

/** The value a Shaped stands for now, and whether it is written as the none of its shape. */
function unshape(value: unknown): { value: unknown; none: boolean } {
  if (!(value instanceof Shaped)) return { value, none: false };
  if (value.value !== null && value.value !== undefined) return { value: value.value, none: false };
  return Array.isArray(value.shape) || value.shape === null || typeof value.shape !== 'object' ? { value: null, none: false } : { value: value.shape, none: true };
}

/** One path segment, escaped as in a JSON pointer (`~` as `~0`, `/` as `~1`). */
export const segment = (key: string): string => (key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key);

/** Every part of a JSON value: finite numbers into `numbers`, everything else as JSON text into `values`. */
export function splitDocument(given: unknown, path = '', numbers = new Map<string, number>(), values = new Map<string, string>()): { numbers: Map<string, number>; values: Map<string, string> } {
  const { value, none } = unshape(given);
  if (typeof value === 'number' && Number.isFinite(value)) numbers.set(path, value);
  else if (value instanceof Whole) values.set(path, JSON.stringify({ whole: value.value ?? null }));
  else if (Array.isArray(value)) {
    values.set(path, `{"length":${value.length}}`);
    // as JSON.stringify does: a hole or an undefined item is null
    for (let i = 0; i < value.length; i++) splitDocument(value[i] === undefined ? null : value[i], `${path}/${i}`, numbers, values);
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    values.set(path, JSON.stringify(none ? { keys, none } : { keys }));
    for (const k of keys) splitDocument((value as Record<string, unknown>)[k], `${path}/${segment(k)}`, numbers, values);
  } else values.set(path, JSON.stringify(value ?? null));
  return { numbers, values };
}

/** Writes a document into its parts, touching only the parts that changed; true when anything did (the version then moves on). */
export function writeParts(doc: WritableParts, value: unknown): boolean {
  const w = { doc, changed: false };
  writePart(w, '', value);
  if (w.changed) doc.version = (doc.version + 1) >>> 0;
  return w.changed;
}

interface Writing { doc: WritableParts; changed: boolean }

/** One part and what lies under it, compared with what the parts hold (no copy of the document is made). */
function writePart(w: Writing, path: string, given: unknown): void {
  const { numbers, values } = w.doc;
  const { value, none } = unshape(given);
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (numbers.get(path) === value) return;
    const old = values.get(path);
    if (old !== undefined) { dropUnder(w, path, old, null); values.delete(path); }
    numbers.set(path, value);
    w.changed = true;
    return;
  }
  let text: string;
  let keys: string[] | null = null;
  if (value instanceof Whole) text = JSON.stringify({ whole: value.value ?? null });
  else if (Array.isArray(value)) text = `{"length":${value.length}}`;
  else if (value !== null && typeof value === 'object') {
    keys = Object.keys(value);
    if (keys.some((k) => (value as Record<string, unknown>)[k] === undefined)) keys = keys.filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    text = JSON.stringify(none ? { keys, none } : { keys });
  } else text = value === true ? 'true' : value === false ? 'false' : typeof value === 'string' ? JSON.stringify(value) : 'null';
  const old = values.get(path);
  if (old !== text) {
    if (old !== undefined) dropUnder(w, path, old, value);
    else if (numbers.get(path) !== undefined) numbers.delete(path);
    values.set(path, text);
    w.changed = true;
  }
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) writePart(w, `${path}/${i}`, value[i] === undefined ? null : value[i]);
  else if (keys) for (const k of keys) writePart(w, `${path}/${segment(k)}`, (value as Record<string, unknown>)[k]);
}

/** Removes the parts under `path` that the value written there now no longer has (all of them when it is no container). */
function dropUnder(w: Writing, path: string, oldText: string, now: unknown): void {
  const old = JSON.parse(oldText) as unknown;
  if (old === null || typeof old !== 'object') return;
  const shape = old as { keys?: string[]; length?: number; whole?: unknown };
  if ('whole' in shape) return;
  if (Array.isArray(shape.keys)) {
    const kept = now !== null && typeof now === 'object' && !Array.isArray(now) ? (now as Record<string, unknown>) : null;
    for (const k of shape.keys) if (!kept || kept[k] === undefined) dropAll(w, `${path}/${segment(k)}`);
  } else {
    const from = Array.isArray(now) ? now.length : 0;
    for (let i = from; i < (shape.length ?? 0); i++) dropAll(w, `${path}/${i}`);
  }
}

function dropAll(w: Writing, path: string): void {
  const { numbers, values } = w.doc;
  if (numbers.get(path) !== undefined) { numbers.delete(path); w.changed = true; return; }
  const text = values.get(path);
  if (text === undefined) return;
  dropUnder(w, path, text, null);
  values.delete(path);
  w.changed = true;
}

/** The document the parts hold, or undefined when nothing was written yet. */
export function assembleParts(doc: ReadableParts, path = ''): unknown {
  const n = doc.numbers.get(path);
  if (n !== undefined) return n;
  const text = doc.values.get(path);
  if (text === undefined) return undefined;
  const v = JSON.parse(text) as unknown;
  if (v === null || typeof v !== 'object') return v;
  const shape = v as { keys?: string[]; length?: number; whole?: unknown; none?: boolean };
  if ('whole' in shape) return shape.whole;
  if (shape.none === true) return null;
  if (Array.isArray(shape.keys)) {
    const out: Record<string, unknown> = {};
    for (const k of shape.keys) out[k] = assembleParts(doc, `${path}/${segment(k)}`);
    return out;
  }
  const out: unknown[] = [];
  for (let i = 0; i < (shape.length ?? 0); i++) out.push(assembleParts(doc, `${path}/${i}`));
  return out;
}
