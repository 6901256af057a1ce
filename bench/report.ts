/**
 * Turns `bench/results/<suite>.json` files into `BENCHMARKS.md` (every
 * benchmark in one table, every target of the issues beside its measured
 * value, met or missed, and why a miss happened) and an SVG chart of the
 * advertisement-change latency against tailnet size for the incremental path
 * and the naive baseline. Pure functions over the JSON; `run.ts` writes files.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { explanations } from "./explanations.js"
import type { Measurement, Scale } from "./harness.js"

/** One `bench/results/<suite>[.ci].json` as `run.ts` writes it. */
export interface SuiteReport {
  readonly suite: string
  readonly scale: Scale
  readonly date: string
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryBytes: number }
  readonly node: string
  readonly durationMs: number
  readonly loadAverage?: ReadonlyArray<number>
  readonly peakHeapBytes?: number
  readonly results: ReadonlyArray<Measurement>
}

/** Reads every suite report of one scale from `dir`, sorted by suite name. */
export const loadReports = (dir: string, scale: Scale): Array<SuiteReport> => {
  if (!existsSync(dir)) return []
  const suffix = scale === "ci" ? ".ci.json" : ".json"
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && (scale === "ci" || !f.endsWith(".ci.json")))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as SuiteReport)
    .filter((r) => r.scale === scale)
    .sort((a, b) => a.suite.localeCompare(b.suite))
}

// ---------------------------------------------------------------------------
// Formatting

const trim = (x: number, digits: number): string => {
  const s = x.toPrecision(digits)
  return s.includes("e") ? String(Number(s)) : s
}

/** `0.0054` → `5.4 µs`, `444.4` → `444 ms`, `2418` → `2.42 s`. */
export const formatMs = (ms: number): string => {
  if (ms < 1) return `${trim(ms * 1000, 3)} µs`
  if (ms < 1000) return `${trim(ms, 3)} ms`
  return `${trim(ms / 1000, 3)} s`
}

export const formatBytes = (b: number): string => {
  if (b < 1024) return `${Math.round(b)} B`
  if (b < 1024 * 1024) return `${trim(b / 1024, 3)} KiB`
  if (b < 1024 ** 3) return `${trim(b / 1024 ** 2, 3)} MiB`
  return `${trim(b / 1024 ** 3, 3)} GiB`
}

const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US")

/** `{ nodes: 50000, routes: 200000 }` → `50k nodes, 200k routes`. */
export const formatSizes = (sizes: Readonly<Record<string, number>>): string =>
  Object.entries(sizes)
    .map(([k, v]) => `${v >= 10_000 && v % 1000 === 0 ? `${v / 1000}k` : formatCount(v)} ${k}`)
    .join(", ")

/** How the extras the suites write read in a table cell; the rest print as `key value`. */
const extraFormat: Record<string, (v: number) => string> = {
  speedupVsNaive: (v) => `${trim(v, 3)}× the naive baseline's speed`,
  naiveMedianMs: (v) => `naive ${formatMs(v)}`,
  medianRatioTo10k: (v) => `${trim(v, 3)}× the 10k median`,
  opsPerSec: (v) => `${formatCount(v)} tx/s`,
  heapBytesPerRoute: (v) => `**${Math.round(v)} B/route** retained`,
  routeObjectBytesPerRoute: (v) => `Route ${Math.round(v)} B`,
  prefixObjectBytesPerRoute: (v) => `Prefix ${Math.round(v)} B`,
  nodeObjectBytesPerRoute: (v) => `Node ${Math.round(v)} B`,
  indexStructureBytesPerRoute: (v) => `maps+groups ${Math.round(v)} B`,
  otherBytesPerRoute: (v) => `other ${Math.round(v)} B`,
  heapBytesPerRouteIfGroupsExactSize: (v) => `${Math.round(v)} B/route with exact-size groups`,
  retainedBytes: (v) => `${formatBytes(v)} retained`,
  disconnectsPlusTickMs: (v) => `disconnects + tick ${formatMs(v)}`,
  naiveStormEstimateMs: (v) => `naive storm ≈ ${formatMs(v)}`,
  primariesMoved: (v) => `${formatCount(v)} primaries moved`,
  pairs: (v) => `${formatCount(v)} overlapping pairs`,
  reservedHits: (v) => `${formatCount(v)} reserved-range hits`,
}

