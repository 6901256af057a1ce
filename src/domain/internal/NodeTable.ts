/**
 * The index's nodes, numbered: each node has a slot, and each slot holds its
 * record, its live rows (`RouteRows` keeps them here, so one Map keyed by node
 * id serves both) and, in typed arrays, what `nodeStanding` reads of the
 * record (whether it exists or is deleted, when its key expires, since when
 * it is offline); each held route id maps to its node's slot. Electing a
 * prefix then reads its rows and a few numbers from arrays a few MiB in
 * size, not a Map probe, a node record and its presence per row: in a
 * failover storm those were scattered reads over the whole heap, each a cache
 * miss. Measured on the 50k-node failover storm (tick plus apply, both
 * versions interleaved sample by sample in one process, five runs of 15): the
 * median ratio to the node-record lookups was 0.82–0.95.
 *
 * Slots are never freed: a deleted node keeps its record in the index too.
 * Route ids are recorded as allocated (dense); an id this does not hold (never
 * recorded, or too far past the others to keep in an array) answers
 * `notHeld`, and the caller looks the node up instead.
 */
import { type NodeStanding, Standing } from "../eligibility.js"
import type { Node, NodeId } from "../Node.js"
import type { Route, RouteId } from "../Route.js"

/** What `standing` and `slotOfRoute` answer for a route id this does not hold. */
export const notHeld = -1

const NO_RECORD = 0
const DELETED = 1
const LIVE = 2

/** Room for ids up to this far past the number recorded; beyond, an id is not held. */
const SLACK = 65_536

/** `a` with room for `need` entries: itself, or a copy at least twice its size. */
const grown = <A extends Float64Array | Int32Array | Uint8Array>(
  a: A,
  need: number,
  make: (n: number) => A,
): A => {
  const b = make(Math.max(need, 2 * a.length))
  b.set(a)
  return b
}

const int32s = (n: number): Int32Array<ArrayBuffer> => new Int32Array(n)
const bytes = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(n)
const float64s = (n: number): Float64Array<ArrayBuffer> => new Float64Array(n)

/** Node records and standings by slot, and node slots by route id, of one index. */
export class NodeTable {
  private readonly slotOf = new Map<NodeId, number>()
  /** Per slot: the record; undefined while only rows name the node. */
  private records: Array<Node | undefined> = []
  /** Per slot: the node's live rows (`RouteRows` keeps them); undefined when none. */
  private groups: Array<Route[] | undefined> = []
  /** Per slot: `NO_RECORD` (rows name a node the index has no record of), `DELETED` or `LIVE`. */
  private kind = new Uint8Array(64)
  /** Per slot: the key expiry, +Infinity when none. */
  private expiresAt = new Float64Array(64)
  /** Per slot: +Infinity while a session is open, NaN when never connected, else when it disconnected. */
  private offlineFrom = new Float64Array(64)
  /** Per route id: its node's slot plus one; 0 when not recorded. */
  private nodeOfRoute = new Int32Array(0)
  private recorded = 0

  /** The node's record, or undefined. */
  get(id: NodeId): Node | undefined {
    const s = this.slotOf.get(id)
    return s === undefined ? undefined : this.records[s]
  }

  /** Every record, in slot order. */
  *values(): Generator<Node> {
    for (let s = 0; s < this.records.length; s++) {
      const n = this.records[s]
      if (n !== undefined) yield n
    }
  }

  /** Stores a node's record and its standing; returns the record it replaces. */
  put(node: Node): Node | undefined {
    const s = this.slot(node.id)
    const held = this.records[s]
    this.records[s] = node
    this.kind[s] = node.deletedAt !== null ? DELETED : LIVE
    this.expiresAt[s] = node.expiresAt ?? Number.POSITIVE_INFINITY
    const p = node.presence
    this.offlineFrom[s] = p.sessions > 0 ? Number.POSITIVE_INFINITY : (p.disconnectedAt ?? Number.NaN)
    return held
  }

  /** The live rows of a node, or undefined. */
  rowsOf(id: NodeId): Route[] | undefined {
    const s = this.slotOf.get(id)
    return s === undefined ? undefined : this.groups[s]
  }

  /** The live rows of a slot, or undefined. */
  rowsAt(slot: number): Route[] | undefined {
    return this.groups[slot]
  }

  /** The node slot of a held row, or `notHeld`. */
  slotOfRoute(id: RouteId): number {
    const held = id < this.nodeOfRoute.length ? this.nodeOfRoute[id]! : 0
    return held > 0 ? held - 1 : notHeld
  }

  /** Stores a slot's live rows (undefined: none left). */
  setRows(slot: number, group: Route[] | undefined): void {
    this.groups[slot] = group
  }

  /** Every live row, node by node. */
  *allRows(): Generator<Route> {
    for (let s = 0; s < this.groups.length; s++) {
      const group = this.groups[s]
      if (group !== undefined) yield* group
    }
  }

  /** After a build: the slot arrays, grown slot by slot, become exact-size copies. */
  trim(): void {
    this.records = this.records.slice()
    this.groups = this.groups.slice()
  }

  /** Makes room for route ids up to `top` at once (a whole load), where each would grow it. */
  reserveRoutes(top: number, rows: number): void {
    if (this.holds(top, rows) && top >= this.nodeOfRoute.length)
      this.nodeOfRoute = grown(this.nodeOfRoute, top + 1, int32s)
  }

  /** Records a row's node slot (a row never changes node); ids far past the rest are not held. */
  noteRoute(id: RouteId, slot: number): void {
    if (!(id < this.nodeOfRoute.length)) {
      if (!this.holds(id, 1)) return
      this.nodeOfRoute = grown(this.nodeOfRoute, id + 1, int32s)
    }
    if (this.nodeOfRoute[id] === 0) this.recorded++
    this.nodeOfRoute[id] = slot + 1
  }

  /** `nodeStanding` of the route's node at `now`, or `notHeld`. */
  standing(id: RouteId, now: number, gracePeriodMs: number): NodeStanding | typeof notHeld {
    const held = id < this.nodeOfRoute.length ? this.nodeOfRoute[id]! : 0
    if (!(held > 0)) return notHeld
    const s = held - 1
    const kind = this.kind[s]!
    if (kind === NO_RECORD) return Standing.Absent
    if (kind === DELETED) return Standing.Deleted
    // The same comparisons as `isNodeExpired` and `isNodeOnline`, on the same numbers.
    return !(now >= this.expiresAt[s]!) && now < this.offlineFrom[s]! + gracePeriodMs
      ? Standing.Up
      : Standing.Down
  }

  private holds(id: RouteId, more: number): boolean {
    return Number.isInteger(id) && id > 0 && id <= 2 * (this.recorded + more) + SLACK
  }

  /** The node's slot, allocated on first sight (by its record or by a row naming it). */
  slot(id: NodeId): number {
    let s = this.slotOf.get(id)
    if (s === undefined) {
      s = this.slotOf.size
      this.slotOf.set(id, s)
      this.records.push(undefined)
      this.groups.push(undefined)
      // Grown together, by doubling; no closure is made per call.
      if (s >= this.kind.length) {
        this.kind = grown(this.kind, s + 1, bytes)
        this.expiresAt = grown(this.expiresAt, s + 1, float64s)
        this.offlineFrom = grown(this.offlineFrom, s + 1, float64s)
      }
    }
    return s
  }
}
