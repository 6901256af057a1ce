/**
 * Runs every `bench/*.bench.ts` suite (or those named on the command line) and
 * writes `bench/results/<suite>.json`; after a full run it regenerates
 * `BENCHMARKS.md` and `bench/results/scaling.svg` from every full-scale result
 * present. `--ci` runs the suites at small sizes into `<suite>.ci.json`, checks
 * the results are well formed (never their speed) and builds the report into a
 * temporary directory to check it too, leaving the committed report alone.
 * `--report` only regenerates the report from the JSON already there.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { type BenchSuite, HeapPeak, type Measurement, type Scale, withPeakHeap } from "./harness.js"
import { probeMachine } from "./machineProbe.js"
import { renderMarkdown } from "./report/benchmarksMarkdown.js"
import { markdownProblems, svgProblems } from "./report/reportChecks.js"
import { chartSeries, renderSvg } from "./report/scalingChart.js"
import { loadReports, type SuiteReport } from "./report/suiteReport.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(here)
const args = process.argv.slice(2)
const scale: Scale = args.includes("--ci") ? "ci" : "full"
const reportOnly = args.includes("--report")
const only = args.filter((a) => !a.startsWith("--"))
const outDir = path.join(here, "results")

const finite = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x)

/** Why a measurement is malformed, or undefined when it is well formed. */
export const malformation = (m: Measurement): string | undefined => {
  if (typeof m.name !== "string" || m.name.length === 0) return "no name"
  if (!(m.samples > 0)) return "no samples"
  if (![m.medianMs, m.p99Ms, m.minMs].every((x) => finite(x) && x >= 0))
    return "a time is not a finite number"
  if (!(m.minMs <= m.medianMs && m.medianMs <= m.p99Ms)) return "min ≤ median ≤ p99 does not hold"
  if (Object.keys(m.sizes).length === 0 || !Object.values(m.sizes).every((v) => finite(v) && v > 0))
    return "sizes missing or not positive numbers"
  if (m.targetMs !== undefined && !(finite(m.targetMs) && m.targetMs > 0)) return "bad targetMs"
  if (m.extra !== undefined && !Object.values(m.extra).every(finite)) return "an extra figure is not finite"
  if (!(finite(m.peakHeapBytes) && m.peakHeapBytes! > 0)) return "no peak heap"
  if (m.peakHeapBytesPerRoute !== undefined && !finite(m.peakHeapBytesPerRoute)) return "bad heap per route"
  return undefined
}

const chartFile = "scaling.svg"
/** The chart's path as BENCHMARKS.md (at the repo root) links it. */
const chartLink = `bench/results/${chartFile}`

const subtitleOf = (reports: ReadonlyArray<SuiteReport>): string => {
  const core = reports.find((r) => r.suite === "core") ?? reports[0]
  return core === undefined
    ? ""
    : `${core.machine.cpus} × ${core.machine.cpuModel}, Node ${core.node}, ${core.date.slice(0, 10)}`
}

/** Writes BENCHMARKS.md into `mdDir` and the chart into `svgDir`; returns the problems found in both. */
const writeReport = (reports: ReadonlyArray<SuiteReport>, mdDir: string, svgDir: string): Array<string> => {
  const md = renderMarkdown(reports, scale, chartLink)
  const svg = renderSvg(chartSeries(reports), subtitleOf(reports))
  mkdirSync(svgDir, { recursive: true })
  writeFileSync(path.join(mdDir, "BENCHMARKS.md"), md)
  writeFileSync(path.join(svgDir, chartFile), svg)
  return [...markdownProblems(md, reports, scale, chartLink), ...svgProblems(svg)]
}

const runSuites = async (): Promise<number> => {
  const files = readdirSync(here)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort()
  if (files.length === 0) {
    console.error("no benchmark suites found")
    return 1
  }
  mkdirSync(outDir, { recursive: true })
  let malformed = 0
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { suite: BenchSuite }
    const loadAverage = os.loadavg()
    // At CI sizes the probe only has to run, not to mean anything: a buffer that fits the caches.
    const probe = probeMachine(scale === "ci" ? 2 ** 20 : undefined)
    const started = Date.now()
    // Suites that time their own work (storage) get the suite's heap peak; the
    // interval only fires while a suite awaits, so it costs synchronous suites nothing.
    const heap = new HeapPeak()
    heap.sample()
    const timer = setInterval(() => heap.sample(), 5)
    let results: ReadonlyArray<Measurement>
    try {
      results = await mod.suite.run(scale)
    } catch (e) {
      // One broken suite fails the run but does not hide the others' results.
      console.error(`${mod.suite.name}: threw`, e)
      malformed++
      continue
    } finally {
      clearInterval(timer)
    }
    heap.sample()
    results = results.map((m) => (m.peakHeapBytes === undefined ? withPeakHeap(m, heap.peak, "suite") : m))
    for (const m of results) {
      const why = malformation(m)
      if (why !== undefined)
        console.error(`${mod.suite.name}: malformed result ${JSON.stringify(m.name)}: ${why}`)
    }
    malformed += results.filter((m) => malformation(m) !== undefined).length + (results.length === 0 ? 1 : 0)
    if (results.length === 0) console.error(`${mod.suite.name}: no results`)
    const report: SuiteReport = {
      suite: mod.suite.name,
      scale,
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? "unknown",
        memoryBytes: os.totalmem(),
      },
      node: process.version,
      durationMs: Date.now() - started,
      loadAverage,
      probe,
      peakHeapBytes: heap.peak,
      results,
    }
    writeFileSync(
      path.join(outDir, `${mod.suite.name}${scale === "ci" ? ".ci" : ""}.json`),
      `${JSON.stringify(report, null, 2)}\n`,
    )
    for (const m of results) {
      // Targets speak of full sizes; at CI sizes a "met" would mean nothing.
      const target =
        m.targetMs === undefined || scale === "ci"
          ? ""
          : ` (target ${m.targetMs} ms${m.medianMs <= m.targetMs ? ", met" : ", MISSED"})`
      console.log(
        `${mod.suite.name}: ${m.name}: median ${m.medianMs.toFixed(3)} ms, p99 ${m.p99Ms.toFixed(3)} ms${target}`,
      )
    }
  }
  if (malformed > 0) console.error(`${malformed} malformed benchmark results`)
  return malformed > 0 ? 1 : 0
}

const report = (): number => {
  const reports = loadReports(outDir, scale)
  if (reports.length === 0) {
    console.error(`no ${scale} results in ${outDir}`)
    return 1
  }
  if (scale === "full") {
    const problems = writeReport(reports, root, outDir)
    console.log(`wrote BENCHMARKS.md and ${chartLink} from ${reports.map((r) => r.suite).join(", ")}`)
    for (const p of problems) console.error(`report: ${p}`)
    return problems.length > 0 ? 1 : 0
  }
  // ci: same generator, into a temporary directory, checked, then thrown away.
  const tmp = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-bench-report-"))
  try {
    const problems = writeReport(reports, tmp, tmp)
    for (const p of problems) console.error(`report: ${p}`)
    if (problems.length === 0) console.log("report: BENCHMARKS.md and the chart generate and are well formed")
    return problems.length > 0 ? 1 : 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const status = (reportOnly ? 0 : await runSuites()) || report()
if (status !== 0) process.exit(status)
