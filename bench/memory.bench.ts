/**
 * Bytes of heap per route in the in-memory `RouteIndex` (target <= 400 B at
 * 50k nodes). Each figure comes from `bench/memory-probe.ts` in a child
 * process run with `--expose-gc`, so it is a settled heap (garbage collected
 * before and after), not a high-water mark. Reported per route, with where
 * the bytes go: route objects, prefix objects, node objects (spread over the
 * routes) and the index's own maps and group arrays.
 */
import { execFile } from "node:child_process"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import type { BenchSuite, Measurement, Scale } from "./harness.js"
import type { MemoryProbeResult } from "./memory-probe.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const run = promisify(execFile)

/** Runs the probe in a fresh `node --expose-gc --import tsx` and parses its one JSON line. */
export const probe = async (
  nodes: number,
  shape: "realistic" | "stress",
  mode: "generated" | "loaded",
): Promise<MemoryProbeResult> => {
  const { stdout } = await run(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(here, "memory-probe.ts"), String(nodes), shape, mode],
    { cwd: path.dirname(here), maxBuffer: 1 << 20 },
  )
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as MemoryProbeResult
}

const describe: Record<MemoryProbeResult["mode"], string> = {
  generated: "rows as generated (HA members share a Prefix)",
  loaded: "rows as a SQL store load builds them (one Prefix per prefix text, node ids shared with the nodes)",
}

export const toMeasurement = (p: MemoryProbeResult): Measurement => {
  const perRoute = (bytes: number) => bytes / p.routes
  const routeObjects = p.bytesPerRouteObject
  const prefixObjects = perRoute(p.bytesPerPrefixObject * p.distinctPrefixObjects)
  const nodeObjects = perRoute(p.bytesPerNodeObject * p.nodes)
  const indexStructures = perRoute(p.indexStructureBytes)
  const total = perRoute(p.retainedBytes)
  return {
    name: `heap per route, RouteIndex over ${p.shape} ${p.nodes} nodes, ${describe[p.mode]}`,
    sizes: { nodes: p.nodes, routes: p.routes, prefixes: p.distinctPrefixes },
    // One build in a fresh process: the time is reported for context, not benchmarked.
    samples: 1,
    medianMs: p.buildMs,
    p99Ms: p.buildMs,
    minMs: p.buildMs,
    extra: {
      heapBytesPerRoute: total,
      routeObjectBytesPerRoute: routeObjects,
      prefixObjectBytesPerRoute: prefixObjects,
      nodeObjectBytesPerRoute: nodeObjects,
      indexStructureBytesPerRoute: indexStructures,
      otherBytesPerRoute: total - routeObjects - prefixObjects - nodeObjects - indexStructures,
      heapBytesPerRouteIfGroupsExactSize: perRoute(p.retainedBytesGroupsTrimmed),
      retainedBytes: p.retainedBytes,
      rssBytes: p.rssBytes,
      maxRssBytes: p.maxRssBytes,
    },
    peakHeapBytes: p.peakHeapBytes,
    peakHeapBytesPerRoute: p.peakHeapBytes / p.routes,
    peakHeapScope: "measurement",
  }
}

const configs = (scale: Scale) => {
  const n = scale === "full" ? 50_000 : 2_000
  return [
    [n, "stress", "generated"],
    [n, "stress", "loaded"],
    [n, "realistic", "generated"],
    // One million routes (issue 16), full scale only.
    ...(scale === "full" ? ([[250_000, "stress", "generated"]] as const) : []),
  ] as const
}

export const suite: BenchSuite = {
  name: "memory",
  async run(scale) {
    // Heaps are per process, so concurrent probes do not disturb each other's bytes; at
    // full scale they still run one at a time so the build times stay comparable.
    if (scale === "ci") {
      const ps = await Promise.all(configs(scale).map(([n, shape, mode]) => probe(n, shape, mode)))
      return ps.map(toMeasurement)
    }
    const out: Measurement[] = []
    for (const [n, shape, mode] of configs(scale)) out.push(toMeasurement(await probe(n, shape, mode)))
    return out
  },
}
