/** Targets of the overlaps suite (`overlaps.bench.ts`). */
import { formatMs } from "../report/format.js"
import { median, named, type Target } from "./target.js"

export const overlapsTargets: ReadonlyArray<Target> = [
  {
    id: "overlaps",
    suite: "overlaps",
    target: "findOverlaps over 200k routes ≤ 300 ms",
    find: named("findOverlaps"),
    value: median,
    format: formatMs,
    limit: { max: 300 },
  },
]
