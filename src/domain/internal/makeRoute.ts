/** Building a `Route` row: its identity, the columns commands rewrite, and the one literal that makes it. */
import type { Route } from "../Route.js"

/** What a row is: fixed when it is created, never rewritten. */
export type RouteIdentity = Pick<Route, "id" | "nodeId" | "prefix" | "createdAt">

/** The columns a command may rewrite besides the primary flag (`updatedAt` follows them). */
export type RouteColumns = Pick<
  Route,
  "advertised" | "enabled" | "approvedBy" | "priority" | "healthy" | "deletedAt"
>

/**
 * The one place the domain builds a row: one literal in `Route`'s field order,
 * so every row keeps one object shape (a spread would copy whatever the input
 * carried). The primary flag is its own argument, so the election's write
 * passes the row itself as `columns` and allocates nothing but the new row.
 */
export const makeRoute = (
  identity: RouteIdentity,
  columns: RouteColumns,
  isPrimary: boolean,
  updatedAt: number,
): Route => ({
  id: identity.id,
  nodeId: identity.nodeId,
  prefix: identity.prefix,
  advertised: columns.advertised,
  enabled: columns.enabled,
  isPrimary,
  approvedBy: columns.approvedBy,
  priority: columns.priority,
  healthy: columns.healthy,
  createdAt: identity.createdAt,
  updatedAt,
  deletedAt: columns.deletedAt,
})