const formatExtra = (extra: Readonly<Record<string, number>> | undefined): string =>
  extra === undefined
    ? ""
    : Object.entries(extra)
        .map(([k, v]) => extraFormat[k]?.(v) ?? `${k} ${trim(v, 4)}`)
        .join("; ")

const cell = (s: string): string => s.replaceAll("|", "\\|").replaceAll("\n", " ")

// ---------------------------------------------------------------------------
// Targets: every target of the earlier issues, found in the results by name

export type Status = "met" | "missed" | "reported" | "not measured" | "n/a at ci scale"

export interface TargetRow {
  readonly id: string
  /** The target as the issues state it. */
  readonly target: string
  readonly measured: string
  readonly status: Status
  /** The measurement the figure comes from (its name keys `explanations`). */
  readonly measurement?: Measurement
  readonly suite: string
}

type Find = (suite: ReadonlyArray<Measurement>, scale: Scale) => Measurement | undefined

/** The measurement whose name starts with `prefix` and (at full scale) has `sizes.nodes === nodes`. */
const named =
  (prefix: string, nodes?: number): Find =>
  (ms, scale) => {
    const all = ms.filter((m) => m.name.startsWith(prefix))
    if (nodes === undefined || scale === "ci") return all.at(-1)
    return all.find((m) => m.sizes.nodes === nodes)
  }

interface Target {
  readonly id: string
  readonly suite: string
  readonly target: string
  readonly find: Find
  /** The figure compared with `limit`; undefined when it cannot be computed from these results. */
  readonly value: (m: Measurement, suite: ReadonlyArray<Measurement>) => number | undefined
  readonly format: (v: number) => string
  /** Absent: report only. */
  readonly limit?: { readonly max?: number; readonly min?: number }
  /** Whether a ci-scale run has what this target needs (the ratio needs two sizes). */
  readonly atCi?: boolean
  /** More context for the measured cell. */
  readonly note?: (m: Measurement) => string
}

const median = (m: Measurement) => m.medianMs
const ops = (m: Measurement) => m.extra?.opsPerSec
const perSecond = (v: number) => `${formatCount(v)} tx/s`

