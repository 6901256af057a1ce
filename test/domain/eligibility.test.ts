/**
 * `eligibilityOf` (the verdict with its reason, for `explain`) and
 * `isEligible` (the election's allocation-free boolean) restate one rule
 * twice; these properties hold them to the same answer, and the reason to the
 * first thing an operator would have to fix.
 */
import { test } from "@fast-check/vitest"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  eligibilityOf,
  isEligible,
  isNodeOnline,
  nodeStanding,
  routeServes,
  Standing,
} from "../../src/domain/eligibility.js"
import type { Node, Presence } from "../../src/domain/Node.js"
import { makeOptions } from "../../src/domain/Options.js"
import type { Route } from "../../src/domain/Route.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { node, offlineSince, online, route } from "../support/builders.js"

// Times drawn from a small range so that now, disconnects + grace, expiries and
// deletions often coincide: the boundaries are where two restatements drift.
const time = fc.integer({ min: 0, max: 40 })

/** Mostly `usual`, sometimes `rare`: each check must pass often for the later ones to be reached. */
const mostly = <A, B>(usual: A, rare: fc.Arbitrary<B>): fc.Arbitrary<A | B> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: rare })

const presence: fc.Arbitrary<Presence> = fc.oneof(
  fc.constant(node("x").presence), // never connected
  fc.tuple(time, fc.integer({ min: 1, max: 3 })).map(([at, sessions]) => online(at, sessions)),
  time.map(offlineSince),
)

const nodeArb: fc.Arbitrary<Node | undefined> = fc.option(
  fc
    .record({ presence, expiresAt: mostly(null, time), deletedAt: mostly(null, time) })
    .map((over) => node("n1", over)),
  { nil: undefined },
)

const routeArb: fc.Arbitrary<Route> = fc
  .record({
    prefix: mostly("10.0.0.0/24", fc.constantFrom("fd00::/64", "0.0.0.0/0", "::/0")),
    advertised: mostly(true, fc.constant(false)),
    enabled: mostly(true, fc.constant(false)),
    healthy: mostly(true, fc.constant(false)),
    deletedAt: mostly(null, time),
  })
  .map(({ prefix, ...over }) => route(1, "n1", prefix, over))

const optionsArb = fc.constantFrom(0, 1, 5, 15).map((gracePeriodMs) => makeOptions({ gracePeriodMs }))

describe("eligibilityOf", () => {
  test.prop([routeArb, nodeArb, time, optionsArb], { numRuns: 3_000 })(
    "agrees with isEligible, and gives a grace end exactly while a disconnect is being ignored",
    (r, n, now, options) => {
      const verdict = eligibilityOf(r, n, now, options)
      expect(verdict.eligible).toBe(isEligible(r, n, now, options))
      if (verdict.eligible) {
        const p = n!.presence
        expect(verdict.graceUntil).toBe(p.sessions > 0 ? null : p.disconnectedAt! + options.gracePeriodMs)
      }
    },
  )

  test.prop([routeArb, nodeArb, time, optionsArb], { numRuns: 3_000 })(
    "names the first failing check, in the order an operator fixes them",
    (r, n, now, options) => {
      const verdict = eligibilityOf(r, n, now, options)
      // The checks in order, restated: the first that fails is the reason.
      const expected =
        r.deletedAt !== null
          ? { _tag: "Deleted", at: r.deletedAt }
          : r.prefix.text === "0.0.0.0/0" || r.prefix.text === "::/0"
            ? { _tag: "ExitRoute" }
            : !r.advertised
              ? { _tag: "NotAdvertised" }
              : !r.enabled
                ? { _tag: "Disabled" }
                : !r.healthy
                  ? { _tag: "Unhealthy" }
                  : n === undefined
                    ? { _tag: "NodeUnknown" }
                    : n.deletedAt !== null
                      ? { _tag: "NodeDeleted", at: n.deletedAt }
                      : n.expiresAt !== null && now >= n.expiresAt
                        ? { _tag: "Expired", at: n.expiresAt }
                        : isNodeOnline(n, now, options)
                          ? null
                          : n.presence.disconnectedAt === null
                            ? { _tag: "NeverConnected" }
                            : { _tag: "Offline", since: n.presence.disconnectedAt }
      expect(verdict.eligible ? null : verdict.reason).toEqual(expected)
    },
  )

  it("the generators reach every verdict (so the properties above can fail)", () => {
    const seen = new Set<string>()
    const samples = fc.sample(fc.tuple(routeArb, nodeArb, time, optionsArb), { numRuns: 3_000, seed: 14 })
    for (const [r, n, now, options] of samples) {
      const v = eligibilityOf(r, n, now, options)
      seen.add(v.eligible ? (v.graceUntil === null ? "online" : "grace") : v.reason._tag)
    }
    expect([...seen].sort()).toEqual(
      [
        "Deleted",
        "Disabled",
        "ExitRoute",
        "Expired",
        "NeverConnected",
        "NodeDeleted",
        "NodeUnknown",
        "NotAdvertised",
        "Offline",
        "Unhealthy",
        "grace",
        "online",
      ].sort(),
    )
  })
})

describe("nodeStanding", () => {
  test.prop([routeArb, nodeArb, time, optionsArb], { numRuns: 3_000 })(
    "is the node's part of eligibility, restated from the record's fields, and isEligible is it plus the route's part",
    (r, n, now, options) => {
      // Restated from the fields (DESIGN §3): no record, deleted, expired or offline (a
      // disconnect counts once the grace period has passed; never connected is offline).
      const p = n?.presence
      const expected =
        n === undefined
          ? Standing.Absent
          : n.deletedAt !== null
            ? Standing.Deleted
            : (n.expiresAt !== null && now >= n.expiresAt) ||
                (p!.sessions === 0 &&
                  (p!.disconnectedAt === null || now >= p!.disconnectedAt + options.gracePeriodMs))
              ? Standing.Down
              : Standing.Up
      expect(nodeStanding(n, now, options)).toBe(expected)
      const exit = r.prefix.text === "0.0.0.0/0" || r.prefix.text === "::/0"
      expect(isEligible(r, n, now, options)).toBe(!exit && routeServes(r) && expected === Standing.Up)
    },
  )

  // RouteIndex keeps standings in typed arrays (`NodeTable`); whatever the record, the
  // index answers what the record says. Ids far past the others are not held in the
  // arrays and take the lookup path, which must agree too.
  test.prop([fc.array(nodeArb, { minLength: 1, maxLength: 4 }), time, optionsArb], { numRuns: 1_000 })(
    "RouteIndex.slots.standingOf agrees with the node record, for nodes known and unknown, held ids and far ones",
    (records, now, options) => {
      const nodes = records.flatMap((n, k) => (n === undefined ? [] : [{ ...n, id: `n${k}` }]))
      // One row per slot, known node or not, plus one whose id is far past the rest.
      const routes = records.map((_, k) => route(k + 1, `n${k}`, `10.0.${k}.0/24`))
      routes.push(route(10_000_000, "n0", "10.1.0.0/24"))
      const index = RouteIndex.from({ nodes, routes, policy: {}, nextRouteId: 10_000_001 })
      for (const r of routes) {
        expect(index.slots.standingOf(r, now, options)).toBe(nodeStanding(index.node(r.nodeId), now, options))
      }
    },
  )
})
