/**
 * A change set as committed to a store that several processes share: the
 * tailnet version it made, who made it and when. Every manager publishes
 * each commit once, in version order, whichever process made it.
 */
import type { ChangeSet } from "./ChangeSet.js"

/** @category models */
export interface Commit extends ChangeSet {
  /** The tailnet version after this change set (one more than before it). */
  readonly version: number
  /** Who committed it: a manager's replica id, `cli`, or `import`. */
  readonly origin: string
  /** Epoch ms, by the committing process's clock. */
  readonly committedAt: number
  /**
   * Null for one committed change set. Otherwise this process fell behind
   * the change log (its entries were pruned, or one was too large to log) and
   * reloaded: the change set is the difference between the state at this
   * version and the state at `reloadedFrom`, and `origin` is `reload`.
   */
  readonly reloadedFrom: number | null
}
