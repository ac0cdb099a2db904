/**
 * "Did you mean": the nearest known name to a misspelt one (a field, a method, an indicator code), for
 * error messages. Pure; used by the spec checks and the project assembler alike.
 */

/**
 * Edit distance (Levenshtein) between two strings, giving up above `max` (returns max + 1).
 * @example editDistance('winmx', 'winmax') // => 1
 */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `word` when it is a likely typo (same letters ignoring case, or at most
 * 1 edit for short words and 2 for words of 6+ characters), else undefined.
 * @example didYouMean('minmax', ['minMax', 'zScore']) // => 'minMax'
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const max = word.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestD = max + 1;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(word, c, max);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/**
 * The bilingual " — did you mean …?" tail of a message, empty when there is no suggestion.
 * @example didYouMeanHint('B2') // => ' — did you mean "B2"? / 是否应为 "B2"？'
 */
export function didYouMeanHint(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` — did you mean "${suggestion}"? / 是否应为 "${suggestion}"？`;
}
