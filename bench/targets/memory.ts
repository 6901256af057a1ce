/** Targets of the memory suite (`memory.bench.ts`): heap retained per route and process RSS. */
import { named, type Target } from "./target.js"

const bytes = (v: number): string => `${Math.round(v)} B`
const heapPerRoute = (m: { readonly extra?: Readonly<Record<string, number>> }) => m.extra?.heapBytesPerRoute
// At ci scale the node counts in the names differ; match on the part before the size.
const anyStress = named("heap per route, RouteIndex over stress")

export const memoryTargets: ReadonlyArray<Target> = [
  {
    id: "heap-per-route",
    suite: "memory",
    target: "heap per route in the in-memory index at 50k nodes ≤ 400 B (stress shape, 200k routes)",
    find: named("heap per route, RouteIndex over stress 50000 nodes, rows as generated"),
    ciFind: anyStress,
    value: heapPerRoute,
    format: bytes,
    limit: { max: 400 },
  },
  {
    id: "heap-per-route-1m",
    suite: "memory",
    target: "heap per route retained by the index at 1M routes ≤ 400 B (stress shape, 250k nodes)",
    find: named("heap per route, RouteIndex over stress 250000 nodes, rows as generated"),
    ciFind: anyStress,
    value: heapPerRoute,
    format: bytes,
    limit: { max: 400 },
  },
  {
    id: "rss-1m",
    suite: "memory",
    target: "process RSS after a cold start of 1M routes ≤ 600 MB",
    find: named("heap per route, RouteIndex over stress 250000 nodes, rows as generated"),
    ciFind: anyStress,
    value: (m) => (m.extra?.rssBytes === undefined ? undefined : m.extra.rssBytes / 2 ** 20),
    format: (v) => `${Math.round(v)} MB`,
    limit: { max: 600 },
    note: (m) =>
      m.extra?.maxRssBytes === undefined
        ? ""
        : `high-water mark ${Math.round(m.extra.maxRssBytes / 2 ** 20)} MB, generating the tailnet included`,
  },
  {
    id: "heap-per-route-loaded",
    suite: "memory",
    target: "heap per route at 50k nodes, rows as loaded from a SQL store: report",
    find: named("heap per route, RouteIndex over stress 50000 nodes, rows as a SQL store"),
    ciFind: (ms) =>
      ms.filter((m) => m.name.startsWith("heap per route") && m.name.includes("SQL store")).at(-1),
    value: heapPerRoute,
    format: bytes,
  },
]
