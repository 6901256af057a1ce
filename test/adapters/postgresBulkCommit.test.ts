import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import * as Memory from "../../src/adapters/memory/MemoryRouteRepository.js"
import { bulkInsertFrom } from "../../src/adapters/postgres/applyFunction.js"
import * as Postgres from "../../src/adapters/postgres/index.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { Route } from "../../src/domain/Route.js"
import { RouteRepository } from "../../src/ports/RouteRepository.js"
import { changeSet, create, node, route } from "../support/builders.js"
import { freshDatabaseUrl, postgresAdminUrl } from "../support/postgres.js"
import { dropDatabase } from "../support/postgresCluster.js"
import { commit } from "./fixtures.js"
import { oldStore, withSql } from "./postgresSql.js"

const withRepo = <A, E>(url: string, f: (repo: RouteRepository["Service"]) => Effect.Effect<A, E>) =>
  Effect.provide(RouteRepository.use(f), Postgres.layer({ url, maxConnections: 2 }))

/** The schema objects the set-based load drops and rebuilds, by name and definition, and their oids. */
const routesSchema = (sql: SqlClient.SqlClient) =>
  Effect.all({
    indexes: sql.unsafe<{ name: string; def: string; oid: number }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indexrelid::int AS oid
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'routes'::regclass ORDER BY c.relname`,
    ),
    constraints: sql.unsafe<{ name: string; def: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'routes'::regclass ORDER BY conname`,
    ),
  })
const definitions = (s: Effect.Success<ReturnType<typeof routesSchema>>) => ({
  indexes: s.indexes.map(({ name, def }) => ({ name, def })),
  constraints: s.constraints,
})

const routeCount = bulkInsertFrom + 2_000
const nodeCount = routeCount / 4

/** A cold load of `routeCount` routes, four a node, each prefix its own (primary); `edit` breaks it. */
const coldLoad = (edit: (routes: Array<Route>) => void = () => {}): ChangeSet => {
  const nodes = Array.from({ length: nodeCount }, (_, i) => node(`n${i}`))
  const routes = Array.from({ length: routeCount }, (_, k) =>
    route(k + 1, `n${k >> 2}`, `10.${(k >> 8) & 255}.${k & 255}.0/24`, { isPrimary: true }),
  )
  edit(routes)
  return changeSet(routeCount + 1, { nodes: nodes.map(create), routes: routes.map(create) })
}

