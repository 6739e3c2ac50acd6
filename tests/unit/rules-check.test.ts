// The rule checker as designers meet it: every problem of a file at once, each at its line and
// column, with "did you mean" for misspelt names.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkRulesText, loadRulesFile, RulesError } from '../../shared/rules/load.ts';
import type { Problem } from '../../shared/rules/load.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => resolve(ROOT, 'tests/fixtures/rules', name);
const read = (path: string) => readFileSync(path, 'utf8');

/** Problems as the CLI prints them, without the file name: `line:col  path  message`. */
const lines = (problems: Problem[]) => problems.map((p) => `${p.line}:${p.col}  ${p.path}  ${p.message}`);

/** Checks small.yaml with some text replaced (the replacements must all apply). */
function checkSmallWith(...edits: [string, string][]): string[] {
  let text = read(fixture('small.yaml'));
  for (const [from, to] of edits) {
    expect(text, `small.yaml should contain ${from}`).toContain(from);
    text = text.replace(from, to);
  }
  return lines(checkRulesText(text, 'small.yaml').problems);
}

describe('the shipped rule files', () => {
  it.each(['default.yaml', 'two-player.yaml'])('%s is valid', (name) => {
    const path = resolve(ROOT, 'assets/rules', name);
    const { rules, problems } = checkRulesText(read(path), name);
    expect(lines(problems)).toEqual([]);
    expect(rules?.roles.length).toBeGreaterThanOrEqual(2);
  });

  it('two-player.yaml has one role per side holding both of its old roles\' levers', () => {
    const two = loadRulesFile(resolve(ROOT, 'assets/rules/two-player.yaml'));
    const four = loadRulesFile(resolve(ROOT, 'assets/rules/default.yaml'));
    expect(two.roles.map((r) => [r.id, r.name, r.side])).toEqual([['us', 'United States', 'us'], ['china', 'China', 'china']]);
    for (const side of ['us', 'china'] as const) {
      const merged = two.roles.find((r) => r.side === side)!;
      const old = four.roles.filter((r) => r.side === side);
      expect(merged.levers.length).toBe(old.reduce((n, r) => n + r.levers.length, 0));
      expect(merged.budget.perTurn).toBe(old.reduce((n, r) => n + r.budget.perTurn, 0));
      expect(merged.levers.reduce((n, l) => n + l.statusQuo, 0)).toBeCloseTo(1, 3);
    }
  });

  it('two-player.yaml plays in the same world with the same model numbers as default.yaml', () => {
    const two = loadRulesFile(resolve(ROOT, 'assets/rules/two-player.yaml'));
    const four = loadRulesFile(resolve(ROOT, 'assets/rules/default.yaml'));
    // when default.yaml is recalibrated, copy its model block into two-player.yaml
    expect(two.model, 'copy the model block of default.yaml into two-player.yaml').toEqual(four.model);
    expect(two.regions, 'copy the regions of default.yaml into two-player.yaml').toEqual(four.regions);
    expect(two.calendar).toEqual(four.calendar);
    expect(two.events.map((e) => e.id)).toEqual(four.events.map((e) => e.id));
    expect(two.endings).toEqual(four.endings);
  });
});

