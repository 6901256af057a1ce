/** Failover timing on the clock: re-election lands on the grace deadline's millisecond, not before, not after. */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, PubSub } from "effect"
import { TestClock } from "effect/testing"
import { RouteManager } from "../../src/app/RouteManager.js"
import { changeSetOf, haGroup, memoryManager, primaryNode, SUBNET, stalledClock } from "./harness.js"

const GRACE = 15_000

describe("failover at the grace deadline", () => {
  it.effect("a disconnected primary holds until t+grace-1 and fails over at exactly t+grace", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* TestClock.adjust(1_000)
      yield* m.disconnect("r1")
      assert.strictEqual(yield* m.nextDeadline, 1_000 + GRACE)
      yield* TestClock.adjust(GRACE - 1)
      assert.strictEqual(yield* primaryNode(m), "r1")
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* primaryNode(m), "r2")
      const [r1, r2] = yield* m.listRoutes({ prefix: SUBNET })
      assert.deepStrictEqual(
        [r1!.isPrimary, r1!.updatedAt, r2!.isPrimary, r2!.updatedAt],
        [false, 1_000 + GRACE, true, 1_000 + GRACE],
      )
      assert.strictEqual(yield* m.nextDeadline, null)
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )

  it.effect("the failover is published as its own change set at the deadline", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const m = yield* RouteManager
        yield* haGroup(m)
        const [r1, r2] = yield* m.listRoutes({ prefix: SUBNET })
        const sub = yield* m.subscribe
        yield* TestClock.adjust(1_000)
        yield* m.disconnect("r1")
        yield* PubSub.take(sub)
        yield* TestClock.adjust(GRACE)
        const event = yield* PubSub.take(sub)
        assert.deepStrictEqual(event.primaries, [{ prefix: SUBNET, before: r1!.id, after: r2!.id }])
        assert.deepStrictEqual(event.affectedNodes, ["r1", "r2"])
        assert.deepStrictEqual(event.nodes, [])
        assert.strictEqual(yield* PubSub.remaining(sub), 0)
      }),
    ).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )

  it.effect("a reconnect inside the grace cancels the failover", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* TestClock.adjust(1_000)
      yield* m.disconnect("r1")
      yield* TestClock.adjust(GRACE - 1)
      yield* m.connect("r1")
      assert.strictEqual(yield* m.nextDeadline, null)
      const before = yield* m.committed
      yield* TestClock.adjust(10 * GRACE)
      assert.strictEqual(yield* primaryNode(m), "r1")
      assert.strictEqual(yield* m.committed, before)
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )

  it.effect("no flap-back: the old primary returning does not take the prefix back", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* m.disconnect("r1")
      yield* TestClock.adjust(GRACE)
      assert.strictEqual(yield* primaryNode(m), "r2")
      yield* m.connect("r1")
      yield* TestClock.adjust(10 * GRACE)
      assert.strictEqual(yield* primaryNode(m), "r2")
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )

  it.effect("two disconnects re-arm to the earlier deadline, then the later one", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* m.disconnect("r2")
      yield* TestClock.adjust(5_000)
      yield* m.disconnect("r1")
      assert.strictEqual(yield* m.nextDeadline, GRACE)
      yield* TestClock.adjust(GRACE - 5_000)
      // r2's grace ended (it was not primary); r1 is still inside its own.
      assert.strictEqual(yield* primaryNode(m), "r1")
      assert.strictEqual(yield* m.nextDeadline, 5_000 + GRACE)
      yield* TestClock.adjust(4_999)
      assert.strictEqual(yield* primaryNode(m), "r1")
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* primaryNode(m), "r3")
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )

  it.effect("grace 0 fails over in the disconnect itself", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      const cs = yield* m.disconnect("r1")
      assert.strictEqual(cs.primaries.length, 1)
      assert.strictEqual(yield* primaryNode(m), "r2")
      assert.strictEqual(yield* m.nextDeadline, null)
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: 0 }))),
  )

  it.effect("a key expiry set for later moves the primary at that millisecond", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* m.expireNode("r1", 7_000)
      yield* TestClock.adjust(6_999)
      assert.strictEqual(yield* primaryNode(m), "r1")
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* primaryNode(m), "r2")
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )

  it.effect("preemption: a higher-priority router takes over exactly when the delay ends", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* TestClock.adjust(1_000)
      yield* m.setPriority({ nodeId: "r3", prefixes: [SUBNET] }, 10)
      yield* TestClock.adjust(4_999)
      assert.strictEqual(yield* primaryNode(m), "r1")
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* primaryNode(m), "r3")
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE, preemption: true, preemptDelayMs: 5_000 }))),
  )

  it.effect("a command after a missed deadline runs the due failover first, as its own event", () => {
    // A clock whose sleeps never wake: only the command's catch-up can realise the deadline.
    const clock = stalledClock(0)
    return Effect.scoped(
      Effect.gen(function* () {
        const m = yield* RouteManager
        yield* haGroup(m)
        yield* m.disconnect("r1")
        const sub = yield* m.subscribe
        clock.now = GRACE + 500
        const cs = yield* m.disconnect("r2")
        const first = yield* PubSub.take(sub)
        const second = yield* PubSub.take(sub)
        assert.deepStrictEqual(
          first.primaries.map((p) => [p.prefix, p.after !== null]),
          [[SUBNET, true]],
        )
        assert.deepStrictEqual(changeSetOf(second), cs)
        assert.strictEqual(yield* primaryNode(m), "r2")
        const [, r2] = yield* m.listRoutes({ prefix: SUBNET })
        assert.strictEqual(r2!.updatedAt, GRACE + 500)
      }),
    ).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE })), Effect.provideService(Clock.Clock, clock))
  })
})
