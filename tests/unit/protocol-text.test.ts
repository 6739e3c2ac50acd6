// Names and chat that enter a room are checked by shared/text.ts too, not only at the HTTP join.
import { describe, it, expect } from 'vitest';
import { displayName, chatText, joinOptions } from '../../shared/protocol/messages.ts';

describe('text in room messages', () => {
  it('refuses a lone surrogate in a join name, saying why', () => {
    const r = joinOptions.safeParse({ name: 'Eve\ud800' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/lone UTF-16 surrogate/);
  });
  it('refuses chat with nothing visible, and names made only of fillers', () => {
    expect(chatText.safeParse('\u3164\u3164').success).toBe(false);
    expect(displayName.safeParse('\u3164\u3164').success).toBe(false);
  });
  it('keeps ordinary names and chat as they were', () => {
    expect(displayName.parse('  Ana  Lopez ')).toBe('Ana Lopez');
    expect(chatText.parse(' hello 👋 ')).toBe('hello 👋');
  });
});
