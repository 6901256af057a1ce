/**
 * How a manager learns what other processes committed, on one in-process
 * store shared by two managers: folding the change log entry by entry, and
 * reloading (publishing the difference) when the log no longer reaches back.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, PubSub, Scope, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as MemoryRouteRepository from "../../src/adapters/memory/MemoryRouteRepository.js"
import { RouteManager } from "../../src/app/RouteManager.js"
import type { RouteRepository } from "../../src/ports/RouteRepository.js"
import { managerOver, primaryNode, SUBNET } from "./harness.js"

const openOver = (repo: RouteRepository["Service"], replicaId: string) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(managerOver(repo, {}, { replicaId }), scope)
    const m = Context.get(context, RouteManager)
    const sub = yield* Scope.provide(m.subscribe, scope)
    return { m, sub, close: Scope.close(scope, Exit.void) }
  })

describe("following other processes", () => {
  it.effect("a manager folds another's commits from the log, publishing each once with its origin", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const a = yield* openOver(repo, "a")
      const b = yield* openOver(repo, "b")
      yield* a.m.upsertNode({ id: "r1", user: "alice@" })
      yield* a.m.advertise("r1", [SUBNET])
      yield* a.m.approveRoutes("r1", [SUBNET])
      yield* b.m.connect("r1")
      // b's connect was computed after it followed a's three commits: one version each, in order.
      const seen = yield* PubSub.takeAll(b.sub)
      assert.deepStrictEqual(
        seen.map((c) => [c.version, c.origin, c.reloadedFrom]),
        [
          [1, "a", null],
          [2, "a", null],
          [3, "a", null],
          [4, "b", null],
        ],
      )
      // a hears of b's commit from the store (here at once; NOTIFY or a poll between processes).
      for (let i = 0; i < 100 && (yield* a.m.version) < 4; i++) yield* Effect.yieldNow
      assert.strictEqual(yield* a.m.version, 4)
      assert.strictEqual(yield* primaryNode(a.m), "r1")
      assert.deepStrictEqual((yield* a.m.getNode("r1"))?.presence.replicas, { b: 1 })
      yield* b.close
      yield* a.close
    }),
  )

  it.effect(
    "a command refused on an old state is decided again on the store's: a node another process just registered is known",
    () =>
      Effect.gen(function* () {
        const shared = yield* MemoryRouteRepository.make()
        const a = yield* openOver(shared, "a")
        // b hears of nothing on its own, so only its command can find out that the store moved.
        const b = yield* openOver({ ...shared, watch: Stream.never }, "b")
        yield* a.m.upsertNode({ id: "r1", user: "alice@" })
        yield* b.m.connect("r1")
        assert.deepStrictEqual((yield* b.m.getNode("r1"))?.presence.replicas, { b: 1 })
        // A refusal that stands on the newest state is still a refusal.
        const refused = yield* Effect.flip(b.m.connect("nope"))
        assert.strictEqual(refused._tag, "UnknownNode")
        yield* b.close
        yield* a.close
      }),
  )

  it.effect("a manager behind the log's retention reloads and publishes the difference as one commit", () =>
    Effect.gen(function* () {
      const shared = yield* MemoryRouteRepository.make({ logRetention: { minEntries: 10, minAgeMs: 0 } })
      // b hears of nothing on its own: it learns only when its next write is refused as behind.
      const deaf: RouteRepository["Service"] = { ...shared, watch: Stream.never }
      const a = yield* openOver(shared, "a")
      const b = yield* openOver(deaf, "b")
      const from = yield* b.m.version
      for (let i = 0; i < 300; i++) {
        yield* TestClock.adjust(1)
        yield* a.m.upsertNode({ id: `n${i}`, user: "alice@" })
      }
      assert.strictEqual(yield* b.m.version, from)
      yield* b.m.upsertNode({ id: "late", user: "bob@" })
      const seen = yield* PubSub.takeAll(b.sub)
      assert.strictEqual(seen.length, 2)
      const [reload, own] = seen
      assert.strictEqual(reload!.origin, "reload")
      assert.strictEqual(reload!.reloadedFrom, from)
      assert.strictEqual(reload!.version, from + 300)
      assert.strictEqual(reload!.nodes.length, 300)
      assert.deepStrictEqual([own!.origin, own!.version, own!.reloadedFrom], ["b", from + 301, null])
      for (let i = 0; i < 100 && (yield* a.m.version) < from + 301; i++) yield* Effect.yieldNow
      assert.deepStrictEqual(yield* b.m.snapshot, yield* a.m.snapshot)
      yield* b.close
      yield* a.close
    }),
  )
})
