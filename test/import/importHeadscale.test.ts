/**
 * The use case end to end, on every store: dry run writes nothing, the import
 * writes exactly the expected rows, a repeat import writes nothing, and the
 * source file's bytes never change.
 */
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import * as Memory from "../../src/adapters/memory/MemoryRouteRepository.js"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { emptyChangeSet } from "../../src/domain/ChangeSet.js"
import type { Node } from "../../src/domain/Node.js"
import { defaultOptions } from "../../src/domain/Options.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { reconcile } from "../../src/domain/reconcile.js"
import { importHeadscale } from "../../src/headscale.js"
import { type RepositoryError, RouteRepository } from "../../src/ports/RouteRepository.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { expectedNodes017, expectedReport017, expectedRoutes017 } from "./support/expected017.js"
import { expectedNodes022, expectedReport022, expectedRoutes022 } from "./support/expected022.js"
import { expectedNodes026, expectedReport026, expectedRoutes026 } from "./support/expected026.js"
import { buildSqlite, fileHash, legacyRows } from "./support/headscaleFixtures.js"
import { copyToPostgres } from "./support/headscalePostgres.js"
import { NOW } from "./support/rows.js"

const stores: ReadonlyArray<readonly [string, () => Promise<Layer.Layer<RouteRepository, RepositoryError>>]> =
  [
    ["memory", async () => Memory.layer],
    [
      "sqlite",
      async () =>
        Sqlite.layer({ filename: path.join(mkdtempSync(path.join(os.tmpdir(), "tr-store-")), "routes.db") }),
    ],
    ["postgres", async () => Postgres.layer({ url: await freshDatabaseUrl(), maxConnections: 2 })],
  ]

const fixtures = [
  ["0.17", legacyRows, expectedNodes017, expectedRoutes017, expectedReport017],
  ["0.22", "", expectedNodes022, expectedRoutes022, expectedReport022],
  ["0.26", "", expectedNodes026, expectedRoutes026, expectedReport026],
] as const

const byId = (a: Node, b: Node): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Dry run, import, import again (a minute later), reading the store after each. */
const scenario = (source: string) =>
  Effect.gen(function* () {
    const repo = yield* RouteRepository
    yield* TestClock.setTime(NOW)
    const dry = yield* importHeadscale(source, { dryRun: true })
    const afterDry = yield* repo.loadAll
    const first = yield* importHeadscale(source)
    const afterFirst = yield* repo.loadAll
    yield* TestClock.adjust("1 minute")
    const again = yield* importHeadscale(source)
    const afterAgain = yield* repo.loadAll
    return { dry, afterDry, first, afterFirst, again, afterAgain }
  })

describe("importHeadscale on every store", () => {
  for (const [store, makeLayer] of stores) {
    for (const [era, extra, nodes, routes, report] of fixtures) {
      it(`${store}: ${era} fixture — dry run, exact import, empty repeat, source untouched`, async () => {
        const file = buildSqlite(era, extra)
        const before = fileHash(file)
        const layer = Layer.merge(await makeLayer(), TestClock.layer())
        const r = await Effect.runPromise(scenario(file).pipe(Effect.provide(layer)))

        expect(r.dry).toEqual({
          source: file,
          dryRun: true,
          written: false,
          report,
          changes: r.first.changes,
        })
        expect(r.afterDry).toEqual({ nodes: [], routes: [], policy: {}, nextRouteId: 1, version: 0 })

        expect(r.first.written).toBe(true)
        expect(r.first.report).toEqual(report)
        expect(r.afterFirst.nodes).toEqual([...nodes].sort(byId))
        expect(r.afterFirst.routes).toEqual(routes)
        expect(r.afterFirst.nextRouteId).toBe(routes.length + 1)
        // The imported state is one the core's full reconcile agrees with.
        expect(reconcile(RouteIndex.from(r.afterFirst), NOW, defaultOptions)).toEqual({
          changeSet: emptyChangeSet(routes.length + 1),
          repairs: [],
        })

        expect(r.again.written).toBe(false)
        expect(r.again.report.upToDate).toBe(true)
        expect(r.again.changes.nodes).toEqual([])
        expect(r.again.changes.routes).toEqual([])
        expect(r.afterAgain).toEqual(r.afterFirst)

        expect(fileHash(file)).toBe(before)
      })
    }
  }

  it("imports from a Postgres URL exactly as from the SQLite file", async () => {
    const file = buildSqlite("0.22")
    const url = await freshDatabaseUrl()
    await copyToPostgres(file, url)
    const layer = Layer.merge(Memory.layer, TestClock.layer())
    const r = await Effect.runPromise(scenario(url).pipe(Effect.provide(layer)))
    expect(r.first.source).toBe(url)
    expect(r.first.report).toEqual(expectedReport022)
    expect(r.afterFirst.routes).toEqual(expectedRoutes022)
    expect(r.afterFirst.nodes).toEqual([...expectedNodes022].sort(byId))
    expect(r.again.report.upToDate).toBe(true)
  })
})

it("an import that another writer overtakes (a running manager's commit) plans again on the new state instead of failing", async () => {
  const inner = await Effect.runPromise(Memory.make())
  // Before the import's first write lands, another process commits a node of its own.
  let overtaken = false
  const busy: RouteRepository["Service"] = {
    ...inner,
    apply: (changes, info) =>
      Effect.gen(function* () {
        if (info.origin === "import" && !overtaken) {
          overtaken = true
          const other = {
            ...emptyChangeSet(1),
            nodes: [{ before: null, after: { ...expectedNodes026[0]!, id: "other", user: "ops@" } }],
          }
          yield* inner.apply(other, { base: yield* inner.head, origin: "replica-b", at: NOW })
        }
        return yield* inner.apply(changes, info)
      }),
  }
  const layer = Layer.merge(Layer.succeed(RouteRepository, busy), TestClock.layer())
  const result = await Effect.runPromise(
    Effect.andThen(TestClock.setTime(NOW), importHeadscale(buildSqlite("0.26"))).pipe(Effect.provide(layer)),
  )
  expect(overtaken).toBe(true)
  expect(result.written).toBe(true)
  const page = await Effect.runPromise(inner.readLog(0, 10))
  expect(page.entries.map((e) => [e.version, e.origin])).toEqual([
    [1, "replica-b"],
    [2, "import"],
  ])
  const stored = await Effect.runPromise(inner.loadAll)
  expect(stored.nodes.map((n) => n.id)).toContain("other")
  expect(stored.routes).toHaveLength(expectedRoutes026.length)
})
