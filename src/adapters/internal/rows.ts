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
const tupleToNode = (v: NodeTuple, holders: (text: string) => Presence["replicas"]): Node => ({
  id: v[0] as string,
  user: v[1] as string,
  tags: JSON.parse(v[2] as string) as Array<string>,
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
}

/**
 * A reader for one load call; its caches live as long as the reader, so make
 * one per load and drop it with the load's rows.
 */
export const rowReader = (): RowReader => {
  const prefixes = new Map<string, Prefix>()
  const nodeIds = new Map<string, string>()
  const prefixOf = (text: string): Prefix => {
    let prefix = prefixes.get(text)
    if (prefix === undefined) {
      prefix = parsePrefixUnsafe(text)
      prefixes.set(text, prefix)
    }
    return prefix
  }
  // A node's routes tend to sit together in id order: comparing with the last
  // id costs less than hashing the row's fresh string for the map.
  let lastNodeId = ""
  const nodeIdOf = (text: string): string => {
    if (text !== lastNodeId) lastNodeId = nodeIds.get(text) ?? text
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
  const remember = (n: Node): Node => {
    nodeIds.set(n.id, n.id)
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
  return {
    node: (r) =>
      remember(
        tupleToNode(
          nodeColumns.map((c) => r[c]),
          holdersOf,
        ),
      ),
    route: (r) => routeTuple(routeColumns.map((c) => r[c])),
    nodeTuple: (v) => remember(tupleToNode(v, holdersOf)),
    routeTuple,
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
