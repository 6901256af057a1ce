/** The Postgres adapter: the contract, migrations, and its error mapping, on the run's throwaway cluster. */

import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { SqlError } from "effect/sql"
import * as Postgres from "../../src/adapters/postgres/index.js"
import {
  ConstraintViolation,
  RouteRepository,
  SchemaTooNew,
  StorageError,
  WriteConflict,
} from "../../src/ports/RouteRepository.js"
import { route } from "../support/builders.js"
import { freshDatabaseUrl, postgresAdminUrl } from "../support/postgres.js"
import { dropDatabase } from "../support/postgresCluster.js"
import { expectUpgraded } from "./fixtures.js"
import { oldStore, withSql } from "./postgresSql.js"
import { repositoryContract } from "./repositoryContract.js"

repositoryContract("postgres", async () => {
  const url = await freshDatabaseUrl()
  return {
    open: () => Postgres.layer({ url, maxConnections: 4 }),
    dispose: () => dropDatabase(postgresAdminUrl(), url),
  }
})

const loadAll = (url: string) =>
  Effect.provide(
    RouteRepository.use((r) => r.loadAll),
    Postgres.layer({ url, maxConnections: 1 }),
  )

describe("postgres migrations", () => {
  it.effect("opening a database at the previous version upgrades it and keeps its rows", () =>
    Effect.gen(function* () {
      const url = yield* Effect.promise(freshDatabaseUrl)
      // Version 3, the last before replicas: the rows oldStore writes are in its shape.
      expect(yield* oldStore(url, 3)).toBe(3)
      const all = yield* loadAll(url)
      expectUpgraded(all)
      const versions = yield* withSql(url, (sql) =>
        sql.unsafe("SELECT version, name FROM schema_migrations ORDER BY version"),
      )
      expect(versions).toEqual(Postgres.migrations.map((m) => ({ version: m.version, name: m.name })))
      yield* Effect.promise(() => dropDatabase(postgresAdminUrl(), url))
    }),
  )

  it.effect("opening a database from a newer version fails with SchemaTooNew and writes nothing", () =>
    Effect.gen(function* () {
      const url = yield* Effect.promise(freshDatabaseUrl)
      const dump = withSql(url, (sql) =>
        sql.unsafe("SELECT version, name FROM schema_migrations ORDER BY version"),
      )
      yield* withSql(url, (sql) =>
        Effect.andThen(
          Postgres.migrate(sql, 0),
          sql.unsafe("INSERT INTO schema_migrations VALUES ($1, 'from the future', 0)", [
            Postgres.latestVersion + 1,
          ]),
        ),
      )
      const before = yield* dump
      const error = yield* Effect.flip(loadAll(url))
      expect(error).toEqual(
        new SchemaTooNew({ found: Postgres.latestVersion + 1, supported: Postgres.latestVersion }),
      )
      expect(yield* dump).toEqual(before)
      yield* Effect.promise(() => dropDatabase(postgresAdminUrl(), url))
    }),
  )

  it.effect("two pools opening one fresh database at once both succeed (the migration lock)", () =>
    Effect.gen(function* () {
      const url = yield* Effect.promise(freshDatabaseUrl)
      const both = yield* Effect.all([loadAll(url), loadAll(url)], { concurrency: 2 })
      expect(both).toEqual([
        { nodes: [], routes: [], policy: {}, nextRouteId: 1, version: 0 },
        { nodes: [], routes: [], policy: {}, nextRouteId: 1, version: 0 },
      ])
      yield* Effect.promise(() => dropDatabase(postgresAdminUrl(), url))
    }),
  )
})

