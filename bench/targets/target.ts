/**
 * What a target is (a limit the issues set on one measured figure) and the
 * small pieces the per-suite target lists are written with.
 */
import type { Measurement, Scale } from "../harness.js"
import { formatCount } from "../report/format.js"

/** Finds the measurement a target reads among one suite's results. */
export type Find = (suite: ReadonlyArray<Measurement>, scale: Scale) => Measurement | undefined

export interface Target {
  /** Stable id: `bench:ci` names it when no measurement matches. */
  readonly id: string
  readonly suite: string
  /** The target as the issues state it. */
  readonly target: string
  readonly find: Find
  /** At ci scale, when the names there differ (sizes in the name) from what `find` looks for. */
  readonly ciFind?: Find
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

/** The measurement whose name starts with `prefix` and (at full scale) has `sizes.nodes === nodes`. */
export const named =
  (prefix: string, nodes?: number): Find =>
  (ms, scale) => {
    const all = ms.filter((m) => m.name.startsWith(prefix))
    if (nodes === undefined || scale === "ci") return all.at(-1)
    return all.find((m) => m.sizes.nodes === nodes)
  }

export const median = (m: Measurement): number => m.medianMs
export const ops = (m: Measurement): number | undefined => m.extra?.opsPerSec
export const perSecond = (v: number): string => `${formatCount(v)} tx/s`