describe('broken files: every problem at once, at its line and column', () => {
  it('misspelt names get "did you mean"', () => {
    expect(lines(checkRulesText(read(fixture('misspelt.yaml')), 'misspelt.yaml').problems)).toEqual([
      '17:29  roles.usGov.settings[1]  unknown value "globalLicencing"; did you mean "globalLicensing"?',
      '19:60  roles.usGov.levers.training.effct  unknown key "effct"; did you mean "effect"?',
      '20:62  roles.usGov.levers.bis.effect  unknown value "enforcment"; did you mean "enforcement"?',
      '24:17  roles.usGov.objectives[1].stat  unknown stat "us.safegaurds"; did you mean "us.safeguards"?',
      '40:54  regions.usa.countries[1]  GER is not an ISO 3166-1 alpha-3 country code; did you mean DEU (Germany)?',
      '74:20  events.lobsterBust.when[0].stat  unknown stat "china.smugledChips"; did you mean "china.smuggledChips"?',
      '75:62  events.lobsterBust.effects[1].stat  unknown stat "region.seasia.compliance"; did you mean "region.seAsia.compliance"?',
      '81:24  proposals.chipDeal.proposers[1]  there is no role "usgov"; did you mean "usGov"?',
      '84:54  proposals.chipDeal.binds[0].region  there is no region "chna"; did you mean "china"?',
      '84:67  proposals.chipDeal.binds[0].value  "licenced" is not an export tier; did you mean "licensed"?',
      '85:31  proposals.chipDeal.binds[1].lever  cnGov has no lever "greyMarkt"; did you mean "greyMarket"?',
    ]);
  });

  it('names that point nowhere or twice', () => {
    expect(lines(checkRulesText(read(fixture('references.yaml')), 'references.yaml').problems)).toEqual([
      '21:15  roles.usGov.levers.bis.id  duplicate lever id "bis": ids must be unique (first at line 20)',
      '42:63  regions.seAsia.countries[2]  CHN is already drawn as region china; a country belongs to one region (first at line 41)',
      '75:23  events.lobsterBust.effects[0].stat  us.effectiveCompute can be read but not changed by an effect (effects may change: ' +
        'globalLicensing, openWeights, riskModifier, trust, tension; us.<x> and china.<x> for chips, powerGW, capability, safeguards, adoption, ' +
        'algorithmicMonths; region.<id>.compliance|tier; role.<id>.budget)',
      '75:112  events.lobsterBust.effects[1].set  an effect takes exactly one of add, multiply or set, not add and set; split it into 2 effects',
      '76:9  events.lobsterBust.id  duplicate event id "lobsterBust": ids must be unique (first at line 70)',
      '89:31  proposals.chipDeal.binds[1].lever  cnGov has no lever "training" (usGov has one; cnGov\'s levers: fabs, greyMarket, distillation)',
      '90:33  proposals.chipDeal.binds[2].setting  cnGov does not hold the exportTiers setting (usGov holds it)',
      '96:12  endings.democraticLead.when[0]  a condition needs a comparator: above, below, atLeast, atMost or equals (e.g. { stat: lead, atLeast: 1 })',
    ]);
  });

  it('numbers that cannot work together', () => {
    expect(lines(checkRulesText(read(fixture('numbers.yaml')), 'numbers.yaml').problems)).toEqual([
      '19:7  roles.usGov.levers  the levers\' statusQuo shares add up to 1.2: a status-quo player cannot spend more than its whole budget (keep the sum at 1 or less)',
      '30:36  roles.cnGov.budget.growth  a budget growing 1.5× a quarter reaches $576.7B by quarter 10, 38.44× the first; keep growth near 1 (1.03 is 3% a quarter)',
      '63:143  model.safeguards.sweetSpot  the sweet spot is [low, high] in months of lead; 24 is above 12',
      '64:134  model.incidents.catastrophicShare  majorShare + catastrophicShare = 1.1: shares of incidents cannot add up to more than 1',
      '65:45  model.intelligence.minError  the error floor (0.6) is above the error with no spending (baseError 0.5): intelligence money would make estimates worse',
      '74:53  events.lobsterBust.when[1]  can never hold: us.safeguards is between 0 and 1',
      '85:52  proposals.chipDeal.binds[1].atLeast  cnGov has $15B in its first quarter, so it could not spend at least $20B on greyMarket',
      '91:41  endings.democraticLead.when[1]  can never hold together with when[0]: lead cannot be at least 12 and below 6',
      '95:11  endings.contestedRace.when  the last ending is the fallback when no other fits, so it must have no conditions (remove when:, or add a fallback ending after it)',
    ]);
  });

  it('values of the wrong kind and a missing key', () => {
    expect(lines(checkRulesText(read(fixture('types.yaml')), 'types.yaml').problems)).toEqual([
      '2:7  name  must be text, not 2028 (put it in quotes: "2028")',
      '5:54  calendar.turns  must be a whole number, not 10.5',
      '11:9  roles[0].id  "US Gov" is not a valid id: ids are camelCase letters and digits starting with a lower-case letter; try "usGov"',
      '16:24  roles[0].budget.perTurn  must be a number, not "twelve"',
      '16:57  roles[0].budget.carryOver  must be a number, not "50%" (write a share as a plain number: 0.5)',
      '20:9  roles[0].levers.bis  missing "help": one or two sentences players read when they hover the lever',
      '40:49  regions.usa.countries[0]  "US" is not an ISO 3166-1 alpha-3 country code; did you mean USA (United States)?',
      '41:75  regions.china.anchor  must be a list of 2 numbers, [longitude, latitude]; this one has 1',
      '74:17  events.lobsterBust.repeatable  must be true or false, not "yes" (YAML 1.2 reads yes as text)',
    ]);
  });

  it('a side with no role and no region', () => {
    expect(lines(checkRulesText(read(fixture('sides.yaml')), 'sides.yaml').problems)).toEqual([
      '11:3  roles  no role plays the "china" side (China); each side needs at least one role',
      '31:16  roles.cnGov.settings[0]  openWeights switches open-weight releases of Chinese models (the engine applies it to the china side); only a role on the china side can hold it',
      '40:3  regions  no region has alignment: china; the map needs at least one region on each side',
    ]);
  });

  it('a YAML slip points at the bracket that is never closed', () => {
    expect(lines(checkRulesText(read(fixture('syntax.yaml')), 'syntax.yaml').problems)).toEqual([
      '16:13  (yaml)  this { is never closed: end the map with } on the same line, or indent its continuation lines further than the key',
    ]);
  });

  it('problems carry the file name they were given, and no rules come back', () => {
    const { rules, problems } = checkRulesText(read(fixture('sides.yaml')), 'uploads/mine.yaml');
    expect(rules).toBeNull();
    expect(problems.every((p) => p.file === 'uploads/mine.yaml')).toBe(true);
  });
});