export const targets: ReadonlyArray<Target> = [
  {
    id: "prefix-parse",
    suite: "prefix",
    target: "parse + normalise 200k mixed prefixes ≤ 150 ms",
    find: named("parse+normalise"),
    value: median,
    format: formatMs,
    limit: { max: 150 },
  },
  {
    id: "overlaps",
    suite: "overlaps",
    target: "findOverlaps over 200k routes ≤ 300 ms",
    find: named("findOverlaps"),
    value: median,
    format: formatMs,
    limit: { max: 300 },
  },
  {
    id: "cold-reconcile",
    suite: "core",
    target: "cold reconcile, stress shape, 50k nodes (200k routes) ≤ 150 ms",
    find: named("cold reconcile, stress", 50_000),
    value: median,
    format: formatMs,
    limit: { max: 150 },
    note: (m) =>
      m.extra?.naiveMedianMs === undefined ? "" : `naive re-election ${formatMs(m.extra.naiveMedianMs)}`,
  },
  {
    id: "advertise-50k",
    suite: "core",
    target: "one node's advertisement change at 50k nodes, median ≤ 20 µs",
    find: named("advertisement change, realistic", 50_000),
    value: median,
    format: formatMs,
    limit: { max: 0.02 },
    note: (m) =>
      m.extra?.naiveMedianMs === undefined ? "" : `naive re-election ${formatMs(m.extra.naiveMedianMs)}`,
  },
  {
    id: "advertise-flat",
    suite: "core",
    target: "advertisement change at 100k nodes, median within 1.5× of 10k",
    find: named("advertisement change, realistic", 100_000),
    value: (m100, ms) => {
      const m10 = ms.find(
        (m) => m.name.startsWith("advertisement change, realistic") && m.sizes.nodes === 10_000,
      )
      return m10 === undefined ? undefined : m100.medianMs / m10.medianMs
    },
    format: (v) => `${trim(v, 3)}×`,
    limit: { max: 1.5 },
    atCi: false,
  },
  {
    id: "failover-storm",
    suite: "core",
    target: "failover storm (5,000 routers disconnect, grace passes, re-elect) ≤ 50 ms",
    find: named("failover storm: tick"),
    value: median,
    format: formatMs,
    limit: { max: 50 },
    note: (m) =>
      m.extra?.disconnectsPlusTickMs === undefined
        ? ""
        : `the tick that re-elects; with the 5,000 disconnect commands ${formatMs(m.extra.disconnectsPlusTickMs)}`,
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
  {
    id: "heap-per-route",
    suite: "memory",
    target: "heap per route in the in-memory index at 50k nodes ≤ 400 B (stress shape, 200k routes)",
    find: named("heap per route, RouteIndex over stress 50000 nodes, rows as generated"),
    value: (m) => m.extra?.heapBytesPerRoute,
    format: (v) => `${Math.round(v)} B`,
    limit: { max: 400 },
    note: (m) =>
      m.extra?.heapBytesPerRouteIfGroupsExactSize === undefined
        ? ""
        : `${Math.round(m.extra.heapBytesPerRouteIfGroupsExactSize)} B with exact-size group arrays`,
  },
  {
    id: "heap-per-route-1m",
    suite: "memory",
    target: "heap per route retained by the index at 1M routes ≤ 400 B (stress shape, 250k nodes)",
    find: named("heap per route, RouteIndex over stress 250000 nodes, rows as generated"),
    value: (m) => m.extra?.heapBytesPerRoute,
    format: (v) => `${Math.round(v)} B`,
    limit: { max: 400 },
  },
  {
    id: "rss-1m",
    suite: "memory",
    target: "process RSS after a cold start of 1M routes ≤ 600 MB",
    find: named("heap per route, RouteIndex over stress 250000 nodes, rows as generated"),
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
    value: (m) => m.extra?.heapBytesPerRoute,
    format: (v) => `${Math.round(v)} B`,
  },
  {
    id: "replicas-notify",
    suite: "replicas",
    target: "Postgres, commit on one replica to another replica's subscribers, with NOTIFY: p99 ≤ 100 ms",
    find: named("replicas: postgres propagation to another replica's subscribers, NOTIFY"),
    value: (m) => m.p99Ms,
    format: formatMs,
    limit: { max: 100 },
    note: (m) => `p50 ${formatMs(m.medianMs)}`,
  },
  {
    id: "replicas-poll",
    suite: "replicas",
    target: "Postgres, the same by polling alone (every 1 s): report p50 and p99",
    find: named("replicas: postgres propagation to another replica's subscribers, polling"),
    value: (m) => m.p99Ms,
    format: formatMs,
    note: (m) => `p50 ${formatMs(m.medianMs)}`,
  },
  {
    id: "replicas-sqlite-cli",
    suite: "replicas",
    target: "SQLite, a CLI commit to a running manager's subscribers: p99 ≤ 250 ms",
    find: named("replicas: sqlite commit on another connection"),
    value: (m) => m.p99Ms,
    format: formatMs,
    limit: { max: 250 },
    note: (m) => `p50 ${formatMs(m.medianMs)}`,
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

// At ci scale the sizes in the names differ; match on the part before the size.
const ciFind: Record<string, Find> = {
  "heap-per-route": named("heap per route, RouteIndex over stress", undefined),
  "heap-per-route-1m": named("heap per route, RouteIndex over stress", undefined),
  "rss-1m": named("heap per route, RouteIndex over stress", undefined),
  "heap-per-route-loaded": (ms) =>
    ms.filter((m) => m.name.startsWith("heap per route") && m.name.includes("SQL store")).at(-1),
}

/** Resolves every target against the reports of one scale. */
export const evaluateTargets = (reports: ReadonlyArray<SuiteReport>, scale: Scale): Array<TargetRow> =>
  targets.map((t) => {
    const results = reports.find((r) => r.suite === t.suite)?.results ?? []
    const m = (scale === "ci" ? (ciFind[t.id] ?? t.find) : t.find)(results, scale)
    const base = { id: t.id, target: t.target, suite: t.suite }
    if (m === undefined) return { ...base, measured: "—", status: "not measured" as const }
    const v = t.value(m, results)
    const note = t.note?.(m) ?? ""
    const measured = `${v === undefined ? "—" : t.format(v)}${note === "" ? "" : ` (${note})`}`
    let status: Status
    if (scale === "ci") status = "n/a at ci scale"
    else if (v === undefined) status = "not measured"
    else if (t.limit === undefined) status = "reported"
    else status = (t.limit.max ?? Infinity) >= v && (t.limit.min ?? -Infinity) <= v ? "met" : "missed"
    return { ...base, measured, status, measurement: m }
  })

/** Targets a ci-scale run should resolve (so renamed benchmarks fail CI instead of silently vanishing). */
export const ciResolvableTargets = (): ReadonlyArray<string> =>
  targets.filter((t) => t.atCi !== false).map((t) => t.id)

// ---------------------------------------------------------------------------
// Chart

export interface Point {
  readonly nodes: number
  readonly medianMs: number
  readonly p99Ms: number
}

export interface ChartSeries {
  readonly incremental: ReadonlyArray<Point>
  readonly naive: ReadonlyArray<Point>
}

/** The advertisement-change measurements of the core suite, by tailnet size. */
export const chartSeries = (reports: ReadonlyArray<SuiteReport>): ChartSeries => {
  const core = reports.find((r) => r.suite === "core")?.results ?? []
  const pick = (prefix: string) =>
    core
      .filter((m) => m.name.startsWith(prefix) && typeof m.sizes.nodes === "number")
      .map((m) => ({ nodes: m.sizes.nodes!, medianMs: m.medianMs, p99Ms: m.p99Ms }))
      .sort((a, b) => a.nodes - b.nodes)
  return {
    incremental: pick("advertisement change, "),
    naive: pick("advertisement change + naive"),
  }
}

/** `10^d` milliseconds as a round label: `1 µs`, `10 ms`, `1 s`. */
const decade = (d: number): string =>
  d < 0 ? `${10 ** (d + 3)} µs` : d < 3 ? `${10 ** d} ms` : `${10 ** (d - 3)} s`

const esc = (s: string): string =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

const sizeLabel = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n))

/**
 * Hand-written SVG: median latency (log y) against tailnet size (linear x) for
 * both paths, p99 as hollow markers, the 20 µs target as a dashed line.
 */
export const renderSvg = (series: ChartSeries, subtitle: string): string => {
  const W = 760
  const H = 460
  const left = 84
  const right = 24
  const top = 64
  const bottom = 112
  const pw = W - left - right
  const ph = H - top - bottom
  const all = [...series.incremental, ...series.naive]
  const ys = [...all.flatMap((p) => [p.medianMs, p.p99Ms]), 0.02].filter((v) => v > 0)
  const lo = Math.floor(Math.log10(Math.min(...ys)))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...ys))))
  const maxNodes = Math.max(1, ...all.map((p) => p.nodes))
  const x = (n: number) => left + (n / maxNodes) * pw
  const y = (ms: number) => top + ph - ((Math.log10(ms) - lo) / (hi - lo)) * ph
  const f = (v: number) => v.toFixed(1)
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>Advertisement change latency against tailnet size: incremental path and naive full re-election</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">One node's advertisement change: latency against tailnet size</text>`,
    `<text x="${W / 2}" y="44" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`,
  )
  // Grid and y axis: one line per decade, labelled in µs / ms / s.
  for (let d = lo; d <= hi; d++) {
    const yy = f(y(10 ** d))
    out.push(
      `<line x1="${left}" y1="${yy}" x2="${W - right}" y2="${yy}" stroke="#e3e3e3"/>`,
      `<text x="${left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">${decade(d)}</text>`,
    )
  }
  const sizes = [...new Set(all.map((p) => p.nodes))].sort((a, b) => a - b)
  for (const n of sizes) {
    out.push(
      `<line x1="${f(x(n))}" y1="${top}" x2="${f(x(n))}" y2="${top + ph}" stroke="#f0f0f0"/>`,
      `<text x="${f(x(n))}" y="${top + ph + 18}" text-anchor="middle">${sizeLabel(n)}</text>`,
    )
  }
  out.push(
    `<line x1="${left}" y1="${top + ph}" x2="${W - right}" y2="${top + ph}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`,
    `<text x="${left}" y="${top + ph + 18}" text-anchor="middle">0</text>`,
    `<text x="${left + pw / 2}" y="${top + ph + 40}" text-anchor="middle" font-size="13">tailnet size (nodes)</text>`,
    `<text transform="translate(20 ${top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">latency per change (log scale)</text>`,
  )
  // The 20 µs target.
  const ty = f(y(0.02))
  out.push(
    `<line x1="${left}" y1="${ty}" x2="${W - right}" y2="${ty}" stroke="#2a9d8f" stroke-dasharray="6 4"/>`,
    `<text x="${W - right - 4}" y="${f(y(0.02) - 6)}" text-anchor="end" fill="#2a9d8f">target: median ≤ 20 µs at 50k nodes</text>`,
  )
  const draw = (points: ReadonlyArray<Point>, colour: string, labelBelow: boolean) => {
    if (points.length === 0) return
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${points.map((p) => `${f(x(p.nodes))},${f(y(p.medianMs))}`).join(" ")}"/>`,
    )
    for (const p of points) {
      out.push(
        `<circle cx="${f(x(p.nodes))}" cy="${f(y(p.medianMs))}" r="4.5" fill="${colour}"/>`,
        `<circle cx="${f(x(p.nodes))}" cy="${f(y(p.p99Ms))}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`,
        `<text x="${f(x(p.nodes) - 8)}" y="${f(y(p.medianMs) + (labelBelow ? 18 : -10))}" text-anchor="end" fill="${colour}">${esc(formatMs(p.medianMs))}</text>`,
      )
    }
  }
  draw(series.naive, "#d62828", false)
  draw(series.incremental, "#1d4ed8", true)
  // Legend, below the axis title.
  const ly = top + ph + 66
  const legend: Array<[string, string, boolean]> = [
    ["#1d4ed8", "incremental path (advertise + apply), median", true],
    ["#d62828", "naive baseline (re-elect every prefix after the change), median", true],
    ["#555555", "p99 (hollow marker, same colour)", false],
  ]
  legend.forEach(([colour, label, filled], i) => {
    const lx = left
    const yy = ly + i * 18
    out.push(
      filled
        ? `<line x1="${lx}" y1="${yy}" x2="${lx + 24}" y2="${yy}" stroke="${colour}" stroke-width="2.5"/><circle cx="${lx + 12}" cy="${yy}" r="4.5" fill="${colour}"/>`
        : `<circle cx="${lx + 12}" cy="${yy}" r="4" fill="#ffffff" stroke="${colour}" stroke-width="1.5"/>`,
      `<text x="${lx + 32}" y="${yy}" dominant-baseline="middle">${esc(label)}</text>`,
    )
  })
  out.push("</svg>")
  return `${out.join("\n")}\n`
}

