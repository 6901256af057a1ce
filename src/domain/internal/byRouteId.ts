/**
 * Orders a change set's written rows by route id, the order the change set
 * and the stores expect. Ids come in election order (prefix by prefix), so
 * this is a full sort of up to every row of a failover storm. The first two
 * ways below avoid a sort with a comparator callback per pair, and each shows
 * in a benchmark; the third is the fallback:
 *
 * - ids in a narrow range (a storm's rows span at most a few times their
 *   count) are placed directly by id into a typed array: O(n + span), no sort;
 * - wider ranges pack each id and the record's position into one double
 *   (exact below 2^53), so the engine sorts plain numbers with no call back
 *   into JavaScript per pair and no lookup by id afterwards;
 * - ids that cannot be packed exactly (not integers, negative, or too large
 *   for the count: never allocated by this library, but a store could hold
 *   one) fall back to the comparator sort.
 *
 * Measured by `bench/byRouteId.bench.ts` (records shuffled as elections leave
 * them, against the comparator sort of the same records; two runs on a
 * 2-core VM under load, so ratios matter more than times): 22,390 records
 * with ids spanning 33,529 — the tick of the 50k-node failover storm in
 * `bench/core.bench.ts` — direct placement 0.4–0.5 ms against 5.4–9.8 ms
 * (14–19×); the same records over 200k ids, packed 2.6 ms against 6.3–9.2 ms
 * (2.4–3.6×); 2,000 records over 200k ids, packed 0.10–0.15 ms against
 * 0.27–0.42 ms (1.8–4.4×). The storm's tick is ~35 ms on a quiet machine.
 */
import type { Route } from "../Route.js"

const byIdCompare = (a: { readonly after: Route }, b: { readonly after: Route }): number =>
  a.after.id - b.after.id

/** `records` ordered by `after.id` (each id at most once); the input itself when it has fewer than two. */
export const byRouteId = <W extends { readonly after: Route }>(
  records: ReadonlyArray<W>,
): ReadonlyArray<W> => {
  const n = records.length
  if (n < 2) return records
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < n; i++) {
    const id = records[i]!.after.id
    if (id < lo) lo = id
    if (id > hi) hi = id
  }
  // Each id has one record, so ids in a narrow range are placed directly by id.
  const span = hi - lo + 1
  if (Number.isInteger(lo) && Number.isInteger(hi) && span <= 4 * n + 64) {
    const at = new Int32Array(span)
    for (let i = 0; i < n; i++) at[records[i]!.after.id - lo] = i + 1
    const out = new Array<W>(n)
    let k = 0
    for (let j = 0; j < span; j++) if (at[j] !== 0) out[k++] = records[at[j]! - 1]!
    // Fewer placed than given: non-integer ids between integer bounds.
    if (k === n) return out
  }
  // The position takes the low bits: `slot` is the power of two above the count.
  let slot = 2
  while (slot < n) slot *= 2
  if (!(Number.isInteger(lo) && lo >= 0 && (hi + 1) * slot <= 2 ** 53))
    return records.slice().sort(byIdCompare)
  const keys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const id = records[i]!.after.id
    // Non-integers between integer bounds.
    if (!Number.isInteger(id)) return records.slice().sort(byIdCompare)
    keys[i] = id * slot + i
  }
  keys.sort()
  const out = new Array<W>(n)
  for (let i = 0; i < n; i++) out[i] = records[keys[i]! % slot]!
  return out
}
