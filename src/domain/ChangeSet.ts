/**
 * What one command changed, as data: the rows to write (with their previous
 * values) and who must hear about it. Transitions return one; repositories
 * apply one atomically; the manager publishes one.
 */
import type { Node, NodeId } from "./Node.js"
import type { Policy } from "./Policy.js"
import type { Route, RouteId } from "./Route.js"

/** @category models */
export interface Change<A> {
  /** Null when the row is new. */
  readonly before: A | null
  readonly after: A
}

/** @category models */
export interface PrimaryChange {
  /** Canonical prefix text. */
  readonly prefix: string
  readonly before: RouteId | null
  readonly after: RouteId | null
}

/** An element of an advertisement (or other input) that was dropped, and why. @category models */
export interface Rejection {
  readonly input: string
  readonly reason: string
}

/** @category models */
export interface ChangeSet {
  /** Node records written (created, presence/tags/expiry changed, soft-deleted). */
  readonly nodes: ReadonlyArray<Change<Node>>
  /** Route rows written; a soft delete is an update whose `after.deletedAt` is set. */
  readonly routes: ReadonlyArray<Change<Route>>
  /** Prefixes whose primary moved. */
  readonly primaries: ReadonlyArray<PrimaryChange>
  /** Canonical prefix texts whose routes changed in any way (by itself, no netmap changes). */
  readonly affectedPrefixes: ReadonlyArray<string>
  /**
   * Nodes whose own served routes (primary subnets + exit pair) changed: each
   * needs a new netmap. So does every peer that can see a prefix whose serving
   * node changed: those in `primaries`, and the exit pair when one of these
   * nodes started or stopped serving it (`reroutedPrefixes` in the JSON).
   */
  readonly affectedNodes: ReadonlyArray<NodeId>
  /** Inputs dropped (lenient ingestion), e.g. an unparsable Hostinfo element. */
  readonly rejected: ReadonlyArray<Rejection>
  /** Set when the command replaced the policy. */
  readonly policy: Policy | null
  /** The route-id counter after this change (unchanged when no row was created). */
  readonly nextRouteId: number
}

/** @category constructors */
export const emptyChangeSet = (nextRouteId: number): ChangeSet => ({
  nodes: [],
  routes: [],
  primaries: [],
  affectedPrefixes: [],
  affectedNodes: [],
  rejected: [],
  policy: null,
  nextRouteId,
})

/** True when applying the change set writes nothing. @category predicates */
export const isEmpty = (c: ChangeSet): boolean =>
  c.nodes.length === 0 && c.routes.length === 0 && c.policy === null
