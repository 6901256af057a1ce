/**
 * What `byRouteId`'s two shortcuts buy (issue 14: keep a hack only where a
 * benchmark line shows what it pays): the change set's rows ordered by id by
 * `byRouteId` (direct placement for a narrow id range, packed doubles for a
 * wide one) beside the plain comparator sort of the same rows. The rows come
 * shuffled, as elections leave them (by prefix, not by id). Sizes: the 50k
 * storm's tick (22,390 rows within 33,529 ids), the same rows spread over
 * 200k ids, and 2,000 rows over 200k ids.
 */
import { byRouteId } from "../src/domain/internal/byRouteId.js"
import { makeRoute, type RouteColumns } from "../src/domain/internal/makeRoute.js"
import { parsePrefixUnsafe } from "../src/domain/Prefix.js"
import type { Route } from "../src/domain/Route.js"
import { type BenchSuite, type Measurement, measure, prng } from "./harness.js"

interface Written {
  readonly before: Route | null
  readonly after: Route
}

const prefix = parsePrefixUnsafe("10.0.0.0/28")
const columns: RouteColumns = {
  advertised: true,
  enabled: true,
  approvedBy: null,
  priority: 0,
  healthy: true,
  deletedAt: null,
}

/** `rows` records with distinct ids in 1..span, in a seeded random order. */
const records = (rows: number, span: number): Written[] => {
  const rnd = prng(7)
  const ids = new Set<number>()
  while (ids.size < rows) ids.add(1 + Math.floor(rnd() * span))
  const out = [...ids].map(
    (id): Written => ({
      before: null,
      after: makeRoute({ id, nodeId: "n", prefix, createdAt: 0 }, columns, false, 0),
    }),
  )
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    const t = out[i]!
    out[i] = out[j]!
    out[j] = t
  }
  return out
}

const byIdCompare = (a: Written, b: Written): number => a.after.id - b.after.id

const pair = (rows: number, span: number, way: string, samples: number): Measurement[] => {
  const log = records(rows, span)
  const sizes = { rows, idSpan: span }
  const fast = measure({
    name: `byRouteId (${way}), ${rows} rows over ${span} ids`,
    sizes,
    samples,
    warmup: 5,
    setup: () => log,
    body: (l) => byRouteId(l),
  })
  const plain = measure({
    name: `comparator sort, ${rows} rows over ${span} ids`,
    sizes,
    samples,
    warmup: 5,
    setup: () => log,
    body: (l) => l.slice().sort(byIdCompare),
  })
  return [
    { ...fast, extra: { comparatorMedianMs: plain.medianMs, speedup: plain.medianMs / fast.medianMs } },
    plain,
  ]
}

export const suite: BenchSuite = {
  name: "byRouteId",
  run(scale) {
    const k = scale === "ci" ? 10 : 1
    const samples = scale === "ci" ? 5 : 50
    return [
      ...pair(Math.floor(22_390 / k), Math.floor(33_529 / k), "direct placement", samples),
      ...pair(Math.floor(22_390 / k), Math.floor(200_000 / k), "packed", samples),
      ...pair(Math.floor(2_000 / k), Math.floor(200_000 / k), "packed", samples),
    ]
  },
}
