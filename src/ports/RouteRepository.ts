/**
 * The storage port: a few loads shaped by the domain and one atomic,
 * versioned `apply(changeSet)`; the change log that lets several processes
 * share one store (catch up by folding what others committed); and the
 * replicas' presence leases. Adapters (memory, SQLite, Postgres) implement
 * it; one contract suite proves they behave alike.
 */
import { Context, Data, type Effect, type Stream } from "effect"
import type { ChangeSet } from "../domain/ChangeSet.js"
import type { Node, ReplicaId } from "../domain/Node.js"
import type { Policy } from "../domain/Policy.js"
import type { Route } from "../domain/Route.js"

/** Everything stored, for reconcile and start-up: every node (deleted included), live routes only. @category models */
export interface Snapshot {
  readonly nodes: ReadonlyArray<Node>
  /** Live routes only, ordered by id. */
  readonly routes: ReadonlyArray<Route>
  readonly policy: Policy
  readonly nextRouteId: number
  /** The tailnet version this state is: how many change sets were committed. */
  readonly version: number
}

/** Who committed a change set: a manager's replica id, `cli`, or `import`. @category models */
export type Origin = string

/** What a write states beside its change set. @category models */
export interface CommitInfo {
  /** The version the change set was computed from; the store must still be at it. */
  readonly base: number
  readonly origin: Origin
  /** Commit time, epoch ms (the writer's clock). */
  readonly at: number
}

/** One committed change set as the log keeps it. @category models */
export interface LogEntry {
  /** The version this change set made (its base + 1). */
  readonly version: number
  readonly origin: Origin
  readonly committedAt: number
  /** Null when the change set was too large to log (a bulk import): a reader reloads instead. */
  readonly changes: ChangeSet | null
}

/** A read of the log above some version. @category models */
export interface LogPage {
  /** Consecutive entries from the version asked for + 1, in order (at most the limit asked for). */
  readonly entries: ReadonlyArray<LogEntry>
  /** The stored version when read. */
  readonly head: number
  /** True when an entry the reader needs is gone (pruned by retention): it must reload. */
  readonly gap: boolean
}

/** How long the change log keeps entries: an entry goes once it is both older and further back than these. @category models */
export interface LogRetention {
  /** Default 600 000 (ten minutes). */
  readonly minAgeMs: number
  /** Default 100 000. */
  readonly minEntries: number
  /** A change set of more rows than this is logged without its rows (readers reload). Default 50 000. */
  readonly maxRows: number
}

/** @category constructors */
export const defaultLogRetention: LogRetention = { minAgeMs: 600_000, minEntries: 100_000, maxRows: 50_000 }

/** A replica's presence lease: its sessions count while `expiresAt` is ahead. @category models */
export interface Lease {
  readonly replica: ReplicaId
  readonly expiresAt: number
}

