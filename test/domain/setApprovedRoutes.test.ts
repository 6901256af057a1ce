/**
 * Replacing a node's approved set in one change set: what is named ends up
 * enabled, everything else of the node disabled, either exit prefix means
 * both, and a bad element changes nothing.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { type ChangeSet, isEmpty } from "../../src/domain/ChangeSet.js"
import { halfExitPair, noSuchRoute, routeNotAdvertised } from "../../src/domain/errors.js"
import { defaultOptions } from "../../src/domain/Options.js"
import { RouteIndex } from "../../src/domain/RouteIndex.js"
import { setApprovedRoutes } from "../../src/domain/transitions/routeCommands.js"
import { node, online, route } from "../support/builders.js"
import { checkInvariants } from "../support/invariants.js"

const NOW = 10_000

// r1 serves 10.0.0.0/24 (primary) and 10.1.0.0/24 (enabled, standby of r2's primary); its exit pair
// and 10.2.0.0/24 are advertised but not approved; 10.3.0.0/24 is approved but no longer advertised.
const tailnet = () =>
  RouteIndex.from({
    nodes: [node("r1", { presence: online(1) }), node("r2", { presence: online(1) })],
    routes: [
      route(1, "r1", "10.0.0.0/24", { isPrimary: true }),
      route(2, "r1", "10.1.0.0/24"),
      route(3, "r2", "10.1.0.0/24", { isPrimary: true }),
      route(4, "r1", "0.0.0.0/0", { enabled: false, approvedBy: null }),
      route(5, "r1", "::/0", { enabled: false, approvedBy: null }),
      route(6, "r1", "10.2.0.0/24", { enabled: false, approvedBy: null }),
      route(7, "r1", "10.3.0.0/24", { advertised: false }),
    ],
    policy: {},
    nextRouteId: 8,
  })

const enabledOf = (index: RouteIndex, nodeId: string): string[] =>
  index
    .routesOfNode(nodeId)
    .filter((r) => r.enabled)
    .map((r) => r.prefix.text)
    .sort()

const applied = (index: RouteIndex, result: Result.Result<ChangeSet, unknown>): RouteIndex => {
  if (Result.isFailure(result)) throw new Error(`refused: ${JSON.stringify(result.failure)}`)
  index.apply(result.success)
  return index
}

describe("setApprovedRoutes", () => {
  it("enables what is named and disables the node's other approvals, in one change set", () => {
    const index = tailnet()
    const result = setApprovedRoutes(
      index,
      { nodeId: "r1", prefixes: ["10.2.0.0/24", "::/0"] },
      NOW,
      defaultOptions,
    )
    applied(index, result)
    expect(enabledOf(index, "r1")).toEqual(["0.0.0.0/0", "10.2.0.0/24", "::/0"])
    // r1 lost 10.0.0.0/24, which had no standby: no primary left; 10.2.0.0/24 is r1's now.
    expect(index.routesOfPrefix("10.0.0.0/24").some((r) => r.isPrimary)).toBe(false)
    expect(index.routesOfPrefix("10.2.0.0/24").find((r) => r.isPrimary)?.nodeId).toBe("r1")
    // Another node's approvals are not touched.
    expect(enabledOf(index, "r2")).toEqual(["10.1.0.0/24"])
    expect(checkInvariants(index, NOW, defaultOptions)).toEqual([])
  })

  it("keeps a primary that stays approved, and an empty list revokes every approval", () => {
    const index = tailnet()
    applied(index, setApprovedRoutes(index, { nodeId: "r1", prefixes: ["10.0.0.0/24"] }, NOW, defaultOptions))
    expect(enabledOf(index, "r1")).toEqual(["10.0.0.0/24"])
    expect(index.route(1)?.isPrimary).toBe(true)
    applied(index, setApprovedRoutes(index, { nodeId: "r1", prefixes: [] }, NOW, defaultOptions))
    expect(enabledOf(index, "r1")).toEqual([])
  })

  it.each([
    ["a prefix the node has no row for", ["10.9.0.0/24"], "NoSuchRoute"],
    ["a row no longer advertised", ["10.0.0.0/24", "10.3.0.0/24"], "RouteNotAdvertised"],
    ["text that is not a prefix", ["10.0.0.1/24"], "InvalidPrefixInput"],
  ])("refuses %s, changing nothing", (_, prefixes, tag) => {
    const index = tailnet()
    const result = setApprovedRoutes(index, { nodeId: "r1", prefixes }, NOW, defaultOptions)
    expect(Result.isFailure(result) && (result.failure as { _tag: string })._tag).toBe(tag)
  })

  it("reports the first fault in an order that does not depend on how the list was written", () => {
    const refusal = (prefixes: string[]) => {
      const result = setApprovedRoutes(tailnet(), { nodeId: "r1", prefixes }, NOW, defaultOptions)
      return Result.isFailure(result) ? result.failure : undefined
    }
    // Every element parses first: a bad one is named even after a prefix the node lacks.
    expect(refusal(["10.9.0.0/24", "10.0.0.1/24"])).toMatchObject({
      _tag: "InvalidPrefixInput",
      message: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
    })
    // Then prefix order: 10.3.0.0/24 (not advertised) comes before 10.9.0.0/24 (no row), either way round.
    for (const prefixes of [
      ["10.9.0.0/24", "10.3.0.0/24"],
      ["10.3.0.0/24", "10.9.0.0/24"],
    ]) {
      expect(refusal(prefixes)).toEqual(routeNotAdvertised(7, "r1", "10.3.0.0/24"))
    }
    // A prefix the node has no row for.
    expect(refusal(["10.1.0.0/24", "10.5.0.0/24"])).toEqual(noSuchRoute("r1", "10.5.0.0/24"))
  })

  it("refuses an exit prefix unless the node advertises both halves, naming the missing half", () => {
    const index = RouteIndex.from({
      nodes: [node("x", { presence: online(1) })],
      routes: [
        route(1, "x", "0.0.0.0/0", { enabled: false, approvedBy: null }),
        route(2, "x", "10.0.0.0/24", { deletedAt: 5_000 }),
      ],
      policy: {},
      nextRouteId: 3,
    })
    const result = setApprovedRoutes(index, { nodeId: "x", prefixes: ["0.0.0.0/0"] }, NOW, defaultOptions)
    expect(Result.isFailure(result) && result.failure).toEqual(halfExitPair("x", "::/0"))
    const deleted = setApprovedRoutes(index, { nodeId: "x", prefixes: ["10.0.0.0/24"] }, NOW, defaultOptions)
    expect(Result.isFailure(deleted) && deleted.failure).toEqual(noSuchRoute("x", "10.0.0.0/24"))
  })

  it("counts repeats once, and changes nothing when the set is already the approved one", () => {
    const index = tailnet()
    applied(
      index,
      setApprovedRoutes(
        index,
        { nodeId: "r1", prefixes: ["10.2.0.0/24", "10.2.0.0/24"] },
        NOW,
        defaultOptions,
      ),
    )
    expect(enabledOf(index, "r1")).toEqual(["10.2.0.0/24"])
    const again = setApprovedRoutes(
      index,
      { nodeId: "r1", prefixes: ["10.2.0.0/24"] },
      NOW + 1,
      defaultOptions,
    )
    expect(Result.isSuccess(again) && isEmpty(again.success)).toBe(true)
  })

  it("refuses an unknown node", () => {
    const result = setApprovedRoutes(tailnet(), { nodeId: "nope", prefixes: [] }, NOW, defaultOptions)
    expect(Result.isFailure(result) && result.failure._tag).toBe("UnknownNode")
  })
})
