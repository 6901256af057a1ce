/**
 * The change-set builder every transition uses: an overlay of written rows on
 * top of a read-only `RouteView`. Transitions read through it, write rows into
 * it, and `finish()` re-elects every prefix whose routes or routers changed and
 * turns the overlay into a sorted `ChangeSet`. The view is never mutated.
 *
 * One file past 400 lines because the overlay's reads, its writes and the
 * election in `finish` share the overlay's private records (rows written, rows
 * created per prefix and node, the write log): split apart, each part would
 * need them exposed, and a transition could then write around the re-election
 * bookkeeping. Ordering the written rows by id lives in `byRouteId.ts`, building
 * a row in `makeRoute.ts` (which `RouteRows` uses too).
 *
 * `finish` allocates each prefix's candidate arrays afresh: reusing one set of
 * arrays across prefixes, as it once did, bought nothing measurable (cold
 * reconcile at 50k stress nodes, CPU time, 4 alternating runs of 15: 66–76 ms
 * median reusing, 61–69 ms fresh; the 50k failover storm's tick the same
 * within noise).
 */
import type { Change, ChangeSet, PrimaryChange, Rejection } from "../ChangeSet.js"
import { electAmong } from "../election.js"
import { type NodeStanding, nodeStanding, Standing } from "../eligibility.js"
import { type Node, type NodeId, sameNode } from "../Node.js"
import type { Options } from "../Options.js"
import type { Policy } from "../Policy.js"
import { isExitRoute, type Prefix } from "../Prefix.js"
import { type Route, type RouteId, sameRouteContent } from "../Route.js"
import type { RouteView } from "../RouteView.js"
import { byRouteId } from "./byRouteId.js"
import { exitServed } from "./exitPair.js"
import { makeRoute, type RouteColumns } from "./makeRoute.js"

/** Fields a new row may set; the rest take the defaults of a fresh advertisement. */
export type NewRoute = Partial<Pick<Route, "advertised" | "enabled" | "approvedBy" | "priority" | "healthy">>

const sameColumns = (r: Route, c: RouteColumns): boolean =>
  c.advertised === r.advertised &&
  c.enabled === r.enabled &&
  c.approvedBy === r.approvedBy &&
  c.priority === r.priority &&
  c.healthy === r.healthy &&
  c.deletedAt === r.deletedAt

/** Node fields whose change can move an election. */
const eligibilityMoved = (a: Node, b: Node): boolean =>
  a.deletedAt !== b.deletedAt ||
  a.expiresAt !== b.expiresAt ||
  a.presence.sessions !== b.presence.sessions ||
  a.presence.disconnectedAt !== b.presence.disconnectedAt ||
  a.presence.connectedAt !== b.presence.connectedAt

const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
  const xs = m.get(k)
  if (xs === undefined) m.set(k, [v])
  else xs.push(v)
}

const none: ReadonlyArray<never> = []

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Sorts strings by UTF-16 code units, the order `byText` gives; the default
 * comparison runs inside the engine, with no call back into JavaScript per pair.
 */
const sortTexts = <A extends string>(xs: A[]): A[] => xs.sort()

/** Sorted, each text once: a sort and one pass cost less than a Set of every text at this size. */
const distinctSorted = <A extends string>(xs: A[]): A[] => {
  xs.sort()
  let n = 0
  for (let i = 0; i < xs.length; i++) if (i === 0 || xs[i] !== xs[n - 1]) xs[n++] = xs[i]!
  xs.length = n
  return xs
}

/**
 * The primary changes ordered by prefix text, given the affected prefixes
 * sorted: each change's prefix is among them (moving a primary rewrites a
 * flag), so they are read off in that order rather than sorted with a
 * comparator. Should one not be, the comparator sort gives the same order.
 */
