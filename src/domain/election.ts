/**
 * The primary election for one prefix (DESIGN §3): sticky, then priority,
 * then the oldest route, then the lowest id. This file is the only place the
 * rule lives; transitions re-elect the prefixes they touch and write the
 * `isPrimary` flags that differ from its answer.
 */
import { eligibleSince, isEligible } from "./eligibility.js"
import type { Node, NodeId } from "./Node.js"
import type { Options } from "./Options.js"
import { isExitRoute } from "./Prefix.js"
import type { Route, RouteId } from "./Route.js"

/** What the election reads besides the candidates. @category models */
export interface NodeLookup {
  readonly node: (id: NodeId) => Node | undefined
}

/** The election's order among eligible routes: higher priority, then older, then lower id. @category predicates */
export const outranks = (a: Route, b: Route): boolean =>
  a.priority !== b.priority
    ? a.priority > b.priority
    : a.createdAt !== b.createdAt
      ? a.createdAt < b.createdAt
      : a.id < b.id

interface Standing {
  /** Best-ranked flagged primary that is eligible (two flags only in a broken store). */
  readonly current: Route | undefined
  /** Best-ranked eligible route. */
  readonly best: Route | undefined
  /** Best-ranked flagged primary that is not eligible but still live, advertised, enabled, on a live node. */
  readonly kept: Route | undefined
}

const standing = (
  candidates: ReadonlyArray<Route>,
  view: NodeLookup,
  now: number,
  options: Options,
): Standing => {
  let current: Route | undefined
  let best: Route | undefined
  let kept: Route | undefined
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    if (r.deletedAt !== null || isExitRoute(r.prefix)) continue
    const node = view.node(r.nodeId)
    if (isEligible(r, node, now, options)) {
      if (best === undefined || outranks(r, best)) best = r
      if (r.isPrimary && (current === undefined || outranks(r, current))) current = r
    } else if (
      r.isPrimary &&
      r.advertised &&
      r.enabled &&
      node !== undefined &&
      node.deletedAt === null &&
      (kept === undefined || outranks(r, kept))
    ) {
      kept = r
    }
  }
  return { current, best, kept }
}

/** The best eligible route that outranks `current` by priority and has waited out the preemption delay. */
const challenger = (
  candidates: ReadonlyArray<Route>,
  current: Route,
  view: NodeLookup,
  now: number,
  options: Options,
): Route | undefined => {
  let found: Route | undefined
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    if (r.priority <= current.priority || isExitRoute(r.prefix)) continue
    const since = eligibleSince(r, view.node(r.nodeId), now, options)
    if (since === null || since + options.preemptDelayMs > now) continue
    if (found === undefined || outranks(r, found)) found = r
  }
  return found
}

/**
 * Elects the primary of one prefix from its live routes; returns its id, or
 * null when the prefix has no primary. Pure: reads the candidates, their nodes
 * and the clock value it is given.
 *
 * @category getters
 */
export const electPrimary = (
  candidates: ReadonlyArray<Route>,
  view: NodeLookup,
  now: number,
  options: Options,
): RouteId | null => {
  const { current, best, kept } = standing(candidates, view, now, options)
  if (current !== undefined) {
    if (options.preemption && best !== undefined && best.priority > current.priority) {
      const c = challenger(candidates, current, view, now, options)
      if (c !== undefined) return c.id
    }
    return current.id
  }
  if (best !== undefined) return best.id
  if (options.whenNoneEligible === "keep-last" && kept !== undefined) return kept.id
  return null
}

/**
 * The earliest time after `now` at which preemption would move this prefix's
 * primary, or null (preemption off, no eligible primary, no waiting challenger).
 *
 * @category getters
 */
export const preemptionDeadline = (
  candidates: ReadonlyArray<Route>,
  view: NodeLookup,
  now: number,
  options: Options,
): number | null => {
  if (!options.preemption) return null
  const { current } = standing(candidates, view, now, options)
  if (current === undefined) return null
  let next: number | null = null
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    if (r.priority <= current.priority || isExitRoute(r.prefix)) continue
    const since = eligibleSince(r, view.node(r.nodeId), now, options)
    if (since === null) continue
    const at = since + options.preemptDelayMs
    if (at > now && (next === null || at < next)) next = at
  }
  return next
}
