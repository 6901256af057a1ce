/** The change log's retention on every store: old entries go, a reader behind them is told to reload, a huge change set is logged without rows. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Memory from "../../src/adapters/memory/MemoryRouteRepository.js"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { type LogRetention, RouteRepository } from "../../src/ports/RouteRepository.js"
import { changeSet, create, node } from "../support/builders.js"
import { freshDatabaseUrl, postgresAdminUrl } from "../support/postgres.js"
import { dropDatabase } from "../support/postgresCluster.js"

const retention: LogRetention = { minEntries: 10, minAgeMs: 100, maxRows: 2 }

const stores: ReadonlyArray<readonly [string, () => Layer.Layer<RouteRepository, unknown>]> = [
  ["memory", () => Layer.effect(RouteRepository, Memory.make({ logRetention: retention }))],
  ["sqlite", () => Sqlite.layer({ filename: ":memory:", logRetention: retention })],
  [
    "postgres",
    () =>
      Layer.unwrap(
        Effect.acquireRelease(Effect.promise(freshDatabaseUrl), (url) =>
          Effect.promise(() => dropDatabase(postgresAdminUrl(), url)),
        ).pipe(Effect.map((url) => Postgres.layer({ url, maxConnections: 2, logRetention: retention }))),
      ),
  ],
]

describe.each(stores)("change log retention: %s", (_, layer) => {
  it.effect("entries older and further back than the retention go; a reader behind them gets a gap", () =>
    Effect.gen(function* () {
      const repo = yield* RouteRepository
      // One node per commit, at time = version: the prune at version 256 may drop entries up to
      // version 246 that are older than 256 - 100 ms, i.e. versions 1..155.
      for (let v = 1; v <= 256; v++) {
        yield* repo.apply(changeSet(1, { nodes: [create(node(`n${v}`))] }), {
          base: v - 1,
          origin: "t",
          at: v,
        })
      }
      const behind = yield* repo.readLog(0, 10)
      expect(behind.gap).toBe(true)
      expect(behind.head).toBe(256)
      expect((yield* repo.readLog(154, 10)).gap).toBe(true)
      const kept = yield* repo.readLog(155, 3)
      expect(kept.gap).toBe(false)
      expect(kept.entries.map((e) => e.version)).toEqual([156, 157, 158])
    }).pipe(Effect.provide(layer())),
  )

  it.effect("a change set of more rows than maxRows is logged without them (readers reload)", () =>
    Effect.gen(function* () {
      const repo = yield* RouteRepository
      const three = changeSet(1, { nodes: ["a", "b", "c"].map((id) => create(node(id))) })
      yield* repo.apply(three, { base: 0, origin: "import", at: 5 })
      expect((yield* repo.readLog(0, 10)).entries).toEqual([
        { version: 1, origin: "import", committedAt: 5, changes: null },
      ])
      expect((yield* repo.loadAll).nodes.map((n) => n.id)).toEqual(["a", "b", "c"])
    }).pipe(Effect.provide(layer())),
  )
})
