/**
 * The one write path on a real (in-memory) store: a write that loses a race
 * is decided again on the new state, a refusal on a fresh snapshot stands,
 * an empty change set costs no write, and retries run out with the store's
 * own error.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as MemoryRouteRepository from "../../src/adapters/memory/MemoryRouteRepository.js"
import { indexSide, snapshotSide, type WriteSide, writeThrough } from "../../src/app/writeThrough.js"
import { defaultOptions } from "../../src/domain/Options.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { upsertNode } from "../../src/domain/transitions/nodeCommands.js"
import type { RouteRepository } from "../../src/ports/RouteRepository.js"
import { changeSet, node, update } from "../support/builders.js"

const NOW = 1_000

/** Registers `id` at the store's current version, as another writer would. */
const otherWriter = (repo: RouteRepository["Service"], id: string) =>
  Effect.gen(function* () {
    const snapshot = yield* repo.loadAll
    const cs = upsertNode(RouteIndex.from(snapshot), { id, user: "bob@" }, NOW, defaultOptions)
    assert.isTrue(Result.isSuccess(cs))
    if (Result.isSuccess(cs))
      yield* repo.apply(cs.success, { base: snapshot.version, origin: "other", at: NOW })
  })

/** A fresh-snapshot side whose views are each followed by another writer's commit, `times` times. */
const racedSide = (repo: RouteRepository["Service"], times: number): WriteSide & { views: () => number } => {
  const base = snapshotSide(repo)
  let views = 0
  return {
    ...base,
    view: Effect.tap(base.view, () => {
      views++
      return views <= times ? otherWriter(repo, `other-${views}`) : Effect.void
    }),
    views: () => views,
  }
}

const register = (id: string) => (view: RouteIndex, now: number) =>
  upsertNode(view, { id, user: "alice@" }, now, defaultOptions)

describe("writeThrough", () => {
  it.effect("a write that lost a race is decided again on the new state and lands after the other's", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const side = racedSide(repo, 2)
      const written = yield* writeThrough(repo, side, {
        compute: register("mine"),
        changes: (cs) => cs,
        origin: "cli",
        now: () => NOW,
        retries: 5,
      })
      assert.strictEqual(side.views(), 3)
      assert.strictEqual(written.version, 3)
      assert.strictEqual(written.view.version, 2)
      const stored = yield* repo.loadAll
      assert.deepStrictEqual(stored.nodes.map((n) => n.id).sort(), ["mine", "other-1", "other-2"])
      const log = yield* repo.readLog(0, 10)
      assert.deepStrictEqual(
        log.entries.map((e) => e.origin),
        ["other", "other", "cli"],
      )
    }),
  )

  it.effect("retries run out with the store's own conflict, and nothing of this write is stored", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const side = racedSide(repo, 10)
      const failed = yield* Effect.flip(
        writeThrough(repo, side, {
          compute: register("mine"),
          changes: (cs) => cs,
          origin: "cli",
          now: () => NOW,
          retries: 2,
        }),
      )
      assert.strictEqual(failed._tag, "WriteConflict")
      assert.strictEqual(side.views(), 3)
      const stored = yield* repo.loadAll
      assert.isFalse(stored.nodes.some((n) => n.id === "mine"))
    }),
  )

  it.effect("a refusal on a fresh snapshot stands: decided once, nothing written", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const side = racedSide(repo, 0)
      const refused = yield* Effect.flip(
        writeThrough(repo, side, {
          compute: () => Result.fail("no" as const),
          changes: () => {
            throw new Error("never asked for a refused value's changes")
          },
          origin: "cli",
          now: () => NOW,
          retries: 5,
        }),
      )
      assert.strictEqual(refused, "no")
      assert.strictEqual(side.views(), 1)
      assert.strictEqual(yield* repo.head, 0)
    }),
  )

  it.effect("a miss on a store that has not moved is reloaded once, then stands", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const side = racedSide(repo, 0)
      // An update of a node the store does not hold: a compare-and-set miss on every attempt.
      const failed = yield* Effect.flip(
        writeThrough(repo, side, {
          compute: () => Result.succeed(changeSet(1, { nodes: [update(node("ghost"), { user: "x@" })] })),
          changes: (cs) => cs,
          origin: "cli",
          now: () => NOW,
          retries: 5,
        }),
      )
      assert.strictEqual(failed._tag, "WriteConflict")
      assert.strictEqual(side.views(), 2)
      assert.strictEqual(yield* repo.head, 0)
    }),
  )

  it.effect("an empty change set writes nothing and makes no version", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const index = RouteIndex.from(yield* repo.loadAll)
      const written = yield* writeThrough(repo, indexSide(index), {
        compute: (view) => Result.succeed(view.nextRouteId),
        changes: () => changeSet(1),
        origin: "cli",
        now: () => NOW,
        retries: 0,
      })
      assert.strictEqual(written.version, null)
      assert.strictEqual(yield* repo.head, 0)
    }),
  )

  it.effect("a side that keeps its index folds its own commit in", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const index = RouteIndex.from(yield* repo.loadAll)
      yield* writeThrough(repo, indexSide(index), {
        compute: register("mine"),
        changes: (cs) => cs,
        origin: "cli",
        now: () => NOW,
        retries: 0,
      })
      assert.strictEqual(index.version, 1)
      assert.strictEqual(index.node("mine")?.user, "alice@")
    }),
  )
})
