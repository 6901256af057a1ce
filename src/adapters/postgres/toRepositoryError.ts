/** The one place Postgres (effect/sql) errors become port errors. */
import { SqlError } from "effect/sql"
import { isExitRoute } from "../../domain/Prefix.js"
import type { Route } from "../../domain/Route.js"
import {
  ConstraintViolation,
  isRepositoryError,
  type RepositoryError,
  StorageError,
  WriteConflict,
} from "../../ports/RouteRepository.js"
import { conflictState } from "./applyFunction.js"

interface ServerFields {
  readonly code?: string
  readonly constraint?: string
  readonly detail?: string
}

const fieldsOf = (e: SqlError.SqlError): ServerFields => {
  const cause = e.reason.cause
  return typeof cause === "object" && cause !== null ? (cause as ServerFields) : {}
}

// `Key (a, b)=(x, y) ...` → `x, y`: the key text Postgres reports for a violated index or foreign key.
const keyText = (detail: string | undefined): string | null => {
  const m =
    detail === undefined ? null : /^Key \([^)]*\)=\((.*)\) (?:already exists|is not present)/s.exec(detail)
  return m ? m[1]! : null
}

// The batch row to blame: the last one in write order matching the reported key (as SQLite and memory blame the later row).
const lastWhere = (rows: ReadonlyArray<Route>, p: (r: Route) => boolean): Route | undefined => {
  for (let i = rows.length - 1; i >= 0; i--) if (p(rows[i]!)) return rows[i]
  return undefined
}

const blame = (fields: ServerFields, rows: ReadonlyArray<Route>): ConstraintViolation | null => {
  const key = keyText(fields.detail)
  const found = (constraint: ConstraintViolation["constraint"], r: Route | undefined) =>
    r === undefined ? null : new ConstraintViolation({ constraint, table: "routes", id: r.id })
  switch (fields.constraint) {
    case "routes_live_node_prefix":
      return found(
        "live-node-prefix",
        lastWhere(rows, (r) => r.deletedAt === null && `${r.nodeId}, ${r.prefix.text}` === key),
      )
    case "routes_one_primary":
      return found(
        "one-primary-per-prefix",
        lastWhere(rows, (r) => r.deletedAt === null && r.isPrimary && r.prefix.text === key),
      )
    case "routes_node_exists":
      return found(
        "route-node-exists",
        lastWhere(rows, (r) => r.nodeId === key),
      )
    case "routes_exit_never_primary":
      return found(
        "exit-never-primary",
        lastWhere(rows, (r) => r.isPrimary && isExitRoute(r.prefix)),
      )
    default:
      return null
  }
}

/**
 * Maps a failure to a port error. `rows` are the route rows of the statement
 * that failed; a violated index or check is blamed on the one among them the
 * server's report names. Deadlocks and serialization failures mean another
 * writer won: `WriteConflict` with reason `aborted`.
 *
 * @category constructors
 */
export const toRepositoryError = (cause: unknown, rows: ReadonlyArray<Route> | null): RepositoryError => {
  if (isRepositoryError(cause)) return cause
  if (SqlError.isSqlError(cause)) {
    const tag = cause.reason._tag
    const fields = fieldsOf(cause)
    if (fields.code === conflictState) {
      return new WriteConflict(JSON.parse((fields as { message: string }).message) as WriteConflict)
    }
    if (tag === "DeadlockError" || tag === "SerializationError") {
      return new WriteConflict({ table: "meta", id: "transaction", reason: "aborted" })
    }
    if (rows !== null && (tag === "UniqueViolation" || tag === "ConstraintError")) {
      const violation = blame(fields, rows)
      if (violation !== null) return violation
    }
    return new StorageError({ message: `postgres: ${cause.reason.message ?? cause.message}`, cause })
  }
  return new StorageError({
    message: `postgres: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause,
  })
}
