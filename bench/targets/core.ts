/** Targets of the core suite (`core.bench.ts`): elections, advertisement changes, failover, cold start. */
import type { Measurement } from "../harness.js"
import { formatCount, formatMs, trim } from "../report/format.js"
import { median, named, type Target } from "./target.js"

const naiveNote = (m: { readonly extra?: Readonly<Record<string, number>> }): string =>
  m.extra?.naiveMedianMs === undefined ? "" : `naive re-election ${formatMs(m.extra.naiveMedianMs)}`

/** The median over the same operation's at 10k realistic nodes (the flat-latency targets). */
const ratioTo10k =
  (operation: string) =>
  (m: Measurement, ms: ReadonlyArray<Measurement>): number | undefined => {
    const m10 = ms.find((x) => x.name.startsWith(`${operation}, realistic`) && x.sizes.nodes === 10_000)
    return m10 === undefined ? undefined : m.medianMs / m10.medianMs
  }

/** A flat-latency target: `operation`'s median at this size within 1.5× of its median at 10k. */
const flatTarget = (
  id: string,
  operation: string,
  shape: "realistic" | "stress",
  nodes: number,
  where: string,
): Target => ({
  id,
  suite: "core",
  target: `${operation} ${where}, median within 1.5× of 10k`,
  find: named(`${operation}, ${shape}`, nodes),
  value: ratioTo10k(operation),
  format: (v) => `${trim(v, 3)}×`,
  limit: { max: 1.5 },
  atCi: false,
})

const stormNote = (m: Measurement): string =>
  m.extra?.disconnectsPlusTickMs === undefined
    ? ""
    : `the tick that re-elects; with the ${formatCount(m.sizes.routers ?? 0)} disconnect commands ${formatMs(m.extra.disconnectsPlusTickMs)}`

export const coreTargets: ReadonlyArray<Target> = [
  {
    id: "cold-reconcile",
    suite: "core",
    target: "cold reconcile, stress shape, 50k nodes (200k routes) ≤ 150 ms",
    find: named("cold reconcile, stress", 50_000),
    value: median,
    format: formatMs,
    limit: { max: 150 },
    note: naiveNote,
  },
  {
    id: "advertise-50k",
    suite: "core",
    target: "one node's advertisement change at 50k nodes, median ≤ 20 µs",
    find: named("advertisement change, realistic", 50_000),
    value: median,
    format: formatMs,
    limit: { max: 0.02 },
    note: naiveNote,
  },
  flatTarget("advertise-flat", "advertisement change", "realistic", 100_000, "at 100k nodes"),
  {
    ...flatTarget(
      "advertise-1m",
      "advertisement change",
      "stress",
      250_000,
      "at 1M routes (250k nodes, stress)",
    ),
    note: (m) => formatMs(m.medianMs),
  },
  {
    // The same target for the change that creates a row (a prefix new to the tailnet).
    ...flatTarget(
      "advertise-new-prefix-1m",
      "advertisement of a new prefix",
      "stress",
      250_000,
      "at 1M routes (250k nodes, stress)",
    ),
    note: (m) => formatMs(m.medianMs),
  },
  {
    id: "failover-storm",
    suite: "core",
    target: "failover storm (5,000 routers disconnect, grace passes, re-elect) ≤ 50 ms",
    find: named("failover storm: tick", 50_000),
    value: median,
    format: formatMs,
    limit: { max: 50 },
    note: stormNote,
  },
  {
    id: "failover-storm-250k",
    suite: "core",
    target: "failover storm at 250k nodes (25,000 routers disconnect, grace passes, re-elect) ≤ 250 ms",
    find: named("failover storm: tick", 250_000),
    value: median,
    format: formatMs,
    limit: { max: 250 },
    note: stormNote,
  },
  {
    id: "cold-start-1m",
    suite: "core",
    target: "cold start at 1M routes (250k nodes, stress): RouteIndex.from + reconcile ≤ 1 s",
    find: named("cold start: RouteIndex.from + reconcile, stress", 250_000),
    value: median,
    format: formatMs,
    limit: { max: 1000 },
  },
  {
    id: "cold-start-linear",
    suite: "core",
    target: "cold start time per route at 1M routes within 1.5× of 200k",
    find: named("cold start: RouteIndex.from + reconcile, stress", 250_000),
    value: (m1m, ms) => {
      const m200k = ms.find(
        (m) => m.name.startsWith("cold start: RouteIndex.from") && m.sizes.nodes === 50_000,
      )
      return m200k === undefined
        ? undefined
        : m1m.medianMs / m1m.sizes.routes! / (m200k.medianMs / m200k.sizes.routes!)
    },
    format: (v) => `${trim(v, 3)}×`,
    limit: { max: 1.5 },
    atCi: false,
  },
]