/** Applies `changes` to a fresh Postgres store and to the memory adapter; both results and what each then holds. */
const bothStores = (
  changes: ChangeSet,
  hold?: (sql: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>,
) =>
  Effect.gen(function* () {
    const url = yield* Effect.promise(freshDatabaseUrl)
    yield* Effect.addFinalizer(() => Effect.promise(() => dropDatabase(postgresAdminUrl(), url)))
    yield* withRepo(url, (repo) => repo.head) // migrate
    const before = yield* withSql(url, routesSchema)
    const reference = yield* Memory.make()
    const expected = yield* Effect.result(commit(reference, changes))
    const actual = yield* withRepo(url, (repo) => {
      const apply = Effect.result(commit(repo, changes))
      return hold === undefined
        ? apply
        : withSql(url, (sql) => sql.withTransaction(Effect.andThen(hold(sql), apply)))
    })
    return {
      expected,
      actual,
      before,
      after: yield* withSql(url, routesSchema),
      stored: yield* withRepo(url, (repo) => repo.loadAll),
      reference: yield* reference.loadAll,
    }
  })

describe("postgres set-based cold load", () => {
  it.effect("a large creation into an empty store is rebuilt set-based and reads back as given", () =>
    Effect.gen(function* () {
      const r = yield* bothStores(coldLoad())
      expect(r.actual).toEqual(r.expected)
      expect(r.stored).toEqual(r.reference)
      expect(r.stored.routes).toHaveLength(routeCount)
      expect(definitions(r.after)).toEqual(definitions(r.before))
      // Rebuilt secondary indexes are new relations; the primary key was kept.
      const oids = (s: typeof r.before) => s.indexes.map((i) => i.oid)
      expect(oids(r.after).filter((oid) => oids(r.before).includes(oid))).toEqual([
        r.before.indexes.find((i) => i.name === "routes_pkey")!.oid,
      ])
    }),
  )

  it.effect(
    "with another session reading routes, the commit takes the row-by-row path instead of waiting",
    () =>
      Effect.gen(function* () {
        // The reader's transaction holds its lock on routes until the commit inside it returns.
        const r = yield* bothStores(coldLoad(), (sql) => sql.unsafe("SELECT count(*) FROM routes"))
        expect(r.actual).toEqual(r.expected)
        expect(r.stored).toEqual(r.reference)
        expect(r.after).toEqual(r.before)
      }),
  )

  const broken: ReadonlyArray<readonly [string, (routes: Array<Route>) => void]> = [
    [
      "a second live row for a (node, prefix)",
      (rs) => {
        rs[11_000] = { ...rs[11_000]!, nodeId: "n0", prefix: rs[1]!.prefix, isPrimary: false }
      },
    ],
    [
      "a second primary for a prefix",
      (rs) => {
        rs[11_000] = { ...rs[11_000]!, prefix: rs[7]!.prefix }
      },
    ],
    [
      "a route of a node that does not exist",
      (rs) => {
        rs[11_000] = { ...rs[11_000]!, nodeId: "nowhere" }
      },
    ],
    [
      "an exit route marked primary",
      (rs) => {
        rs[11_000] = route(11_001, "n5", "0.0.0.0/0", { isPrimary: true })
      },
    ],
    [
      "two rows with one id",
      (rs) => {
        rs[11_000] = { ...rs[11_000]!, id: 3 }
      },
    ],
  ]
  for (const [what, edit] of broken) {
    it.effect(`${what}: the memory adapter's error, nothing written, the schema intact`, () =>
      Effect.gen(function* () {
        const r = yield* bothStores(coldLoad(edit))
        expect(r.expected._tag).toBe("Failure")
        expect(r.actual).toEqual(r.expected)
        expect(r.stored).toEqual({ nodes: [], routes: [], policy: {}, nextRouteId: 1, version: 0 })
        expect(r.after).toEqual(r.before)
      }),
    )
  }
})

describe("postgres created rows sharing an id", () => {
  // Schema 4's function wrote the first and dropped the second without a word.
  it.effect("a small change set creating one node twice is the memory adapter's write conflict", () =>
    Effect.gen(function* () {
      const changes = changeSet(1, { nodes: [create(node("n1")), create(node("n1", { user: "bob@" }))] })
      const r = yield* bothStores(changes)
      expect(r.expected._tag).toBe("Failure")
      expect(r.actual).toEqual(r.expected)
      expect(r.stored.nodes).toEqual([])
    }),
  )

  it.effect("a large change set creating one node twice is the same write conflict", () =>
    Effect.gen(function* () {
      const nodes = Array.from({ length: 2_000 }, (_, i) => create(node(`n${i}`)))
      nodes.push(create(node("n700", { user: "bob@" })))
      const r = yield* bothStores(changeSet(1, { nodes }))
      expect(r.expected._tag).toBe("Failure")
      expect(r.actual).toEqual(r.expected)
      expect(r.stored.nodes).toEqual([])
    }),
  )
})

describe("postgres migration 5", () => {
  it.effect(
    "a store at schema 4 upgrades in place, keeps its rows and commits through the new function",
    () =>
      Effect.gen(function* () {
        const url = yield* Effect.promise(freshDatabaseUrl)
        yield* Effect.addFinalizer(() => Effect.promise(() => dropDatabase(postgresAdminUrl(), url)))
        expect(yield* oldStore(url, 4)).toBe(4)
        const added = route(3, "n2", "10.0.0.0/24")
        const after = yield* withRepo(url, (repo) =>
          Effect.gen(function* () {
            yield* commit(repo, changeSet(4, { nodes: [create(node("n2"))], routes: [create(added)] }))
            return yield* repo.loadAll
          }),
        )
        expect(after.routes).toEqual([
          route(1, "n1", "10.0.0.0/24", { isPrimary: true }),
          route(2, "n1", "10.0.0.0/8"),
          added,
        ])
        expect(after.nodes).toEqual([
          node("n1", {
            presence: { sessions: 2, replicas: {}, connectedAt: 900, lastSeen: 950, disconnectedAt: null },
          }),
          node("n2"),
        ])
        expect(after.version).toBe(1)
        const functions = yield* withSql(url, (sql) =>
          sql.unsafe<{ args: string }>(
            `SELECT pg_get_function_identity_arguments(p.oid) AS args FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND p.proname = 'tailnet_routes_commit'`,
            [Postgres.defaultSchema],
          ),
        )
        // One commit function, schema 5's: no JSON parameter for created rows is left.
        expect(functions).toHaveLength(1)
        expect(functions[0]!.args).toContain("ri_prefix text[]")
        expect(functions[0]!.args).not.toContain("route_inserts")
      }),
  )
})
