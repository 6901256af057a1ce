/**
 * The in-memory index of a tailnet's routes: what the manager holds and what
 * the CLI builds from a snapshot. Routes are indexed by id, by node and by prefix text, so a
 * command reads only its node's and its prefixes' rows; `apply` folds a change
 * set in O(size of the change set). It also keeps the time index `tick` needs:
 * heaps of grace ends and key expiries, and the prefixes awaiting preemption.
 */
import type { ChangeSet } from "./ChangeSet.js"
import { type Entry, MinHeap } from "./internal/heap.js"
import type { Node, NodeId, Presence, ReplicaId } from "./Node.js"
import type { Options } from "./Options.js"
import type { Policy } from "./Policy.js"
import { isExitRoute, type Prefix } from "./Prefix.js"
import type { Route, RouteId } from "./Route.js"
import type { IndexedView } from "./RouteView.js"

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

/**
 * Groups are arrays, not Maps: at 200k routes a Map per group costs several
 * times the memory. The index owns them and `apply` rewrites the one slot a
 * changed row occupies in place (`place`: given the key's group as looked up,
 * writes or removes the row and returns the group left), so a change costs no
 * copy of its groups;
 * `routesOfNode` / `routesOfPrefix` hand out the stored array, valid until the
 * next `apply` (a caller that keeps rows across `apply` copies them, as every
 * reader in this library does).
 *
 * Groups are kept at their exact size while small: V8 grows an array that is
 * pushed to from 1 to 17 slots, ~130 B of empty slots on a group of 2–4 rows,
 * and most groups are that small (an HA group's routers, a router's prefixes).
 * A small group that gains a row is therefore copied to an exact-size array;
 * a large one (the exit routes of a big tailnet) grows by `push`, whose spare
 * capacity is small beside it and whose cost stays amortised O(1).
 */
const SMALL_GROUP = 16

const place = <K>(m: Map<K, Route[]>, k: K, group: Route[] | undefined, r: Route): Route[] | undefined => {
  if (r.deletedAt !== null) {
    if (group === undefined) return undefined
    for (let i = group.length - 1; i >= 0; i--) if (group[i]!.id === r.id) group.splice(i, 1)
    if (group.length > 0) return group
    m.delete(k)
    return undefined
  }
  if (group === undefined) {
    const created = [r]
    m.set(k, created)
    return created
  }
  for (let i = 0; i < group.length; i++) {
    if (group[i]!.id === r.id) {
      group[i] = r
      return group
    }
  }
  if (group.length >= SMALL_GROUP) {
    group.push(r)
    return group
  }
  const grown = group.concat(r)
  m.set(k, grown)
  return grown
}

/**
 * `place` for several rows of one key at once, in one walk of the group: a
 * node advertising or withdrawing 100k prefixes rewrites its group in
 * O(group + rows), where a `place` per row would scan the group per row.
 */
const placeMany = <K>(m: Map<K, Route[]>, k: K, rows: ReadonlyArray<Route>): void => {
  const group = m.get(k)
  const pending = new Map<RouteId, Route>()
  for (let i = 0; i < rows.length; i++) pending.set(rows[i]!.id, rows[i]!)
  const out: Route[] = []
  if (group !== undefined) {
    for (let i = 0; i < group.length; i++) {
      const held = group[i]!
      const r = pending.get(held.id)
      if (r === undefined) out.push(held)
      else {
        pending.delete(held.id)
        if (r.deletedAt === null) out.push(r)
      }
    }
  }
  // Rows not in the group yet, in change-set order (by id).
  for (const r of pending.values()) if (r.deletedAt === null) out.push(r)
  if (out.length === 0) m.delete(k)
  else m.set(k, out.length > SMALL_GROUP ? out : out.slice())
}

/** Below this many rows of one node in a row, `place` row by row is cheaper than `placeMany`'s Map. */
const MANY = 8

const none: ReadonlyArray<Route> = []

/** Ids the id array holds; any other value (never allocated by this library) goes to a Map. */
const isSlot = (id: RouteId): boolean => Number.isInteger(id) && id > 0 && id < 2 ** 31