/** The driver failed (I/O, connection, unexpected SQL error); nothing is known to be written. @category errors */
export class StorageError extends Data.TaggedError("StorageError")<{
  readonly message: string
  readonly cause: unknown
  /** Set when the store's optional driver package is not installed: its npm name. */
  readonly missingDriver?: string
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
  /** The row whose stored value differs (`nextRouteId` for the counter, `version` when behind). */
  readonly id: string | number
  /**
   * `behind` (the store moved past the version the change set was computed
   * from: catch up and recompute), `stale` (before differs), `exists` (a
   * created row is taken), `counter`, or `aborted` (the database aborted the
   * transaction, e.g. a deadlock).
   */
  readonly reason: "behind" | "stale" | "exists" | "counter" | "aborted"
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
/**
 * The store holds tables that are not this library's: it is neither empty nor
 * ours, so it is refused untouched (nothing created, nothing migrated).
 * `kind` is `headscale` when the tables are a Headscale database's.
 *
 * @category errors
 */
export class ForeignStore extends Data.TaggedError("ForeignStore")<{
  readonly kind: "headscale" | "unknown"
  /** Where: the SQLite file or the Postgres schema. */
  readonly location: string
  /** A few of the foreign tables found. */
  readonly tables: ReadonlyArray<string>
}> {
  override get message(): string {
    const found = this.tables.slice(0, 5).join(", ")
    return this.kind === "headscale"
      ? `${this.location} is a Headscale database (tables ${found}), not a tailnet-routes store; it was left untouched. To import its routes, run migrate --from-headscale ${this.location} into a store of its own`
      : `${this.location} holds tables that are not tailnet-routes' (${found}); it was left untouched. Use an empty database or one tailnet-routes created`
  }
}

/** @category guards */
export const isForeignStore = (u: unknown): u is ForeignStore => u instanceof ForeignStore

const headscaleTables = new Set([
  "machines",
  "pre_auth_keys",
  "api_keys",
  "namespaces",
  "users",
  "policies",
  "kvs",
])

/**
 * Sorts the tables a store holds: none is empty, all of `ours` (plus the
 * migrations table) is ours, anything else is foreign (Headscale when its
 * tables are). @category getters
 */
export const classifyTables = (
  tables: ReadonlyArray<string>,
  ours: ReadonlySet<string>,
  location: string,
): "empty" | "ours" | ForeignStore => {
  if (tables.length === 0) return "empty"
  const foreign = tables.filter((t) => !ours.has(t) && t !== "schema_migrations")
  if (foreign.length === 0 && tables.includes("schema_migrations")) return "ours"
  const odd = foreign.length === 0 ? tables : foreign
  const kind = odd.some((t) => headscaleTables.has(t)) ? "headscale" : "unknown"
  return new ForeignStore({ kind, location, tables: [...odd].sort() })
}

export type RepositoryError = StorageError | ConstraintViolation | WriteConflict | SchemaTooNew | ForeignStore

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
  isStorageError(u) ||
  isConstraintViolation(u) ||
  isWriteConflict(u) ||
  isSchemaTooNew(u) ||
  isForeignStore(u)

/** The route store. @category services */
export class RouteRepository extends Context.Service<
  RouteRepository,
  {
    readonly loadAll: Effect.Effect<Snapshot, RepositoryError>
    /**
     * Writes the change set atomically (all or nothing) when the store is
     * still at `info.base`, compare-and-set against each `before`, bumps the
     * version and logs the change set in the same transaction; returns the
     * new version. A store past `base` fails with `WriteConflict` `behind`.
     * An empty change set writes nothing, bumps nothing, and returns `base`.
     */
    readonly apply: (changes: ChangeSet, info: CommitInfo) => Effect.Effect<number, RepositoryError>
    /** The stored version. */
    readonly head: Effect.Effect<number, RepositoryError>
    /** Log entries above `after`, at most `limit`, in version order. */
    readonly readLog: (after: number, limit: number) => Effect.Effect<LogPage, RepositoryError>
    /**
     * Versions another writer may have committed, as soon as the store can
     * tell (Postgres NOTIFY, an in-process store's own commits) and by polling
     * the head; a nudge only: the log is the truth. Runs until interrupted.
     */
    readonly watch: Stream.Stream<number>
    /** Takes, renews or (with a past time, at a clean shutdown) ends `replica`'s lease: it now runs until `expiresAt`. */
    readonly renewLease: (replica: ReplicaId, expiresAt: number) => Effect.Effect<void, RepositoryError>
    /** Forgets a lapsed lease whose sessions were all dropped; a lease still ahead of `now` is kept. */
    readonly dropLease: (replica: ReplicaId, now: number) => Effect.Effect<void, RepositoryError>
    /** Every lease, running or lapsed, not yet dropped. */
    readonly leases: Effect.Effect<ReadonlyArray<Lease>, RepositoryError>
  }
>()("tailnet-routes/RouteRepository") {}
