/**
 * The live rows of a tailnet, indexed by id, by node (in the node's slot of the
 * index's `NodeTable`) and by prefix (in the prefix's slot of `PrefixGroups`),
 * so a command reads only its node's and its prefixes' rows and a change set
 * is folded in O(its size). Mutable: `RouteIndex` owns one and rewrites it in place.
 *
 * Groups are arrays, not Maps: at 200k routes a Map per group costs several
 * times the memory. `apply` rewrites the one slot a changed row occupies in
 * place (`placed`: given the key's group, writes or removes the row and
 * returns the group left), so a change costs no copy of its groups;
 * `ofNode` / `ofPrefix` hand out the stored array, valid until the next
 * `apply` (a caller that keeps rows across `apply` copies them, as every
 * reader in this library does).
 *
 * Groups are kept at their exact size while small: V8 grows an array that is
 * pushed to from 1 to 17 slots, ~130 B of empty slots on a group of 2–4 rows,
 * and most groups are that small (an HA group's routers, a router's prefixes).
 * A small group that gains a row is therefore copied to an exact-size array;
 * a large one (the exit routes of a big tailnet) grows by `push`, whose spare
 * capacity is small beside it and whose cost stays amortised O(1).
 */
import type { Change } from "../ChangeSet.js"
import type { NodeId } from "../Node.js"
import type { Prefix } from "../Prefix.js"
import type { Route, RouteId } from "../Route.js"
import { notHeld } from "./IdSlots.js"
import { makeRoute } from "./makeRoute.js"
import type { NodeTable } from "./NodeTable.js"
import { PrefixGroups } from "./PrefixGroups.js"

const SMALL_GROUP = 16

/**
 * A group with `r` written or removed: the group itself rewritten in place, a
 * grown copy, a new group, or undefined once emptied. The caller stores what
 * it gets when that is not the group it passed.
 */
const placed = (group: Route[] | undefined, r: Route): Route[] | undefined => {
  if (r.deletedAt !== null) {
    if (group === undefined) return undefined
    for (let i = group.length - 1; i >= 0; i--) if (group[i]!.id === r.id) group.splice(i, 1)
    return group.length > 0 ? group : undefined
  }
  if (group === undefined) return [r]
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
  return group.concat(r)
}

/**
 * `placed` for several rows of one key at once, in one walk of the group: a
 * node advertising or withdrawing 100k prefixes rewrites its group in
 * O(group + rows), where `placed` per row would scan the group per row.
 */
const placeMany = (group: Route[] | undefined, rows: ReadonlyArray<Route>): Route[] | undefined => {
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
  if (out.length === 0) return undefined
  return out.length > SMALL_GROUP ? out : out.slice()
}

/** Below this many rows of one node in a row, `placed` row by row is cheaper than `placeMany`'s Map. */
const MANY = 8

const none: ReadonlyArray<Route> = []

/** Ids the id array holds; any other value (never allocated by this library) goes to a Map. */
const isSlot = (id: RouteId): boolean => Number.isInteger(id) && id > 0 && id < 2 ** 31

/** The row with this Prefix (of the same text): the row itself when it already holds it. */
const withPrefix = (r: Route, shared: Prefix): Route =>
  shared === r.prefix
    ? r
    : makeRoute(
        { id: r.id, nodeId: r.nodeId, prefix: shared, createdAt: r.createdAt },
        r,
        r.isPrimary,
        r.updatedAt,
      )

/** Called with a prefix's live rows (undefined: none left) each time its group is rewritten. */
export type PrefixRewritten = (text: string, group: ReadonlyArray<Route> | undefined) => void

