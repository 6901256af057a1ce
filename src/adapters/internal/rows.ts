/**
 * Row shapes shared by the SQL adapters and their mapping to domain values.
 * SQLite hands back 0/1 for booleans and Postgres may hand back int8 as text,
 * so reads coerce; writes produce what both accept once the adapter picks
 * booleans or integers.
 */
import type { Node, Presence } from "../../domain/Node.js"
import type { Policy } from "../../domain/Policy.js"
import { type Prefix, parsePrefixUnsafe } from "../../domain/Prefix.js"
import type { ApprovedBy, Route } from "../../domain/Route.js"

/** A `routes` row as read back. */
export interface RouteRow {
  readonly id: unknown
  readonly node_id: string
  readonly prefix: string
  readonly advertised: unknown
  readonly enabled: unknown
  readonly is_primary: unknown
  readonly approved_by: string | null
  readonly priority: unknown
  readonly healthy: unknown
  readonly created_at: unknown
  readonly updated_at: unknown
  readonly deleted_at: unknown
}

/** A `nodes` row as read back; `tags` is JSON text. */
export interface NodeRow {
  readonly id: string
  readonly user_name: string
  readonly tags: string
  readonly ephemeral: unknown
  readonly created_at: unknown
  readonly expires_at: unknown
  readonly sessions: unknown
  readonly connected_at: unknown
  readonly last_seen: unknown
  readonly disconnected_at: unknown
  readonly deleted_at: unknown
  /** JSON object: sessions per holding replica. */
  readonly replica_sessions: string
}

const bool = (u: unknown): boolean => u === true || u === 1 || u === 1n || u === "1" || u === "t"
const num = (u: unknown): number => (typeof u === "number" ? u : Number(u))
const numOrNull = (u: unknown): number | null => (u === null || u === undefined ? null : num(u))

/** A row as a driver's array mode returns it: the values in `routeColumns` order. */
export type RouteTuple = ReadonlyArray<unknown>
/** A row as a driver's array mode returns it: the values in `nodeColumns` order. */
export type NodeTuple = ReadonlyArray<unknown>

/** A node row in array form (`nodeColumns` order) → domain node. */
const tupleToNode = (
  v: NodeTuple,
  tags: (text: string) => Node["tags"],
  holders: (text: string) => Presence["replicas"],
): Node => ({
  id: v[0] as string,
  user: v[1] as string,
  tags: tags(v[2] as string),
  ephemeral: bool(v[3]),
  createdAt: num(v[4]),
  expiresAt: numOrNull(v[5]),
  presence: {
    sessions: num(v[6]),
    replicas: holders(v[11] as string),
    connectedAt: numOrNull(v[7]),
    lastSeen: numOrNull(v[8]),
    disconnectedAt: numOrNull(v[9]),
  },
  deletedAt: numOrNull(v[10]),
})

const noHolders: Presence["replicas"] = {}

/** Sessions per replica as stored: JSON with sorted keys, so equal holders store equal text (compare-and-set). */
export const holdersText = (replicas: Presence["replicas"]): string => {
  const keys = Object.keys(replicas)
  if (keys.length === 0) return "{}"
  if (keys.length === 1) return JSON.stringify(replicas)
  const sorted: Record<string, number> = {}
  for (const k of keys.sort()) sorted[k] = replicas[k]!
  return JSON.stringify(sorted)
}

/**
 * The packed flags column of a live-route read (`liveRouteSelect`): the four
 * booleans as bits 0-3 (advertised, enabled, isPrimary, healthy) and
 * `approved_by` as a code in bits 4-6 (0 null, then `approvedByCodes`' order;
 * 4 for a text the schema's check would refuse). One small integer instead of
 * five values: at 1M routes every value the driver hands over costs ~50-70 ns.
 */
const approvedByCodes: ReadonlyArray<ApprovedBy | null> = [null, "manual", "policy", "migration"]

/**
 * The select list of a live-route read: `id, node_id, prefix, flags, priority,
 * created_at, updated_at` (`deleted_at` is null by the read's own filter).
 * `bit` turns a boolean column into 0/1 in the dialect; `wide` reads an
 * integer column that may be int8 (Postgres casts it to float8).
 */
