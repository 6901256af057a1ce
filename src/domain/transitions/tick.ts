/**
 * The passage of time. The domain reads no clock, so grace ends, key expiries
 * and preemption delays are realised by `tick(view, now)`, which re-elects
 * only the prefixes whose eligibility changed with time, and
 * `nextDeadline(view, now)` tells the manager when to call it next.
 *
 * Choice: the view keeps the timers (`IndexedView`). A `RouteIndex` keeps heaps
 * of grace ends and expiries plus the prefixes awaiting preemption, so a tick
 * costs the rows of the nodes whose deadline passed, not the tailnet. After
 * applying the tick's change set the holder calls `RouteIndex.settle(now)` to
 * drop fired timers.
 */
import type { ChangeSet } from "../ChangeSet.js"
import { preemptionDeadline } from "../election.js"
import { Draft } from "../internal/Draft.js"
import type { Options } from "../Options.js"
import type { IndexedView } from "../RouteView.js"

/**
 * Re-elects the prefixes whose eligibility changed by `now`: those of nodes
 * whose grace ended or key expired, and those where a challenger's preemption
 * delay has run out.
 *
 * @category constructors
 */
export const tick = (view: IndexedView, now: number, options: Options): ChangeSet => {
  const draft = new Draft(view, now, options)
  for (const id of view.dueNodes(now, options)) draft.elect(view.routesOfNode(id))
  if (options.preemption) for (const text of view.preemptWatch()) draft.electPrefix(text)
  return draft.finish()
}

/**
 * The earliest time after `now` at which some route's eligibility changes (a
 * grace window ends, a key expires, a preemption delay ends), or null.
 *
 * @category getters
 */
export const nextDeadline = (view: IndexedView, now: number, options: Options): number | null => {
  let next = view.nextNodeDeadline(now, options)
  if (options.preemption) {
    for (const text of view.preemptWatch()) {
      const at = preemptionDeadline(view.routesOfPrefix(text), view, now, options)
      if (at !== null && (next === null || at < next)) next = at
    }
  }
  return next
}