/** Live rows by id, by node and by prefix text. */
export class RouteRows {
  /**
   * Live rows by id, as an array indexed by id rather than a Map: ids are
   * allocated one by one, so the array is dense and costs 8 B a route where a
   * Map costs ~37 (its hash table, entries and chain links). Deleted rows
   * leave `undefined`; should ids ever be sparse, V8 turns the array into a
   * dictionary by itself. Nothing iterates it (`all` walks the node groups).
   * Ids outside 1..2^31 (never allocated here, but a store could hold one) live in `otherIds`.
   */
  private readonly byId: Array<Route | undefined> = []
  private readonly otherIds = new Map<RouteId, Route>()
  private live = 0
  /** Live rows by prefix, numbered (`RouteView.slots` reads them by slot). */
  readonly byPrefix = new PrefixGroups()

  /** `byNode` keeps each node's rows in its slot, beside the node's record and standing. */
  private constructor(private readonly byNode: NodeTable) {}

  /** Indexes rows, each node's in `nodes`; soft-deleted rows are left out. */
  static from(routes: ReadonlyArray<Route>, nodes: NodeTable): RouteRows {
    const rows = new RouteRows(nodes)
    // Sized first, so the id array is filled in place rather than grown with spare
    // capacity (unless ids are so sparse that V8 would make it a dictionary anyway).
    let top = 0
    let live = 0
    for (const r of routes) {
      if (r.deletedAt !== null) continue
      live++
      if (r.id > top && isSlot(r.id)) top = r.id
    }
    if (top <= 2 * live + 1024) for (let i = 0; i <= top; i++) rows.byId.push(undefined)
    rows.byPrefix.ofRoute.reserve(top, live)
    nodes.ofRoute.reserve(top, live)
    // One Prefix per prefix text (rows loaded one by one may each carry their own):
    // the prefix's group, looked up anyway, holds the first one seen.
    // Groups are built at their final, exact size, as `placed` keeps them: a node's rows
    // come in runs (by id, or as generated), each run one array sliced from the input in
    // one Map write, and a small prefix group grows by an exact-size copy. Pushing (V8
    // grows a pushed-to array to 17 slots) and trimming after, as this did before, left
    // ~150 B of spare capacity per group alive through every young-generation collection
    // until the trim, and the extra Map pass; at 1M routes that made the build 7.8× slower
    // than at 200k for 5× the routes.
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
        const slot = rows.byPrefix.slotOf(r0.prefix)
        let r = r0
        if (slot < 0) rows.byPrefix.ofRoute.set(r.id, rows.byPrefix.open(r0.prefix, [r]))
        else {
          const group = rows.byPrefix.rowsAt(slot)
          r = withPrefix(r0, group[0]!.prefix)
          if (group.length < SMALL_GROUP) rows.byPrefix.set(slot, group.concat(r))
          else group.push(r)
          rows.byPrefix.ofRoute.set(r.id, slot)
        }
        if (r !== r0) run[j] = r
        rows.put(r)
      }
      // Rare (soft-deleted rows in a load): the live rows, at exact size.
      if (dropped) run = run.filter((r) => r.deletedAt === null).slice()
      if (run.length > 0) {
        const slot = nodes.slot(nodeId)
        const held = nodes.rowsAt(slot)
        nodes.setRows(slot, held === undefined ? run : held.concat(run))
        for (let j = 0; j < run.length; j++) nodes.ofRoute.set(run[j]!.id, slot)
      }
      i = end
    }
    // Large groups grew by `push`: each is trimmed to an exact-size copy.
    rows.byPrefix.trimAbove(SMALL_GROUP)
    return rows
  }

  readonly route = (id: RouteId): Route | undefined => (isSlot(id) ? this.byId[id] : this.otherIds.get(id))

  readonly ofNode = (id: NodeId): ReadonlyArray<Route> => this.byNode.rowsOf(id) ?? none

  readonly ofPrefix = (prefix: string): ReadonlyArray<Route> => {
    const slot = this.byPrefix.slotOfText(prefix)
    return slot < 0 ? none : this.byPrefix.rowsAt(slot)
  }

  /** Every prefix (canonical text) with a live route. */
  prefixes(): Iterable<string> {
    return this.byPrefix.allTexts()
  }

  /** Every prefix with its live rows, in one walk (a full pass needs no lookup per prefix). */
  prefixGroups(): Iterable<readonly [string, ReadonlyArray<Route>]> {
    return this.byPrefix.entries()
  }

  all(): Iterable<Route> {
    return this.byNode.allRows()
  }

  /** Number of live routes. */
  get count(): number {
    return this.live
  }

  /**
   * Folds a change set's rows in; deleted rows leave. `rewritten` hears every
   * prefix group rewritten, with the group in hand.
   */
  apply(routes: ReadonlyArray<Change<Route>>, rewritten: PrefixRewritten | undefined): void {
    // A row never changes node or prefix, so one group of each is rewritten. Rows
    // come by id, so a node's rows are mostly neighbours: its group is looked up once
    // per run of them.
    for (let i = 0; i < routes.length; ) {
      const first = routes[i]!.after
      const nodeId = first.nodeId
      let end = i + 1
      while (end < routes.length && routes[end]!.after.nodeId === nodeId) end++
      // The node's slot by a held row's id, else by its id (a new row's first node).
      const known = this.byNode.ofRoute.get(first.id)
      const slot = known === notHeld ? this.byNode.slot(nodeId) : known
      const held = this.byNode.rowsAt(slot)
      let nodeGroup = held
      if (end - i >= MANY) {
        // A run of one node's rows (an advertisement, a withdrawal, a deletion of many
        // prefixes) rewrites the node's group in one walk instead of a scan per row.
        const run: Route[] = new Array(end - i)
        for (let j = i; j < end; j++) run[j - i] = routes[j]!.after
        nodeGroup = placeMany(held, run)
      } else {
        for (let j = i; j < end; j++) nodeGroup = placed(nodeGroup, routes[j]!.after)
      }
      if (nodeGroup !== held) this.byNode.setRows(slot, nodeGroup)
      for (let j = i; j < end; j++) {
        const c = routes[j]!
        const r = c.after
        if (c.before === null) this.byNode.ofRoute.set(r.id, slot)
        if (r.deletedAt === null) this.put(r)
        else this.drop(r.id)
        const group = this.placePrefix(r)
        if (rewritten !== undefined) rewritten(r.prefix.text, group)
      }
      i = end
    }
  }

  /**
   * Writes or removes a row in its prefix's group; returns the group left. A
   * held row's slot is read by its id, so only a new row (or one whose id is
   * not held) looks its text up.
   */
  private placePrefix(r: Route): Route[] | undefined {
    const groups = this.byPrefix
    let slot = groups.ofRoute.get(r.id)
    const known = slot !== notHeld
    if (!known) slot = groups.slotOf(r.prefix)
    const group = placed(slot < 0 ? undefined : groups.rowsAt(slot), r)
    if (slot < 0) {
      // A prefix new to the index (a deleted row of an unknown prefix places nothing).
      if (group !== undefined) groups.ofRoute.set(r.id, groups.open(r.prefix, group))
      return group
    }
    if (group === undefined) groups.free(slot, r.prefix)
    else groups.set(slot, group)
    if (r.deletedAt !== null) groups.ofRoute.clear(r.id)
    else if (!known) groups.ofRoute.set(r.id, slot)
    return group
  }

  private put(r: Route): void {
    if (!isSlot(r.id)) {
      if (!this.otherIds.has(r.id)) this.live++
      this.otherIds.set(r.id, r)
      return
    }
    // A new id is the next one, one past the end: the array stays dense.
    if (this.byId[r.id] === undefined) this.live++
    this.byId[r.id] = r
  }

  private drop(id: RouteId): void {
    if (!isSlot(id)) {
      if (this.otherIds.delete(id)) this.live--
      return
    }
    if (this.byId[id] === undefined) return
    this.byId[id] = undefined
    this.live--
  }
}
