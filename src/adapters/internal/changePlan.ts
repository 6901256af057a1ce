/**
 * The order every adapter writes a change set in, and the counter rule, so
 * that memory, SQLite and Postgres agree on what succeeds and what fails.
 */
import type { Change, ChangeSet } from "../../domain/ChangeSet.js"
import type { Node } from "../../domain/Node.js"
import type { Policy } from "../../domain/Policy.js"
import type { Route } from "../../domain/Route.js"
import { ConstraintViolation } from "../../ports/RouteRepository.js"

/** The route-id counter move of a change set that creates rows. */
export interface CounterMove {
  /** The stored counter the change set was computed from: its smallest created id. */
  readonly expected: number
  readonly next: number
}

/** A change set sorted into the order adapters write it in. */
export interface WritePlan {
  /** Node inserts and updates, in change order (routes may reference new nodes). */
  readonly nodes: ReadonlyArray<Change<Node>>
  /** Route updates whose `after` is not primary: clears go before promotions, or the primary index trips. */
  readonly clears: ReadonlyArray<Change<Route>>
  /** Route updates whose `after` is primary. */
  readonly promotions: ReadonlyArray<Change<Route>>
  /** New route rows (`before` null), after every update so a soft-deleted (node, prefix) is free again. */
  readonly inserts: ReadonlyArray<Route>
  /** Null when no route is created: the counter is then left as stored. */
  readonly counter: CounterMove | null
  readonly policy: Policy | null
}

/**
 * Sorts a change set into write order. Ids of created routes must come from
 * the counter: the smallest is the counter the change set saw (checked against
 * the store), and all lie below `changes.nextRouteId`.
 */
export const planChangeSet = (changes: ChangeSet): WritePlan | ConstraintViolation => {
  const clears: Array<Change<Route>> = []
  const promotions: Array<Change<Route>> = []
  const inserts: Array<Route> = []
  let min = Number.POSITIVE_INFINITY
  for (const change of changes.routes) {
    if (change.before === null) {
      inserts.push(change.after)
      if (change.after.id >= changes.nextRouteId) {
        return new ConstraintViolation({
          constraint: "route-id-counter",
          table: "routes",
          id: change.after.id,
        })
      }
      if (change.after.id < min) min = change.after.id
    } else if (change.after.isPrimary) promotions.push(change)
    else clears.push(change)
  }
  return {
    nodes: changes.nodes,
    clears,
    promotions,
    inserts,
    counter: inserts.length === 0 ? null : { expected: min, next: changes.nextRouteId },
    policy: changes.policy,
  }
}
