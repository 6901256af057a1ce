/** Targets of the service suite (`service.bench.ts`): HTTP reads and commands, and change-stream fan-out. */
import { formatCount, formatMs } from "../report/format.js"
import { named, ops, type Target } from "./target.js"

const perSecondRequests = (v: number): string => `${formatCount(v)} req/s`
const latency = (m: { readonly medianMs: number; readonly p99Ms: number }): string =>
  `p50 ${formatMs(m.medianMs)}, p99 ${formatMs(m.p99Ms)}`

export const serviceTargets: ReadonlyArray<Target> = [
  {
    id: "service-reads",
    suite: "service",
    target:
      "HTTP reads (GET /v1/routes?node=, with a key, serve on SQLite in its own process) ≥ 5,000 requests/s",
    find: named("service: reads"),
    value: ops,
    format: perSecondRequests,
    limit: { min: 5000 },
    note: latency,
  },
  {
    id: "service-commands",
    suite: "service",
    target: "HTTP advertise commands on SQLite (each committed, synchronous=FULL) ≥ 1,000/s, with p50/p99",
    find: named("service: advertise commands"),
    value: ops,
    format: perSecondRequests,
    limit: { min: 1000 },
    note: latency,
  },
  {
    id: "service-fanout",
    suite: "service",
    target:
      "1,000 concurrent change-stream clients each receiving every change: report the time to the last one",
    find: named("service: change to all of"),
    value: (m) => m.medianMs,
    format: formatMs,
    note: latency,
  },
]
