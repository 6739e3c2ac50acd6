// The word filter for names and chat: it blocks look-alike spellings, not numbers that happen to read like letters.
import { describe, it, expect } from 'vitest';
import { isProfane, cleanText } from '../../shared/match/moderation.ts';

describe('the word filter', () => {
  it('lets names with numbers standing alone through (the load test named a player "Load 455-usGov-0")', () => {
    expect(isProfane('Load 455-usGov-0')).toBe(false);
    expect(isProfane('Team 455')).toBe(false);
    expect(isProfane('Ana 2028')).toBe(false);
  });
  it('still blocks bad words, also spelt with digits inside the word', () => {
    expect(isProfane('shit')).toBe(true);
    expect(isProfane('sh1t head')).toBe(true);
    expect(cleanText('what the shit')).not.toContain('shit');
  });
});
