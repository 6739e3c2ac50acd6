// A JSON document kept in the synced state as parts by path (docs/protocol.md, section 12.1): the server writes only the
// parts that changed, so a changed number costs a dozen bytes, not the whole document; a reader assembles it again.

/** The two maps of a split document as both sides see them (a MapSchema, or anything map-like). */
export interface ReadableParts {
  numbers: { get(path: string): number | undefined };
  values: { get(path: string): string | undefined };
}
export interface WritableParts {
  numbers: { get(path: string): number | undefined; set(path: string, v: number): unknown; delete(path: string): unknown; keys(): IterableIterator<string> };
  values: { get(path: string): string | undefined; set(path: string, v: string): unknown; delete(path: string): unknown; keys(): IterableIterator<string> };
  version: number;
}

/** One path segment, escaped as in a JSON pointer (`~` as `~0`, `/` as `~1`). */
export const segment = (key: string): string => (/[~/]/.test(key) ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key);

/** Every part of a JSON value: finite numbers into `numbers`, everything else as JSON text into `values`. */
export function splitDocument(value: unknown, path = '', numbers = new Map<string, number>(), values = new Map<string, string>()): { numbers: Map<string, number>; values: Map<string, string> } {
  if (typeof value === 'number' && Number.isFinite(value)) numbers.set(path, value);
  else if (Array.isArray(value)) {
    values.set(path, `{"length":${value.length}}`);
    // as JSON.stringify does: a hole or an undefined item is null
    for (let i = 0; i < value.length; i++) splitDocument(value[i] === undefined ? null : value[i], `${path}/${i}`, numbers, values);
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    values.set(path, JSON.stringify({ keys }));
    for (const k of keys) splitDocument((value as Record<string, unknown>)[k], `${path}/${segment(k)}`, numbers, values);
  } else values.set(path, JSON.stringify(value ?? null));
  return { numbers, values };
}

/** Writes a document into its parts, touching only the parts that changed; true when anything did (the version then moves on). */
export function writeParts(doc: WritableParts, value: unknown): boolean {
  const next = splitDocument(value);
  let changed = false;
  for (const [path, v] of next.numbers) if (doc.numbers.get(path) !== v) { doc.numbers.set(path, v); changed = true; }
  for (const [path, v] of next.values) if (doc.values.get(path) !== v) { doc.values.set(path, v); changed = true; }
  for (const [map, keep] of [[doc.numbers, next.numbers], [doc.values, next.values]] as const) {
    const gone: string[] = [];
    for (const path of map.keys()) if (!keep.has(path)) gone.push(path);
    for (const path of gone) map.delete(path);
    if (gone.length) changed = true;
  }
  if (changed) doc.version = (doc.version + 1) >>> 0;
  return changed;
}

/** The document the parts hold, or undefined when nothing was written yet. */
export function assembleParts(doc: ReadableParts, path = ''): unknown {
  const n = doc.numbers.get(path);
  if (n !== undefined) return n;
  const text = doc.values.get(path);
  if (text === undefined) return undefined;
  const v = JSON.parse(text) as unknown;
  if (v === null || typeof v !== 'object') return v;
  const shape = v as { keys?: string[]; length?: number };
  if (Array.isArray(shape.keys)) {
    const out: Record<string, unknown> = {};
    for (const k of shape.keys) out[k] = assembleParts(doc, `${path}/${segment(k)}`);
    return out;
  }
  const out: unknown[] = [];
  for (let i = 0; i < (shape.length ?? 0); i++) out.push(assembleParts(doc, `${path}/${i}`));
  return out;
}
