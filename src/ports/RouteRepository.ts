/**
 * The storage port: a few loads shaped by the domain and one atomic,
 * compare-and-set `apply(changeSet)`. Adapters (memory, SQLite, Postgres)
 * implement it; one contract suite proves they behave alike.
 */
import { Context, Data, type Effect } from "effect"
import type { ChangeSet } from "../domain/ChangeSet.js"
import type { Node, NodeId } from "../domain/Node.js"
import type { Policy } from "../domain/Policy.js"
import type { Route } from "../domain/Route.js"

/** Everything stored, for reconcile and start-up: every node (deleted included), live routes only. @category models */
export interface Snapshot {
  readonly nodes: ReadonlyArray<Node>
  /** Live routes only, ordered by id. */
  readonly routes: ReadonlyArray<Route>
  readonly policy: Policy
  readonly nextRouteId: number
}

/** One node's record (null when unknown) and its live routes. @category models */
export interface NodeSlice {
  readonly node: Node | null
  readonly routes: ReadonlyArray<Route>
}

/** The driver failed (I/O, connection, unexpected SQL error); nothing is known to be written. @category errors */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly message: string
  readonly cause: unknown
}> {}

/** Names of the invariants the store itself enforces. @category models */
export type ConstraintName =
  /** At most one live row per (node, prefix). */
  | "live-node-prefix"
  /** At most one live primary per non-exit prefix. */
  | "one-primary-per-prefix"
  /** Exit routes are never primary. */
  | "exit-never-primary"
  /** A route references an existing node. */
  | "route-node-exists"
  /** A created route id is not below the counter the change set leaves behind. */
  | "route-id-counter"

/** A change set would break an invariant the store enforces; nothing was written. @category errors */
export class ConstraintViolation extends Data.TaggedError("ConstraintViolation")<{
  readonly constraint: ConstraintName
  /** The table of the offending row. */
  readonly table: "nodes" | "routes"
  /** The offending row's key: a route id or a node id. */
  readonly id: string | number
}> {}

/**
 * Another writer got there first: a change's `before` no longer matches the
 * stored row, or the route-id counter moved. Nothing was written; reload and retry.
 *
 * @category errors
 */
export class WriteConflict extends Data.TaggedError("WriteConflict")<{
  readonly table: "nodes" | "routes" | "meta"
  /** The row whose stored value differs (`nextRouteId` for the counter). */
  readonly id: string | number
  /** `stale` (before differs), `exists` (a created row is taken), `counter`, or `aborted` (the database aborted the transaction, e.g. a deadlock). */
  readonly reason: "stale" | "exists" | "counter" | "aborted"
}> {}

/** The database was written by a newer version of this library; nothing was written. @category errors */
export class SchemaTooNew extends Data.TaggedError("SchemaTooNew")<{
  readonly found: number
  readonly supported: number
}> {
  override get message(): string {
    return `database schema version ${this.found} is newer than the version ${this.supported} this code supports; upgrade tailnet-routes`
  }
}

/** Every failure of the port. @category errors */
export type RepositoryError = StorageError | ConstraintViolation | WriteConflict | SchemaTooNew

/** @category guards */
export const isStorageError = (u: unknown): u is StorageError => u instanceof StorageError
/** @category guards */
export const isConstraintViolation = (u: unknown): u is ConstraintViolation =>
  u instanceof ConstraintViolation
/** @category guards */
export const isWriteConflict = (u: unknown): u is WriteConflict => u instanceof WriteConflict
/** @category guards */
export const isSchemaTooNew = (u: unknown): u is SchemaTooNew => u instanceof SchemaTooNew
/** @category guards */
export const isRepositoryError = (u: unknown): u is RepositoryError =>
  isStorageError(u) || isConstraintViolation(u) || isWriteConflict(u) || isSchemaTooNew(u)

/** The route store. @category services */
export class RouteRepository extends Context.Service<
  RouteRepository,
  {
    readonly loadAll: Effect.Effect<Snapshot, RepositoryError>
    readonly loadNode: (id: NodeId) => Effect.Effect<NodeSlice, RepositoryError>
    /** Live routes of one prefix (canonical text), ordered by id. */
    readonly loadPrefix: (prefix: string) => Effect.Effect<ReadonlyArray<Route>, RepositoryError>
    /** Writes the change set atomically (all or nothing), compare-and-set against each `before`. */
    readonly apply: (changes: ChangeSet) => Effect.Effect<void, RepositoryError>
  }
>()("tailnet-routes/RouteRepository") {}