describe("postgres toRepositoryError", () => {
  const sqlError = (code: string, constraint?: string, detail?: string) => {
    const cause = Object.assign(new Error("server said no"), { code, constraint, detail })
    const props = { cause, message: "server said no", operation: "execute" }
    const reason =
      code === "23505"
        ? new SqlError.UniqueViolation({ ...props, constraint: constraint ?? "unknown" })
        : code === "40P01"
          ? new SqlError.DeadlockError(props)
          : code === "40001"
            ? new SqlError.SerializationError(props)
            : code.startsWith("23")
              ? new SqlError.ConstraintError(props)
              : new SqlError.UnknownError(props)
    return new SqlError.SqlError({ reason })
  }
  const rows = [
    route(6, "n1", "10.0.0.0/24", { isPrimary: true }),
    route(7, "n2", "10.0.0.0/24", { isPrimary: true }),
    route(8, "n, 1", "0.0.0.0/0", { isPrimary: true }),
  ]

  it("blames the row the server's key names", () => {
    const cases = [
      [
        sqlError(
          "23505",
          "routes_live_node_prefix",
          "Key (node_id, prefix)=(n1, 10.0.0.0/24) already exists.",
        ),
        "live-node-prefix",
        6,
      ],
      [
        sqlError(
          "23505",
          "routes_live_node_prefix",
          "Key (node_id, prefix)=(n, 1, 0.0.0.0/0) already exists.",
        ),
        "live-node-prefix",
        8,
      ],
      [
        sqlError("23505", "routes_one_primary", "Key (prefix)=(10.0.0.0/24) already exists."),
        "one-primary-per-prefix",
        7,
      ],
      [
        sqlError("23503", "routes_node_exists", 'Key (node_id)=(n2) is not present in table "nodes".'),
        "route-node-exists",
        7,
      ],
      [
        sqlError("23514", "routes_exit_never_primary", "Failing row contains (8, ...)."),
        "exit-never-primary",
        8,
      ],
    ] as const
    for (const [error, constraint, id] of cases) {
      expect(Postgres.toRepositoryError(error, rows)).toEqual(
        new ConstraintViolation({ constraint, table: "routes", id }),
      )
    }
  })

  it("a deadlock or serialization failure is a write conflict; anything else a StorageError", () => {
    const aborted = new WriteConflict({ table: "meta", id: "transaction", reason: "aborted" })
    expect(Postgres.toRepositoryError(sqlError("40P01"), null)).toEqual(aborted)
    expect(Postgres.toRepositoryError(sqlError("40001"), rows)).toEqual(aborted)
    const unknown = sqlError("XX000")
    expect(Postgres.toRepositoryError(unknown, rows)).toEqual(
      new StorageError({ message: "postgres: server said no", cause: unknown }),
    )
    const unblamed = sqlError(
      "23505",
      "routes_live_node_prefix",
      "Key (node_id, prefix)=(n1, 10.0.0.0/24) already exists.",
    )
    expect(Postgres.toRepositoryError(unblamed, null)).toEqual(
      new StorageError({ message: "postgres: server said no", cause: unblamed }),
    )
  })

  it.effect("a real server's unique violation maps the same way", () =>
    Effect.gen(function* () {
      const url = yield* Effect.promise(freshDatabaseUrl)
      const error = yield* withSql(url, (sql) =>
        Effect.gen(function* () {
          yield* Postgres.migrate(sql, 0)
          yield* sql.unsafe(
            "INSERT INTO nodes VALUES ('n1', 'a@', '[]', false, 0, NULL, 0, NULL, NULL, NULL, NULL)",
          )
          const insert =
            "INSERT INTO routes VALUES ($1, 'n1', '10.0.0.0/24', true, true, false, NULL, 0, true, 0, 0, NULL)"
          yield* sql.unsafe(insert, [1])
          return yield* Effect.flip(sql.unsafe(insert, [6]))
        }),
      )
      expect(Postgres.toRepositoryError(error, [route(6, "n1", "10.0.0.0/24")])).toEqual(
        new ConstraintViolation({ constraint: "live-node-prefix", table: "routes", id: 6 }),
      )
      yield* Effect.promise(() => dropDatabase(postgresAdminUrl(), url))
    }),
  )
})
