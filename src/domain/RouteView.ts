/**
 * The read-only slice of tailnet state a transition needs, and the named
 * extension the whole-tailnet transitions need. Both are implemented by
 * `RouteIndex`, the one in-memory index (the manager and the CLI build one from
 * a store snapshot). Transitions never mutate a view; they return a `ChangeSet`.
 */
import type { NodeStanding } from "./eligibility.js"
import type { Node, NodeId } from "./Node.js"
import type { Options } from "./Options.js"
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
  /** Optional: numbered prefixes and node standings (`RouteIndex` has them); without, rows' keys are looked up. */
  readonly slots?: ViewSlots
}

/**
 * What an index offers the election beyond lookups by key: each prefix with
 * live rows numbered (a slot), and each node's standing kept in typed arrays,
 * both read by a live row's id. Scheduling and electing a prefix then read no
 * Prefix, no text, no node record and no Map probe per row; in a failover
 * storm each of those was a cache miss. Answers hold for this view's live rows
 * and its slots in use.
 *
 * @category models
 */
export interface ViewSlots {
  /** The slot of a live row's prefix, or -1 when the view does not number it (look the text up). */
  readonly prefixSlotOf: (id: RouteId) => number
  /** The live rows of a slot in use. */
  readonly rowsAtSlot: (slot: number) => ReadonlyArray<Route>
  /** The prefix text of a slot in use. */
  readonly textAtSlot: (slot: number) => string
  /** Whether a slot in use is an exit route's (`0.0.0.0/0` or `::/0`). */
  readonly isExitSlot: (slot: number) => boolean
  /** `nodeStanding` of a row's node as this view holds it, read for a live row without the node record. */
  readonly standingOf: (route: Route, now: number, options: Options) => NodeStanding
}

/**
 * What `reconcile`, `tick` and `nextDeadline` need beyond row lookups: the
 * prefix groups and the due timers, kept by an index so a pass costs what is
 * due, not the tailnet. `RouteIndex` implements it.
 *
 * @category models
 */
export interface IndexedView extends RouteView {
  /** Every prefix (canonical text) with its live rows. */
  readonly prefixGroups: () => Iterable<readonly [string, ReadonlyArray<Route>]>
  /** Nodes whose grace ended or key expired at or before `now` (fired timers not yet settled). */
  readonly dueNodes: (now: number, options: Options) => ReadonlyArray<NodeId>
  /** The earliest grace end or key expiry after `now`, or null. */
  readonly nextNodeDeadline: (now: number, options: Options) => number | null
  /** Prefixes where a usable route outranks the primary by priority (candidates for preemption). */
  readonly preemptWatch: () => Iterable<string>
}
