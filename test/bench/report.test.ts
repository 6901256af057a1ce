/**
 * The benchmark report reads targets from `bench/targets.ts`: a figure under
 * its limit is met, over it missed, a report-only target is reported, a
 * ratio target needs both sizes, and `bench:ci`'s checks name a target whose
 * benchmark was renamed.
 */
import { describe, expect, it } from "vitest"
import type { Measurement } from "../../bench/harness.js"
import { probeMachine } from "../../bench/machineProbe.js"
import { renderMarkdown } from "../../bench/report/benchmarksMarkdown.js"
import { evaluateTargets } from "../../bench/report/evaluateTargets.js"
import { markdownProblems, svgProblems } from "../../bench/report/reportChecks.js"
import { chartSeries, renderSvg } from "../../bench/report/scalingChart.js"
import type { SuiteReport } from "../../bench/report/suiteReport.js"
import { targets } from "../../bench/targets.js"

const measurement = (name: string, medianMs: number, sizes: Record<string, number>): Measurement => ({
  name,
  sizes,
  samples: 5,
  medianMs,
  p99Ms: medianMs * 1.5,
  minMs: medianMs / 2,
  peakHeapBytes: 1e6,
})

const suite = (
  name: string,
  results: ReadonlyArray<Measurement>,
  scale: "full" | "ci" = "full",
): SuiteReport => ({
  suite: name,
  scale,
  date: "2026-12-02T12:00:00.000Z",
  machine: { cpus: 2, cpuModel: "test cpu", memoryBytes: 2 ** 33 },
  node: "v20.20.2",
  durationMs: 1,
  results,
})

const core = suite("core", [
  measurement("advertisement change, realistic, 10000 nodes", 0.01, { nodes: 10_000, routes: 9_900 }),
  measurement("advertisement change, realistic, 50000 nodes", 0.03, { nodes: 50_000, routes: 49_867 }),
  measurement("advertisement change, realistic, 100000 nodes", 0.012, { nodes: 100_000, routes: 99_000 }),
  measurement("advertisement change, stress, 250000 nodes", 0.02, { nodes: 250_000, routes: 1_000_000 }),
  measurement("advertisement of a new prefix, realistic, 10000 nodes", 0.02, {
    nodes: 10_000,
    routes: 9_900,
  }),
  measurement("advertisement of a new prefix, stress, 250000 nodes", 0.028, {
    nodes: 250_000,
    routes: 1_000_000,
  }),
  measurement("advertisement change + naive re-election, realistic, 10000 nodes", 2, {
    nodes: 10_000,
    routes: 9_900,
  }),
])
const memory = suite("memory", [
  {
    ...measurement(
      "heap per route, RouteIndex over stress 50000 nodes, rows as a SQL store load builds them",
      100,
      {
        nodes: 50_000,
        routes: 200_000,
      },
    ),
    extra: { heapBytesPerRoute: 419.4 },
  },
])

const rowOf = (id: string, reports: ReadonlyArray<SuiteReport>, scale: "full" | "ci" = "full") =>
  evaluateTargets(reports, scale).find((r) => r.id === id)

describe("benchmark targets", () => {
  it("have distinct ids", () => {
    expect(new Set(targets.map((t) => t.id)).size).toBe(targets.length)
  })

  it("compare a figure with its limit, report a target without one, and say what was not measured", () => {
    const reports = [core, memory]
    expect(rowOf("advertise-50k", reports)).toMatchObject({ status: "missed", measured: "30.0 µs" })
    expect(rowOf("advertise-flat", reports)).toMatchObject({ status: "met", measured: "1.20×" })
    expect(rowOf("advertise-1m", reports)).toMatchObject({ status: "missed", measured: "2.00× (20.0 µs)" })
    // A new prefix's ratio is to a new prefix's median at 10k, not to the toggle's.
    expect(rowOf("advertise-new-prefix-1m", reports)).toMatchObject({
      status: "met",
      measured: "1.40× (28.0 µs)",
    })
    expect(rowOf("heap-per-route-loaded", reports)).toMatchObject({ status: "reported", measured: "419 B" })
    expect(rowOf("cold-reconcile", reports)).toMatchObject({ status: "not measured", measured: "—" })
  })

  it("at ci scale resolve without judging", () => {
    const ci = suite("core", core.results, "ci")
    expect(rowOf("advertise-50k", [ci], "ci")?.status).toBe("n/a at ci scale")
  })
})

describe("benchmark report", () => {
  it("renders a well-formed Markdown report and chart, and names a target its benchmarks no longer match", () => {
    const chart = "bench/results/scaling.svg"
    const md = renderMarkdown([core], "full", chart)
    expect(md).toContain(
      "| one node's advertisement change at 50k nodes, median ≤ 20 µs | 30.0 µs | ❌ missed |",
    )
    expect(markdownProblems(md, [core], "full", chart)).toEqual([
      "target cold-reconcile: no core measurement matches it (renamed benchmark?)",
      "target failover-storm: no core measurement matches it (renamed benchmark?)",
      "target failover-storm-250k: no core measurement matches it (renamed benchmark?)",
      "target cold-start-1m: no core measurement matches it (renamed benchmark?)",
    ])
    const svg = renderSvg(chartSeries([core]), "test")
    expect(svgProblems(svg)).toEqual([])
    // Routes on a log axis from 10k to 1M, each size labelled with its nodes too.
    expect(svg).toContain(">1M</text>")
    expect(svg).toContain(">250k nodes</text>")
    expect(svg).toContain("median ≤ 1.5× the smallest tailnet's (10.0 µs) at 100k nodes and at 1M routes")
    expect(svgProblems(svg.replace("</svg>", ""))).toContain("not a single <svg> element")
  })

  it("states each suite's machine probe, and leaves the line out when no suite has one", () => {
    const probe = { memoryLatencyNs: 187.2, latencyBufferBytes: 64 * 2 ** 20, cpuNsPerOp: 1.366, syncMs: 2.5 }
    const { syncMs: _, ...older } = probe
    const md = renderMarkdown(
      [
        { ...core, probe },
        { ...memory, probe: older },
      ],
      "full",
      "chart.svg",
    )
    expect(md).toContain("random dependent load in 64.0 MiB")
    expect(md).toContain("core 187 ns / 1.37 ns / 2.50 ms")
    expect(md).toMatch(/; memory 187 ns \/ 1.37 ns$/m)
    expect(renderMarkdown([core], "full", "chart.svg")).not.toContain("Machine probe")
  })
})

describe("machine probe", () => {
  it("measures a memory load slower than a register-only step, over a buffer of the size asked", () => {
    const p = probeMachine(8 * 2 ** 20)
    expect(p.latencyBufferBytes).toBe(8 * 2 ** 20)
    expect(p.cpuNsPerOp).toBeGreaterThan(0)
    expect(p.memoryLatencyNs).toBeGreaterThan(p.cpuNsPerOp)
    expect(p.syncMs).toBeGreaterThan(0)
  })
})
