// The layers' import directions: the client imports nothing from server/; shared/ nothing from server/ or client/;
// the wire contract (shared/protocol) nothing from the match core (shared/match), which builds on it.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.ts$/.test(name)) out.push(path);
  }
  return out;
}

/** Every relative import (static, dynamic, type-only) of the files under `dir`, as paths from the project root. */
function importsOf(dir: string): { file: string; target: string }[] {
  const out: { file: string; target: string }[] = [];
  for (const file of filesUnder(join(root, dir))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.[^'"]+)['"]/g)) {
      out.push({ file: relative(root, file), target: relative(root, resolve(dirname(file), m[1])) });
    }
  }
  return out;
}

describe('import directions', () => {
  it('the client imports nothing from server/', () => {
    expect(importsOf('client').filter((i) => i.target.startsWith('server/'))).toEqual([]);
  });
  it('shared/ imports nothing from server/ or client/', () => {
    expect(importsOf('shared').filter((i) => /^(server|client)\//.test(i.target))).toEqual([]);
  });
  it('shared/protocol imports nothing from shared/match', () => {
    expect(importsOf('shared/protocol').filter((i) => i.target.startsWith('shared/match/'))).toEqual([]);
  });
});
