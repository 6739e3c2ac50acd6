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

/**
 * What a document's parts hold, kept beside them as a tree: a change is found by walking the value and this tree
 * together, with each part's path made once, instead of building every path and looking it up in the synced maps.
 */
interface Part {
  readonly path: string;
  /** a number part's value (undefined when the part is text or absent) */
  num: number | undefined;
  /** a text part's JSON (undefined when the part is a number or absent) */
  text: string | undefined;
  /** a container's shape as written: its keys (an object) or length (an array, else -1), and whether it is a none */
  keys: string[] | null;
  length: number;
  none: boolean;
  /** the parts under a container, by key (an array's by index) */
  kids: Map<string, Part> | null;
}

const newPart = (path: string): Part => ({ path, num: undefined, text: undefined, keys: null, length: -1, none: false, kids: null });
const shadows = new WeakMap<WritableParts, Part>();

/** The tree of what the parts hold: made once per document, read from the parts if something was written before. */
function shadowOf(doc: WritableParts): Part {
  let root = shadows.get(doc);
  if (!root) { root = readPart(doc, ''); shadows.set(doc, root); }
  return root;
}

function readPart(doc: WritableParts, path: string): Part {
  const part = newPart(path);
  part.num = doc.numbers.get(path);
  if (part.num !== undefined) return part;
  part.text = doc.values.get(path);
  if (part.text === undefined) return part;
  const v = JSON.parse(part.text) as { keys?: string[]; length?: number; whole?: unknown; none?: boolean } | null;
  if (v === null || typeof v !== 'object' || 'whole' in v) return part;
  part.kids = new Map();
  if (Array.isArray(v.keys)) {
    part.keys = v.keys;
    part.none = v.none === true;
    for (const k of v.keys) part.kids.set(k, readPart(doc, `${path}/${segment(k)}`));
  } else {
    part.length = v.length ?? 0;
    for (let i = 0; i < part.length; i++) part.kids.set(String(i), readPart(doc, `${path}/${i}`));
  }
  return part;
}

/** Writes a document into its parts, touching only the parts that changed; true when anything did (the version then moves on). */
export function writeParts(doc: WritableParts, value: unknown): boolean {
  const w = { doc, changed: false };
  writePart(w, shadowOf(doc), value);
  if (w.changed) doc.version = (doc.version + 1) >>> 0;
  return w.changed;
}

interface Writing { doc: WritableParts; changed: boolean }

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One part and what lies under it, compared with what the parts hold (no copy of the document is made). */
function writePart(w: Writing, part: Part, given: unknown): void {
  if (typeof given === 'number' && part.num === given) return;
  const { numbers, values } = w.doc;
  let value = given;
  let none = false;
  if (given instanceof Shaped) ({ value, none } = unshape(given));
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (part.num === value) return;
    if (part.text !== undefined) { dropKids(w, part); values.delete(part.path); part.text = undefined; }
    numbers.set(part.path, value);
    part.num = value;
    w.changed = true;
    return;
  }
  let keys: string[] | null = null;
  let length = -1;
  let text: string | undefined;
  if (value instanceof Whole) text = JSON.stringify({ whole: value.value ?? null });
  else if (Array.isArray(value)) {
    length = value.length;
    if (part.length !== length || part.keys !== null) text = `{"length":${length}}`;
  } else if (value !== null && typeof value === 'object') {
    keys = Object.keys(value);
    for (const k of keys) if ((value as Record<string, unknown>)[k] === undefined) { keys = keys.filter((k) => (value as Record<string, unknown>)[k] !== undefined); break; }
    if (part.keys === null || part.none !== none || !sameKeys(part.keys, keys)) text = JSON.stringify(none ? { keys, none } : { keys });
  } else text = value === true ? 'true' : value === false ? 'false' : typeof value === 'string' ? JSON.stringify(value) : 'null';
  if (text !== undefined && part.text !== text) {
    if (part.num !== undefined) { numbers.delete(part.path); part.num = undefined; }
    // what the container no longer holds goes (everything under it, when it is no longer the same kind of container)
    if (part.kids) {
      if (keys && part.keys) { const kept = new Set(keys); for (const [k, kid] of part.kids) if (!kept.has(k)) { dropAll(w, kid); part.kids.delete(k); } }
      else if (length >= 0 && part.length >= 0) for (let i = length; i < part.length; i++) { dropAll(w, part.kids.get(String(i))!); part.kids.delete(String(i)); }
      else dropKids(w, part);
    }
    values.set(part.path, text);
    part.text = text;
    part.keys = keys;
    part.length = length;
    part.none = none;
    w.changed = true;
  }
  if (length >= 0) {
    const kids = (part.kids ??= new Map());
    const items = value as unknown[];
    for (let i = 0; i < length; i++) {
      const key = String(i);
      let kid = kids.get(key);
      if (!kid) { kid = newPart(`${part.path}/${i}`); kids.set(key, kid); }
      writePart(w, kid, items[i] === undefined ? null : items[i]);
    }
  } else if (keys) {
    const kids = (part.kids ??= new Map());
    for (const k of keys) {
      let kid = kids.get(k);
      if (!kid) { kid = newPart(`${part.path}/${segment(k)}`); kids.set(k, kid); }
      writePart(w, kid, (value as Record<string, unknown>)[k]);
    }
  }
}

/** Removes every part under a part (it is no longer a container of the same kind). */
function dropKids(w: Writing, part: Part): void {
  if (part.kids) for (const kid of part.kids.values()) dropAll(w, kid);
  part.kids = null;
  part.keys = null;
  part.length = -1;
  part.none = false;
}

function dropAll(w: Writing, part: Part): void {
  const { numbers, values } = w.doc;
  if (part.num !== undefined) { numbers.delete(part.path); part.num = undefined; w.changed = true; return; }
  if (part.text === undefined) return;
  dropKids(w, part);
  values.delete(part.path);
  part.text = undefined;
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
