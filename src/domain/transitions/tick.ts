/**
 * The passage of time. The domain reads no clock, so grace ends, key expiries
 * and preemption delays are realised by `tick(view, now)`, which re-elects
 * only the prefixes whose eligibility changed with time, and
 * `nextDeadline(view, now)` tells the manager when to call it next.
 *
 * Choice: the view keeps the timers. A `RouteIndex` keeps heaps of grace ends
 * and expiries plus the prefixes awaiting preemption, so a tick costs the rows
 * of the nodes whose deadline passed, not the tailnet. After applying the
 * tick's change set the holder calls `RouteIndex.settle(now)` to drop fired
 * timers. Any other `RouteView` works too, through a full scan.
 */
import type { ChangeSet } from "../ChangeSet.js"
import { preemptionDeadline } from "../election.js"
import { Draft } from "../internal/Draft.js"
import type { NodeId } from "../Node.js"
import type { Options } from "../Options.js"
import type { RouteView } from "../RouteView.js"

/** The time index a view may keep so `tick` and `nextDeadline` need not scan the tailnet. @category models */
export interface Timers {
  /** Nodes whose grace ended or key expired at or before `now` (fired timers not yet settled). */
  readonly dueNodes: (now: number, options: Options) => ReadonlyArray<NodeId>
  /** The earliest grace end or expiry after `now`, or null. */
  readonly nextNodeDeadline: (now: number, options: Options) => number | null
  /** Prefixes where a usable route outranks the primary by priority (candidates for preemption). */
  readonly preemptWatch: () => Iterable<string>
}

/** A view with timers, such as `RouteIndex`. @category models */
export type TimedView = RouteView & Timers

/** @category guards */
export const isTimedView = (view: RouteView): view is TimedView =>
  typeof (view as Partial<Timers>).dueNodes === "function" &&
  typeof (view as Partial<Timers>).nextNodeDeadline === "function" &&
  typeof (view as Partial<Timers>).preemptWatch === "function"

/** Full-scan timers for a view without an index: O(nodes + routes). */
const scanTimers = (view: RouteView): Timers => ({
  dueNodes: (now, options) => {
    const due: NodeId[] = []
    for (const n of view.allNodes()) {
      if (n.deletedAt !== null) continue
      const p = n.presence
      const graceOver =
        p.sessions === 0 && p.disconnectedAt !== null && p.disconnectedAt + options.gracePeriodMs <= now
      if (graceOver || (n.expiresAt !== null && n.expiresAt <= now)) due.push(n.id)
    }
    return due
  },
  nextNodeDeadline: (now, options) => {
    let next: number | null = null
    for (const n of view.allNodes()) {
      if (n.deletedAt !== null) continue
      const p = n.presence
      if (p.sessions === 0 && p.disconnectedAt !== null) {
        const at = p.disconnectedAt + options.gracePeriodMs
        if (at > now && (next === null || at < next)) next = at
      }
      if (n.expiresAt !== null && n.expiresAt > now && (next === null || n.expiresAt < next))
        next = n.expiresAt
    }
    return next
  },
  preemptWatch: () => {
    const texts = new Set<string>()
    for (const r of view.allRoutes()) texts.add(r.prefix.text)
    return texts
  },
})

const timersOf = (view: RouteView): Timers => (isTimedView(view) ? view : scanTimers(view))

/**
 * Re-elects the prefixes whose eligibility changed by `now`: those of nodes
 * whose grace ended or key expired, and those where a challenger's preemption
 * delay has run out.
 *
 * @category constructors
 */
export const tick = (view: RouteView, now: number, options: Options): ChangeSet => {
  const timers = timersOf(view)
  const draft = new Draft(view, now, options)
  for (const id of timers.dueNodes(now, options)) draft.elect(view.routesOfNode(id))
  if (options.preemption) for (const text of timers.preemptWatch()) draft.electPrefix(text)
  return draft.finish()
}

/**
 * The earliest time after `now` at which some route's eligibility changes (a
 * grace window ends, a key expires, a preemption delay ends), or null.
 *
 * @category getters
 */
export const nextDeadline = (view: RouteView, now: number, options: Options): number | null => {
  const timers = timersOf(view)
  let next = timers.nextNodeDeadline(now, options)
  if (options.preemption) {
    for (const text of timers.preemptWatch()) {
      const at = preemptionDeadline(view.routesOfPrefix(text), view, now, options)
      if (at !== null && (next === null || at < next)) next = at
    }
  }
  return next
}
