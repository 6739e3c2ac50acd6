// `npm run rules -- check` and `npm run rules -- schema` as designers and CI run them.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rulesJsonSchemaText } from '../../shared/rules/jsonSchema.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'tools/rules.ts');

interface Run { code: number; stdout: string; stderr: string }

/** Runs `node tools/rules.ts ...args` from the repository root, as npm does. */
function rules(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const noStackTrace = (run: Run) => expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)|node:internal/);

describe('npm run rules -- check', () => {
  it('prints a short summary of each valid file and exits 0', async () => {
    const run = await rules('check', 'assets/rules/default.yaml', 'assets/rules/two-player.yaml');
    expect(run.code).toBe(0);
    // warnings (if the shipped files have any) are lines of their own, counted on stderr
    const warnings = run.stdout.split('\n').filter((l) => / {2}warning: /.test(l));
    for (const w of warnings) expect(w).toMatch(/^assets\/rules\/[a-z-]+\.yaml:\d+:\d+ {2}\S+ {2}warning: /);
    expect(run.stderr.split('\n').filter(Boolean).every((l) => / \d+ warnings?$/.test(l))).toBe(true);
    expect(run.stdout.split('\n').filter((l) => !/ {2}warning: /.test(l))).toEqual([
      'assets/rules/default.yaml: ok: "The 2028 Window" version 1',
      '  roles: usGov "US Government" (us), usLab "US Frontier Lab" (us), cnGov "China Government" (china), cnLab "Chinese Lab" (china)',
      expect.stringMatching(/^ {2}10 turns, Q3 2026 to Q4 2028; 8 regions, \d+ events, \d+ proposals, \d+ endings$/),
      'assets/rules/two-player.yaml: ok: "The 2028 Window (two players)" version 1',
      '  roles: us "United States" (us), china "China" (china)',
      expect.stringMatching(/^ {2}10 turns, Q3 2026 to Q4 2028; 8 regions/),
      '',
    ]);
  });

  it('prints one line per problem, `file:line:col  path  message`, for every file, and exits 1', async () => {
    const run = await rules('check', 'tests/fixtures/rules/small.yaml', 'tests/fixtures/rules/sides.yaml', 'tests/fixtures/rules/syntax.yaml');
    expect(run.code).toBe(1);
    noStackTrace(run);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe('tests/fixtures/rules/small.yaml: ok: "Small world" version 1');
    expect(out.slice(3).filter((l) => !/ {2}warning: /.test(l))).toEqual([
      'tests/fixtures/rules/sides.yaml:11:3  roles  no role plays the "china" side (China); each side needs at least one role',
      'tests/fixtures/rules/sides.yaml:31:16  roles.cnGov.settings[0]  openWeights switches open-weight releases of Chinese models (the engine applies it to the china side); only a role on the china side can hold it',
      'tests/fixtures/rules/sides.yaml:40:3  regions  no region has alignment: china; the map needs at least one region on each side',
      'tests/fixtures/rules/syntax.yaml:16:13  (yaml)  this { is never closed: end the map with } on the same line, or indent its continuation lines further than the key',
      '',
    ]);
    // the count of problems goes to stderr, so stdout stays one problem a line
    expect(run.stderr.split('\n').filter((l) => !/warnings?$/.test(l))).toEqual(['tests/fixtures/rules/sides.yaml: 3 problems', 'tests/fixtures/rules/syntax.yaml: 1 problem', '']);
  });

  it('warns, at file:line:col, about texts quoting other thresholds, levers nothing reads, cards that never fire and money never spent; exit 0', async () => {
    const run = await rules('check', 'tests/fixtures/rules/warnings.yaml');
    expect(run.code).toBe(0);
    noStackTrace(run);
    const f = 'tests/fixtures/rules/warnings.yaml';
    expect(run.stdout.split('\n').slice(3)).toEqual([
      `${f}:20:7  roles.usGov.levers  warning: the levers' statusQuo shares add up to 0.9: a status-quo player (and every empty seat) leaves 10% of the budget unspent each quarter, and 50% of that is lost`,
      `${f}:23:73  roles.usGov.levers.intel.effect  warning: no mechanism reads this lever under these model numbers (intelligence for the us side changes nothing in the world, with or without money), so a player who spends here throws the money away`,
      `${f}:25:73  roles.usGov.objectives[0].label  warning: the label says 12–24 months but the band scores 10–20; players read the label, so make them agree`,
      `${f}:36:121  roles.cnGov.levers.greyMarket.statusQuo  warning: at the status-quo split this lever is already at its cap: more money on it changes nothing in the world (it finds nothing more to buy), so money put here above that can never be spent`,
      `${f}:82:11  events.afterCatastrophe.when  warning: this card can never be drawn: catastrophes is never at least 1 when cards are drawn (cards are drawn before the quarter's incident, and a catastrophe ends the match)`,
      `${f}:87:11  events.licensingEverywhere.when  warning: this card can never be drawn: globalLicensing starts off and no role holds the globalLicensing setting, nor does any card or agreement set it`,
      `${f}:102:11  endings.democraticLead.text  warning: the text says a 12–24 month lead but the ending's conditions ask for 10–20`,
      `${f}:103:11  endings.democraticLead.when  warning: this ending speaks of the sweet spot but its lead conditions are 10–20, while model.safeguards.sweetSpot is 12–24`,
      '',
    ]);
    expect(run.stderr).toBe(`${f}: 8 warnings\n`);
  });

  it('a sweet spot moved to 10–20 while the objective and ending still say 12–24 is warned about where they say it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const file = join(dir, 'moved.yaml');
    const text = readFileSync(join(ROOT, 'assets/rules/default.yaml'), 'utf8');
    expect(text).toMatch(/sweetSpot: \[12, 24\]/);
    writeFileSync(file, text.replace(/sweetSpot: \[12, 24\]/, 'sweetSpot: [10, 20]'));
    const run = await rules('check', file);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.includes('sweet spot'));
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/:\d+:\d+ {2}roles\.usGov\.objectives\[0\]\.label {2}warning: the label speaks of the sweet spot but the band scores 12–24, while model\.safeguards\.sweetSpot is 10–20$/),
      expect.stringMatching(/:\d+:\d+ {2}endings\.democraticSweetSpot\.when {2}warning: this ending speaks of the sweet spot but its lead conditions are 12–24, while model\.safeguards\.sweetSpot is 10–20$/),
    ]));
  });

  it('a file that does not exist is a problem line too', async () => {
    const run = await rules('check', 'assets/rules/nope.yaml');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('assets/rules/nope.yaml:1:1  (file)  cannot read the rule file: no such file\n');
    noStackTrace(run);
  });

  it('no file, or an unknown command, gives one clear line and the usage (exit 2)', async () => {
    const none = await rules('check');
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe('rules: check needs at least one rule file, e.g. npm run rules -- check assets/rules/default.yaml');
    expect(none.stderr).toContain('usage: npm run rules -- check <file>...');

    const unknown = await rules('chekc', 'assets/rules/default.yaml');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('rules: unknown command "chekc"; did you mean "check"?');
    noStackTrace(unknown);
  });
});

describe('npm run rules -- schema', () => {
  it('the committed JSON Schema is what the zod schema generates (run `npm run rules -- schema` if not)', async () => {
    expect(readFileSync(join(ROOT, 'assets/rules/rules.schema.json'), 'utf8')).toBe(rulesJsonSchemaText());
    const run = await rules('schema', '--check');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('assets/rules/rules.schema.json is up to date\n');
  });

  it('describes every field for editors and leaves defaults optional', () => {
    const schema = JSON.parse(rulesJsonSchemaText());
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const lever = schema.properties.roles.items.properties.levers.items;
    expect(lever.required).toEqual(['id', 'name', 'category', 'effect', 'help']);
    expect(lever.properties.statusQuo.default).toBe(0);
    expect(lever.properties.effect.description).toMatch(/mechanism/);
    expect(lever.additionalProperties).toBe(false);
  });

  it('the shipped rule files point editors at it on their first line', () => {
    for (const name of ['default.yaml', 'two-player.yaml', 'six-player.yaml']) {
      const first = readFileSync(join(ROOT, 'assets/rules', name), 'utf8').split('\n')[0];
      expect(first).toBe('# yaml-language-server: $schema=./rules.schema.json');
    }
  });
});
