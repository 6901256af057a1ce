/**
 * The validation layer through the Effect API (issue 12): `RouteManager.layer`
 * refuses bad options and settings, and every command refuses a bad argument,
 * with an `InvalidInput` naming the field and the value; nothing runs.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import fc from "fast-check"
import * as MemoryRouteRepository from "../../src/adapters/memory/MemoryRouteRepository.js"
import { RouteManager, type RouteManagerService } from "../../src/app/RouteManager.js"
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

describe("arbitrary arguments through the Effect API", () => {
  const nasty = fc.oneof(
    fc.constantFrom("a", "", "\uD800", "x\u0000", "\u0007", "tag:", "tag:x", "10.0.0.0/24", "x".repeat(300)),
    fc.string({ maxLength: 6 }),
  )
  const anything: fc.Arbitrary<unknown> = fc.oneof(
    nasty,
    fc.constantFrom(0, 1, -1, 1.5, 1e20, Number.NaN, Infinity, null, undefined, true, [], {}),
    fc.array(nasty, { maxLength: 3 }),
    fc.jsonValue({ maxDepth: 2 }),
    fc.bigInt(),
  )
  type Run = (m: RouteManagerService) => Effect.Effect<unknown, unknown>
  const command: fc.Arbitrary<Run> = fc.oneof(
    anything.map(
      (n): Run =>
        (m) =>
          m.upsertNode(n as never),
    ),
    fc.tuple(anything, anything).map(
      ([id, t]): Run =>
        (m) =>
          m.setTags(id as never, t as never),
    ),
    anything.map(
      (id): Run =>
        (m) =>
          m.connect(id as never),
    ),
    anything.map(
      (id): Run =>
        (m) =>
          m.disconnect(id as never),
    ),
    fc.tuple(anything, anything).map(
      ([id, at]): Run =>
        (m) =>
          m.expireNode(id as never, at as never),
    ),
    anything.map(
      (id): Run =>
        (m) =>
          m.deleteNode(id as never),
    ),
    anything.map(
      (id): Run =>
        (m) =>
          m.logoutEphemeral(id as never),
    ),
    fc.tuple(anything, anything).map(
      ([id, ps]): Run =>
        (m) =>
          m.advertise(id as never, ps as never),
    ),
    anything.map(
      (t): Run =>
        (m) =>
          m.enableRoutes(t as never),
    ),
    anything.map(
      (t): Run =>
        (m) =>
          m.disableRoutes(t as never),
    ),
    anything.map(
      (t): Run =>
        (m) =>
          m.deleteRoutes(t as never),
    ),
    fc.tuple(anything, anything).map(
      ([id, ps]): Run =>
        (m) =>
          m.approveRoutes(id as never, ps as never),
    ),
    fc.tuple(anything, anything).map(
      ([id, ps]): Run =>
        (m) =>
          m.revokeRoutes(id as never, ps as never),
    ),
    fc.tuple(anything, anything).map(
      ([t, p]): Run =>
        (m) =>
          m.setPriority(t as never, p as never),
    ),
    fc.tuple(anything, anything).map(
      ([t, h]): Run =>
        (m) =>
          m.markHealth(t as never, h as never),
    ),
    anything.map(
      (p): Run =>
        (m) =>
          m.setPolicy(p),
    ),
    anything.map(
      (p): Run =>
        (m) =>
          m.setPolicyText(p as never),
    ),
    anything.map(
      (p): Run =>
        (m) =>
          m.previewPolicy(p),
    ),
    anything.map(
      (f): Run =>
        (m) =>
          m.listRoutes(f as never),
    ),
    anything.map(
      (p): Run =>
        (m) =>
          m.explain(p as never),
    ),
  )

  it("every command ends in success or a typed failure, never a defect", async () => {
    const runtime = ManagedRuntime.make(memoryManager())
    try {
      const m = await runtime.runPromise(
        Effect.gen(function* () {
          return yield* RouteManager
        }),
      )
      await runtime.runPromise(m.upsertNode({ id: "a", user: "alice@" }))
      await runtime.runPromise(m.advertise("a", ["10.0.0.0/24"]))
      await fc.assert(
        fc.asyncProperty(command, async (run) => {
          const exit = await runtime.runPromiseExit(Effect.suspend(() => run(m)))
          if (Exit.isSuccess(exit)) return
          const reasons = exit.cause.reasons
          if (
            !reasons.every(
              (r) => r._tag === "Fail" && typeof (r.error as { _tag?: unknown })._tag === "string",
            )
          ) {
            throw new Error(`not a typed failure: ${String(Cause.squash(exit.cause))}`)
          }
        }),
        { numRuns: 400 },
      )
    } finally {
      await runtime.dispose()
    }
  })
})
