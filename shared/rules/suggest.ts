// "Did you mean ...?" for misspelt keys, stat names, ids and options: a small edit distance.

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `input`, when it is close enough to be a likely typo
 * (case differences are almost free), or null.
 */
export function closest(input: string, candidates: Iterable<string>): string | null {
  const list = [...candidates];
  const low = input.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  for (const c of list) {
    if (c === input) continue;
    const d = editDistance(low, c.toLowerCase());
    const allowed = Math.min(4, Math.max(1, Math.floor(Math.max(input.length, c.length) / 3)));
    if (d > allowed) continue;
    // prefer exact-case matches among equally distant ones
    const score = d * 2 + (editDistance(input, c) > d ? 1 : 0);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (best !== null || low.length < 2) return best;
  // a word cut short ("hi" for "high") is a likely slip too, when only one candidate starts with it
  const starts = list.filter((c) => c !== input && c.toLowerCase().startsWith(low));
  return starts.length === 1 ? starts[0] : null;
}

/** `; did you mean "x"?` or the empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const c = closest(input, candidates);
  return c === null ? '' : `; did you mean "${c}"?`;
}

/** A readable list: `a, b, c` (at most `max` items, then "and N more"). */
export function listOf(items: readonly string[], max = 12): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** A camelCase id made from a name, for messages like `try "usGov"`. */
export function toCamelId(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (!words.length) return 'x';
  const out = words
    .map((w, i) => {
      const lowerWord = w === w.toUpperCase() && w.length <= 4 ? w.toLowerCase() : w;
      return i === 0 ? lowerWord[0].toLowerCase() + lowerWord.slice(1) : lowerWord[0].toUpperCase() + lowerWord.slice(1);
    })
    .join('');
  return /^[a-z]/.test(out) ? out : `x${out}`;
}
