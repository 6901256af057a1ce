/**
 * `byRouteId` has three ways to order a change set's rows: direct placement
 * for ids in a narrow range, a sort of packed doubles for wider ranges, and a
 * comparator sort for ids that cannot be packed. Each way is reached here and
 * agrees with the plain comparator sort.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { byRouteId } from "../../src/domain/internal/byRouteId.js"
import type { Route } from "../../src/domain/Route.js"
import { route } from "../support/builders.js"

// The position rides along, so a test sees which record came out where.
const record = (id: number, position: number) => ({ position, after: route(id, "n", "10.0.0.0/24") })

const recordsOf = (ids: ReadonlyArray<number>) => ids.map(record)
const idsOf = (rs: ReadonlyArray<{ after: Route }>) => rs.map((r) => r.after.id)
const oracle = (ids: ReadonlyArray<number>) => [...ids].sort((a, b) => a - b)

describe("byRouteId", () => {
  it.each([
    { why: "dense ids, placed directly", ids: [5, 3, 4, 1, 2] },
    { why: "sparse ids, packed with their positions", ids: [900_000, 7, 31_337, 123_456, 2] },
    { why: "ids at and past 2^31, still packed below 2^53", ids: [2 ** 31 + 5, 2 ** 31, 2 ** 40, 17] },
    { why: "an id too large to pack with its position: comparator sort", ids: [2 ** 52, 3, 2 ** 52 - 1, 1] },
    { why: "a negative id (a foreign store's): comparator sort", ids: [10, -4, 1_000_000, 0] },
    { why: "a non-integer between integer bounds: not placed, not packed", ids: [1, 2.5, 3, 900_000, 4] },
    { why: "a non-integer inside a narrow range", ids: [1, 2.5, 3, 4] },
  ])("orders $why", ({ ids }) => {
    expect(idsOf(byRouteId(recordsOf(ids)))).toEqual(oracle(ids))
  })

  it("returns the records themselves, not copies", () => {
    const rs = recordsOf([900_000, 7, 2])
    const out = byRouteId(rs)
    expect(out.map((r) => r.position)).toEqual([2, 1, 0])
    expect(out[0]).toBe(rs[2])
  })

  it("leaves its input in place", () => {
    const rs = recordsOf([2 ** 52, 3, 1])
    byRouteId(rs)
    expect(idsOf(rs)).toEqual([2 ** 52, 3, 1])
  })

  it("agrees with the comparator sort on any distinct ids, narrow or wide", () => {
    const id = fc.oneof(
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: 1, max: 2 ** 31 + 1000 }),
      fc.maxSafeInteger(),
      fc.integer({ min: -1000, max: 1000 }),
    )
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 300 }), (ids) => {
        expect(idsOf(byRouteId(recordsOf(ids)))).toEqual(oracle(ids))
      }),
    )
  })
})
