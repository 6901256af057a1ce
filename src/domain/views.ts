/** Read-side views of routes: what a node serves, what a prefix has. */
import { exitRows } from "./internal/exitPair.js"
import type { NodeId } from "./Node.js"
import { compare, isExitRoute } from "./Prefix.js"
import type { Route } from "./Route.js"
import type { RouteView } from "./RouteView.js"

const byPrefix = (a: Route, b: Route): number => compare(a.prefix, b.prefix) || a.id - b.id

const isPrimarySubnet = (r: Route): boolean => r.deletedAt === null && r.isPrimary && !isExitRoute(r.prefix)

/** The subnet routes this node is primary for, in prefix order. @category getters */
export const primaryRoutes = (view: RouteView, nodeId: NodeId): ReadonlyArray<Route> =>
  view.routesOfNode(nodeId).filter(isPrimarySubnet).sort(byPrefix)

/**
 * What the node serves: its primary subnet routes plus the exit pair when
 * both halves are live, advertised and enabled. (Choice: a served exit pair
 * does not depend on presence or expiry; clients already see the peer offline.)
 *
 * @category getters
 */
export const servedRoutes = (view: RouteView, nodeId: NodeId): ReadonlyArray<Route> => {
  const rows = view.routesOfNode(nodeId)
  const out = rows.filter(isPrimarySubnet)
  const { v4, v6 } = exitRows(rows)
  if (v4 !== undefined && v6 !== undefined && v4.advertised && v4.enabled && v6.advertised && v6.enabled) {
    out.push(v4, v6)
  }
  return out.sort(byPrefix)
}

/** Every live route of a prefix (canonical text), by id. @category getters */
export const routesFor = (view: RouteView, prefix: string): ReadonlyArray<Route> =>
  view
    .routesOfPrefix(prefix)
    .filter((r) => r.deletedAt === null)
    .sort((a, b) => a.id - b.id)

/** The current primary of a prefix, or null. @category getters */
export const primaryOf = (view: RouteView, prefix: string): Route | null => {
  let found: Route | null = null
  for (const r of view.routesOfPrefix(prefix))
    if (r.isPrimary && (found === null || r.id < found.id)) found = r
  return found
}
