/** One advertised route of one node: the persisted row of the route-management proposal. */
import type { NodeId } from "./Node.js"
import type { Prefix } from "./Prefix.js"

/** Positive integer, allocated from `RouteView.nextRouteId`; lower is older. @category models */
export type RouteId = number

/** Where an approval came from; a policy change only ever revokes `"policy"`. @category models */
export type ApprovedBy = "manual" | "policy" | "migration"

/** @category models */
export interface Route {
  readonly id: RouteId
  readonly nodeId: NodeId
  readonly prefix: Prefix
  /** The node's latest Hostinfo lists this prefix. */
  readonly advertised: boolean
  /** Approved to be served. */
  readonly enabled: boolean
  /** The elected router for this prefix (never set on exit routes). */
  readonly isPrimary: boolean
  /** Source of the current approval; null when not enabled. */
  readonly approvedBy: ApprovedBy | null
  /** Higher wins the election; default 0. */
  readonly priority: number
  /** False once a health check marked this route bad; an unhealthy route is not eligible. */
  readonly healthy: boolean
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly updatedAt: number
  /** Soft delete; a row with deletedAt set is not live and never changes again. */
  readonly deletedAt: number | null
}

/** @category predicates */
export const isLive = (route: Route): boolean => route.deletedAt === null

/**
 * Equal in every column but `updatedAt`: a rewrite that changes nothing else
 * is no change. The storage adapters' compare-and-set adds `updatedAt`.
 *
 * @category predicates
 */
export const sameRouteContent = (a: Route, b: Route): boolean =>
  a.id === b.id &&
  a.advertised === b.advertised &&
  a.enabled === b.enabled &&
  a.isPrimary === b.isPrimary &&
  a.approvedBy === b.approvedBy &&
  a.priority === b.priority &&
  a.healthy === b.healthy &&
  a.deletedAt === b.deletedAt &&
  a.nodeId === b.nodeId &&
  a.prefix.text === b.prefix.text &&
  a.createdAt === b.createdAt