// ---------------------------------------------------------------------------
// Markdown

const statusMark: Record<Status, string> = {
  met: "✅ met",
  missed: "❌ missed",
  reported: "📋 reported (no target)",
  "not measured": "⚠️ not measured",
  "n/a at ci scale": "n/a at ci scale",
}

/** `explanations` is keyed by a measurement name or a leading part of one; the longest key wins. */
export const explanationFor = (name: string): string | undefined => {
  const key = Object.keys(explanations)
    .filter((k) => name.startsWith(k))
    .sort((a, b) => b.length - a.length)[0]
  return key === undefined ? undefined : explanations[key]
}

export const renderMarkdown = (
  reports: ReadonlyArray<SuiteReport>,
  scale: Scale,
  chartPath: string,
): string => {
  const rows = evaluateTargets(reports, scale)
  const first = reports[0]
  const lines: string[] = []
  lines.push(
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench` (bench/run.ts → bench/report.ts); edit bench/explanations.ts, not this file. -->",
    "",
    "The library exists to stay correct and fast when a tailnet is large. These are the numbers: every",
    "benchmark, every target the issues set beside what was measured, and the scaling of the path that",
    "matters most — one node changing its advertisement — against a naive full recomputation.",
    "",
  )
  if (first !== undefined) {
    const dates = reports.map((r) => r.date).sort()
    const loads = reports
      .filter((r) => r.loadAverage !== undefined)
      .map((r) => `${r.suite} ${r.loadAverage!.map((l) => l.toFixed(1)).join("/")}`)
    lines.push(
      `- **Machine:** ${first.machine.cpus} × ${first.machine.cpuModel}, ${formatBytes(first.machine.memoryBytes)} RAM`,
      `- **Node:** ${first.node}`,
      `- **Run:** ${dates[0]}${dates.length > 1 && dates.at(-1) !== dates[0] ? ` – ${dates.at(-1)}` : ""} (scale: ${scale})`,
      ...(loads.length === 0 ? [] : [`- **Load average at suite start (1/5/15 min):** ${loads.join("; ")}`]),
      "- **Reproduce:** `npm run bench` (all suites; `npm run bench -- core` for one) writes",
      "  `bench/results/<suite>.json`, this file and the chart. `npm run bench:ci` runs the same code at small",
      "  sizes and checks the results and this report are well formed, never their speed.",
      "",
    )
  }
  lines.push(
    "## Scaling",
    "",
    `![Advertisement change latency against tailnet size](${chartPath})`,
    "",
    "One random router adds or withdraws one prefix: the incremental path (transition + apply) reads",
    "only that node's and that prefix's rows, so its latency stays flat from 10k to 100k nodes; the naive",
    "baseline re-elects every prefix of the tailnet after the same change and grows with the tailnet.",
    "",
    "## Targets",
    "",
    "| target (from the issues) | measured | status |",
    "|---|---|---|",
    ...rows.map((r) => `| ${cell(r.target)} | ${cell(r.measured)} | ${statusMark[r.status]} |`),
    "",
  )
  const missed = rows.filter((r) => r.status === "missed")
  lines.push("## Why a target is missed", "")
  if (missed.length === 0) lines.push("Every target with a limit is met.", "")
  for (const r of missed) {
    const why = explanationFor(r.measurement!.name)
    lines.push(`- **${r.target}** — measured ${r.measured}. ${why ?? "No explanation written yet."}`)
  }
  if (missed.length > 0) lines.push("")
  // Explanations of measurements that are not targets but need a word (e.g. the memory breakdown).
  lines.push(
    "## All benchmarks",
    "",
    "Times are per call of the measured body; *peak heap / route* is the process's used-heap high-water",
    "mark sampled around the measured calls (or over the suite, marked *suite*), divided by the routes",
    "(or prefixes) of the workload — live data plus uncollected garbage, an upper bound. The settled",
    "figure — what the index really retains — is the memory suite's *B/route retained*.",
    "",
    "| suite | benchmark | sizes | samples | median | p99 | peak heap / route | target | notes |",
    "|---|---|---|---|---|---|---|---|---|",
  )
  for (const r of reports) {
    for (const m of r.results) {
      const targeted = rows.filter((t) => t.measurement === m)
      const target =
        targeted.length > 0
          ? targeted.map((t) => statusMark[t.status]).join(", ")
          : m.targetMs === undefined
            ? ""
            : `≤ ${formatMs(m.targetMs)}`
      const heap =
        m.peakHeapBytesPerRoute === undefined
          ? m.peakHeapBytes === undefined
            ? ""
            : formatBytes(m.peakHeapBytes)
          : `${formatBytes(m.peakHeapBytesPerRoute)}${m.peakHeapScope === "suite" ? " (suite)" : ""}`
      lines.push(
        `| ${r.suite} | ${cell(m.name)} | ${cell(formatSizes(m.sizes))} | ${m.samples} | ${formatMs(m.medianMs)} | ${formatMs(m.p99Ms)} | ${heap} | ${target} | ${cell(formatExtra(m.extra))} |`,
      )
    }
  }
  lines.push("")
  const notes = reports.flatMap((r) =>
    r.results
      .filter((m) => !missed.some((t) => t.measurement === m))
      .map((m) => [m.name, explanationFor(m.name)] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined),
  )
  if (notes.length > 0) {
    lines.push("## Notes", "")
    const seen = new Set<string>()
    for (const [name, why] of notes) {
      if (seen.has(why)) continue
      seen.add(why)
      lines.push(`- **${name}** — ${why}`)
    }
    lines.push("")
  }
  return lines.join("\n")
}

// ---------------------------------------------------------------------------
// Well-formedness (what `bench:ci` checks of the generated report)

/** Problems with a generated SVG: unbalanced tags, non-numbers, a missing series or label. */
export const svgProblems = (svg: string): Array<string> => {
  const problems: string[] = []
  if (!svg.startsWith("<svg ") || !svg.trimEnd().endsWith("</svg>"))
    problems.push("not a single <svg> element")
  const stack: string[] = []
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, tag, selfClosing] = m
    if (selfClosing === "/") continue
    if (closing === "/") {
      if (stack.pop() !== tag) problems.push(`unbalanced </${tag}>`)
    } else stack.push(tag!)
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join(">, <")}>`)
  if (/NaN|undefined|Infinity/.test(svg)) problems.push("NaN, undefined or Infinity in the SVG")
  for (const needle of ["tailnet size (nodes)", "incremental path", "naive baseline", "<polyline"])
    if (!svg.includes(needle)) problems.push(`missing ${JSON.stringify(needle)}`)
  return problems
}

/** Problems with a generated BENCHMARKS.md: a target not resolved, non-numbers, no chart link. */
export const markdownProblems = (
  md: string,
  reports: ReadonlyArray<SuiteReport>,
  scale: Scale,
  chartPath: string,
): Array<string> => {
  const problems: string[] = []
  if (/NaN|undefined|Infinity/.test(md)) problems.push("NaN, undefined or Infinity in the report")
  if (!md.includes(`](${chartPath})`)) problems.push("no link to the chart")
  const suites = new Set(reports.map((r) => r.suite))
  const rows = evaluateTargets(reports, scale)
  for (const id of ciResolvableTargets()) {
    const row = rows.find((r) => r.id === id)!
    // A target is checked when its suite ran; a suite name filter may leave some out.
    if (suites.has(row.suite) && row.measurement === undefined)
      problems.push(`target ${id}: no ${row.suite} measurement matches it (renamed benchmark?)`)
  }
  for (const r of reports)
    for (const m of r.results)
      if (!md.includes(cell(m.name))) problems.push(`${m.name} missing from the table`)
  return problems
}
