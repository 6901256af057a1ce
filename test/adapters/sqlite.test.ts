/** The SQLite adapter: the contract (file and `:memory:`), migrations, and its error mapping. */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import {
  ConstraintViolation,
  RouteRepository,
  SchemaTooNew,
  StorageError,
} from "../../src/ports/RouteRepository.js"
import { commit, expectUpgraded, seedChanges } from "./fixtures.js"
import { repositoryContract } from "./repositoryContract.js"

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-sqlite-"))

repositoryContract("sqlite file", async () => {
  const dir = tempDir()
  const filename = path.join(dir, "routes.db")
  return {
    open: () => Sqlite.layer({ filename }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

// `:memory:` lives as long as its connection, so the store keeps one open and reopening rebuilds the service over it.
repositoryContract("sqlite :memory:", async () => {
  const db = Sqlite.open(":memory:")
  return {
    open: () => Layer.effect(RouteRepository, Sqlite.make(db)),
    dispose: async () => {
      db.close()
    },
  }
})

describe("sqlite migrations", () => {
  it.effect("opening a database at the previous version upgrades it and keeps its rows", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const filename = path.join(dir, "old.db")
      const old = Sqlite.open(filename)
      // Version 2, the last before replicas: the rows below are in its shape.
      expect(Sqlite.migrate(old, 0, 2)).toBe(2)
      old.exec(`INSERT INTO nodes VALUES ('n1', 'alice@', '[]', 0, 1000, NULL, 2, 900, 950, NULL, NULL);
        INSERT INTO routes VALUES (1, 'n1', '10.0.0.0/24', 1, 1, 1, 'manual', 0, 1, 1001, 1001, NULL);
        INSERT INTO routes VALUES (2, 'n1', '10.0.0.0/8', 1, 1, 0, 'manual', 0, 1, 1002, 1002, NULL);
        UPDATE meta SET next_route_id = 3;`)
      old.close()

      const all = yield* Effect.provide(
        RouteRepository.use((r) => r.loadAll),
        Sqlite.layer({ filename }),
      )
      const check = Sqlite.open(filename)
      expect(check.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all()).toEqual(
        Sqlite.migrations.map((m) => ({ version: m.version, name: m.name })),
      )
      check.close()
      expectUpgraded(all)
    }),
  )

  it.effect("opening a database from a newer version fails with SchemaTooNew and writes nothing", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const filename = path.join(dir, "new.db")
      const db = Sqlite.open(filename)
      Sqlite.migrate(db, 0)
      db.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', 0)").run(
        Sqlite.latestVersion + 1,
      )
      const dump = () => db.prepare("SELECT * FROM schema_migrations ORDER BY version").all()
      const before = dump()
      const error = yield* Effect.flip(
        Effect.provide(
          RouteRepository.use(() => Effect.void),
          Sqlite.layer({ filename }),
        ),
      )
      expect(error).toEqual(
        new SchemaTooNew({ found: Sqlite.latestVersion + 1, supported: Sqlite.latestVersion }),
      )
      expect(error.message).toBe(
        `database schema version ${Sqlite.latestVersion + 1} is newer than the version ${Sqlite.latestVersion} this code supports; upgrade tailnet-routes`,
      )
      expect(dump()).toEqual(before)
      db.close()
    }),
  )

  it.effect("a fresh database is created at the latest version", () =>
    Effect.gen(function* () {
      const db = Sqlite.open(":memory:")
      yield* Effect.addFinalizer(() => Effect.sync(() => db.close()))
      const repo = yield* Sqlite.make(db)
      yield* commit(repo, seedChanges)
      expect(Sqlite.currentVersion(db)).toBe(Sqlite.latestVersion)
    }),
  )
})

describe("sqlite toRepositoryError", () => {
  const db = Sqlite.open(":memory:")
  Sqlite.migrate(db, 0)
  db.exec("INSERT INTO nodes VALUES ('n1', 'alice@', '[]', 0, 1000, NULL, 0, NULL, NULL, NULL, NULL, '{}')")
  const insert = db.prepare("INSERT INTO routes VALUES (?, ?, ?, 1, 1, ?, NULL, 0, 1, 0, 0, NULL)")
  insert.run(1, "n1", "10.0.0.0/24", 1)
  const thrown = (f: () => unknown): unknown => {
    try {
      f()
    } catch (e) {
      return e
    }
    throw new Error("expected a throw")
  }
  const row = { table: "routes", id: 7 } as const

  it("maps each enforced constraint to its name", () => {
    const cases = [
      [() => insert.run(7, "n1", "10.0.0.0/24", 0), "live-node-prefix"],
      [
        () =>
          db.exec(
            "INSERT INTO nodes VALUES ('n2', 'b@', '[]', 0, 0, NULL, 0, NULL, NULL, NULL, NULL, '{}')",
          ) && insert.run(7, "n2", "10.0.0.0/24", 1),
        "one-primary-per-prefix",
      ],
      [() => insert.run(7, "n1", "0.0.0.0/0", 1), "exit-never-primary"],
      [() => insert.run(7, "n9", "10.1.0.0/16", 0), "route-node-exists"],
    ] as const
    for (const [f, constraint] of cases) {
      expect(Sqlite.toRepositoryError(thrown(f), row)).toEqual(
        new ConstraintViolation({ constraint, ...row }),
      )
    }
  })

  it("anything else, or a constraint with no row to blame, is a StorageError carrying the cause", () => {
    const syntax = thrown(() => db.exec("SELEC 1"))
    expect(Sqlite.toRepositoryError(syntax, row)).toEqual(
      new StorageError({ message: 'sqlite: near "SELEC": syntax error', cause: syntax }),
    )
    const unique = thrown(() => insert.run(8, "n1", "10.0.0.0/24", 0))
    expect(Sqlite.toRepositoryError(unique, null)).toEqual(
      new StorageError({
        message: "sqlite: UNIQUE constraint failed: routes.node_id, routes.prefix",
        cause: unique,
      }),
    )
  })

  it("passes port errors through", () => {
    const e = new ConstraintViolation({ constraint: "route-id-counter", table: "routes", id: 3 })
    expect(Sqlite.toRepositoryError(e, null)).toBe(e)
  })
})