/** The row with this Prefix (of the same text): the row itself when it already holds it. */
const withPrefix = (r: Route, shared: Prefix): Route => {
  if (shared === r.prefix) return r
  return {
    id: r.id,
    nodeId: r.nodeId,
    prefix: shared,
    advertised: r.advertised,
    enabled: r.enabled,
    isPrimary: r.isPrimary,
    approvedBy: r.approvedBy,
    priority: r.priority,
    healthy: r.healthy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  }
}

function* allOf(groups: Map<NodeId, ReadonlyArray<Route>>): Generator<Route> {
  for (const group of groups.values()) yield* group
}

const inGrace = (n: Node): boolean =>
  n.deletedAt === null && n.presence.sessions === 0 && n.presence.disconnectedAt !== null

/** Mutable index implementing `IndexedView`: the rows, their groups and the timers of `tick`. @category models */
export class RouteIndex implements IndexedView {
  private readonly nodes = new Map<NodeId, Node>()
  /**
   * Live rows by id, as an array indexed by id rather than a Map: ids are
   * allocated one by one, so the array is dense and costs 8 B a route where a
   * Map costs ~37 (its hash table, entries and chain links). Deleted rows
   * leave `undefined`; should ids ever be sparse, V8 turns the array into a
   * dictionary by itself. Nothing iterates it (`allRoutes` walks the node groups).
   * Ids outside 1..2^31 (never allocated here, but a store could hold one) live in `otherIds`.
   */
  private readonly byId: Array<Route | undefined> = []
  private readonly otherIds = new Map<RouteId, Route>()
  private liveRoutes = 0
  private readonly byNode = new Map<NodeId, Route[]>()
  private readonly byPrefix = new Map<string, Route[]>()
  /**
   * Keyed by `disconnectedAt`: grace ends in the same order for any grace period.
   * An entry is marked stale when its node leaves that grace (reconnects, is
   * deleted, disconnects again), so reading the heap needs no node lookup.
   */
  private readonly graceHeap = new MinHeap()
  /** The grace entry in the heap for each node in grace (its one entry that is not stale). */
  private readonly graceEntry = new Map<NodeId, Entry>()
  private readonly expiryHeap = new MinHeap()
  private readonly watched = new Set<string>()
  /** For each replica holding sessions, on how many nodes: whether a lapsed lease still holds any is one lookup. */
  private readonly holding = new Map<ReplicaId, number>()
  policy: Policy
  nextRouteId: number
  /** The tailnet version this index stands at; whoever folds a committed change set sets it. */
  version: number

  private constructor(policy: Policy, nextRouteId: number, version: number) {
    this.policy = policy
    this.nextRouteId = nextRouteId
    this.version = version
  }

  /** Indexes a whole state; soft-deleted rows are left out. @category constructors */
  static from(state: RouteState): RouteIndex {
    const index = new RouteIndex(state.policy, state.nextRouteId, state.version ?? 0)
    for (const n of state.nodes) index.putNode(null, n)
    // Sized first, so the id array is filled in place rather than grown with spare
    // capacity (unless ids are so sparse that V8 would make it a dictionary anyway).
    let top = 0
    let live = 0
    for (const r of state.routes) {
      if (r.deletedAt !== null) continue
      live++
      if (r.id > top && isSlot(r.id)) top = r.id
    }
    if (top <= 2 * live + 1024) for (let i = 0; i <= top; i++) index.byId.push(undefined)
    // One Prefix per prefix text (rows loaded one by one may each carry their own):
    // the prefix's group, looked up anyway, holds the first one seen.
    // Groups are built at their final, exact size, as `place` keeps them: a node's rows
    // come in runs (by id, or as generated), each run one array sliced from the input in
    // one Map write, and a small prefix group grows by an exact-size copy. Pushing (V8
    // grows a pushed-to array to 17 slots) and trimming after, as this did before, left
    // ~150 B of spare capacity per group alive through every young-generation collection
    // until the trim, and the extra Map pass; at 1M routes that made the build 7.8× slower
    // than at 200k for 5× the routes.
    const routes = state.routes
    for (let i = 0; i < routes.length; ) {
      const nodeId = routes[i]!.nodeId
      let end = i + 1
      while (end < routes.length && routes[end]!.nodeId === nodeId) end++
      let run = routes.slice(i, end)
      let dropped = false
      for (let j = 0; j < run.length; j++) {
        const r0 = run[j]!
        if (r0.deletedAt !== null) {
          dropped = true
          continue
        }
        const text = r0.prefix.text
        const group = index.byPrefix.get(text)
        let r = r0
        if (group === undefined) index.byPrefix.set(text, [r])
        else {
          r = withPrefix(r0, group[0]!.prefix)
          if (group.length < SMALL_GROUP) index.byPrefix.set(text, group.concat(r))
          else group.push(r)
        }
        if (r !== r0) run[j] = r
        index.putRoute(r)
      }
      // Rare (soft-deleted rows in a load): the live rows, at exact size.
      if (dropped) run = run.filter((r) => r.deletedAt === null).slice()
      if (run.length > 0) {
        const held = index.byNode.get(nodeId)
        index.byNode.set(nodeId, held === undefined ? run : held.concat(run))
      }
      i = end
    }
    // Large groups grew by `push`: each is trimmed to an exact-size copy as it is watched.
    for (const [text, group] of index.byPrefix) {
      const exact = group.length > SMALL_GROUP ? group.slice() : group
      if (exact !== group) index.byPrefix.set(text, exact)
      index.rewatch(text, exact)
    }
    return index
  }

