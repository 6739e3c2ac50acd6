// No import circles: between the files of client/, shared/ and server/, and between their sub-packages (client/app, client/ui, shared/engine, …).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname, relative, resolve, sep } from 'node:path';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ROOTS = ['client', 'shared', 'server'];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'node_modules') out.push(...tsFiles(p)); }
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every relative module a file names: static imports and re-exports (type-only ones too: they are dependencies of the code's shape), side-effect imports and dynamic import(). */
export function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?)\s+from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out.filter((s) => s.startsWith('.')).map((s) => s.replace(/\?.*$/, ''));
}

interface Graph { nodes: string[]; edges: Map<string, Set<string>> }

function fileGraph(): Graph {
  const nodes = ROOTS.flatMap((r) => tsFiles(join(root, r))).map((p) => relative(root, p).split(sep).join('/'));
  const known = new Set(nodes);
  const edges = new Map<string, Set<string>>();
  for (const file of nodes) {
    const to = new Set<string>();
    for (const spec of importsOf(readFileSync(join(root, file), 'utf8'))) {
      const target = relative(root, resolve(root, dirname(file), spec)).split(sep).join('/');
      if (known.has(target)) to.add(target);
      else if (spec.endsWith('.ts') && !existsSync(join(root, target))) throw new Error(`${file} imports ${spec}, which does not exist`);
    }
    edges.set(file, to);
  }
  return { nodes, edges };
}

/**
 * A file's sub-package: its first two folders (client/app, shared/engine, server/rooms). Files at a root's
 * top level (client/main.ts, server/main.ts) belong to none: they assemble the packages, and their own
 * circles show in the file graph.
 */
export function packageOf(file: string): string | null {
  const parts = file.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : null;
}

function packageGraph(g: Graph): Graph {
  const edges = new Map<string, Set<string>>();
  for (const f of g.nodes) { const p = packageOf(f); if (p && !edges.has(p)) edges.set(p, new Set()); }
  for (const [from, tos] of g.edges) {
    const a = packageOf(from);
    for (const to of tos) { const b = packageOf(to); if (a && b && a !== b) edges.get(a)!.add(b); }
  }
  return { nodes: [...edges.keys()], edges };
}

/** Tarjan's strongly connected components with more than one member (or a self-import): each is an import circle. */
export function cycles(g: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of g.edges.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || g.edges.get(v)?.has(v)) out.push(comp.sort());
    }
  };
  for (const v of g.nodes) if (!idx.has(v)) visit(v);
  return out;
}

/** One concrete circle inside a component, for the failure message: a → b → … → a. */
function circleIn(g: Graph, comp: string[]): string {
  const inComp = new Set(comp);
  const start = comp[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of g.edges.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = prev.get(x)!) path.splice(1, 0, x);
        return [...path, start].join(' → ');
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return comp.join(', ');
}

const files = fileGraph();
const packages = packageGraph(files);
const inRoot = (r: string) => (comp: string[]) => comp.every((x) => x === r || x.startsWith(`${r}/`));

describe('import graph', () => {
  it('finds the imports of a file, type-only and dynamic ones included', () => {
    const src = `// import x from './commented.ts'\nimport type { A } from '../a.ts';\nimport { b,\n c } from "./b.ts";\nexport { d } from './d.ts';\nimport './e.css';\nconst f = await import('./f.ts');\nimport g from 'phaser';\nimport h from '../h.yaml?raw';`;
    expect(importsOf(src).sort()).toEqual(['../a.ts', '../h.yaml', './b.ts', './d.ts', './e.css', './f.ts']);
  });

  it('finds a circle when there is one', () => {
    const g: Graph = { nodes: ['a', 'b', 'c', 'd'], edges: new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]) };
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(circleIn(g, ['a', 'b', 'c'])).toBe('a → b → c → a');
  });

  it('sees the whole code base', () => {
    expect(files.nodes.filter((f) => f.startsWith('client/')).length).toBeGreaterThan(30);
    expect(files.nodes.filter((f) => f.startsWith('shared/')).length).toBeGreaterThan(30);
    expect(files.nodes.filter((f) => f.startsWith('server/')).length).toBeGreaterThan(10);
    expect(packages.nodes).toEqual(expect.arrayContaining(['client/app', 'client/ui', 'client/net', 'shared/engine', 'shared/rules']));
  });

  for (const r of ROOTS) {
    it(`has no circle between files of ${r}/`, () => {
      const found = cycles(files).filter(inRoot(r)).map((c) => circleIn(files, c));
      expect(found).toEqual([]);
    });

    it(`has no circle between sub-packages of ${r}/`, () => {
      const found = cycles(packages).filter(inRoot(r)).map((c) => circleIn(packages, c));
      expect(found).toEqual([]);
    });
  }

  it('has no circle across client/, shared/ and server/', () => {
    const across = cycles(packages).filter((c) => !ROOTS.some((r) => inRoot(r)(c)));
    expect(across.map((c) => circleIn(packages, c))).toEqual([]);
  });

  it('keeps the client in layers: net knows nothing of app or the views, app nothing of the views', () => {
    const below: Record<string, string[]> = { 'client/net': ['client/app', 'client/ui', 'client/scenes'], 'client/app': ['client/ui', 'client/scenes'] };
    const wrong: string[] = [];
    for (const [from, tos] of files.edges) {
      const banned = below[packageOf(from) ?? ''];
      for (const to of tos) if (banned?.includes(packageOf(to) ?? '')) wrong.push(`${from} → ${to}`);
    }
    expect(wrong).toEqual([]);
  });
});
