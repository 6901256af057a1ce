// The failover log over a real SQLite file: a restarted service still shows
// the moves its store's change log holds, and then every new commit once.
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Effect, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { SqliteRepository } from "../../../src/adapters/storeLayers.js"
import { RouteManager } from "../../../src/app/RouteManager.js"
import { FailoverLog } from "../../../src/service/dashboard/FailoverLog.js"

const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-failoverlog-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stack = (filename: string) => {
  const manager = RouteManager.layer({ gracePeriodMs: 0 }).pipe(
    Layer.provideMerge(SqliteRepository.layer({ filename })),
  )
  return FailoverLog.layer.pipe(Layer.provideMerge(manager))
}

const run = <A, E>(filename: string, program: Effect.Effect<A, E, RouteManager | FailoverLog>) =>
  Effect.runPromise(Effect.scoped(Effect.provide(program, stack(filename))))

describe("FailoverLog", () => {
  it("is seeded from the change log at start, then adds each live commit once, newest first", async () => {
    const filename = path.join(dir, "routes.db")
    const first = await run(
      filename,
      Effect.gen(function* () {
        const m = yield* RouteManager
        for (const id of ["a", "b"]) {
          yield* m.upsertNode({ id, user: "alice@" })
          yield* m.connect(id)
          yield* m.advertise(id, ["10.0.0.0/24"])
          yield* m.approveRoutes(id, ["10.0.0.0/24"])
        }
        const log = yield* FailoverLog
        // The subscription is fed by a forked fiber: let it drain what was published.
        for (let i = 0; i < 100 && (yield* log.recent).length === 0; i++) yield* Effect.yieldNow
        return yield* log.recent
      }),
    )
    expect(first.map((f) => [f.prefix, f.from?.nodeId ?? null, f.to?.nodeId ?? null])).toEqual([
      ["10.0.0.0/24", null, "a"],
    ])

    const second = await run(
      filename,
      Effect.gen(function* () {
        const m = yield* RouteManager
        const log = yield* FailoverLog
        const seeded = yield* log.recent
        yield* m.connect("a")
        yield* m.connect("b")
        yield* m.disconnect("a")
        for (let i = 0; i < 100 && (yield* log.recent).length <= seeded.length; i++) yield* Effect.yieldNow
        return { seeded, after: yield* log.recent }
      }),
    )
    expect(second.seeded.map((f) => [f.from?.nodeId ?? null, f.to?.nodeId ?? null])).toContainEqual([
      null,
      "a",
    ])
    expect(second.after[0]).toMatchObject({
      prefix: "10.0.0.0/24",
      from: { nodeId: "a" },
      to: { nodeId: "b" },
    })
    const versions = second.after.map((f) => `${f.version}:${f.prefix}`)
    expect(new Set(versions).size).toBe(versions.length)
  })
})
