/** Regression tests, each named after the failure it prevents. */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { halfExitPair } from "../../src/domain/errors.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import { deleteNode, logoutEphemeral, upsertNode } from "../../src/domain/transitions/nodeCommands.js"
import { disableRoutes, enableRoutes } from "../../src/domain/transitions/routeCommands.js"
import { nextDeadline } from "../../src/domain/transitions/tick.js"
import { servedRoutes } from "../../src/domain/views.js"
import { Scenario } from "../support/scenario.js"

const P = "10.0.0.0/24"

/** n1 primary, n2 standby, both manually enabled and online. */
const pairOfRouters = (options = {}) => {
  const s = new Scenario(options)
  s.router("n1", [P])
  s.router("n2", [P])
  s.apply(enableRoutes(s.index, { nodeId: "n1", prefixes: [P] }, s.now, s.options))
  s.now += 10
  s.apply(enableRoutes(s.index, { nodeId: "n2", prefixes: [P] }, s.now, s.options))
  return s
}

describe("regressions", () => {
  it("re-enabling an enabled primary must not demote it", () => {
    const s = pairOfRouters()
    expect(s.primaryNode(P)).toBe("n1")
    const before = s.index.snapshot()
    const cs = s.apply(enableRoutes(s.index, { nodeId: "n1", prefixes: [P] }, s.now + 5, s.options))
    expect(cs).toEqual({
      nodes: [],
      routes: [],
      primaries: [],
      affectedPrefixes: [],
      affectedNodes: [],
      rejected: [],
      policy: null,
      nextRouteId: 3,
    })
    expect(s.index.snapshot()).toEqual(before)
  })

  it("failover must never pick a disabled or withdrawn standby", () => {
    const s = pairOfRouters({ onWithdraw: "retain" })
    s.router("n3", [P])
    s.router("n4", [P])
    s.apply(enableRoutes(s.index, { nodeId: "n3", prefixes: [P] }, s.now, s.options))
    s.apply(enableRoutes(s.index, { nodeId: "n4", prefixes: [P] }, s.now, s.options))
    // n2 (older than n4) is disabled; n3 (older than n4) withdraws but keeps its approval (retain).
    s.apply(disableRoutes(s.index, { nodeId: "n2", prefixes: [P] }, s.now, s.options))
    s.apply(advertise(s.index, { nodeId: "n3", routes: [] }, s.now, s.options))
    expect(s.row("n3", P)).toMatchObject({ advertised: false, enabled: true })
    s.disconnect("n1")
    s.wait(s.options.gracePeriodMs)
    expect(s.primaryNode(P)).toBe("n4")
  })

  it("a primary must not stay on an offline node when an eligible standby exists", () => {
    const s = pairOfRouters()
    const disconnectedAt = s.now
    s.disconnect("n1")
    expect(s.primaryNode(P)).toBe("n1") // within grace
    expect(nextDeadline(s.index, s.now, s.options)).toBe(disconnectedAt + 15_000)
    const cs = s.wait(15_000)
    expect(s.primaryNode(P)).toBe("n2")
    expect(cs.primaries).toEqual([{ prefix: P, before: 1, after: 2 }])
    expect(cs.affectedNodes).toEqual(["n1", "n2"])
    expect(nextDeadline(s.index, s.now, s.options)).toBe(null)
  })

  for (const order of [
    ["n1", "n2"],
    ["n2", "n1"],
  ]) {
    it(`the standby is not lost when all routers go offline and come back (${order.join(" then ")})`, () => {
      const s = pairOfRouters()
      s.disconnect("n1")
      s.disconnect("n2")
      s.wait(20_000)
      expect(s.primaryNode(P)).toBe("n1") // keep-last
      for (const id of order) s.connect(id)
      const first = order[0]!
      const second = order[1]!
      expect(s.primaryNode(P)).toBe(first)
      expect(s.row(second, P)).toMatchObject({ advertised: true, enabled: true, isPrimary: false })
      s.disconnect(first)
      s.wait(15_000)
      expect(s.primaryNode(P)).toBe(second)
    })
  }

  it("a deleted node never stays primary", () => {
    const s = pairOfRouters()
    s.disconnect("n2")
    s.wait(15_000)
    const cs = s.apply(deleteNode(s.index, { nodeId: "n1" }, s.now, s.options))
    // n2 is offline, and keep-last must not keep a deleted node's route.
    expect(s.primaryNode(P)).toBe(null)
    expect(cs.primaries).toEqual([{ prefix: P, before: 1, after: null }])
    expect(cs.routes.map((c) => c.after)).toEqual([
      { ...c0(cs), isPrimary: false, deletedAt: s.now, updatedAt: s.now },
    ])
    s.connect("n2")
    expect(s.primaryNode(P)).toBe("n2")
  })

  it("no orphan rows after node delete or ephemeral logout", () => {
    const s = new Scenario()
    s.router("n1", [P, "10.9.0.0/16", "0.0.0.0/0", "::/0"])
    s.apply(upsertNode(s.index, { id: "e1", user: "bob@", ephemeral: true }, s.now, s.options))
    s.connect("e1")
    s.apply(advertise(s.index, { nodeId: "e1", routes: [P] }, s.now, s.options))
    s.apply(deleteNode(s.index, { nodeId: "n1" }, s.now, s.options))
    s.apply(logoutEphemeral(s.index, { nodeId: "e1" }, s.now, s.options))
    expect(s.index.routesOfNode("n1")).toEqual([])
    expect(s.index.routesOfNode("e1")).toEqual([])
    expect(s.index.snapshot().routes).toEqual([])
    expect(s.index.routesOfPrefix(P)).toEqual([])
  })

  it("enabling one exit route enables both and neither is ever primary", () => {
    const s = new Scenario()
    s.router("n1", ["0.0.0.0/0", "::/0", P])
    const cs = s.apply(enableRoutes(s.index, { nodeId: "n1", prefixes: ["::/0"] }, s.now, s.options))
    expect(
      cs.routes.map((c) => [c.after.prefix.text, c.after.enabled, c.after.approvedBy, c.after.isPrimary]),
    ).toEqual([
      ["0.0.0.0/0", true, "manual", false],
      ["::/0", true, "manual", false],
    ])
    expect(cs.affectedNodes).toEqual(["n1"])
    expect(cs.primaries).toEqual([])
    expect(servedRoutes(s.index, "n1").map((r) => r.prefix.text)).toEqual(["0.0.0.0/0", "::/0"])
    // A half pair cannot be enabled.
    s.router("n2", ["0.0.0.0/0"])
    expect(enableRoutes(s.index, { nodeId: "n2", prefixes: ["0.0.0.0/0"] }, s.now, s.options)).toEqual(
      Result.fail(halfExitPair("n2", "::/0")),
    )
    // Disabling one disables both.
    const off = s.apply(disableRoutes(s.index, { nodeId: "n1", prefixes: ["0.0.0.0/0"] }, s.now, s.options))
    expect(off.routes.map((c) => [c.after.prefix.text, c.after.enabled])).toEqual([
      ["0.0.0.0/0", false],
      ["::/0", false],
    ])
  })

  it("a tagged node is not approved by its owner's user or group approver", () => {
    const policy = {
      groups: { "group:ops": ["alice@"] },
      autoApprovers: { routes: { "10.0.0.0/8": ["alice@", "group:ops"] }, exitNode: ["alice@", "group:ops"] },
    }
    const s = new Scenario({}, policy)
    s.router("tagged", ["10.1.0.0/16", "0.0.0.0/0", "::/0"], "alice@", ["tag:router"])
    s.router("mine", ["10.2.0.0/16", "0.0.0.0/0", "::/0"], "alice@")
    expect(s.index.routesOfNode("tagged").map((r) => r.enabled)).toEqual([false, false, false])
    expect(s.index.routesOfNode("mine").map((r) => [r.prefix.text, r.enabled, r.approvedBy])).toEqual([
      ["0.0.0.0/0", true, "policy"],
      ["10.2.0.0/16", true, "policy"],
      ["::/0", true, "policy"],
    ])
  })

  it("a 0.0.0.0/0 entry under routes approves IPv4 subnets but not the exit pair", () => {
    const s = new Scenario({}, { autoApprovers: { routes: { "0.0.0.0/0": ["alice@"] } } })
    s.router("n1", ["0.0.0.0/0", "::/0", "192.168.7.0/24", "fd00::/64"])
    expect(s.index.routesOfNode("n1").map((r) => [r.prefix.text, r.enabled])).toEqual([
      ["0.0.0.0/0", false],
      ["192.168.7.0/24", true],
      ["::/0", false],
      ["fd00::/64", false],
    ])
  })

  it("routes present in the very first advertisement are auto-approved", () => {
    const s = new Scenario({}, { autoApprovers: { routes: { "10.0.0.0/8": ["alice@"] } } })
    s.node("n1")
    s.connect("n1")
    const cs = s.apply(advertise(s.index, { nodeId: "n1", routes: ["10.1.0.0/16"] }, s.now, s.options))
    expect(cs.routes).toEqual([
      {
        before: null,
        after: {
          ...cs.routes[0]!.after,
          id: 1,
          advertised: true,
          enabled: true,
          approvedBy: "policy",
          isPrimary: true,
          createdAt: s.now,
          updatedAt: s.now,
          deletedAt: null,
        },
      },
    ])
    expect(cs.primaries).toEqual([{ prefix: "10.1.0.0/16", before: null, after: 1 }])
  })

  it("a withdrawn primary fails over at once, without grace", () => {
    const s = pairOfRouters()
    const cs = s.apply(advertise(s.index, { nodeId: "n1", routes: [] }, s.now, s.options))
    expect(s.primaryNode(P)).toBe("n2")
    expect(s.row("n1", P)).toMatchObject({
      advertised: false,
      enabled: false,
      approvedBy: null,
      isPrimary: false,
    })
    expect(cs.primaries).toEqual([{ prefix: P, before: 1, after: 2 }])
  })

  it("an older router coming back does not take the primary back", () => {
    const s = pairOfRouters()
    s.disconnect("n1")
    s.wait(15_000)
    s.connect("n1")
    expect(s.primaryNode(P)).toBe("n2")
  })

  it("an expired router loses the primary at its expiry, found by the tick", () => {
    const s = pairOfRouters()
    const at = s.now + 60_000
    s.apply(upsertNode(s.index, { id: "n1", user: "alice@", expiresAt: at }, s.now, s.options))
    expect(nextDeadline(s.index, s.now, s.options)).toBe(at)
    s.wait(59_999)
    expect(s.primaryNode(P)).toBe("n1")
    s.wait(1)
    expect(s.primaryNode(P)).toBe("n2")
  })
})

const c0 = (cs: { routes: ReadonlyArray<{ after: object }> }) => cs.routes[0]!.after
