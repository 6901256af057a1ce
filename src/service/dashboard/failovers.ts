/**
 * The failover timeline: every primary move a committed change set records
 * (a prefix's first election, a failover, a prefix left without a primary),
 * with the routers on both sides, when, at which tailnet version, by whom.
 */
import { Schema } from "effect"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import type { RouteId } from "../../domain/Route.js"

const Router = Schema.Struct({ routeId: Schema.Int, nodeId: Schema.NullOr(Schema.String) })

/** One primary move. @category models */
export const Failover = Schema.Struct({
  prefix: Schema.String,
  /** The primary before; null when the prefix had none (a first election). */
  from: Schema.NullOr(Router),
  /** The primary after; null when nothing could take over. */
  to: Schema.NullOr(Router),
  /** Commit time, epoch ms. */
  at: Schema.Number,
  version: Schema.Int,
  origin: Schema.String,
}).annotate({ identifier: "Failover" })

/** @category models */
export type Failover = typeof Failover.Type

/** What the timeline needs of a commit or a log entry. @category models */
export interface CommittedChange {
  readonly changes: ChangeSet
  readonly version: number
  readonly origin: string
  readonly committedAt: number
}

/**
 * The primary moves of one committed change set. A route that lost or
 * gained the primary flag is among the change set's rows, which name its
 * node; a route missing from them (never, unless a store was edited by hand)
 * is reported without its node.
 *
 * @category getters
 */
export const failoversOf = ({ changes, version, origin, committedAt }: CommittedChange): Failover[] => {
  if (changes.primaries.length === 0) return []
  const nodeOf = new Map<RouteId, string>()
  for (const c of changes.routes) nodeOf.set(c.after.id, c.after.nodeId)
  const router = (id: RouteId | null) =>
    id === null ? null : { routeId: id, nodeId: nodeOf.get(id) ?? null }
  return changes.primaries.map((p) => ({
    prefix: p.prefix,
    from: router(p.before),
    to: router(p.after),
    at: committedAt,
    version,
    origin,
  }))
}
