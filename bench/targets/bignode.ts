/** Targets of the big-node suite (`bignode.bench.ts`): one node with 100k prefixes. */
import { formatMs } from "../report/format.js"
import { median, named, type Target } from "./target.js"

export const bignodeTargets: ReadonlyArray<Target> = [
  {
    id: "bignode-advertise",
    suite: "bignode",
    target: "100k prefixes advertised on one node, memory store ≤ 1 s",
    find: named("one node advertises"),
    value: median,
    format: formatMs,
    limit: { max: 1000 },
  },
  {
    id: "bignode-withdraw",
    suite: "bignode",
    target: "the withdrawal of those 100k prefixes ≤ 1 s",
    find: named("one node withdraws"),
    value: median,
    format: formatMs,
    limit: { max: 1000 },
  },
]
