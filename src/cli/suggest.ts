/** "Did you mean": the closest known word to a mistyped command or option. */

/**
 * Optimal string alignment distance: edits (insert, delete, substitute, swap
 * two neighbours) between `a` and `b`, so `explian` is one edit from `explain`.
 */
export const editDistance = (a: string, b: string): number => {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[] = new Array(rows * cols).fill(0)
  for (let i = 0; i < rows; i++) d[i * cols] = i
  for (let j = 0; j < cols; j++) d[j] = j
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1)
      d[i * cols + j] = best
    }
  }
  return d[rows * cols - 1]!
}

/**
 * The known word closest to `input`, when it is close enough to be a typo
 * (at most 2 edits, and fewer edits than half the word) or `input` is a
 * prefix of exactly one known word; null otherwise. Ties go to the first in `known`.
 *
 * @category getters
 */
export const closest = (input: string, known: ReadonlyArray<string>): string | null => {
  if (input === "") return null
  const prefixed = known.filter((k) => k.startsWith(input))
  if (prefixed.length === 1) return prefixed[0]!
  let best: string | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const k of known) {
    const d = editDistance(input, k)
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  return bestDistance <= 2 && bestDistance * 2 < Math.max(input.length, 2) ? best : null
}
