/** Targets of the replicas suite (`replicas.bench.ts`): propagation, throughput and catch-up. */
import { formatMs } from "../report/format.js"
import { median, named, ops, perSecond, type Target } from "./target.js"

const p50 = (m: { readonly medianMs: number }): string => `p50 ${formatMs(m.medianMs)}`

export const replicasTargets: ReadonlyArray<Target> = [
  {
    id: "replicas-notify",
    suite: "replicas",
    target: "Postgres, commit on one replica to another replica's subscribers, with NOTIFY: p99 ≤ 100 ms",
    find: named("replicas: postgres propagation to another replica's subscribers, NOTIFY"),
    value: (m) => m.p99Ms,
    format: formatMs,
    limit: { max: 100 },
    note: p50,
  },
  {
    id: "replicas-poll",
    suite: "replicas",
    target: "Postgres, the same by polling alone (every 1 s): report p50 and p99",
    find: named("replicas: postgres propagation to another replica's subscribers, polling"),
    value: (m) => m.p99Ms,
    format: formatMs,
    note: p50,
  },
  {
    id: "replicas-sqlite-cli",
    suite: "replicas",
    target: "SQLite, a CLI commit to a running manager's subscribers: p99 ≤ 250 ms",
    find: named("replicas: sqlite commit on another connection"),
    value: (m) => m.p99Ms,
    format: formatMs,
    limit: { max: 250 },
    note: p50,
  },
  ...[1, 2, 3].map(
    (n): Target => ({
      id: `replicas-throughput-${n}`,
      suite: "replicas",
      target:
        n === 3
          ? "Postgres, committed change sets per second, 3 replicas together ≥ 1,000/s"
          : `Postgres, committed change sets per second, ${n} replica${n === 1 ? "" : "s"}: report`,
      find: named(`replicas: postgres committed change sets, ${n} replica`),
      value: ops,
      format: perSecond,
      ...(n === 3 ? { limit: { min: 1000 } } : {}),
    }),
  ),
  ...(["sqlite", "postgres"] as const).map(
    (kind): Target => ({
      id: `replicas-catch-up-${kind}`,
      suite: "replicas",
      target: `${kind === "sqlite" ? "SQLite" : "Postgres"}, catch-up of 10k log entries ≤ 200 ms`,
      find: named(`replicas: ${kind} catch-up of`),
      value: median,
      format: formatMs,
      limit: { max: 200 },
    }),
  ),
]
