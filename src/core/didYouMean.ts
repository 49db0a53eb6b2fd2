// "Did you mean": the known name closest to a misspelled one (`invariant` → `invariants`), for the
// messages that reject an unknown field or option. Edit distance, with a bound so that a name far
// from every known one suggests nothing.

/** The most edits (insert, delete, replace one character) a suggestion may be from the word. */
const SUGGESTION_EDITS_MAX = 2;

/** The known name nearest to `word` (ignoring case), if one is within SUGGESTION_EDITS_MAX edits. */
export function closestName(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestEdits = SUGGESTION_EDITS_MAX + 1;
  for (const name of known) {
    const edits = editDistance(word.toLowerCase(), name.toLowerCase());
    if (edits < bestEdits) [best, bestEdits] = [name, edits];
  }
  return best;
}

/** ` (did you mean 'x'?)`, or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  const suggestion = closestName(word, known);
  return suggestion === undefined ? "" : ` (did you mean '${suggestion}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
