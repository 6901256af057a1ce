/**
 * The read-only slice of tailnet state a transition needs. Implemented by the
 * in-memory `RouteIndex` (domain) and built by repositories from what they
 * load. Transitions never mutate it; they return a `ChangeSet`.
 */
import type { Node, NodeId } from "./Node.js"
import type { Policy } from "./Policy.js"
import type { Route, RouteId } from "./Route.js"

/** @category models */
export interface RouteView {
  readonly node: (id: NodeId) => Node | undefined
  readonly route: (id: RouteId) => Route | undefined
  /** Live rows of a node (soft-deleted rows are history: stored, never read back). */
  readonly routesOfNode: (id: NodeId) => ReadonlyArray<Route>
  /** Live rows of a prefix (canonical text). */
  readonly routesOfPrefix: (prefix: string) => ReadonlyArray<Route>
  /** Every node record (deleted ones included), for full passes such as reconcile. */
  readonly allNodes: () => Iterable<Node>
  /** Every live route, for full passes such as reconcile. */
  readonly allRoutes: () => Iterable<Route>
  readonly policy: Policy
  readonly nextRouteId: number
}
