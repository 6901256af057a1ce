/** The JSON a suite run leaves in `bench/results/`, and how the report reads it back. */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import type { Measurement, Scale } from "../harness.js"
import type { MachineProbe } from "../machineProbe.js"

/** One `bench/results/<suite>[.ci].json` as `run.ts` writes it. */
export interface SuiteReport {
  readonly suite: string
  readonly scale: Scale
  readonly date: string
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryBytes: number }
  readonly node: string
  readonly durationMs: number
  readonly loadAverage?: ReadonlyArray<number>
  /** How fast the machine was at suite start (absent from results older than the probe). */
  readonly probe?: MachineProbe
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
