/**
 * The primary election for one prefix (DESIGN §3): sticky, then priority,
 * then the oldest route, then the lowest id. This file is the only place the
 * rule lives; transitions re-elect the prefixes they touch and write the
 * `isPrimary` flags that differ from its answer.
 */
import {
  eligibleSince,
  isEligible,
  type NodeStanding,
  nodeStanding,
  routeServes,
  Standing,
} from "./eligibility.js"
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

/**
 * The election over candidates whose nodes' standings the caller already
 * holds (`standings[i]` is how the node of `candidates[i]` stands, see
 * `nodeStanding`), so a pass that read them once, or an index that keeps them
 * in typed arrays, does not read the node records again. A row whose standing
 * is `Absent` (unknown node, or an exit route: callers pass `Absent` for
 * those) is never elected nor kept, which is what spares the loop reading
 * each row's prefix. `nodes` is read only by preemption, for how long a
 * challenger has been eligible. One loop, no allocation: it runs once per
 * prefix in reconcile and tick.
 */
export const electAmong = (
  candidates: ReadonlyArray<Route>,
  standings: ArrayLike<NodeStanding>,
  now: number,
  options: Options,
  nodes: NodeLookup,
): RouteId | null => {
  // current: best-ranked eligible flagged primary (two flags only in a broken store);
  // best: best-ranked eligible route; kept: best-ranked flagged primary that is not
  // eligible but still live, advertised, enabled, on a live node.
  let current: Route | undefined
  let best: Route | undefined
  let kept: Route | undefined
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    const standing = standings[i]!
    if (standing === Standing.Absent || r.deletedAt !== null) continue
    if (standing === Standing.Up && routeServes(r)) {
      if (best === undefined || outranks(r, best)) best = r
      if (r.isPrimary && (current === undefined || outranks(r, current))) current = r
    } else if (
      r.isPrimary &&
      r.advertised &&
      r.enabled &&
      standing !== Standing.Deleted &&
      (kept === undefined || outranks(r, kept))
    ) {
      kept = r
    }
  }
  if (current !== undefined) {
    if (options.preemption && best !== undefined && best.priority > current.priority) {
      const c = challenger(candidates, nodes, current, now, options)
      if (c !== undefined) return c.id
    }
    return current.id
  }
  if (best !== undefined) return best.id
  if (options.whenNoneEligible === "keep-last" && kept !== undefined) return kept.id
  return null
}

/** The best eligible route that outranks `current` by priority and has waited out the preemption delay. */
const challenger = (
  candidates: ReadonlyArray<Route>,
  nodes: NodeLookup,
  current: Route,
  now: number,
  options: Options,
): Route | undefined => {
  let found: Route | undefined
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    if (r.priority <= current.priority) continue
    // An exit route or an unknown node gives null: neither preempts.
    const since = eligibleSince(r, nodes.node(r.nodeId), now, options)
    if (since === null || since + options.preemptDelayMs > now) continue
    if (found === undefined || outranks(r, found)) found = r
  }
  return found
}

/** The candidates' nodes, looked up once; undefined for exit routes, which are never elected. */
const nodesOf = (candidates: ReadonlyArray<Route>, view: NodeLookup): Array<Node | undefined> => {
  const nodes = new Array<Node | undefined>(candidates.length)
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    nodes[i] = isExitRoute(r.prefix) ? undefined : view.node(r.nodeId)
  }
  return nodes
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
  const standings = new Array<NodeStanding>(candidates.length)
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    standings[i] = isExitRoute(r.prefix) ? Standing.Absent : nodeStanding(view.node(r.nodeId), now, options)
  }
  return electAmong(candidates, standings, now, options, view)
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
  const nodes = nodesOf(candidates, view)
  let current: Route | undefined
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    if (!r.isPrimary || !isEligible(r, nodes[i], now, options)) continue
    if (current === undefined || outranks(r, current)) current = r
  }
  if (current === undefined) return null
  let next: number | null = null
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!
    if (r.priority <= current.priority || isExitRoute(r.prefix)) continue
    const since = eligibleSince(r, nodes[i], now, options)
    if (since === null) continue
    const at = since + options.preemptDelayMs
    if (at > now && (next === null || at < next)) next = at
  }
  return next
}
