/**
 * Runs every `bench/*.bench.ts` suite (or those named on the command line) and
 * writes `bench/results/<suite>.json`. `--ci` runs them at small sizes and only
 * checks the results are well formed: speed is never asserted.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { BenchSuite, Measurement, Scale } from "./harness.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const scale: Scale = args.includes("--ci") ? "ci" : "full"
const only = args.filter((a) => !a.startsWith("--"))

const wellFormed = (m: Measurement): boolean =>
  typeof m.name === "string" &&
  m.samples > 0 &&
  [m.medianMs, m.p99Ms, m.minMs].every((x) => Number.isFinite(x) && x >= 0) &&
  m.minMs <= m.medianMs &&
  m.medianMs <= m.p99Ms

const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

const outDir = path.join(here, "results")
mkdirSync(outDir, { recursive: true })
let malformed = 0
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { suite: BenchSuite }
  const started = Date.now()
  const results = await mod.suite.run(scale)
  const bad = results.filter((m) => !wellFormed(m))
  malformed += bad.length + (results.length === 0 ? 1 : 0)
  const report = {
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
    results,
  }
  writeFileSync(
    path.join(outDir, `${mod.suite.name}${scale === "ci" ? ".ci" : ""}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  )
  for (const m of results) {
    const target =
      m.targetMs === undefined
        ? ""
        : ` (target ${m.targetMs} ms${m.medianMs <= m.targetMs ? ", met" : ", MISSED"})`
    console.log(
      `${mod.suite.name}: ${m.name}: median ${m.medianMs.toFixed(3)} ms, p99 ${m.p99Ms.toFixed(3)} ms${target}`,
    )
  }
}
if (files.length === 0 || malformed > 0) {
  console.error(files.length === 0 ? "no benchmark suites found" : `${malformed} malformed benchmark results`)
  process.exit(1)
}
