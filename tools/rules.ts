// npm run rules -- check <file>...      check rule files: a summary each and one line per warning, or one line per problem
// npm run rules -- schema [--check]     regenerate (or verify) assets/rules/rules.schema.json
// Never prints a stack trace: every failure is one readable line.
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkRulesText, formatProblem } from '../shared/rules/load.ts';
import type { Problem } from '../shared/rules/load.ts';
import type { RuleFile } from '../shared/rules/schema.ts';
import { rulesJsonSchemaText } from '../shared/rules/jsonSchema.ts';
import { didYouMean } from '../shared/rules/suggest.ts';
import { readFlags, UsageError } from './args.ts';
import { checkRulesWarnings } from '../shared/sim/rule-warnings.ts';

const USAGE = `usage: npm run rules -- check <file>...     check rule files: problems (exit 1) and warnings (exit 0)
       npm run rules -- schema               regenerate assets/rules/rules.schema.json from the zod schema
       npm run rules -- schema --check       exit 1 if assets/rules/rules.schema.json is out of date`;

const SCHEMA_PATH = fileURLToPath(new URL('../assets/rules/rules.schema.json', import.meta.url));
const SCHEMA_SHOWN = 'assets/rules/rules.schema.json';


function quarter(rules: RuleFile, turn: number): string {
  const q = rules.calendar.startQuarter - 1 + turn;
  return `Q${(q % 4) + 1} ${rules.calendar.startYear + Math.floor(q / 4)}`;
}

/** A few lines that tell a designer the file says what they meant. */
export function summary(file: string, rules: RuleFile): string {
  const roles = rules.roles.map((r) => `${r.id} "${r.name}" (${r.side})`).join(', ');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    `${file}: ok: "${rules.name}" version ${rules.version}`,
    `  roles: ${roles}`,
    `  ${plural(rules.calendar.turns, 'turn')}, ${quarter(rules, 0)} to ${quarter(rules, rules.calendar.turns - 1)}; ` +
      `${plural(rules.regions.length, 'region')}, ${plural(rules.events.length, 'event')}, ` +
      `${plural(rules.proposals.length, 'proposal')}, ${plural(rules.endings.length, 'ending')}`,
  ].join('\n');
}

function readProblem(file: string, err: unknown): Problem {
  const code = (err as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory, not a rule file' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
  return { file, line: 1, col: 1, path: '(file)', message: `cannot read the rule file: ${why}` };
}

function check(args: string[]): number {
  const files = readFlags(args, {}, true).positionals;
  if (!files.length) throw new UsageError('check needs at least one rule file, e.g. npm run rules -- check assets/rules/default.yaml');
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      console.log(formatProblem(readProblem(file, err)));
      bad++;
      continue;
    }
    const { rules, problems } = checkRulesText(text, file);
    if (rules) {
      console.log(summary(file, rules));
      // warnings: the file loads, but something in it is most likely not what its designer meant
      const warnings = checkRulesWarnings(text, file, rules);
      for (const w of warnings) console.log(formatProblem(w));
      if (warnings.length) console.error(`${file}: ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`);
      continue;
    }
    bad++;
    for (const p of problems) console.log(formatProblem(p));
    console.error(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  }
  return bad ? 1 : 0;
}

function schema(args: string[]): number {
  const verify = readFlags(args, { check: { type: 'boolean' } }).values.check ?? false;
  const text = rulesJsonSchemaText();
  let current: string | null = null;
  try {
    current = readFileSync(SCHEMA_PATH, 'utf8');
  } catch {
    current = null;
  }
  if (verify) {
    if (current === text) {
      console.log(`${SCHEMA_SHOWN} is up to date`);
      return 0;
    }
    console.log(`${SCHEMA_SHOWN} is ${current === null ? 'missing' : 'out of date'}: run npm run rules -- schema and commit it`);
    return 1;
  }
  if (current === text) {
    console.log(`${SCHEMA_SHOWN} is already up to date`);
    return 0;
  }
  writeFileSync(SCHEMA_PATH, text);
  console.log(`wrote ${SCHEMA_SHOWN}`);
  return 0;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return check(rest);
      case 'schema':
        return schema(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"${didYouMean(command, ['check', 'schema'])}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`rules: ${err.message}\n${USAGE}`);
      return 2;
    }
    console.error(`rules: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}

function runDirectly(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (runDirectly()) process.exitCode = main(process.argv.slice(2));
