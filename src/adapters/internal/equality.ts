/** Row equality for compare-and-set: every stored column, the way the SQL adapters compare them. */
import type { Node } from "../../domain/Node.js"
import type { Route } from "../../domain/Route.js"

/** Equal in every stored column (prefix by canonical text). */
export const routeEquals = (a: Route, b: Route): boolean =>
  a.id === b.id &&
  a.nodeId === b.nodeId &&
  a.prefix.text === b.prefix.text &&
  a.advertised === b.advertised &&
  a.enabled === b.enabled &&
  a.isPrimary === b.isPrimary &&
  a.approvedBy === b.approvedBy &&
  a.priority === b.priority &&
  a.healthy === b.healthy &&
  a.createdAt === b.createdAt &&
  a.updatedAt === b.updatedAt &&
  a.deletedAt === b.deletedAt

/** Equal in every stored column (tags in order). */
export const nodeEquals = (a: Node, b: Node): boolean =>
  a.id === b.id &&
  a.user === b.user &&
  a.tags.length === b.tags.length &&
  a.tags.every((t, i) => t === b.tags[i]) &&
  a.ephemeral === b.ephemeral &&
  a.createdAt === b.createdAt &&
  a.expiresAt === b.expiresAt &&
  a.deletedAt === b.deletedAt &&
  a.presence.sessions === b.presence.sessions &&
  a.presence.connectedAt === b.presence.connectedAt &&
  a.presence.lastSeen === b.presence.lastSeen &&
  a.presence.disconnectedAt === b.presence.disconnectedAt

/** Node ids sort by code unit, the same in every adapter whatever the database collation. */
export const byNodeId = (a: Node, b: Node): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Routes sort by id. */
export const byRouteId = (a: Route, b: Route): number => a.id - b.id
