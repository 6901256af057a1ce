/**
 * Row shapes shared by the SQL adapters and their mapping to domain values.
 * SQLite hands back 0/1 for booleans and Postgres may hand back int8 as text,
 * so reads coerce; writes produce what both accept once the adapter picks
 * booleans or integers.
 */
import type { Node } from "../../domain/Node.js"
import type { Policy } from "../../domain/Policy.js"
import { parsePrefixUnsafe } from "../../domain/Prefix.js"
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
}

const bool = (u: unknown): boolean => u === true || u === 1 || u === 1n || u === "1" || u === "t"
const num = (u: unknown): number => (typeof u === "number" ? u : Number(u))
const numOrNull = (u: unknown): number | null => (u === null || u === undefined ? null : num(u))

/** Stored text → domain route; the prefix text was canonical when written. */
export const rowToRoute = (r: RouteRow): Route => ({
  id: num(r.id),
  nodeId: r.node_id,
  prefix: parsePrefixUnsafe(r.prefix),
  advertised: bool(r.advertised),
  enabled: bool(r.enabled),
  isPrimary: bool(r.is_primary),
  approvedBy: r.approved_by as ApprovedBy | null,
  priority: num(r.priority),
  healthy: bool(r.healthy),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
  deletedAt: numOrNull(r.deleted_at),
})

/** Stored row → domain node. */
export const rowToNode = (r: NodeRow): Node => ({
  id: r.id,
  user: r.user_name,
  tags: JSON.parse(r.tags) as Array<string>,
  ephemeral: bool(r.ephemeral),
  createdAt: num(r.created_at),
  expiresAt: numOrNull(r.expires_at),
  presence: {
    sessions: num(r.sessions),
    connectedAt: numOrNull(r.connected_at),
    lastSeen: numOrNull(r.last_seen),
    disconnectedAt: numOrNull(r.disconnected_at),
  },
  deletedAt: numOrNull(r.deleted_at),
})

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
  ] as const

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
] as const

/** The policy is stored as JSON text. */
export const parsePolicy = (text: string): Policy => JSON.parse(text) as Policy