const inTextOrder = (primaries: PrimaryChange[], sortedAffected: ReadonlyArray<string>): PrimaryChange[] => {
  if (primaries.length < 2) return primaries
  const byPrefix = new Map<string, PrimaryChange>()
  for (let i = 0; i < primaries.length; i++) byPrefix.set(primaries[i]!.prefix, primaries[i]!)
  const out: PrimaryChange[] = []
  for (let i = 0; i < sortedAffected.length; i++) {
    const c = byPrefix.get(sortedAffected[i]!)
    if (c !== undefined) out.push(c)
  }
  return out.length === primaries.length ? out : primaries.sort((a, b) => byText(a.prefix, b.prefix))
}

/**
 * A row this command wrote: the row as the view held it (null for a new row)
 * and as written so far. It is the change set's entry as is, so a written row
 * costs one record and the view is not asked for it again.
 */
interface Written {
  readonly before: Route | null
  after: Route
}

/** The transition workspace; one per command. */
export class Draft {
  private readonly routeAfter = new Map<RouteId, Written>()
  private readonly createdByNode = new Map<NodeId, RouteId[]>()
  private readonly createdByPrefix = new Map<string, RouteId[]>()
  private readonly nodeAfter = new Map<NodeId, Node>()
  /** Prefix texts to re-elect, in the order scheduled, with repeats: `finish` skips the repeats. */
  private readonly toElect: string[] = []
  /**
   * Nodes with a written exit row, noted as each row is first recorded (the
   * election's subnet flags are not recorded here), so building the change set
   * reads no row's Prefix. Some may end unchanged; `build` compares each.
   */
  private exitNodes: Set<NodeId> | undefined
  /** Prefixes to re-elect by the view's slot (`RouteView.slots`), with repeats. */
  private readonly slotsToElect: number[] = []
  /** Every written row's record, in first-write order (the Map above finds them by id). */
  private readonly log: Written[] = []
  private readonly rejections: Rejection[] = []
  private newPolicy: Policy | null = null
  nextRouteId: number

  constructor(
    readonly view: RouteView,
    readonly now: number,
    readonly options: Options,
  ) {
    this.nextRouteId = view.nextRouteId
  }

  node(id: NodeId): Node | undefined {
    return this.nodeAfter.get(id) ?? this.view.node(id)
  }

  route(id: RouteId): Route | undefined {
    const r = this.routeAfter.get(id)?.after ?? this.view.route(id)
    return r === undefined || r.deletedAt !== null ? undefined : r
  }

  /** The row as written so far, given the view's copy of it; undefined once deleted. */
  current(stored: Route): Route | undefined {
    const r = this.routeAfter.get(stored.id)?.after ?? stored
    return r.deletedAt === null ? r : undefined
  }

  /**
   * How a row's node stands now, as written so far: read from the view's
   * typed arrays (`RouteView.slots`) unless this command rewrote the node.
   */
  standingOf(r: Route): NodeStanding {
    const slots = this.view.slots
    return slots !== undefined && (this.nodeAfter.size === 0 || !this.nodeAfter.has(r.nodeId))
      ? slots.standingOf(r, this.now, this.options)
      : nodeStanding(this.node(r.nodeId), this.now, this.options)
  }

  get policy(): Policy {
    return this.newPolicy ?? this.view.policy
  }

  /** Live rows of a node, as written so far. */
  routesOfNode(id: NodeId): Route[] {
    return this.overlay(this.view.routesOfNode(id), this.createdByNode.get(id))
  }

  /** Live rows of a prefix, as written so far. */
  routesOfPrefix(text: string): Route[] {
    return this.overlay(this.view.routesOfPrefix(text), this.createdByPrefix.get(text))
  }

  private overlay(base: ReadonlyArray<Route>, created: ReadonlyArray<RouteId> | undefined): Route[] {
    const out: Route[] = []
    for (let i = 0; i < base.length; i++) {
      const r = this.routeAfter.get(base[i]!.id)?.after ?? base[i]!
      if (r.deletedAt === null) out.push(r)
    }
    if (created !== undefined) {
      for (let i = 0; i < created.length; i++) {
        const r = this.routeAfter.get(created[i]!)!.after
        if (r.deletedAt === null) out.push(r)
      }
    }
    return out
  }