export const liveRouteSelect = (
  bit: (column: string) => string,
  wide: (column: string) => string,
): string => {
  const approved = approvedByCodes
    .slice(1)
    .map((a, i) => `WHEN approved_by = '${a}' THEN ${(i + 1) << 4}`)
    .join(" ")
  const flags = `${bit("advertised")} | (${bit("enabled")} << 1) | (${bit("is_primary")} << 2) | (${bit("healthy")} << 3) | (CASE WHEN approved_by IS NULL THEN 0 ${approved} ELSE 64 END)`
  return `id, node_id, prefix, ${flags} AS flags, ${wide("priority")}, ${wide("created_at")}, ${wide("updated_at")}`
}

/** The columns `liveRouteSelect` reads, by name. */
export const liveRouteColumns = [
  "id",
  "node_id",
  "prefix",
  "flags",
  "priority",
  "created_at",
  "updated_at",
] as const

/** Turns the rows of one load into domain values, sharing what the rows repeat. */
export interface RowReader {
  /** `rowToNode`, remembering the node's id string for the routes read after it. */
  readonly node: (r: NodeRow) => Node
  /**
   * A stored route as a domain route; every route of one prefix text gets the
   * same `Prefix` (immutable, so sharing is safe, and each text is parsed
   * once), and a route of a node read before it takes that node's id string
   * instead of its own copy.
   */
  readonly route: (r: RouteRow) => Route
  /** `node` over a row in array form (no object per row from the driver). */
  readonly nodeTuple: (v: NodeTuple) => Node
  /** `route` over a row in array form (no object per row from the driver). */
  readonly routeTuple: (v: RouteTuple) => Route
  /** `routeTuple` over a row of `liveRouteSelect` (a live route, its flags packed). */
  readonly liveRouteTuple: (v: RouteTuple) => Route
}

/**
 * A reader for one load call; its caches live as long as the reader, so make
 * one per load and drop it with the load's rows.
 */
export const rowReader = (): RowReader => {
  const prefixes = new Map<string, Prefix>()
  const prefixOf = (text: string): Prefix => {
    let prefix = prefixes.get(text)
    if (prefix === undefined) {
      prefix = parsePrefixUnsafe(text)
      prefixes.set(text, prefix)
    }
    return prefix
  }
  // Node ids in the order their nodes were read. Routes mostly come in that
  // order too (both tables fill in creation order), so the id a route's node
  // text is compared with first is the last one matched, then the next one
  // read: at 1M routes that replaced ~500k Map operations on fresh strings.
  // The Map is built only when a route's node is elsewhere (rows moved by updates).
  const nodeIds: Array<string> = []
  let nodeIndex: Map<string, number> | undefined
  let lastNodeId = ""
  let nextNode = 0
  const nodeIdOf = (text: string): string => {
    if (text === lastNodeId) return lastNodeId
    if (nodeIds[nextNode] === text) {
      lastNodeId = nodeIds[nextNode++]!
      return lastNodeId
    }
    if (nodeIndex === undefined) {
      nodeIndex = new Map()
      for (let i = 0; i < nodeIds.length; i++) nodeIndex.set(nodeIds[i]!, i)
    }
    const at = nodeIndex.get(text)
    if (at === undefined) {
      lastNodeId = text
    } else {
      lastNodeId = nodeIds[at]!
      nextNode = at + 1
    }
    return lastNodeId
  }
  // Most nodes are offline or held by one replica with one session: nodes with the
  // same holders share one (immutable) object, parsed once, as rows of a prefix share its Prefix.
  const holders = new Map<string, Presence["replicas"]>([["{}", noHolders]])
  const holdersOf = (text: string): Presence["replicas"] => {
    let h = holders.get(text)
    if (h === undefined) {
      h = JSON.parse(text) as Presence["replicas"]
      holders.set(text, h)
    }
    return h
  }
  // A tailnet has few distinct tag lists (most nodes have none): nodes with equal lists share
  // one (read-only) array, parsed once.
  const tagLists = new Map<string, Node["tags"]>()
  const tagsOf = (text: string): Node["tags"] => {
    let t = tagLists.get(text)
    if (t === undefined) {
      t = JSON.parse(text) as Array<string>
      tagLists.set(text, t)
    }
    return t
  }
  const remember = (n: Node): Node => {
    nodeIds.push(n.id)
    nodeIndex?.set(n.id, nodeIds.length - 1)
    return n
  }
  const routeTuple = (v: RouteTuple): Route => ({
    id: num(v[0]),
    nodeId: nodeIdOf(v[1] as string),
    prefix: prefixOf(v[2] as string),
    advertised: bool(v[3]),
    enabled: bool(v[4]),
    isPrimary: bool(v[5]),
    approvedBy: v[6] as ApprovedBy | null,
    priority: num(v[7]),
    healthy: bool(v[8]),
    createdAt: num(v[9]),
    updatedAt: num(v[10]),
    deletedAt: numOrNull(v[11]),
  })
  const liveRouteTuple = (v: RouteTuple): Route => {
    const flags = num(v[3])
    const approvedBy = approvedByCodes[flags >> 4]
    if (approvedBy === undefined)
      throw new Error(`route ${String(v[0])}: approved_by is none of ${approvedByCodes.join(", ")}`)
    return {
      id: num(v[0]),
      nodeId: nodeIdOf(v[1] as string),
      prefix: prefixOf(v[2] as string),
      advertised: (flags & 1) !== 0,
      enabled: (flags & 2) !== 0,
      isPrimary: (flags & 4) !== 0,
      approvedBy,
      priority: num(v[4]),
      healthy: (flags & 8) !== 0,
      createdAt: num(v[5]),
      updatedAt: num(v[6]),
      deletedAt: null,
    }
  }
  const nodeTuple = (v: NodeTuple): Node => remember(tupleToNode(v, tagsOf, holdersOf))
  return {
    node: (r) => nodeTuple(nodeColumns.map((c) => r[c])),
    route: (r) => routeTuple(routeColumns.map((c) => r[c])),
    nodeTuple,
    routeTuple,
    liveRouteTuple,
  }
}

