/**
 * What a route store must hold, written plainly for the contract's property:
 * Maps of every node and every row ever written, the policy, the counter, the
 * version and the log. `apply` restates the port's rules (RouteRepository.apply
 * and the counter rule) and nothing more; it shares no code with the adapters,
 * so the memory adapter is checked against it like the others.
 *
 * When a change set breaks several rules at once the adapters report one of
 * them in their write order; the operations that drive this oracle never
 * break two at once (save the counter before an existing id, whose order the
 * port fixes), so the oracle checks in the order the rules are listed.
 */
import { isDeepStrictEqual } from "node:util"
import type { Change, ChangeSet } from "../../src/domain/ChangeSet.js"
import type { Node, NodeId } from "../../src/domain/Node.js"
import type { Policy } from "../../src/domain/Policy.js"
import type { Route, RouteId } from "../../src/domain/Route.js"
import {
  ConstraintViolation,
  type LogEntry,
  type RepositoryError,
  type Snapshot,
  WriteConflict,
} from "../../src/ports/RouteRepository.js"

const isExit = (r: Route) => r.prefix.text === "0.0.0.0/0" || r.prefix.text === "::/0"
const live = (r: Route) => r.deletedAt === null

export class StoreOracle {
  private nodes = new Map<NodeId, Node>()
  /** Every row ever written, soft-deleted ones included. */
  private rows = new Map<RouteId, Route>()
  private policy: Policy = {}
  private nextRouteId = 1
  private version = 0
  private log: LogEntry[] = []

  // ---- what a load must return ----------------------------------------------

  snapshot(): Snapshot {
    return {
      nodes: [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      routes: this.liveRoutes(),
      policy: this.policy,
      nextRouteId: this.nextRouteId,
      version: this.version,
    }
  }

  liveRoutes(): Route[] {
    return [...this.rows.values()].filter(live).sort((a, b) => a.id - b.id)
  }

  head(): number {
    return this.version
  }

  entries(): ReadonlyArray<LogEntry> {
    return this.log
  }

  // ---- the write ------------------------------------------------------------

  /** The new version, or the error the store must give (and then nothing changed). */
  apply(
    changes: ChangeSet,
    info: { base: number; origin: string; at: number },
  ): { ok: number } | { error: RepositoryError } {
    // An empty change set writes nothing and hands back the version it was given, whatever the store's.
    if (changes.nodes.length === 0 && changes.routes.length === 0 && changes.policy === null) {
      return { ok: info.base }
    }
    if (info.base !== this.version) {
      return { error: new WriteConflict({ table: "meta", id: "version", reason: "behind" }) }
    }
    const error = this.check(changes)
    if (error !== null) return { error }
    for (const { after } of changes.nodes) this.nodes.set(after.id, after)
    for (const { after } of changes.routes) this.rows.set(after.id, after)
    if (changes.routes.some((c) => c.before === null)) this.nextRouteId = changes.nextRouteId
    if (changes.policy !== null) this.policy = changes.policy
    this.version++
    this.log.push({ version: this.version, origin: info.origin, committedAt: info.at, changes })
    return { ok: this.version }
  }

  /** The first rule the change set breaks, or null. */
  private check(changes: ChangeSet): RepositoryError | null {
    const created = changes.routes.filter((c) => c.before === null).map((c) => c.after)
    // Counter: created ids lie below the change set's counter, and the smallest is the stored counter.
    const past = created.find((r) => r.id >= changes.nextRouteId)
    if (past) return new ConstraintViolation({ constraint: "route-id-counter", table: "routes", id: past.id })
    if (created.length > 0 && Math.min(...created.map((r) => r.id)) !== this.nextRouteId) {
      return new WriteConflict({ table: "meta", id: "nextRouteId", reason: "counter" })
    }
    // Compare-and-set: a created row must be new, an updated one must be stored exactly as `before`.
    const stale = (stored: unknown, change: Change<unknown>) =>
      change.before === null ? stored !== undefined : !isDeepStrictEqual(stored, change.before)
    for (const c of changes.nodes) {
      if (stale(this.nodes.get(c.after.id), c)) {
        const reason = c.before === null ? "exists" : "stale"
        return new WriteConflict({ table: "nodes", id: c.after.id, reason })
      }
    }
    for (const c of changes.routes) {
      if (c.before !== null && stale(this.rows.get(c.after.id), c)) {
        return new WriteConflict({ table: "routes", id: c.after.id, reason: "stale" })
      }
    }
    for (const r of created) {
      if (this.rows.has(r.id)) return new WriteConflict({ table: "routes", id: r.id, reason: "exists" })
    }
    // The invariants the store enforces, on every written row against everything after the write.
    const nodesAfter = new Map(this.nodes)
    for (const { after } of changes.nodes) nodesAfter.set(after.id, after)
    const rowsAfter = new Map(this.rows)
    for (const { after } of changes.routes) rowsAfter.set(after.id, after)
    const others = (r: Route) => [...rowsAfter.values()].filter((o) => o.id !== r.id && live(o))
    for (const { after: r } of changes.routes) {
      const violated = (constraint: ConstraintViolation["constraint"]) =>
        new ConstraintViolation({ constraint, table: "routes", id: r.id })
      if (r.isPrimary && isExit(r)) return violated("exit-never-primary")
      if (live(r) && others(r).some((o) => o.nodeId === r.nodeId && o.prefix.text === r.prefix.text)) {
        return violated("live-node-prefix")
      }
      if (live(r) && r.isPrimary && others(r).some((o) => o.isPrimary && o.prefix.text === r.prefix.text)) {
        return violated("one-primary-per-prefix")
      }
      if (!nodesAfter.has(r.nodeId)) return violated("route-node-exists")
    }
    return null
  }
}
