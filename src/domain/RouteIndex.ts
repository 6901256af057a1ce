/**
 * The in-memory index of a tailnet: what the manager holds and what the CLI
 * builds from a snapshot. It is the one mutable value the domain hands out
 * (a transition's `Draft` lives only inside the transition): the transitions
 * read it as a `RouteView` and change nothing in it but the preemption watch
 * the first read of it builds; whoever commits a change set folds it in with
 * `apply`, in O(size of the change set). It
 * composes four structures, each in its own file: the node records, each
 * node's rows and the standings the election reads, by node slot, in typed
 * arrays where they are numbers (`internal/NodeTable.ts`); the rows by id and
 * by prefix slot (`internal/RouteRows.ts`, `internal/PrefixGroups.ts`); the
 * grace and expiry timers `tick` reads (`internal/NodeTimers.ts`); and the
 * prefixes awaiting preemption (`internal/PreemptionWatch.ts`, built on first
 * use: preemption is off by default, and building it reads every row).
 */
import type { ChangeSet } from "./ChangeSet.js"
import { nodeStanding } from "./eligibility.js"
import { notHeld } from "./internal/IdSlots.js"
import { NodeTable } from "./internal/NodeTable.js"
import { NodeTimers } from "./internal/NodeTimers.js"
import { nodeSharer } from "./internal/nodeSharer.js"
import { PreemptionWatch } from "./internal/PreemptionWatch.js"
import { RouteRows } from "./internal/RouteRows.js"
import type { Node, NodeId, Presence, ReplicaId } from "./Node.js"
import type { Options } from "./Options.js"
import type { Policy } from "./Policy.js"
import type { Route, RouteId } from "./Route.js"
import type { IndexedView, ViewSlots } from "./RouteView.js"

/** Plain data of a whole tailnet, as stored or generated. @category models */
export interface RouteState {
  readonly nodes: ReadonlyArray<Node>
  /** Live rows (soft-deleted rows may be included; they are left out of the index). */
  readonly routes: ReadonlyArray<Route>
  readonly policy: Policy
  readonly nextRouteId: number
  /** The tailnet version (change sets committed); 0 when not given. */
  readonly version?: number
}

/** Mutable index implementing `IndexedView`: the rows, their groups and the timers of `tick`. @category models */
export class RouteIndex implements IndexedView {
  private readonly rows: RouteRows
  /** The node records, with what the election reads of them in typed arrays (`slots.standingOf`). */
  private readonly nodes: NodeTable
  private readonly timers = new NodeTimers((id) => this.nodes.get(id))
  /**
   * Built by the first `preemptWatch()` and kept up to date from then on.
   * Until then nothing is spent on it: building it in `from` took 42–83 ms
   * of a 1M-route build of ~0.9–1.3 s, and keeping it cost a Set lookup per
   * written row.
   */
  private watch: PreemptionWatch | undefined
  /** For each replica holding sessions, on how many nodes: whether a lapsed lease still holds any is one lookup. */
  private readonly holding = new Map<ReplicaId, number>()
  policy: Policy
  nextRouteId: number
  /** The tailnet version this index stands at; whoever folds a committed change set sets it. */
  version: number

  private constructor(
    nodes: NodeTable,
    rows: RouteRows,
    policy: Policy,
    nextRouteId: number,
    version: number,
  ) {
    this.nodes = nodes
    this.rows = rows
    this.policy = policy
    this.nextRouteId = nextRouteId
    this.version = version
  }

  /** Indexes a whole state; soft-deleted rows are left out. @category constructors */
  static from(state: RouteState): RouteIndex {
    // The rows first: a node's slot is made as its first run of rows is placed, and its
    // record then lands in the same slot.
    const nodes = new NodeTable()
    const rows = RouteRows.from(state.routes, nodes)
    const index = new RouteIndex(nodes, rows, state.policy, state.nextRouteId, state.version ?? 0)
    const shared = nodeSharer()
    for (const n of state.nodes) index.putNode(null, shared(n))
    nodes.trim()
    return index
  }

  readonly node = (id: NodeId): Node | undefined => this.nodes.get(id)

