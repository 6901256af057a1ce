/** Raw SQL on a test database, for the Postgres tests that set up or inspect a store below the adapter. */
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import * as Postgres from "../../src/adapters/postgres/index.js"

/** Runs `f` on one connection whose unqualified table names are our schema's, as the adapter's are. */
export const withSql = <A, E>(url: string, f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.scoped(
    Effect.flatMap(SqlClient.SqlClient, f).pipe(
      Effect.provide(
        PgClient.layer({
          url: Redacted.make(url),
          maxConnections: 1,
          startupParameters: { search_path: Postgres.defaultSchema },
        }),
      ),
    ),
  )

/**
 * Migrates a fresh database to `version` and writes the rows an older store
 * holds, in the pre-replica shape: node n1 (two sessions), a primary route 1
 * on 10.0.0.0/24 and route 2 on 10.0.0.0/8, the counter at 3. Returns the
 * version the migrations reached.
 */
export const oldStore = (url: string, version: number) =>
  withSql(url, (sql) =>
    Effect.gen(function* () {
      const migrated = yield* Postgres.migrate(sql, 0, version)
      for (const statement of [
        "INSERT INTO nodes VALUES ('n1', 'alice@', '[]', false, 1000, NULL, 2, 900, 950, NULL, NULL)",
        "INSERT INTO routes VALUES (1, 'n1', '10.0.0.0/24', true, true, true, 'manual', 0, true, 1001, 1001, NULL)",
        "INSERT INTO routes VALUES (2, 'n1', '10.0.0.0/8', true, true, false, 'manual', 0, true, 1002, 1002, NULL)",
        "UPDATE meta SET next_route_id = 3",
      ]) {
        yield* sql.unsafe(statement)
      }
      return migrated
    }),
  )
