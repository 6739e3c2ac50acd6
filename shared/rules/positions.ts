// From a path in the parsed data (roles, 1, levers, 0, effect) to a line and column of the YAML source,
// and to the readable path designers see (roles.usLab.levers.training.effect).
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node as YamlNode, Pair } from 'yaml';

export type PathSegment = string | number;
export type DataPath = readonly PathSegment[];

/** Where a problem points: the value at the path, the key naming it, or the map that should hold it. */
export type Anchor = 'value' | 'key';

export interface Position { line: number; col: number }

const ID = /^[a-z][A-Za-z0-9]*$/;

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : undefined;
}

function findPair(map: unknown, key: PathSegment): Pair | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (k === key || String(k) === String(key)) return item;
  }
  return undefined;
}

/**
 * The source offset for a path: the deepest node that exists along it, so a missing key points at
 * the map that should hold it and a defaulted field at its object.
 */
export function offsetOf(doc: Document, path: DataPath, anchor: Anchor = 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) return offset;
      const keyStart = rangeStart(pair.key);
      const value = pair.value as YamlNode | null;
      const valueStart = rangeStart(value);
      // an empty value (`help:`) has no useful place of its own: point at its key
      const emptyValue = value == null || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
      if (last && (anchor === 'key' || emptyValue)) return keyStart ?? offset;
      node = value;
      offset = (emptyValue ? keyStart : valueStart) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return offset;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

export function positionOf(doc: Document, lineCounter: LineCounter, path: DataPath, anchor: Anchor = 'value'): Position {
  return toPosition(lineCounter, offsetOf(doc, path, anchor));
}

export function toPosition(lineCounter: LineCounter, offset: number): Position {
  const p = lineCounter.linePos(offset);
  return { line: Math.max(1, p.line), col: Math.max(1, p.col) };
}

/**
 * A dotted path for people: list items that have a valid id are named by it
 * (`roles.usLab.levers.training.effect`), others by index (`events.lobsterBust.when[0].stat`).
 */
export function readablePath(data: unknown, path: DataPath): string {
  let out = '';
  let node: unknown = data;
  for (const seg of path) {
    if (typeof seg === 'number') {
      const item = Array.isArray(node) ? node[seg] : undefined;
      const id = item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>).id : undefined;
      out += typeof id === 'string' && ID.test(id) ? `${out ? '.' : ''}${id}` : `[${seg}]`;
      node = item;
    } else {
      out += `${out ? '.' : ''}${seg}`;
      node = node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out || '(file)';
}

/** One problem before it is placed in the file: where in the data, and what is wrong. */
export interface Finding {
  path: DataPath;
  message: string;
  /** point at the key instead of the value (unknown keys) */
  anchor?: Anchor;
  /** for duplicates: the earlier place, reported as "(first at line N)" */
  firstAt?: DataPath;
}

/** The value at a path of plain parsed data, or undefined. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let node = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PathSegment, unknown>)[seg];
  }
  return node;
}