describe('more mistakes a designer makes', () => {
  it('an ending hidden behind an earlier, broader one', () => {
    expect(checkSmallWith(['    when: [{ stat: lead, atLeast: 12 }]', `    when: [{ stat: lead, atLeast: 6 }]
  - id: bigLead
    title: Big lead
    text: The US is two years ahead.
    when: [{ stat: lead, atLeast: 24 }]`])).toEqual([
      '95:11  endings.bigLead.when  can never be reached: democraticLead comes first and its conditions hold whenever these do (endings are checked in order)',
    ]);
  });

  it('a binding that names a setting the role does not hold, and a tier that does not exist', () => {
    expect(checkSmallWith(['{ role: usGov, setting: exportTiers, region: china, value: licensed }', '{ role: usGov, setting: openWeights, value: maybe }'])).toEqual([
      '84:33  proposals.chipDeal.binds[0].setting  usGov does not hold the openWeights setting (cnGov holds it)',
      '84:53  proposals.chipDeal.binds[0].value  a binding on openWeights needs value: true or value: false, not "maybe"',
    ]);
  });

  it('true/false stats are compared with equals, and tiers are set, not added', () => {
    expect(checkSmallWith(
      ['{ stat: china.smuggledChips, above: 0 }', '{ stat: globalLicensing, above: 0 }'],
      ['{ stat: region.seAsia.compliance, add: 0.05 }', '{ stat: region.seAsia.tier, add: 1 }'],
    )).toEqual([
      '74:44  events.lobsterBust.when[0].above  globalLicensing is true or false; compare it with equals: true or equals: false',
      '75:87  events.lobsterBust.effects[1].add  an export tier is changed with set: open, licensed, embargo',
    ]);
  });

  it('an unknown top-level section and an unknown region in a stat', () => {
    expect(checkSmallWith(['\nproposals:', '\nproposal:'], ['region.seAsia.compliance', 'region.atlantis.compliance'])).toEqual([
      '75:62  events.lobsterBust.effects[1].stat  there is no region "atlantis" (regions: usa, china, seAsia)',
      '77:1  proposal  unknown key "proposal"; did you mean "proposals"?',
    ]);
  });

  it('the openWeights setting on the US side and exportTiers on China\'s', () => {
    expect(checkSmallWith(['settings: [exportTiers, globalLicensing]', 'settings: [globalLicensing, openWeights]'], ['settings: [openWeights]', 'settings: [exportTiers]'])).toEqual([
      '17:33  roles.usGov.settings[1]  openWeights switches open-weight releases of Chinese models (the engine applies it to the china side); only a role on the china side can hold it',
      '31:16  roles.cnGov.settings[0]  exportTiers is US export policy (who may buy US-aligned chips); only a role on the us side can hold it',
      '84:33  proposals.chipDeal.binds[0].setting  usGov does not hold the exportTiers setting (cnGov holds it)',
    ]);
  });

  it('a proposal that would do nothing, and an ending that waits for an impossible catastrophe', () => {
    expect(checkSmallWith(
      ['    binds:\n      - { role: usGov, setting: exportTiers, region: china, value: licensed }\n      - { role: cnGov, lever: greyMarket, atMost: 0 }\n', ''],
      ['catastropheFromTurn: 3', 'catastropheFromTurn: 12'],
      ['    when: [{ stat: lead, atLeast: 12 }]', '    when: [{ stat: catastrophes, atLeast: 1 }]'],
    )).toEqual([
      '78:5  proposals.chipDeal  this proposal binds nothing, changes nothing and is not a safety agreement: accepting it would do nothing (add binds, whileHeld or safetyAgreement: true)',
      '88:12  endings.democraticLead.when[0]  can never hold: model.incidents.catastropheFromTurn is 12, after the last of 10 turns, so no catastrophe can happen',
    ]);
  });

  it('an empty file and a file that is a list', () => {
    expect(lines(checkRulesText('', 'empty.yaml').problems)).toEqual([
      '1:1  (file)  the file is empty; a rule file is a map starting with name:, description:, version:, calendar:, sides:, roles: ...',
    ]);
    expect(lines(checkRulesText('- usGov\n- cnGov\n', 'list.yaml').problems)).toEqual([
      '1:1  (file)  a rule file is a map of sections (name:, roles:, regions: ...), not a list',
    ]);
  });

  it('a key given twice, and a line indented too far', () => {
    expect(checkSmallWith(['version: 1\n', 'version: 1\nversion: 2\n'])).toEqual([
      '5:1  (yaml)  duplicate key "version": a key may appear only once in a map',
    ]);
    expect(checkSmallWith(['    side: us\n', '    side: us\n     kind: lab\n'])).toEqual([
      '14:6  (yaml)  this line is indented more than the line above it (side), so YAML cannot tell where it belongs; keys of one map must line up',
    ]);
  });
});

