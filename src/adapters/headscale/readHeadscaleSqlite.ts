/** Reads a Headscale SQLite database file, opened read-only: the import never writes to its source. */
import { existsSync } from "node:fs"
import Database from "better-sqlite3"
import { Effect, Result } from "effect"
import type { HeadscaleDump } from "../../domain/legacyImport/HeadscaleDump.js"
import { HeadscaleSourceError } from "../../ports/HeadscaleSource.js"
import { headscaleQueriesOf, type SchemaCatalogue } from "./headscaleSchema.js"
import { dumpFromRows } from "./internal/dumpFromRows.js"

// The slice of better-sqlite3 this reader calls.
interface SqliteStatement {
  all(...params: ReadonlyArray<unknown>): Array<Record<string, unknown>>
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement
  close(): void
}
type SqliteOpen = new (path: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase
const open = Database as unknown as SqliteOpen

const catalogueOf = (db: SqliteDatabase): SchemaCatalogue => {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
  const out = new Map<string, Set<string>>()
  for (const t of tables) {
    const name = String(t.name)
    const cols = db.prepare("SELECT name FROM pragma_table_info(?)").all(name)
    out.set(name.toLowerCase(), new Set(cols.map((c) => String(c.name).toLowerCase())))
  }
  return out
}

const read = (db: SqliteDatabase, path: string): HeadscaleDump => {
  const queries = headscaleQueriesOf(catalogueOf(db), path)
  if (Result.isFailure(queries)) throw queries.failure
  const qs = queries.success
  return dumpFromRows(
    qs.era,
    db.prepare(qs.users).all(),
    db.prepare(qs.nodes).all(),
    qs.routes === null ? [] : db.prepare(qs.routes).all(),
  )
}

const failure = (path: string, reason: "Unreadable" | "QueryFailed", cause: unknown): HeadscaleSourceError =>
  cause instanceof HeadscaleSourceError
    ? cause
    : new HeadscaleSourceError({
        source: path,
        reason,
        message: `${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      })

/**
 * Reads the routing-relevant rows of a Headscale SQLite database of any era.
 * Fails with `HeadscaleSourceError` (Missing, Unreadable, UnknownSchema, QueryFailed).
 *
 * @category constructors
 */
export const readHeadscaleSqlite = (path: string): Effect.Effect<HeadscaleDump, HeadscaleSourceError> =>
  Effect.acquireUseRelease(
    Effect.suspend(() =>
      existsSync(path)
        ? Effect.try({
            try: () => new open(path, { readonly: true, fileMustExist: true }),
            catch: (e) => failure(path, "Unreadable", e),
          })
        : Effect.fail(
            new HeadscaleSourceError({ source: path, reason: "Missing", message: `${path} does not exist` }),
          ),
    ),
    (db) =>
      Effect.try({
        try: () => read(db, path),
        // "file is not a database" surfaces on the first query.
        catch: (e) => failure(path, /not a database/i.test(String(e)) ? "Unreadable" : "QueryFailed", e),
      }),
    (db) => Effect.sync(() => db.close()),
  )
