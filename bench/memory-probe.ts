/**
 * Measures the heap the in-memory `RouteIndex` retains per route. Run in its
 * own process with a callable `gc` so each figure is a settled heap, not a
 * high-water mark full of garbage:
 *
 *   node --expose-gc --import tsx bench/memory-probe.ts <nodes> <realistic|stress> <generated|loaded>
 *
 * `generated` indexes `syntheticTailnet` as built (HA members share one
 * `Prefix` object and node ids are shared with the nodes); `loaded` first
 * rebuilds every row from fresh strings the way a SQL store load does (one
 * `rowReader` per load: one `Prefix` per prefix text, node-id strings taken
 * from the nodes). Prints one JSON object on stdout.
 */
import { Buffer } from "node:buffer"
import { performance } from "node:perf_hooks"
import {
  type NodeRow,
  nodeValues,
  type RouteRow,
  routeValues,
  rowReader,
} from "../src/adapters/internal/rows.js"
import type { Node } from "../src/domain/Node.js"
import { makeOptions } from "../src/domain/Options.js"
import { parsePrefixUnsafe } from "../src/domain/Prefix.js"
import type { Route } from "../src/domain/Route.js"
import { RouteIndex, type RouteState } from "../src/domain/RouteIndex.js"
import { reconcile } from "../src/domain/reconcile.js"
import { syntheticTailnet, type TailnetShape } from "./syntheticTailnet.js"

