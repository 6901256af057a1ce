/** Targets of the prefix suite (`prefix.bench.ts`). */
import { formatMs } from "../report/format.js"
import { median, named, type Target } from "./target.js"

export const prefixTargets: ReadonlyArray<Target> = [
  {
    id: "prefix-parse",
    suite: "prefix",
    target: "parse + normalise 200k mixed prefixes ≤ 150 ms",
    find: named("parse+normalise"),
    value: median,
    format: formatMs,
    limit: { max: 150 },
  },
]
