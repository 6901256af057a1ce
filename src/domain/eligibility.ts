/**
 * Whether a route may be elected primary right now (DESIGN §3), and if not,
 * why. The boolean twin is allocation-free for the election's hot loop.
 */
import type { Node } from "./Node.js"
import type { Options } from "./Options.js"
import { isExitRoute } from "./Prefix.js"
import type { Route } from "./Route.js"

/** Why a route cannot be primary. Times are epoch milliseconds. @category models */
export type Ineligible =
  | { readonly _tag: "Deleted"; readonly at: number }
  | { readonly _tag: "ExitRoute" }
  | { readonly _tag: "NotAdvertised" }
  | { readonly _tag: "Disabled" }
  | { readonly _tag: "Unhealthy" }
  | { readonly _tag: "NodeUnknown" }
  | { readonly _tag: "NodeDeleted"; readonly at: number }
  | { readonly _tag: "Expired"; readonly at: number }
  | { readonly _tag: "NeverConnected" }
  | { readonly _tag: "Offline"; readonly since: number }

/** The verdict for one route; `graceUntil` is set while a disconnect is being ignored. @category models */
export type Eligibility =
  | { readonly eligible: true; readonly graceUntil: number | null }
  | { readonly eligible: false; readonly reason: Ineligible }

/**
 * Online for the election: a live session, or the last one ended less than
 * the grace period ago. A node that never connected is offline.
 *
 * @category predicates
 */
export const isNodeOnline = (node: Node, now: number, options: Options): boolean => {
  const p = node.presence
  if (p.sessions > 0) return true
  return p.disconnectedAt !== null && now < p.disconnectedAt + options.gracePeriodMs
}

/** Expired once `now` reaches `expiresAt`. @category predicates */
export const isNodeExpired = (node: Node, now: number): boolean =>
  node.expiresAt !== null && now >= node.expiresAt

/** True when the route may be primary now. `node` is the route's node, undefined when unknown. @category predicates */
export const isEligible = (route: Route, node: Node | undefined, now: number, options: Options): boolean =>
  !isExitRoute(route.prefix) && isServable(route, node, now, options)

/**
 * The node's part of eligibility, as one small integer the election's loop
 * reads: `Absent` (no such node, or an exit route: never elected nor kept),
 * `Deleted` (never kept), `Down` (expired or offline: may be kept) and `Up`
 * (may serve). An index can keep it in typed arrays (`NodeTable`), so electing
 * a prefix need not read its routers' node records.
 *
 * @category models
 */
export type NodeStanding = 0 | 1 | 2 | 3

/** The four `NodeStanding` values by name. @category models */
export const Standing = { Absent: 0, Deleted: 1, Down: 2, Up: 3 } as const

/** How a node stands for the election now; undefined (no record) is `Absent`. @category getters */
export const nodeStanding = (node: Node | undefined, now: number, options: Options): NodeStanding =>
  node === undefined
    ? Standing.Absent
    : node.deletedAt !== null
      ? Standing.Deleted
      : !isNodeExpired(node, now) && isNodeOnline(node, now, options)
        ? Standing.Up
        : Standing.Down

/** The route's own part of eligibility: live, advertised, approved and healthy. */
export const routeServes = (route: Route): boolean =>
  route.deletedAt === null && route.advertised && route.enabled && route.healthy

/**
 * `isEligible` for a row its caller knows is a subnet route, so the
 * election's loop over one prefix's rows does not read each row's prefix.
 */
export const isServable = (route: Route, node: Node | undefined, now: number, options: Options): boolean =>
  routeServes(route) && nodeStanding(node, now, options) === Standing.Up

/** The verdict with its reason, for `explain`; checks in the order an operator would fix them. @category getters */
export const eligibilityOf = (
  route: Route,
  node: Node | undefined,
  now: number,
  options: Options,
): Eligibility => {
  const no = (reason: Ineligible): Eligibility => ({ eligible: false, reason })
  if (route.deletedAt !== null) return no({ _tag: "Deleted", at: route.deletedAt })
  if (isExitRoute(route.prefix)) return no({ _tag: "ExitRoute" })
  if (!route.advertised) return no({ _tag: "NotAdvertised" })
  if (!route.enabled) return no({ _tag: "Disabled" })
  if (!route.healthy) return no({ _tag: "Unhealthy" })
  if (node === undefined) return no({ _tag: "NodeUnknown" })
  if (node.deletedAt !== null) return no({ _tag: "NodeDeleted", at: node.deletedAt })
  if (node.expiresAt !== null && now >= node.expiresAt) return no({ _tag: "Expired", at: node.expiresAt })
  const p = node.presence
  if (p.sessions > 0) return { eligible: true, graceUntil: null }
  if (p.disconnectedAt === null) return no({ _tag: "NeverConnected" })
  const until = p.disconnectedAt + options.gracePeriodMs
  if (now < until) return { eligible: true, graceUntil: until }
  return no({ _tag: "Offline", since: p.disconnectedAt })
}

/**
 * Since when an eligible route has been continuously eligible, for the
 * preemption delay: the later of the node's connect and the route's last
 * change. Null when the node is in grace or the route is not eligible (such a
 * route never preempts).
 *
 * @category getters
 */
export const eligibleSince = (
  route: Route,
  node: Node | undefined,
  now: number,
  options: Options,
): number | null => {
  if (node === undefined || node.presence.sessions === 0 || !isEligible(route, node, now, options))
    return null
  const connectedAt = node.presence.connectedAt ?? route.updatedAt
  return Math.max(connectedAt, route.updatedAt)
}
