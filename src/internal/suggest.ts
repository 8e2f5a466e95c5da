// "Did you mean": the known name nearest to a mistyped one, when it is near enough to be a typo.

/**
 * The name in `known` closest to `typed` by edit distance (a swap of two neighbours counts as one
 * edit, the commonest typo), or `undefined` when none is within a third of `typed`'s length (at
 * least one edit): further off, a suggestion is a guess, not a correction.
 *
 * @example
 * closest('craete', ['create', 'client-secret']); // 'create'
 * closest('frobnicate', ['create', 'client-secret']); // undefined
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of known) {
    const d = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Insertions, deletions, substitutions and swaps of neighbours turning `a` into `b` (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: the distance between the first i characters of `a` and the first j of `b`.
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      }
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}