  readonly node = (id: NodeId): Node | undefined => this.nodes.get(id)

  readonly route = (id: RouteId): Route | undefined => (isSlot(id) ? this.byId[id] : this.otherIds.get(id))

  readonly routesOfNode = (id: NodeId): ReadonlyArray<Route> => this.byNode.get(id) ?? none

  readonly routesOfPrefix = (prefix: string): ReadonlyArray<Route> => this.byPrefix.get(prefix) ?? none

  /** Every prefix (canonical text) with a live route. */
  readonly allPrefixes = (): Iterable<string> => this.byPrefix.keys()

  /** Every prefix with its live rows, in one walk (a full pass needs no lookup per prefix). */
  readonly prefixGroups = (): Iterable<readonly [string, ReadonlyArray<Route>]> => this.byPrefix.entries()

  readonly allNodes = (): Iterable<Node> => this.nodes.values()

  readonly allRoutes = (): Iterable<Route> => allOf(this.byNode)

  /** Number of live routes. */
  get routeCount(): number {
    return this.liveRoutes
  }

  /** Folds a change set into the index; deleted rows leave it. */
  apply(changeSet: ChangeSet): void {
    for (const c of changeSet.nodes) this.putNode(c.before, c.after)
    // A row never changes node or prefix, so one group of each is rewritten. Rows
    // come by id, so a node's rows are mostly neighbours: its group is looked up once
    // per run of them. The prefix is re-watched with its group in hand.
    const routes = changeSet.routes
    for (let i = 0; i < routes.length; ) {
      const nodeId = routes[i]!.after.nodeId
      let end = i + 1
      while (end < routes.length && routes[end]!.after.nodeId === nodeId) end++
      if (end - i >= MANY) {
        // A run of one node's rows (an advertisement, a withdrawal, a deletion of many
        // prefixes) rewrites the node's group in one walk instead of a scan per row.
        const run: Route[] = new Array(end - i)
        for (let j = i; j < end; j++) run[j - i] = routes[j]!.after
        placeMany(this.byNode, nodeId, run)
      } else {
        let nodeGroup = this.byNode.get(nodeId)
        for (let j = i; j < end; j++) nodeGroup = place(this.byNode, nodeId, nodeGroup, routes[j]!.after)
      }
      for (let j = i; j < end; j++) {
        const r = routes[j]!.after
        if (r.deletedAt === null) this.putRoute(r)
        else this.dropRoute(r.id)
        const text = r.prefix.text
        this.rewatch(text, place(this.byPrefix, text, this.byPrefix.get(text), r))
      }
      i = end
    }
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
    const grace = options.gracePeriodMs
    for (;;) {
      const e = this.graceHeap.peek()
      if (e === undefined || (e.key + grace > now && !e.stale)) break
      this.graceHeap.pop()
      if (this.graceEntry.get(e.id) === e) this.graceEntry.delete(e.id)
    }
    for (;;) {
      const e = this.expiryHeap.peek()
      if (e === undefined || (e.key > now && this.expiryValid(e.id, e.key))) break
      this.expiryHeap.pop()
    }
  }

