/** Row equality for compare-and-set: every stored column, the way the SQL adapters compare them. */
import { type Node, sameNode } from "../../domain/Node.js"
import { type Route, sameRouteContent } from "../../domain/Route.js"

/** Equal in every stored column (prefix by canonical text). */
export const routeEquals = (a: Route, b: Route): boolean =>
  a.updatedAt === b.updatedAt && sameRouteContent(a, b)

/** Equal in every stored column (tags in order). */
export const nodeEquals = sameNode

/** Node ids sort by code unit, the same in every adapter whatever the database collation. */
export const byNodeId = (a: Node, b: Node): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Routes sort by id. */
export const byRouteId = (a: Route, b: Route): number => a.id - b.id
