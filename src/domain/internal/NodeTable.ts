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
import { IdSlots, notHeld } from "./IdSlots.js"

const NO_RECORD = 0
const DELETED = 1
const LIVE = 2

/** `a` with room for `need` entries: itself, or a copy at least twice its size. */
const grown = <A extends Float64Array | Uint8Array>(a: A, need: number, make: (n: number) => A): A => {
  const b = make(Math.max(need, 2 * a.length))
  b.set(a)
  return b
}

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
  /** Per route id: its node's slot (a row never changes node; slots are never freed). */
  readonly ofRoute = new IdSlots()

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

  /** `nodeStanding` of the route's node at `now`, or `notHeld`. */
  standing(id: RouteId, now: number, gracePeriodMs: number): NodeStanding | typeof notHeld {
    const s = this.ofRoute.get(id)
    if (s === notHeld) return notHeld
    const kind = this.kind[s]!
    if (kind === NO_RECORD) return Standing.Absent
    if (kind === DELETED) return Standing.Deleted
    // The same comparisons as `isNodeExpired` and `isNodeOnline`, on the same numbers.
    return !(now >= this.expiresAt[s]!) && now < this.offlineFrom[s]! + gracePeriodMs
      ? Standing.Up
      : Standing.Down
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
