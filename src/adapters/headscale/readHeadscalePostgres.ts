/**
 * Reads a Headscale database hosted on Postgres, in one READ ONLY,
 * REPEATABLE READ transaction: the import never writes to its source, and the
 * three reads see one snapshot even while Headscale keeps running.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted, Result } from "effect"
import { Reactivity } from "effect/reactivity"
import type { HeadscaleDump } from "../../domain/legacyImport/HeadscaleDump.js"
import { HeadscaleSourceError, redactUrl } from "../../ports/HeadscaleSource.js"
import { headscaleQueriesOf, type SchemaCatalogue } from "./headscaleSchema.js"
import { dumpFromRows } from "./internal/dumpFromRows.js"

type Row = Record<string, unknown>

const catalogueOf = (rows: ReadonlyArray<Row>): SchemaCatalogue => {
  const out = new Map<string, Set<string>>()
  for (const r of rows) {
    const table = String(r.table_name).toLowerCase()
    const cols = out.get(table) ?? new Set<string>()
    cols.add(String(r.column_name).toLowerCase())
    out.set(table, cols)
  }
  return out
}

const messageOf = (e: unknown): string => {
  const cause = (e as { cause?: unknown }).cause
  const own = e instanceof Error ? e.message : String(e)
  return cause instanceof Error && cause.message !== own ? `${own}: ${cause.message}` : own
}

/**
 * Reads the routing-relevant rows of a Postgres-hosted Headscale database of
 * any era (tables in the connection's current schema). Fails with
 * `HeadscaleSourceError`; its `source` is the URL with the password hidden.
 *
 * @category constructors
 */
export const readHeadscalePostgres = (url: string): Effect.Effect<HeadscaleDump, HeadscaleSourceError> => {
  const source = redactUrl(url)
  const fail = (reason: "Unreadable" | "QueryFailed") => (e: unknown) =>
    new HeadscaleSourceError({ source, reason, message: `${source}: ${messageOf(e)}` })
  return Effect.scoped(
    Effect.gen(function* () {
      const sql = yield* PgClient.makeClient({ url: Redacted.make(url) }).pipe(
        Effect.mapError(fail("Unreadable")),
      )
      const read = Effect.gen(function* () {
        yield* sql.unsafe("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        const columns = yield* sql.unsafe<Row>(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()",
        )
        const queries = headscaleQueriesOf(catalogueOf(columns), source)
        if (Result.isFailure(queries)) return yield* queries.failure
        const qs = queries.success
        const users = yield* sql.unsafe<Row>(qs.users)
        const nodes = yield* sql.unsafe<Row>(qs.nodes)
        const routes = qs.routes === null ? [] : yield* sql.unsafe<Row>(qs.routes)
        return dumpFromRows(qs.era, users, nodes, routes)
      })
      return yield* sql
        .withTransaction(read)
        .pipe(Effect.catchTag("SqlError", (e) => Effect.fail(fail("QueryFailed")(e))))
    }),
  ).pipe(Effect.provide(Reactivity.layer))
}
