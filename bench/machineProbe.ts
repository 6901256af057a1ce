/**
 * How fast this machine is right now, measured before each suite so results
 * from different runs can be compared. The shared 2-core VM these benchmarks
 * run on has measured the same code 2–3× apart within one day, and the
 * figures that move most (a failover storm, a cold start at 1M routes) are
 * bound by memory latency, not by instructions: nearly every row, prefix and
 * node they touch is a cache miss. So the probe measures exactly that, a chain
 * of dependent loads at random places in a buffer far larger than the caches,
 * beside a plain integer loop that fits in registers. The steady-state write
 * figures are bound by the disk instead (every commit waits for a sync), so
 * it also times a small write and `fdatasync` of a file in the temporary
 * directory, where the storage suites put their databases.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs"
import os from "node:os"
import path from "node:path"

/** What the probe measured. */
export interface MachineProbe {
  /** Nanoseconds per dependent load at a random place in `latencyBufferBytes`. */
  readonly memoryLatencyNs: number
  readonly latencyBufferBytes: number
  /** Nanoseconds per step of a register-only integer loop (multiply, xor, add). */
  readonly cpuNsPerOp: number
  /** Milliseconds per 4 KiB write and `fdatasync` of a file in the temporary directory (median; absent from results older than it). */
  readonly syncMs?: number
}

/** A single cycle through every slot in random order (Sattolo's shuffle), from a fixed seed. */
const randomCycle = (slots: number): Int32Array => {
  const next = new Int32Array(slots)
  for (let i = 0; i < slots; i++) next[i] = i
  let seed = 0x2545f491
  for (let i = slots - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    const j = seed % i
    const t = next[i]!
    next[i] = next[j]!
    next[j] = t
  }
  return next
}

const chase = (next: Int32Array, steps: number): number => {
  let p = 0
  for (let k = 0; k < steps; k++) p = next[p]!
  return p
}

const spin = (steps: number): number => {
  let h = 0
  for (let i = 0; i < steps; i++) h = (Math.imul(h ^ i, 0x9e3779b1) + 7) | 0
  return h
}

/** The median of `runs` timings of `f(steps)`, in ns per step (after one warm-up call). */
const nsPerStep = (f: (steps: number) => number, steps: number, runs = 3): number => {
  let sink = f(steps >> 4)
  const times: number[] = []
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    sink ^= f(steps)
    times.push(((performance.now() - t0) * 1e6) / steps)
  }
  // The sink keeps the loops from being optimised away.
  if (sink === 0.5) console.log(sink)
  return times.sort((a, b) => a - b)[runs >> 1]!
}

/** The median time of `count` 4 KiB writes, each followed by `fdatasync`, to one file. */
const syncLatencyMs = (count: number): number => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-probe-"))
  const fd = openSync(path.join(dir, "sync"), "w")
  const block = Buffer.alloc(4096, 1)
  const times: number[] = []
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now()
      writeSync(fd, block, 0, block.length, 0)
      fdatasyncSync(fd)
      times.push(performance.now() - t0)
    }
  } finally {
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  }
  return times.sort((a, b) => a - b)[count >> 1]!
}

/** Measures the machine: about a second at `bytes` = 64 MiB (twice this VM's L3), most of it building the cycle. */
export const probeMachine = (bytes = 64 * 2 ** 20): MachineProbe => {
  const cycle = randomCycle(bytes >> 2)
  return {
    memoryLatencyNs: nsPerStep((n) => chase(cycle, n), 500_000),
    latencyBufferBytes: bytes,
    cpuNsPerOp: nsPerStep(spin, 10_000_000),
    syncMs: syncLatencyMs(31),
  }
}
