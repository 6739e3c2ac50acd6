// Whether a string from a stranger may be shown to others: well-formed Unicode, with something visible in it.
// Used for display names and chat wherever they enter (the HTTP join here; the room's messages call it too).

/**
 * A UTF-16 code unit with no partner: @colyseus/schema writes such a string with a byte length that does not match
 * its bytes, and every client's decoder then loses its place.
 */
export function hasLoneSurrogate(s: string): boolean {
  // String.prototype.isWellFormed (Node 20+, every current browser)
  return !(s as string & { isWellFormed(): boolean }).isWellFormed();
}

// Characters that take no room on screen: whitespace, marks that only decorate the character before, format and
// control characters (zero-width joiners, direction marks, BOM), variation selectors, and the Hangul fillers and
// braille blank that fonts draw as nothing.
const INVISIBLE = /[\p{White_Space}\p{M}\p{Cf}\p{Cc}\p{Variation_Selector}\u115F\u1160\u3164\uFFA0\u2800\u180E\u200B-\u200D\u2060\uFEFF]/gu;

/** True when at least one character of `s` draws something. */
export function hasVisibleCharacter(s: string): boolean {
  return s.replace(INVISIBLE, '').length > 0;
}

/** Why a name or a chat message cannot be shown to others, or null when it can. */
export function textProblem(s: string): string | null {
  if (hasLoneSurrogate(s)) return 'holds a broken character (a lone UTF-16 surrogate); send well-formed Unicode';
  if (!hasVisibleCharacter(s)) return 'needs at least one visible character (not only spaces, fillers, zero-width or combining marks)';
  if (hasMarkStack(s)) return `piles more than ${MAX_MARKS_IN_A_ROW} combining marks on one character`;
  return null;
}

/** Most combining marks on one character a name or message may carry; past this is "Zalgo" text that overdraws others. */
export const MAX_MARKS_IN_A_ROW = 4;

// marks count as one stack even with zero-width format characters or variation selectors slipped between them
const MARK_STACK = new RegExp(`(?:\\p{M}[\\p{Cf}\\p{Variation_Selector}]*){${MAX_MARKS_IN_A_ROW + 1},}`, 'u');

/** True when some character carries more than MAX_MARKS_IN_A_ROW combining marks. */
export function hasMarkStack(s: string): boolean {
  return MARK_STACK.test(s);
}
