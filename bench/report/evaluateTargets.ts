/** Resolves each target against the measured results: the figure, and met, missed or only reported. */
import type { Measurement, Scale } from "../harness.js"
import { targets } from "../targets.js"
import type { SuiteReport } from "./suiteReport.js"

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

/** Resolves every target against the reports of one scale. */
export const evaluateTargets = (reports: ReadonlyArray<SuiteReport>, scale: Scale): Array<TargetRow> =>
  targets.map((t) => {
    const results = reports.find((r) => r.suite === t.suite)?.results ?? []
    const m = (scale === "ci" ? (t.ciFind ?? t.find) : t.find)(results, scale)
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
