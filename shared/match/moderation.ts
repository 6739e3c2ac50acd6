// Moderation of what people type: a maintained word filter (obscenity) for names and chat, and when two names are the same.
import { RegExpMatcher, TextCensor, asteriskCensorStrategy, englishDataset, englishRecommendedTransformers } from 'obscenity';

// the library's English word list with its look-alike transformers (leet speak, repeated letters, confusable characters)
const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const censor = new TextCensor().setStrategy(asteriskCensorStrategy());

/** Whether a text holds a word the filter blocks. */
// numbers standing alone ("Team 455", "Load 455-usGov") are not leet speak: only digits inside a word are read as letters
export const isProfane = (text: string): boolean => matcher.hasMatch(text.replace(/(?<!\p{L})\d+(?!\p{L})/gu, ' '));

/** The text with each blocked word starred out (chat is kept, its bad words are not). */
export function cleanText(text: string): string {
  const matches = matcher.getAllMatches(text, true);
  return matches.length ? censor.applyTo(text, matches) : text;
}

/** The form two names are compared in: "Ana", "ana " and "ＡＮＡ" are one name in a match. */
export const nameKey = (name: string): string => name.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
