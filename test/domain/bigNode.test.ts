/**
 * One node with a huge advertisement (issue 12): the index folds a node's
 * many rows in one walk of its group (no scan per row), and an advertisement
 * above `maxRoutesPerNode` is refused whole.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { nthPrefix } from "../../bench/syntheticTailnet.js"
import { TooManyRoutes } from "../../src/domain/errors.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import { deleteNode } from "../../src/domain/transitions/nodeCommands.js"
import { PERMISSIVE, POLICIES } from "../support/commands.js"
import { Scenario } from "../support/scenario.js"

const prefixes = (from: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => nthPrefix(from + i).text)

/** The index after `apply` holds what a fresh index of its own snapshot holds, group by group. */
const expectConsistent = (index: RouteIndex): void => {
  const fresh = RouteIndex.from(index.snapshot())
  const ids = (rows: ReadonlyArray<{ id: number }>) => rows.map((r) => r.id).sort((a, b) => a - b)
  for (const n of fresh.allNodes())
    expect(ids(index.routesOfNode(n.id))).toEqual(ids(fresh.routesOfNode(n.id)))
  for (const [text, group] of fresh.prefixGroups())
    expect(ids(index.routesOfPrefix(text))).toEqual(ids(group))
  expect(Array.from(index.allPrefixes()).sort()).toEqual(Array.from(fresh.allPrefixes()).sort())
  expect(index.routeCount).toBe(fresh.routeCount)
}

describe("one node with many prefixes", () => {
  it("advertising, partly withdrawing, re-advertising and deleting 3,000 prefixes keeps every group of the index exact", () => {
    const s = new Scenario({ maxRoutesPerNode: 5_000 }, POLICIES[PERMISSIVE])
    s.router("big", prefixes(0, 3_000))
    s.router("small", prefixes(0, 3))
    expectConsistent(s.index)
    s.apply(advertise(s.index, { nodeId: "big", routes: prefixes(1_000, 3_000) }, s.now, s.options))
    expectConsistent(s.index)
    s.apply(advertise(s.index, { nodeId: "big", routes: prefixes(0, 500) }, s.now, s.options))
    expectConsistent(s.index)
    s.apply(deleteNode(s.index, { nodeId: "big" }, s.now, s.options))
    expectConsistent(s.index)
    expect(s.index.routesOfNode("big")).toEqual([])
    expect(s.index.routesOfNode("small")).toHaveLength(3)
  })

  it("advertising, withdrawing and deleting 40k prefixes on one node is not quadratic (it took 8 s, scanning the node's group per row)", () => {
    const s = new Scenario({ maxRoutesPerNode: 40_000 }, POLICIES[PERMISSIVE])
    s.router("big", [])
    const all = prefixes(0, 40_000)
    const t0 = performance.now()
    s.index.apply(Result.getOrThrow(advertise(s.index, { nodeId: "big", routes: all }, s.now, s.options)))
    s.index.apply(Result.getOrThrow(advertise(s.index, { nodeId: "big", routes: [] }, s.now, s.options)))
    s.index.apply(Result.getOrThrow(deleteNode(s.index, { nodeId: "big" }, s.now, s.options)))
    // Linear work is ~0.3 s here; the generous bound only catches the quadratic path.
    expect(performance.now() - t0).toBeLessThan(3_000)
    expect(s.index.routeCount).toBe(0)
  })

  it("an advertisement of more distinct prefixes than maxRoutesPerNode is refused whole with TooManyRoutes", () => {
    const s = new Scenario({ maxRoutesPerNode: 100 }, POLICIES[PERMISSIVE])
    s.router("r", prefixes(0, 100))
    // Duplicates collapse first, so 100 distinct prefixes written twice are within the cap.
    expect(
      Result.isSuccess(
        advertise(
          s.index,
          { nodeId: "r", routes: [...prefixes(0, 100), ...prefixes(0, 100)] },
          s.now,
          s.options,
        ),
      ),
    ).toBe(true)
    const refused = advertise(s.index, { nodeId: "r", routes: prefixes(0, 101) }, s.now, s.options)
    expect(refused).toEqual(
      Result.fail(
        new TooManyRoutes({
          nodeId: "r",
          count: 101,
          limit: 100,
          message: "node r advertises 101 prefixes; maxRoutesPerNode is 100",
        }),
      ),
    )
  })

  it("the default cap is 10,000 prefixes", () => {
    const s = new Scenario({}, POLICIES[PERMISSIVE])
    s.router("r", [])
    expect(
      Result.isSuccess(advertise(s.index, { nodeId: "r", routes: prefixes(0, 10_000) }, s.now, s.options)),
    ).toBe(true)
    expect(
      Result.isFailure(advertise(s.index, { nodeId: "r", routes: prefixes(0, 10_001) }, s.now, s.options)),
    ).toBe(true)
  })
})