describe('YAML slips are explained where they are', () => {
  it('a forgotten colon, a colon inside a text, a quote never closed', () => {
    expect(checkSmallWith(['version: 1\n', 'version 1\n'])).toEqual([
      '4:1  (yaml)  "version 1" is not a key: value line (is a colon missing, or should it be a comment starting with #?)',
    ]);
    expect(checkSmallWith(['    blurb: Export controls and enforcement.\n', '    blurb: Export controls: and enforcement.\n'])).toEqual([
      '15:12  (yaml)  this text contains ": ", which YAML reads as another key; put the whole text in quotes ("...")',
    ]);
    expect(checkSmallWith(['    text: GPUs were found under the ice in crates of live lobsters.\n', "    text: 'GPUs were found under the ice\n"])).toEqual([
      "72:11  (yaml)  this ' is never closed: end the text with ' (write '' for an apostrophe inside '...')",
    ]);
  });

  it('a stray line at the top does not bury the file under a thousand errors', () => {
    const problems = checkSmallWith(['name: Small world\n', 'Some notes pasted here\nname: Small world\n']);
    expect(problems).toEqual([
      '2:1  (yaml)  "Some notes pasted here" is not a key: value line (is a colon missing, or should it be a comment starting with #?)',
    ]);
  });
});

describe('loadRulesFile', () => {
  it('returns the rules with defaults filled in', () => {
    const rules = loadRulesFile(fixture('small.yaml'));
    expect(rules.events[0].repeatable).toBe(false);
    expect(rules.regions[0].compliance).toBe(1);
  });

  it('throws a RulesError whose message is the problem lines', () => {
    const path = fixture('sides.yaml');
    let error: unknown;
    try {
      loadRulesFile(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RulesError);
    const problems = (error as RulesError).problems;
    expect(problems).toHaveLength(3);
    expect((error as Error).message.split('\n')).toEqual(problems.map((p) => `${path}:${p.line}:${p.col}  ${p.path}  ${p.message}`));
  });

  it('a missing file is a RulesError too, not a stack trace', () => {
    expect(() => loadRulesFile(fixture('no-such-file.yaml'))).toThrow(/no-such-file\.yaml:1:1 {2}\(file\) {2}cannot read the rule file: no such file/);
  });
});