  /** Writes a patch to a row (no-op when nothing differs); the prefix is re-elected at `finish`. */
  update(route: Route, patch: Partial<RouteColumns & Pick<Route, "isPrimary">>): Route {
    return this.written(
      route,
      this.write(
        route,
        {
          advertised: patch.advertised ?? route.advertised,
          enabled: patch.enabled ?? route.enabled,
          approvedBy: patch.approvedBy === undefined ? route.approvedBy : patch.approvedBy,
          priority: patch.priority ?? route.priority,
          healthy: patch.healthy ?? route.healthy,
          deletedAt: patch.deletedAt === undefined ? route.deletedAt : patch.deletedAt,
        },
        patch.isPrimary ?? route.isPrimary,
      ),
    )
  }

  /** Sets or clears the primary flag: the election's one write. */
  setPrimary(route: Route, isPrimary: boolean): Route {
    return this.written(route, this.flag(route, isPrimary))
  }

  /** Writes the flag only; `finish` uses it for prefixes it is already electing. */
  private flag(r: Route, isPrimary: boolean): Route {
    return this.write(r, r, isPrimary)
  }

  /** A row that changed schedules its prefix for re-election (by slot when the view numbers it). */
  private written(before: Route, after: Route): Route {
    if (after !== before) this.schedule(after)
    return after
  }

  /**
   * Schedules a row's prefix: by slot when the view numbers the row's prefix
   * (a typed-array read; at 1M routes the Map probe by text is cache misses),
   * else by text.
   */
  private schedule(r: Route): void {
    const slots = this.view.slots
    const slot = slots === undefined ? -1 : slots.prefixSlotOf(r.id)
    if (slot < 0) this.toElect.push(r.prefix.text)
    else this.slotsToElect.push(slot)
  }

  /**
   * The one place a row is rewritten. Compares before it allocates. `route` is
   * the row as read through this draft, so on its first write it is the view's
   * row: the change's `before`. `columns` may be the row itself (a flag write).
   */
  private write(route: Route, columns: RouteColumns, isPrimary: boolean): Route {
    if (isPrimary === route.isPrimary && sameColumns(route, columns)) return route
    const next = makeRoute(route, columns, isPrimary, this.now)
    const written = this.routeAfter.get(route.id)
    if (written === undefined) this.record(route, next)
    else written.after = next
    return next
  }

  private record(before: Route | null, after: Route): Written {
    const w: Written = { before, after }
    if (isExitRoute(after.prefix)) {
      this.exitNodes ??= new Set()
      this.exitNodes.add(after.nodeId)
    }
    this.routeAfter.set(after.id, w)
    this.log.push(w)
    return w
  }

  /**
   * `flag` for `finish`, which already holds the row's record (undefined: not
   * written yet). A new record goes to the log only: nothing reads a subnet row
   * through the draft after its election, and `build` reads exit rows only
   * through `routesOfNode` (the Map keeps those).
   */
  private flagKnown(r: Route, isPrimary: boolean, w: Written | undefined, exit: boolean): Written {
    const next = makeRoute(r, r, isPrimary, this.now)
    if (w === undefined) {
      if (exit) return this.record(r, next)
      const fresh: Written = { before: r, after: next }
      this.log.push(fresh)
      return fresh
    }
    w.after = next
    return w
  }

  /** Soft-deletes a row; a deleted row never keeps the primary flag. */
  softDelete(route: Route): Route {
    return this.update(route, { deletedAt: this.now, isPrimary: false })
  }

  /** Adds a row with the next id. */
  create(nodeId: NodeId, prefix: Prefix, fields: NewRoute): Route {
    const enabled = fields.enabled ?? false
    const r = makeRoute(
      { id: this.nextRouteId++, nodeId, prefix, createdAt: this.now },
      {
        advertised: fields.advertised ?? true,
        enabled,
        approvedBy: enabled ? (fields.approvedBy ?? null) : null,
        priority: fields.priority ?? 0,
        healthy: fields.healthy ?? true,
        deletedAt: null,
      },
      false,
      this.now,
    )
    this.record(null, r)
    push(this.createdByNode, nodeId, r.id)
    push(this.createdByPrefix, prefix.text, r.id)
    this.toElect.push(prefix.text)
    return r
  }

