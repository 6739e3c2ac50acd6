// shared/text.ts: the one check that a name or chat message from a stranger is well-formed, visible text (issue 12,
// items 2 and 12), and the nesting pre-scan of rule files that must not refuse ordinary prose.
import { describe, it, expect } from 'vitest';
import { textProblem, hasLoneSurrogate, hasVisibleCharacter, hasMarkStack } from '../../shared/text.ts';
import { checkRulesText } from '../../shared/rules/check.ts';
import { readFileSync } from 'node:fs';
import { rulesPath } from '../helpers/rules.ts';

describe('well-formed, visible text', () => {
  it('refuses lone surrogates, either half, anywhere', () => {
    for (const s of ['Eve\ud800', '\udc00', 'a\ud83dz', '\ud83d']) {
      expect(hasLoneSurrogate(s), JSON.stringify(s)).toBe(true);
      expect(textProblem(s)).toMatch(/surrogate/);
    }
    expect(hasLoneSurrogate('👩🏽‍🚀 \ud83d\ude00')).toBe(false);
  });

  it('refuses text with nothing visible in it', () => {
    for (const s of ['', '   ', 'ㅤㅤ', '\u115f\u1160', '\uffa0', '\u200b\u200c\u200d', '\u2060\ufeff', '\u0301\u0302', '\u2800', '\u180e', '\ufe0f', '\u202e\u202d', '\t\n']) {
      expect(hasVisibleCharacter(s), JSON.stringify(s)).toBe(false);
      expect(textProblem(s), JSON.stringify(s)).toMatch(/visible/);
    }
  });

  it('refuses stacks of combining marks, accepts the marks real names carry', () => {
    expect(hasMarkStack('Z\u0301\u0302\u0303\u0304\u0305')).toBe(true);
    expect(textProblem('Z\u0301\u0302\u0303\u0304\u0305ed')).toMatch(/marks/);
    // zero-width joiners or variation selectors slipped between the marks do not break the stack up
    expect(hasMarkStack(`Z${'\u0301\u200d'.repeat(5)}`)).toBe(true);
    expect(hasMarkStack(`Z${'\u0301\ufe0f'.repeat(3)}`)).toBe(true);
    expect(hasMarkStack('1\ufe0f\u20e3 ❤️‍🔥')).toBe(false);
    for (const s of ['Ana', 'Nguyễn Thị', 'Zoë', 'Ông Ấn', 'हिन्दी', 'ภาษาไทย', '한국어', '中文 名字', 'Łukasz', '😀', '👩🏽‍🚀', 'A-1', '7']) {
      expect(textProblem(s), s).toBeNull();
    }
  });
});

describe('the rule-file nesting pre-scan', () => {
  it('leaves the shipped rule files and prose with brackets alone', () => {
    for (const name of ['default.yaml', 'two-player.yaml']) {
      expect(checkRulesText(readFileSync(rulesPath(name), 'utf8'), name).problems).toEqual([]);
    }
    const prose = `note: "${'[('.repeat(100)}"\nother: '${'{'.repeat(100)}'\n# ${'['.repeat(100)}\n`;
    expect(checkRulesText(prose, 'p.yaml').problems.map((p) => p.message).join('\n')).not.toMatch(/nest/);
  });

  it('points at the first bracket that is never closed', () => {
    const text = 'name: x\nroles: [\n' + Array.from({ length: 200 }, (_, i) => `  k${i}: [`).join('\n');
    const { problems } = checkRulesText(text, 'u.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2, col: 8 });
    expect(problems[0].message).toMatch(/never closed/);
  });
});
