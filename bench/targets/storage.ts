/** Targets of the storage suite (`storage.bench.ts`): SQL store cold loads and steady-state commits. */
import { formatMs } from "../report/format.js"
import { median, named, ops, perSecond, type Target } from "./target.js"

export const storageTargets: ReadonlyArray<Target> = [
  {
    id: "sqlite-cold",
    suite: "storage",
    target: "SQLite cold load, 50k nodes / 200k routes ≤ 2 s",
    find: named("sqlite cold load"),
    value: median,
    format: formatMs,
    limit: { max: 2000 },
  },
  {
    id: "postgres-cold",
    suite: "storage",
    target: "Postgres cold load, 50k nodes / 200k routes: report",
    find: named("postgres cold load"),
    value: median,
    format: formatMs,
  },
  {
    id: "sqlite-steady",
    suite: "storage",
    target:
      "SQLite steady state, one node's advertisement change per transaction ≥ 3,000/s (synchronous=FULL, the default)",
    find: named("sqlite steady, synchronous=FULL"),
    value: ops,
    format: perSecond,
    limit: { min: 3000 },
  },
  {
    id: "sqlite-steady-normal",
    suite: "storage",
    target:
      "SQLite steady state with synchronous=NORMAL (a power loss can drop acknowledged commits): report",
    find: named("sqlite steady, synchronous=NORMAL"),
    value: ops,
    format: perSecond,
  },
  {
    id: "postgres-steady-1",
    suite: "storage",
    target: "Postgres steady state, one writer ≥ 1,000/s",
    find: named("postgres steady, 1 writer"),
    value: ops,
    format: perSecond,
    limit: { min: 1000 },
  },
  {
    id: "postgres-steady-2",
    suite: "storage",
    target: "Postgres steady state, two writers: report",
    find: named("postgres steady, 2 writers"),
    value: ops,
    format: perSecond,
  },
]
