/** The one place better-sqlite3 errors become port errors. */
import {
  type ConstraintName,
  ConstraintViolation,
  isRepositoryError,
  type RepositoryError,
  StorageError,
} from "../../ports/RouteRepository.js"

/** The row being written when the error was raised, if any. @category models */
export interface RowContext {
  readonly table: "nodes" | "routes"
  readonly id: string | number
}

const constraintOf = (code: string, message: string): ConstraintName | null => {
  switch (code) {
    case "SQLITE_CONSTRAINT_UNIQUE":
      // SQLite names a partial index by its columns.
      if (message.includes("routes.node_id, routes.prefix")) return "live-node-prefix"
      if (message.includes("routes.prefix")) return "one-primary-per-prefix"
      return null
    case "SQLITE_CONSTRAINT_CHECK":
      return message.includes("exit_never_primary") ? "exit-never-primary" : null
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
      return "route-node-exists"
    default:
      return null
  }
}

/**
 * Maps a thrown value to a port error: constraint failures of the row being
 * written become `ConstraintViolation`, port errors pass through, anything
 * else is a `StorageError`.
 *
 * @category constructors
 */
export const toRepositoryError = (cause: unknown, row: RowContext | null): RepositoryError => {
  if (isRepositoryError(cause)) return cause
  const code = (cause as { code?: unknown } | null)?.code
  const message = cause instanceof Error ? cause.message : String(cause)
  if (row !== null && typeof code === "string") {
    const constraint = constraintOf(code, message)
    if (constraint !== null) return new ConstraintViolation({ constraint, table: row.table, id: row.id })
  }
  return new StorageError({ message: `sqlite: ${message}`, cause })
}