  /** Writes a node record; when its eligibility inputs moved, its prefixes are re-elected. */
  putNode(next: Node): void {
    const before = this.node(next.id)
    if (before !== undefined && sameNode(before, next)) return
    this.nodeAfter.set(next.id, next)
    if (before === undefined || eligibilityMoved(before, next)) this.elect(this.routesOfNode(next.id))
  }

  /**
   * Schedules the prefixes of these routes for re-election: by slot when the
   * view numbers the row's prefix (no read of its Prefix or text), else by text.
   */
  elect(routes: ReadonlyArray<Route>): void {
    for (let i = 0; i < routes.length; i++) this.schedule(routes[i]!)
  }

  /** Schedules one prefix (canonical text) for re-election. */
  electPrefix(text: string): void {
    this.toElect.push(text)
  }

  reject(input: string, reason: string): void {
    this.rejections.push({ input, reason })
  }

  setPolicy(policy: Policy): void {
    this.newPolicy = policy
  }

  /**
   * Runs the election on every scheduled prefix and returns the change set.
   * Each prefix is elected once, those scheduled by slot in slot order, then
   * those scheduled by text in the order scheduled (each election reads and
   * writes only its own prefix's rows, so the order cannot show); only the
   * affected prefixes and the primary changes are sorted, after. Without the
   * view's slots, a row's node is looked up, first among the previous
   * prefix's: a tick schedules node by node, so an HA group's prefixes come
   * together and share their nodes.
   */
  finish(): ChangeSet {
    // Rows written before the election are found through the Map; a draft that wrote
    // none (a tick, a clean reconcile) skips the lookups. The election writes only the
    // rows of the prefix in hand, and each prefix is elected once, so no row read
    // below was written by an earlier election.
    const clean = this.routeAfter.size === 0
    const { now, options } = this
    const slots = this.view.slots
    const primaries: PrimaryChange[] = []
    const affected: string[] = []
    // Without standings from the view, the previous prefix's rows and their standings:
    // prefixes of one router group are scheduled together and share their nodes, so a
    // row's node is first sought there, by id, before the lookup by id in the view.
    let lastRows: Route[] = []
    let lastStandings: NodeStanding[] = []
    // How many of the previous prefix's rows to search: none after an exit prefix
    // (its nodes are not looked up) or a long one (not worth searching).
    let lastKnown = 0
    const anyCreated = this.createdByPrefix.size > 0
    /** Elects one prefix, given its rows in the view. */
    const electOne = (text: string, base: ReadonlyArray<Route>, exit: boolean): void => {
      const known = exit ? 0 : lastKnown
      // This prefix's live rows as written so far, their nodes' standings and their records
      // (none in a draft that wrote no row before the election: every record is undefined).
      const rows: Route[] = []
      const standings: NodeStanding[] = []
      const records: Array<Written | undefined> | undefined = clean ? undefined : []
      // A row written before the election that differs from the view's (deleted, or not).
      let changed = false
      // One walk over the stored rows finds the primary before this command and the candidates.
      let before: RouteId | null = null
      for (let i = 0; i < base.length; i++) {
        const stored = base[i]!
        if (stored.isPrimary && stored.deletedAt === null && (before === null || stored.id < before)) {
          before = stored.id
        }
        const w = clean ? undefined : this.routeAfter.get(stored.id)
        const r = w === undefined ? stored : w.after
        if (w !== undefined && !changed && !sameRouteContent(stored, r)) changed = true
        if (r.deletedAt !== null) continue
        rows.push(r)
        records?.push(w)
        if (exit) standings.push(Standing.Absent)
        else if (slots !== undefined) standings.push(this.standingOf(r))
        else {
          const id = r.nodeId
          let j = 0
          while (j < known && lastRows[j]!.nodeId !== id) j++
          standings.push(j < known ? lastStandings[j]! : nodeStanding(this.node(id), now, options))
        }
      }
      const created = anyCreated ? this.createdByPrefix.get(text) : undefined
      if (created !== undefined) {
        changed = true
        for (let i = 0; i < created.length; i++) {
          const w = this.routeAfter.get(created[i]!)!
          const r = w.after
          if (r.deletedAt !== null) continue
          rows.push(r)
          records?.push(w)
          standings.push(exit ? Standing.Absent : nodeStanding(this.node(r.nodeId), now, options))
        }
      }
      lastKnown = exit || rows.length > 8 ? 0 : rows.length
      const winner = exit ? null : electAmong(rows, standings, now, options, this)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!
        if (r.isPrimary === (r.id === winner)) continue
        const w = this.flagKnown(r, r.id === winner, records?.[i], exit)
        if (!changed && (w.before === null || !sameRouteContent(w.before, w.after))) changed = true
      }
      if (changed) affected.push(text)
      if (before !== winner) primaries.push({ prefix: text, before, after: winner })
      lastRows = rows
      lastStandings = standings
    }
    // Prefixes scheduled by slot, then those scheduled by text, each once. The slots are
    // deduplicated by a typed-array sort (cheaper than a Set of them); a text is hashed
    // only when some prefix was scheduled by text.
    const bySlot = this.slotsToElect.length === 0 ? none : new Int32Array(this.slotsToElect).sort()
    const byText = this.toElect
    const seen = new Set<string>()
    for (let p = 0; p < bySlot.length; p++) {
      const slot = bySlot[p]!
      if (p > 0 && slot === bySlot[p - 1]) continue
      const text = slots!.textAtSlot(slot)
      if (byText.length > 0) seen.add(text)
      electOne(text, slots!.rowsAtSlot(slot), slots!.isExitSlot(slot))
    }
    for (let p = 0; p < byText.length; p++) {
      const text = byText[p]!
      if (seen.has(text)) continue
      seen.add(text)
      electOne(text, this.view.routesOfPrefix(text), isExitRoute(text))
    }
    sortTexts(affected)
    return this.build(inTextOrder(primaries, affected), affected)
  }

  private build(primaries: PrimaryChange[], affectedPrefixes: string[]): ChangeSet {
    const routes: Change<Route>[] = []
    const log = byRouteId(this.log)
    const nodeIds: NodeId[] = []
    for (let i = 0; i < log.length; i++) {
      const written = log[i]!
      const { before, after } = written
      if (before !== null && sameRouteContent(before, after)) continue
      routes.push(written)
      const servedBefore = before !== null && before.deletedAt === null && before.isPrimary
      const servedAfter = after.deletedAt === null && after.isPrimary
      // Rows come by id, so a node's rows are mostly neighbours: a repeat of the last
      // node is not pushed again (`distinctSorted` drops the rest).
      if (servedBefore !== servedAfter && after.nodeId !== nodeIds[nodeIds.length - 1]) {
        nodeIds.push(after.nodeId)
      }
    }
    for (const id of this.exitNodes ?? none) {
      if (exitServed(this.view.routesOfNode(id)) !== exitServed(this.routesOfNode(id))) nodeIds.push(id)
    }
    const nodes: Change<Node>[] = []
    for (const id of sortTexts(Array.from(this.nodeAfter.keys()))) {
      const after = this.nodeAfter.get(id)!
      const before = this.view.node(id) ?? null
      if (before !== null && sameNode(before, after)) continue
      nodes.push({ before, after })
    }
    const rejected = this.rejections
      .slice()
      .sort((a, b) => byText(a.input, b.input) || byText(a.reason, b.reason))
    return {
      nodes,
      routes,
      primaries,
      affectedPrefixes,
      affectedNodes: distinctSorted(nodeIds),
      rejected,
      policy: this.newPolicy,
      nextRouteId: this.nextRouteId,
    }
  }
}