  readonly dueNodes = (now: number, options: Options): ReadonlyArray<NodeId> => {
    // A node has at most one grace entry that is not stale, so the grace walk gives
    // each node once; a Set is built only when an expiry is due too.
    const due: NodeId[] = []
    this.graceHeap.walk(now - options.gracePeriodMs, (e) => {
      if (!e.stale) due.push(e.id)
    })
    let seen: Set<NodeId> | undefined
    this.expiryHeap.walk(now, (e) => {
      if (!this.expiryValid(e.id, e.key)) return
      seen ??= new Set(due)
      if (!seen.has(e.id)) {
        seen.add(e.id)
        due.push(e.id)
      }
    })
    return due
  }

  readonly nextNodeDeadline = (now: number, options: Options): number | null => {
    const g = options.gracePeriodMs
    const grace = this.graceHeap.firstAbove(now - g, (e) => !e.stale)
    const expiry = this.expiryHeap.firstAbove(now, (e) => this.expiryValid(e.id, e.key))
    const graceEnd = grace === null ? null : grace + g
    if (graceEnd === null) return expiry
    return expiry === null || graceEnd < expiry ? graceEnd : expiry
  }

  readonly preemptWatch = (): Iterable<string> => this.watched

  /** The replicas that hold a session on some live node. */
  readonly holders = (): Iterable<ReplicaId> => this.holding.keys()

  private hold(replicas: Presence["replicas"], by: number): void {
    for (const replica in replicas) {
      const n = (this.holding.get(replica) ?? 0) + by
      if (n === 0) this.holding.delete(replica)
      else this.holding.set(replica, n)
    }
  }

  private putRoute(r: Route): void {
    if (!isSlot(r.id)) {
      if (!this.otherIds.has(r.id)) this.liveRoutes++
      this.otherIds.set(r.id, r)
      return
    }
    // A new id is the next one, one past the end: the array stays dense.
    if (this.byId[r.id] === undefined) this.liveRoutes++
    this.byId[r.id] = r
  }

  private dropRoute(id: RouteId): void {
    if (!isSlot(id)) {
      if (this.otherIds.delete(id)) this.liveRoutes--
      return
    }
    if (this.byId[id] === undefined) return
    this.byId[id] = undefined
    this.liveRoutes--
  }

  private expiryValid(id: NodeId, key: number): boolean {
    const n = this.nodes.get(id)
    return n !== undefined && n.deletedAt === null && n.expiresAt === key
  }

  private putNode(before: Node | null, after: Node): void {
    // The stored record, not the change's `before`: `from` passes null for every node.
    const held = this.nodes.get(after.id)
    if (held === undefined || held.presence.replicas !== after.presence.replicas) {
      if (held !== undefined) this.hold(held.presence.replicas, -1)
      this.hold(after.presence.replicas, 1)
    }
    this.nodes.set(after.id, after)
    // The node's grace entry: kept while it still holds, marked stale when not.
    const entry = this.graceEntry.get(after.id)
    const key = inGrace(after) ? after.presence.disconnectedAt : null
    if (entry !== undefined && entry.key !== key) {
      entry.stale = true
      this.graceEntry.delete(after.id)
    }
    if (
      key !== null &&
      (entry === undefined
        ? // No entry: a new grace, unless this one already fired and was settled.
          before === null || !inGrace(before) || before.presence.disconnectedAt !== key
        : entry.key !== key)
    ) {
      const e: Entry = { key, id: after.id, stale: false }
      this.graceHeap.push(e)
      this.graceEntry.set(after.id, e)
    }
    if (
      after.expiresAt !== null &&
      after.deletedAt === null &&
      (before === null || before.expiresAt !== after.expiresAt || before.deletedAt !== null)
    ) {
      this.expiryHeap.push({ key: after.expiresAt, id: after.id, stale: false })
    }
  }

  /** A prefix is watched while a usable route outranks its primary by priority: preemption may move it. */
  private rewatch(text: string, m: ReadonlyArray<Route> | undefined): void {
    let primary: Route | undefined
    let top = Number.NEGATIVE_INFINITY
    // Exit routes are never elected, so never watched.
    if (m !== undefined && !isExitRoute(text)) {
      for (let i = 0; i < m.length; i++) {
        const r = m[i]!
        if (r.isPrimary) primary = r
        else if (r.advertised && r.enabled && r.healthy && r.priority > top) top = r.priority
      }
    }
    if (primary !== undefined && top > primary.priority) this.watched.add(text)
    else this.watched.delete(text)
  }
}
