/**
 * The validation layer through the Effect API (issue 12): `RouteManager.layer`
 * refuses bad options and settings, and every command refuses a bad argument,
 * with an `InvalidInput` naming the field and the value; nothing runs.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import * as MemoryRouteRepository from "../../src/adapters/memory/MemoryRouteRepository.js"
import { RouteManager } from "../../src/app/RouteManager.js"
import { InvalidInput } from "../../src/domain/errors.js"
import { memoryManager } from "./harness.js"

const opening = (options: object, settings: object = {}) =>
  Effect.exit(
    Effect.scoped(
      Layer.build(
        RouteManager.layer(options as never, settings as never).pipe(
          Layer.provide(MemoryRouteRepository.layer),
        ),
      ),
    ),
  )

const failure = <A, E>(exit: Exit.Exit<A, E>): unknown =>
  Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined

describe("RouteManager.layer checks its options and settings", () => {
  it.effect('gracePeriodMs "300", NaN, -5000 and onWithdraw "explode" are refused', () =>
    Effect.gen(function* () {
      for (const [options, field] of [
        [{ gracePeriodMs: "300" }, "options.gracePeriodMs"],
        [{ gracePeriodMs: Number.NaN }, "options.gracePeriodMs"],
        [{ gracePeriodMs: -5000 }, "options.gracePeriodMs"],
        [{ onWithdraw: "explode" }, "options.onWithdraw"],
        [{ whenNoneEligible: "maybe" }, "options.whenNoneEligible"],
        [{ preemption: "yes" }, "options.preemption"],
      ] as const) {
        const error = failure(yield* opening(options))
        assert.instanceOf(error, InvalidInput)
        assert.strictEqual((error as InvalidInput).field, field)
      }
    }),
  )

  it.effect("settings: a replica id with a NUL, a lease of 0 and negative retries are refused", () =>
    Effect.gen(function* () {
      for (const [settings, field] of [
        [{ replicaId: "r\u0000" }, "settings.replicaId"],
        [{ leaseMs: 0 }, "settings.leaseMs"],
        [{ conflictRetries: -1 }, "settings.conflictRetries"],
      ] as const) {
        const error = failure(yield* opening({}, settings))
        assert.instanceOf(error, InvalidInput)
        assert.strictEqual((error as InvalidInput).field, field)
      }
    }),
  )
})

describe("commands check their arguments", () => {
  it.effect("each bad argument is an InvalidInput naming it, and changes nothing", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* m.upsertNode({ id: "a", user: "alice@" })
      yield* m.advertise("a", ["10.0.0.0/24"])
      const before = yield* m.snapshot
      const cases: ReadonlyArray<readonly [Effect.Effect<unknown, unknown>, string, unknown]> = [
        [m.upsertNode({ id: "b\uD800", user: "alice@" }), "node.id", "b\uD800"],
        [m.upsertNode({ id: "b", user: "alice@", expiresAt: 1.5 }), "node.expiresAt", 1.5],
        [m.setTags("a", ["notag"]), "tags[0]", "notag"],
        [m.connect("a\u0000"), "nodeId", "a\u0000"],
        [m.expireNode("a", 1e20), "at", 1e20],
        [m.expireNode("a", -1), "at", -1],
        [m.advertise("a", "10.0.0.0/8" as never), "prefixes", "10.0.0.0/8"],
        [m.enableRoutes({ routeIds: [1.5] }), "target", { routeIds: [1.5] }],
        [m.markHealth({ routeIds: [1] }, "yes" as never), "healthy", "yes"],
        [m.setPolicyText(5 as never), "policy", 5],
        [m.listRoutes({ nodeId: 5 } as never), "filter.nodeId", 5],
      ]
      for (const [effect, field, value] of cases) {
        const error = yield* Effect.flip(effect)
        assert.instanceOf(error, InvalidInput)
        assert.strictEqual(
          (error as InvalidInput).field.startsWith(field),
          true,
          (error as InvalidInput).field,
        )
        if (field !== "target") assert.deepStrictEqual((error as InvalidInput).value, value)
      }
      assert.deepStrictEqual(yield* m.snapshot, before)
    }).pipe(Effect.provide(memoryManager())),
  )
})