/** The column values of a route in `routes` column order; booleans as the driver wants them. */
export const routeValues = <B>(r: Route, b: (x: boolean) => B) =>
  [
    r.id,
    r.nodeId,
    r.prefix.text,
    b(r.advertised),
    b(r.enabled),
    b(r.isPrimary),
    r.approvedBy,
    r.priority,
    b(r.healthy),
    r.createdAt,
    r.updatedAt,
    r.deletedAt,
  ] as const

/** The column values of a node in `nodes` column order; tags as canonical JSON text. */
export const nodeValues = <B>(n: Node, b: (x: boolean) => B) =>
  [
    n.id,
    n.user,
    JSON.stringify(n.tags),
    b(n.ephemeral),
    n.createdAt,
    n.expiresAt,
    n.presence.sessions,
    n.presence.connectedAt,
    n.presence.lastSeen,
    n.presence.disconnectedAt,
    n.deletedAt,
    holdersText(n.presence.replicas),
  ] as const

/** Writes `routeValues(r, b)` into `out` from `at`, with no tuple per row (bulk writes). */
export const putRouteValues = <B>(r: Route, b: (x: boolean) => B, out: Array<unknown>, at: number): void => {
  out[at] = r.id
  out[at + 1] = r.nodeId
  out[at + 2] = r.prefix.text
  out[at + 3] = b(r.advertised)
  out[at + 4] = b(r.enabled)
  out[at + 5] = b(r.isPrimary)
  out[at + 6] = r.approvedBy
  out[at + 7] = r.priority
  out[at + 8] = b(r.healthy)
  out[at + 9] = r.createdAt
  out[at + 10] = r.updatedAt
  out[at + 11] = r.deletedAt
}

/** Writes `nodeValues(n, b)` into `out` from `at`, with no tuple per row (bulk writes). */
export const putNodeValues = <B>(n: Node, b: (x: boolean) => B, out: Array<unknown>, at: number): void => {
  out[at] = n.id
  out[at + 1] = n.user
  out[at + 2] = JSON.stringify(n.tags)
  out[at + 3] = b(n.ephemeral)
  out[at + 4] = n.createdAt
  out[at + 5] = n.expiresAt
  out[at + 6] = n.presence.sessions
  out[at + 7] = n.presence.connectedAt
  out[at + 8] = n.presence.lastSeen
  out[at + 9] = n.presence.disconnectedAt
  out[at + 10] = n.deletedAt
  out[at + 11] = holdersText(n.presence.replicas)
}

/** `routes` columns in the order `routeValues` produces. */
export const routeColumns = [
  "id",
  "node_id",
  "prefix",
  "advertised",
  "enabled",
  "is_primary",
  "approved_by",
  "priority",
  "healthy",
  "created_at",
  "updated_at",
  "deleted_at",
] as const

/** `nodes` columns in the order `nodeValues` produces. */
export const nodeColumns = [
  "id",
  "user_name",
  "tags",
  "ephemeral",
  "created_at",
  "expires_at",
  "sessions",
  "connected_at",
  "last_seen",
  "disconnected_at",
  "deleted_at",
  "replica_sessions",
] as const

/** The policy is stored as JSON text. */
export const parsePolicy = (text: string): Policy => JSON.parse(text) as Policy