  readonly route = (id: RouteId): Route | undefined => this.rows.route(id)

  readonly routesOfNode = (id: NodeId): ReadonlyArray<Route> => this.rows.ofNode(id)

  readonly routesOfPrefix = (prefix: string): ReadonlyArray<Route> => this.rows.ofPrefix(prefix)

  /** Every prefix (canonical text) with a live route. */
  readonly allPrefixes = (): Iterable<string> => this.rows.prefixes()

  /** Every prefix with its live rows, in one walk (a full pass needs no lookup per prefix). */
  readonly prefixGroups = (): Iterable<readonly [string, ReadonlyArray<Route>]> => this.rows.prefixGroups()

  readonly allNodes = (): Iterable<Node> => this.nodes.values()

  readonly allRoutes = (): Iterable<Route> => this.rows.all()

  readonly slots: ViewSlots = {
    prefixSlotOf: (id) => this.rows.byPrefix.ofRoute.get(id),
    rowsAtSlot: (slot) => this.rows.byPrefix.rowsAt(slot),
    textAtSlot: (slot) => this.rows.byPrefix.textAt(slot),
    isExitSlot: (slot) => this.rows.byPrefix.isExitAt(slot),
    standingOf: (route, now, options) => {
      const held = this.nodes.standing(route.id, now, options.gracePeriodMs)
      return held !== notHeld ? held : nodeStanding(this.nodes.get(route.nodeId), now, options)
    },
  }

  /** Number of live routes. */
  get routeCount(): number {
    return this.rows.count
  }

  /** Folds a change set the store committed as `version`, and stands at that version. */
  applyCommitted(changeSet: ChangeSet, version: number): void {
    this.apply(changeSet)
    this.version = version
  }

  /** Folds a change set into the index; deleted rows leave it. */
  apply(changeSet: ChangeSet): void {
    for (const c of changeSet.nodes) this.putNode(c.before, c.after)
    // Each prefix is re-watched with its rewritten group in hand.
    this.rows.apply(changeSet.routes, this.watch?.rewatch)
    if (changeSet.policy !== null) this.policy = changeSet.policy
    this.nextRouteId = changeSet.nextRouteId
  }

  /** Plain sorted arrays (nodes by id, live routes by id), for storage and comparison. */
  snapshot(): RouteState {
    const nodes = Array.from(this.nodes.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const routes = Array.from(this.allRoutes()).sort((a, b) => a.id - b.id)
    return { nodes, routes, policy: this.policy, nextRouteId: this.nextRouteId }
  }

  /**
   * Forgets timers that fired at or before `now`; call after applying the
   * change set `tick(index, now, …)` returned, so later ticks stay small.
   */
  settle(now: number, options: Options): void {
    this.timers.settle(now, options.gracePeriodMs)
  }

  readonly dueNodes = (now: number, options: Options): ReadonlyArray<NodeId> =>
    this.timers.due(now, options.gracePeriodMs)

  readonly nextNodeDeadline = (now: number, options: Options): number | null =>
    this.timers.next(now, options.gracePeriodMs)

  readonly preemptWatch = (): Iterable<string> => {
    if (this.watch === undefined) {
      const watch = new PreemptionWatch()
      for (const [text, group] of this.rows.prefixGroups()) watch.rewatch(text, group)
      this.watch = watch
    }
    return this.watch.prefixes()
  }

  /** The replicas that hold a session on some live node. */
  readonly holders = (): Iterable<ReplicaId> => this.holding.keys()

  private hold(replicas: Presence["replicas"], by: number): void {
    for (const replica in replicas) {
      const n = (this.holding.get(replica) ?? 0) + by
      if (n === 0) this.holding.delete(replica)
      else this.holding.set(replica, n)
    }
  }

  private putNode(before: Node | null, after: Node): void {
    // The stored record, not the change's `before`: `from` passes null for every node.
    const held = this.nodes.put(after)
    if (held === undefined || held.presence.replicas !== after.presence.replicas) {
      if (held !== undefined) this.hold(held.presence.replicas, -1)
      this.hold(after.presence.replicas, 1)
    }
    this.timers.noteNode(before, after)
  }
}
