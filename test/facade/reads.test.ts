/**
 * Reads on an unknown node are total, in both APIs: `getNode` gives nothing
 * and every node-scoped list is empty, for an id never seen and for a deleted
 * node alike; no read throws `UNKNOWN_NODE`. (Commands on an unknown node do
 * throw it: they would change something that does not exist.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { afterEach, expect } from "vitest"
import { RouteManager } from "../../src/app/RouteManager.js"
import { createManualClock, createRouteManager, type TailnetRouteManager } from "../../src/facade/index.js"
import { haGroup, memoryManager, SUBNET } from "../app/harness.js"

let open: TailnetRouteManager[] = []
afterEach(async () => {
  for (const m of open) await m.close()
  open = []
})

describe("Promise facade", () => {
  it("an unknown or deleted node reads as empty; a command on it throws UNKNOWN_NODE or NODE_DELETED", async () => {
    const m = await createRouteManager({ store: "memory", clock: createManualClock(1_000) })
    open.push(m)
    for (const id of ["r1", "r2"]) {
      await m.upsertNode({ id, user: "alice@" })
      await m.advertise(id, [SUBNET])
      await m.approveRoutes(id, [SUBNET])
      await m.connect(id)
    }
    await m.deleteNode("r2")
    const reads = async (id: string) => [
      await m.nodeRoutes(id),
      await m.primaryRoutes(id),
      await m.servedRoutes(id),
      await m.listRoutes({ nodeId: id }),
    ]
    expect(await m.getNode("nope")).toBeNull()
    expect(await reads("nope")).toEqual([[], [], [], []])
    expect((await m.getNode("r2"))?.deletedAt).toBe(1_000)
    expect(await reads("r2")).toEqual([[], [], [], []])
    // The same reads of a live node are not empty, so the check above can fail.
    expect((await reads("r1")).map((rs) => rs.length)).toEqual([1, 1, 1, 1])
    await expect(m.connect("nope")).rejects.toMatchObject({ code: "UNKNOWN_NODE", nodeId: "nope" })
    await expect(m.connect("r2")).rejects.toMatchObject({ code: "NODE_DELETED", nodeId: "r2" })
  })
})

describe("Effect API", () => {
  it.effect("the same reads never fail: getNode gives undefined, the lists are empty", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* m.deleteNode("r3")
      for (const id of ["nope", "r3"]) {
        const lists = [
          yield* m.nodeRoutes(id),
          yield* m.primaryRoutes(id),
          yield* m.servedRoutes(id),
          yield* m.listRoutes({ nodeId: id }),
        ]
        assert.deepStrictEqual(lists, [[], [], [], []])
      }
      assert.strictEqual(yield* m.getNode("nope"), undefined)
      assert.strictEqual((yield* m.getNode("r3"))?.id, "r3")
      const failed = yield* Effect.flip(m.connect("nope"))
      assert.strictEqual(failed._tag, "UnknownNode")
    }).pipe(Effect.provide(memoryManager())),
  )
})