export interface MemoryProbeResult {
  readonly nodes: number
  readonly shape: TailnetShape
  readonly mode: "generated" | "loaded"
  readonly routes: number
  readonly distinctPrefixes: number
  readonly distinctPrefixObjects: number
  /** Everything the index keeps alive (rows, prefixes, nodes, maps, heaps) after the source arrays are dropped. */
  readonly retainedBytes: number
  /** The same after every node and prefix group is copied to an exact-size array (a what-if for the report). */
  readonly retainedBytesGroupsTrimmed: number
  /** `RouteIndex.from` alone, over rows that already exist: the maps, group arrays and timer heaps (node record copies left out). */
  readonly indexStructureBytes: number
  /** Settled heap of one object of each kind, measured on 20k fresh copies. */
  readonly bytesPerRouteObject: number
  readonly bytesPerPrefixObject: number
  readonly bytesPerNodeObject: number
  /** 8 on Node's default build (no pointer compression), 4 with it. */
  readonly pointerBytes: number
  readonly heapBaseBytes: number
  /** Wall time of `RouteIndex.from` (one call, not a benchmark). */
  readonly buildMs: number
  /** Heap used right after the build, before its garbage is collected (includes the base). */
  readonly peakHeapBytes: number
  /**
   * Resident set size of this process after a cold start (the state generated, indexed and
   * reconciled, its garbage collected, the source arrays dropped), and its high-water mark
   * over the whole run (generation included).
   */
  readonly rssBytes: number
  readonly maxRssBytes: number
}

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) {
  console.error("memory-probe: run with node --expose-gc")
  process.exit(2)
}
const settled = (): number => {
  gc()
  gc()
  // The index keeps slots in typed arrays, whose contents live outside the JS heap.
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** A new flat copy of a string, as a database driver hands back. */
const fresh = (s: string): string => Buffer.from(s, "utf8").toString("utf8")

const asLoaded = (tn: RouteState): RouteState => {
  const b = (x: boolean) => (x ? 1 : 0)
  const read = rowReader()
  const nodes: Node[] = []
  for (const n of tn.nodes) {
    const v = nodeValues(n, b)
    const row: NodeRow = {
      id: fresh(v[0]),
      user_name: fresh(v[1]),
      tags: v[2],
      ephemeral: v[3],
      created_at: v[4],
      expires_at: v[5],
      sessions: v[6],
      connected_at: v[7],
      last_seen: v[8],
      disconnected_at: v[9],
      deleted_at: v[10],
      replica_sessions: v[11],
    }
    nodes.push(read.node(row))
  }
  const routes: Route[] = []
  for (const r of tn.routes) {
    const v = routeValues(r, b)
    const row: RouteRow = {
      id: v[0],
      node_id: fresh(v[1]),
      prefix: fresh(v[2]),
      advertised: v[3],
      enabled: v[4],
      is_primary: v[5],
      approved_by: v[6],
      priority: v[7],
      healthy: v[8],
      created_at: v[9],
      updated_at: v[10],
      deleted_at: v[11],
    }
    routes.push(read.route(row))
  }
  return { nodes, routes, policy: tn.policy, nextRouteId: tn.nextRouteId }
}

const pointerBytes = (process.config.variables as { v8_enable_pointer_compression?: unknown })
  .v8_enable_pointer_compression
  ? 4
  : 8

/** Settled bytes per object of `make(i)`, over `n` copies held in a pre-sized array (its slots subtracted). */
const perObject = (n: number, make: (i: number) => unknown): number => {
  const before = settled()
  const keep: unknown[] = new Array(n)
  for (let i = 0; i < n; i++) keep[i] = make(i)
  const after = settled()
  if (keep.length !== n) throw new Error("unreachable")
  return (after - before) / n - pointerBytes
}

/**
 * What-if for the report: the same index with every node and prefix group
 * copied to an exact-size array (what `RouteIndex.from` builds by pushing has
 * spare capacity). Reaches into the private slot arrays of the index's rows
 * (`NodeTable` and `PrefixGroups` each keep a group per slot); bench-only.
 */
const trimGroups = (index: RouteIndex): void => {
  type Slots = { groups: Array<ReadonlyArray<Route> | undefined> }
  const rows = (index as unknown as { rows: Record<"byNode" | "byPrefix", Slots> }).rows
  for (const { groups } of [rows.byNode, rows.byPrefix])
    for (let s = 0; s < groups.length; s++) groups[s] = groups[s]?.slice()
}

const holderOf = (
  nodeCount: number,
  shape: TailnetShape,
  mode: "generated" | "loaded",
): { state: RouteState | null } => ({ state: build(nodeCount, shape, mode) })

const indexOf = (holder: { readonly state: RouteState | null }): RouteIndex => RouteIndex.from(holder.state!)

/** Distinct Prefix objects among the rows (HA members may share one). */
const countPrefixObjects = (holder: { readonly state: RouteState | null }): number =>
  new Set(holder.state!.routes.map((r) => r.prefix)).size

const build = (nodeCount: number, shape: TailnetShape, mode: "generated" | "loaded") =>
  mode === "generated" ? syntheticTailnet(nodeCount, shape) : asLoaded(syntheticTailnet(nodeCount, shape))

// Everything runs inside functions: a top-level temporary can stay alive in an
// interpreter register of the module frame and would be counted as retained.
const probe = (nodeCount: number, shape: TailnetShape, mode: "generated" | "loaded"): MemoryProbeResult => {
  const heapBaseBytes = settled()
  // The state is reached only through `holder`, and built, indexed and counted in functions
  // of their own that take the holder: a temporary of this frame (the state read from
  // `holder` as an argument) stays alive in one of its interpreter registers until the
  // register is reused, and the state's arrays (~20 B a route at 50k stress nodes) were
  // counted as retained by the index.
  const holder = holderOf(nodeCount, shape, mode)
  const withState = settled()
  const t0 = performance.now()
  const index = indexOf(holder)
  const buildMs = performance.now() - t0
  const peakHeapBytes = process.memoryUsage().heapUsed // before collecting the build's garbage
  const withIndex = settled()
  const distinctPrefixObjects = countPrefixObjects(holder)
  holder.state = null
  const retained = settled()
  // A cold start reconciles what it loaded; a sound state leaves nothing behind.
  if (reconcile(index, Date.now(), makeOptions()).changeSet.routes.length !== 0) throw new Error("unsound")
  settled()
  const rssBytes = process.memoryUsage().rss
  const maxRssBytes = process.resourceUsage().maxRSS * 1024
  trimGroups(index)
  const trimmed = settled()

  // One object of each kind, copied from the index's own rows (same shapes, fresh allocations).
  const routes = Array.from(index.allRoutes())
  const nodes = Array.from(index.allNodes())
  const sample = Math.min(20_000, routes.length)
  const bytesPerRouteObject = perObject(sample, (i) => {
    const r = routes[i]!
    return {
      id: r.id,
      nodeId: r.nodeId,
      prefix: r.prefix,
      advertised: r.advertised,
      enabled: r.enabled,
      isPrimary: r.isPrimary,
      approvedBy: r.approvedBy,
      priority: r.priority,
      healthy: r.healthy,
      createdAt: r.createdAt + 0.5 - 0.5,
      updatedAt: r.updatedAt + 0.5 - 0.5,
      deletedAt: r.deletedAt,
    } satisfies Route
  })
  const bytesPerPrefixObject = perObject(sample, (i) => parsePrefixUnsafe(fresh(routes[i]!.prefix.text)))
  // A node as the index holds it: its own id and presence, a user name and tag list shared
  // with other nodes (`RouteIndex.from` shares them).
  const bytesPerNodeObject = perObject(Math.min(20_000, nodes.length), (i) => {
    const n = nodes[i]!
    return {
      id: fresh(n.id),
      user: n.user,
      tags: n.tags,
      ephemeral: n.ephemeral,
      createdAt: n.createdAt + 0.5 - 0.5,
      expiresAt: n.expiresAt,
      presence: { ...n.presence },
      deletedAt: n.deletedAt,
    } satisfies Node
  })
  // The record alone, which `RouteIndex.from` copies to share the user and tags: not an index structure.
  const bytesPerNodeRecord = perObject(Math.min(20_000, nodes.length), (i) => {
    const n = nodes[i]!
    return {
      id: n.id,
      user: n.user,
      tags: n.tags,
      ephemeral: n.ephemeral,
      createdAt: n.createdAt + 0.5 - 0.5,
      expiresAt: n.expiresAt,
      presence: n.presence,
      deletedAt: n.deletedAt,
    } satisfies Node
  })
  return {
    nodes: nodeCount,
    shape,
    mode,
    routes: index.routeCount,
    distinctPrefixes: Array.from(index.allPrefixes()).length,
    distinctPrefixObjects,
    retainedBytes: retained - heapBaseBytes,
    retainedBytesGroupsTrimmed: trimmed - heapBaseBytes,
    indexStructureBytes: withIndex - withState - nodes.length * bytesPerNodeRecord,
    bytesPerRouteObject,
    bytesPerPrefixObject,
    bytesPerNodeObject,
    pointerBytes,
    heapBaseBytes,
    buildMs,
    peakHeapBytes,
    rssBytes,
    maxRssBytes,
  }
}

const main = (): void => {
  const [nodesArg = "50000", shapeArg = "stress", modeArg = "generated"] = process.argv.slice(2)
  const nodeCount = Number(nodesArg)
  const shape = shapeArg as TailnetShape
  const mode = modeArg as "generated" | "loaded"
  if (
    !Number.isInteger(nodeCount) ||
    nodeCount <= 0 ||
    !["realistic", "stress"].includes(shape) ||
    !["generated", "loaded"].includes(mode)
  ) {
    console.error(`memory-probe: bad arguments ${JSON.stringify(process.argv.slice(2))}`)
    process.exit(2)
  }
  process.stdout.write(`${JSON.stringify(probe(nodeCount, shape, mode))}\n`)
}

main()
