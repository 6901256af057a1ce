/**
 * The time index of `tick`: when each disconnected node's grace ends and when
 * each node key expires, as two min-heaps, so finding what is due costs what
 * is due, not the tailnet. Entries are never removed from the middle: a grace
 * entry is marked stale when its node leaves that grace, an expiry entry is
 * checked against the node record when read, and `settle` drops fired ones.
 */
import type { Node, NodeId } from "../Node.js"
import { type Entry, MinHeap } from "./heap.js"

const inGrace = (n: Node): boolean =>
  n.deletedAt === null && n.presence.sessions === 0 && n.presence.disconnectedAt !== null

/** Grace ends and key expiries of the nodes of one index. */
export class NodeTimers {
  /**
   * Keyed by `disconnectedAt`: grace ends in the same order for any grace period.
   * An entry is marked stale when its node leaves that grace (reconnects, is
   * deleted, disconnects again), so reading the heap needs no node lookup.
   */
  private readonly graceHeap = new MinHeap()
  /** The grace entry in the heap for each node in grace (its one entry that is not stale). */
  private readonly graceEntry = new Map<NodeId, Entry>()
  private readonly expiryHeap = new MinHeap()

  /** `node` reads the index's current record, against which expiry entries are checked. */
  constructor(private readonly node: (id: NodeId) => Node | undefined) {}

  /**
   * Records a node's new record: starts its grace or expiry timer, or marks a
   * grace entry stale. `before` is the change's prior record (null when the
   * index is built); the index has already stored `after`.
   */
  noteNode(before: Node | null, after: Node): void {
    // The node's grace entry: kept while it still holds, marked stale when not.
    // None while no node is in grace (an index being built): the lookup is skipped.
    const entry = this.graceEntry.size === 0 ? undefined : this.graceEntry.get(after.id)
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

  /** Forgets timers that fired at or before `now`. */
  settle(now: number, gracePeriodMs: number): void {
    for (;;) {
      const e = this.graceHeap.peek()
      if (e === undefined || (e.key + gracePeriodMs > now && !e.stale)) break
      this.graceHeap.pop()
      if (this.graceEntry.get(e.id) === e) this.graceEntry.delete(e.id)
    }
    for (;;) {
      const e = this.expiryHeap.peek()
      if (e === undefined || (e.key > now && this.expiryValid(e.id, e.key))) break
      this.expiryHeap.pop()
    }
  }

  /** Nodes whose grace ended or key expired at or before `now`, each once. */
  due(now: number, gracePeriodMs: number): NodeId[] {
    // A node has at most one grace entry that is not stale, so the grace walk gives
    // each node once; a Set is built only when an expiry is due too.
    const due: NodeId[] = []
    this.graceHeap.walk(now - gracePeriodMs, (e) => {
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

  /** The earliest grace end or key expiry after `now`, or null. */
  next(now: number, gracePeriodMs: number): number | null {
    const grace = this.graceHeap.firstAbove(now - gracePeriodMs, (e) => !e.stale)
    const expiry = this.expiryHeap.firstAbove(now, (e) => this.expiryValid(e.id, e.key))
    const graceEnd = grace === null ? null : grace + gracePeriodMs
    if (graceEnd === null) return expiry
    return expiry === null || graceEnd < expiry ? graceEnd : expiry
  }

  private expiryValid(id: NodeId, key: number): boolean {
    const n = this.node(id)
    return n !== undefined && n.deletedAt === null && n.expiresAt === key
  }
}
