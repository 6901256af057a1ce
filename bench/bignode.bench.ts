/**
 * One node with a huge advertisement (issue 12): 100k prefixes advertised on
 * one node, then withdrawn, then the node deleted, each one command through
 * the Promise facade on the memory store, the change set converted to JSON as
 * a caller gets it. Per-node work is linear, so these stay well under a second
 * (they were quadratic: 17 s to advertise 100k, 20 s to withdraw them).
 */
import { performance } from "node:perf_hooks"
import { createManualClock, createRouteManager } from "../src/index.js"
import { type BenchSuite, HeapPeak, type Measurement, summarize, withPeakHeap } from "./harness.js"
import { nthPrefix } from "./syntheticTailnet.js"

const T = 1_700_000_000_000

const oneRun = async (prefixes: ReadonlyArray<string>) => {
  const routes = await createRouteManager({
    store: "memory",
    clock: createManualClock(T),
    options: { maxRoutesPerNode: prefixes.length },
  })
  try {
    await routes.upsertNode({ id: "big", user: "ops@" })
    await routes.connect("big")
    const timed = async (f: () => Promise<unknown>): Promise<number> => {
      const t0 = performance.now()
      await f()
      return performance.now() - t0
    }
    const advertise = await timed(() => routes.advertise("big", prefixes))
    const withdraw = await timed(() => routes.advertise("big", []))
    await routes.advertise("big", prefixes)
    const remove = await timed(() => routes.deleteNode("big"))
    return { advertise, withdraw, remove }
  } finally {
    await routes.close()
  }
}

export const suite: BenchSuite = {
  name: "bignode",
  async run(scale) {
    const n = scale === "ci" ? 2_000 : 100_000
    const samples = scale === "ci" ? 2 : 5
    const prefixes = Array.from({ length: n }, (_, i) => nthPrefix(i).text)
    await oneRun(prefixes) // warm-up
    const heap = new HeapPeak()
    const times = { advertise: [] as number[], withdraw: [] as number[], remove: [] as number[] }
    for (let i = 0; i < samples; i++) {
      heap.sample()
      const r = await oneRun(prefixes)
      heap.sample()
      times.advertise.push(r.advertise)
      times.withdraw.push(r.withdraw)
      times.remove.push(r.remove)
    }
    const sizes = { prefixes: n }
    const out: Measurement[] = [
      summarize(`one node advertises ${n} prefixes, memory store`, sizes, times.advertise, 1000),
      summarize(`one node withdraws ${n} prefixes, memory store`, sizes, times.withdraw, 1000),
      summarize(`deleteNode of a node with ${n} prefixes, memory store`, sizes, times.remove),
    ]
    return out.map((m) => withPeakHeap(m, heap.peak, "measurement"))
  },
}
