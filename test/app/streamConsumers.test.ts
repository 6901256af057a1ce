/**
 * What holds for Effect stream consumers (issue 12): the manager publishes
 * each commit into an unbounded PubSub and never waits on a consumer, so a
 * consumer whose stream fails or dies ends only its own fiber: commands keep
 * succeeding and every other subscription still gets every commit.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, PubSub, Stream } from "effect"
import { RouteManager } from "../../src/app/RouteManager.js"
import type { Commit } from "../../src/domain/Commit.js"
import { memoryManager } from "./harness.js"

describe("Effect stream consumers", () => {
  it.effect(
    "a consumer that dies on a commit stops only itself: commands succeed and another subscriber sees every commit",
    () =>
      Effect.gen(function* () {
        const m = yield* RouteManager
        const dying = yield* m.subscribe
        const healthy = yield* m.subscribe
        const failed = yield* Stream.fromSubscription(dying).pipe(
          Stream.runForEach(() => Effect.die(new Error("consumer boom"))),
          Effect.forkScoped,
        )
        yield* m.upsertNode({ id: "a", user: "alice@" })
        yield* m.upsertNode({ id: "b", user: "alice@" })
        yield* m.connect("a")
        const exit = yield* Fiber.await(failed)
        assert.isTrue(Exit.isFailure(exit))
        const seen: Commit[] = []
        for (let i = 0; i < 3; i++) seen.push(yield* PubSub.take(healthy))
        assert.deepStrictEqual(
          seen.map((c) => c.version),
          [1, 2, 3],
        )
      }).pipe(Effect.scoped, Effect.provide(memoryManager())),
  )
})
