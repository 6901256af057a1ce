/**
 * The small benchmark harness every `bench/*.bench.ts` uses: time a body
 * repeatedly, report median and p99, and let the runner write JSON.
 */
import { performance } from "node:perf_hooks"
import v8 from "node:v8"
import { seededRandom } from "../src/internal/seededRandom.js"

/** `full` is the real workload; `ci` runs the same code at small sizes so it cannot rot. */
export type Scale = "full" | "ci"

export interface Measurement {
  /** What was measured, e.g. `parse+normalise 200k mixed`. */
  readonly name: string
  /** Workload size parameters, e.g. `{ prefixes: 200000 }`. */
  readonly sizes: Readonly<Record<string, number>>
  readonly samples: number
  readonly medianMs: number
  readonly p99Ms: number
  readonly minMs: number
  /** The issue's target, when it has one, in the same unit as medianMs. */
  readonly targetMs?: number
  /** Extra figures (ops/s, bytes per route, ratio to a baseline, …). */
  readonly extra?: Readonly<Record<string, number>>
  /**
   * High-water mark of the process's used V8 heap, sampled around every call
   * of the measured body (`measure`), or over the whole suite when a suite
   * times its own work (`peakHeapScope: "suite"`, filled in by the runner).
   * Live workload plus garbage not yet collected: an upper bound, not what
   * the structure retains (that is `bench/memory.bench.ts`).
   */
  readonly peakHeapBytes?: number
  /** `peakHeapBytes` divided by `sizes.routes` (or `sizes.prefixes`) when the workload has one. */
  readonly peakHeapBytesPerRoute?: number
  /**
   * `interleaved`: sampled over a `measureInterleaved` run, with every workload
   * of the run alive at once, so it is not divided by this workload's routes.
   */
  readonly peakHeapScope?: "measurement" | "suite" | "interleaved"
}

export interface BenchSuite {
  /** File-safe name; results land in `bench/results/<name>.json`. */
  readonly name: string
  readonly run: (scale: Scale) => Promise<ReadonlyArray<Measurement>> | ReadonlyArray<Measurement>
}

/** Used V8 heap now, in bytes (cheap: no syscall, unlike `process.memoryUsage()`). */
export const heapUsed = (): number => v8.getHeapStatistics().used_heap_size

/** A heap high-water mark: `sample()` as often as is cheap, read `peak`. */
export class HeapPeak {
  peak = 0
  sample(): void {
    const h = heapUsed()
    if (h > this.peak) this.peak = h
  }
}

/** The unit a per-route figure divides by: routes, else prefixes, else none. */
export const routeCountOf = (sizes: Readonly<Record<string, number>>): number | undefined =>
  sizes.routes ?? sizes.prefixes

/** Adds `peakHeapBytesPerRoute` when the sizes name a route (or prefix) count. */
export const withPeakHeap = (m: Measurement, peak: number, scope: "measurement" | "suite"): Measurement => {
  const routes = routeCountOf(m.sizes)
  return {
    ...m,
    peakHeapBytes: peak,
    ...(routes === undefined || routes <= 0 ? {} : { peakHeapBytesPerRoute: peak / routes }),
    peakHeapScope: scope,
  }
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!

/** A measurement from times a suite took itself (one per sample). */
export const summarize = (
  name: string,
  sizes: Readonly<Record<string, number>>,
  times: ReadonlyArray<number>,
  targetMs?: number,
  extra?: Readonly<Record<string, number>>,
): Measurement => {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    name,
    sizes,
    samples: sorted.length,
    medianMs: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    minMs: sorted[0]!,
    ...(targetMs === undefined ? {} : { targetMs }),
    ...(extra === undefined ? {} : { extra }),
  }
}

/**
 * Times `count` calls of `w.body`, each after an untimed `w.setup()`, and
 * keeps all but the first `skip` times in `times`. The heap is sampled before
 * each setup, so nothing of the instrument runs between the setup and the body
 * (measured at 1M routes: the medians are the same either way).
 */
const timeCalls = <S>(
  w: { readonly setup: () => S; readonly body: (state: S) => unknown },
  count: number,
  skip: number,
  times: number[],
  heap: HeapPeak,
): void => {
  // Each body's result, read after the loop, so the engine cannot drop the body as unused.
  let sink: unknown
  for (let i = 0; i < count; i++) {
    heap.sample()
    const state = w.setup()
    const t0 = performance.now()
    sink = w.body(state)
    const t = performance.now() - t0
    if (i >= skip) times.push(t)
  }
  heap.sample()
  if (sink === Symbol.for("never")) console.log(sink)
}

/** Runs `body` `warmup` times untimed, then `samples` times timed; `setup` runs untimed before each call. */
export const measure = <S>(options: {
  readonly name: string
  readonly sizes: Readonly<Record<string, number>>
  readonly samples: number
  readonly warmup?: number
  readonly targetMs?: number
  readonly setup: () => S
  readonly body: (state: S) => unknown
  readonly extra?: Readonly<Record<string, number>>
}): Measurement => {
  const times: number[] = []
  const heap = new HeapPeak()
  for (let i = 0; i < (options.warmup ?? 1); i++) options.body(options.setup())
  timeCalls(options, options.samples, 0, times, heap)
  const m = summarize(options.name, options.sizes, times, options.targetMs, options.extra)
  return withPeakHeap(m, heap.peak, "measurement")
}

/** One workload of `measureInterleaved`: as `measure`'s options, without the counts. */
export interface Workload<S> {
  readonly name: string
  readonly sizes: Readonly<Record<string, number>>
  readonly targetMs?: number
  readonly setup: () => S
  readonly body: (state: S) => unknown
}

/**
 * Measures several workloads (one per tailnet size, say) in turns: each of
 * `rounds` rounds runs every workload for `settle + perTurn` samples, in an
 * order reversed every other round, and keeps the last `perTurn` of each turn
 * (the first few find the caches holding the previous workload's data). Two
 * medians measured this way share the machine's state, so their ratio is not
 * moved by its speed drifting between two measurements taken one after the
 * other (2–3× over minutes on this VM). `warmup` calls of each run untimed first.
 */
export const measureInterleaved = <S>(
  workloads: ReadonlyArray<Workload<S>>,
  counts: {
    readonly rounds: number
    readonly perTurn: number
    readonly settle: number
    readonly warmup: number
  },
): Measurement[] => {
  const times = workloads.map((): number[] => [])
  const heap = new HeapPeak()
  for (const w of workloads) for (let i = 0; i < counts.warmup; i++) w.body(w.setup())
  for (let round = 0; round < counts.rounds; round++) {
    for (let k = 0; k < workloads.length; k++) {
      const at = round % 2 === 0 ? k : workloads.length - 1 - k
      timeCalls(workloads[at]!, counts.settle + counts.perTurn, counts.settle, times[at]!, heap)
    }
  }
  return workloads.map((w, k) => ({
    ...summarize(w.name, w.sizes, times[k]!, w.targetMs),
    peakHeapBytes: heap.peak,
    peakHeapScope: "interleaved" as const,
  }))
}

/** A seeded PRNG (mulberry32) so every run builds the same workload. */
export const prng = seededRandom
