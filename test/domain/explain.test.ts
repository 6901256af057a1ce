import { describe, expect, it } from "vitest"
import { explain } from "../../src/domain/explain.js"
import { enableRoutes } from "../../src/domain/transitions/routeCommands.js"
import { Scenario } from "../support/scenario.js"

const P = "10.0.0.0/24"

describe("explain", () => {
  it("says why the primary is the primary and why each other route is not", () => {
    const s = new Scenario()
    for (const id of ["n1", "n2", "n3", "n4"]) s.router(id, [P])
    for (const id of ["n1", "n2", "n3"])
      s.apply(enableRoutes(s.index, { nodeId: id, prefixes: [P] }, s.now, s.options))
    s.disconnect("n1")
    const disconnectedAt = s.now
    s.wait(20_000) // n1's grace is over: n2 (older than n3) takes over
    s.connect("n1") // n1 is back and outranks n2 by age, but n2 is sticky
    s.disconnect("n3")
    const e = explain(s.index, P, s.now, s.options)
    expect(e.primary).toBe(2)
    expect(e.storedPrimary).toBe(2)
    expect(e.candidates.map((c) => [c.route.id, c.status, c.text])).toEqual([
      [2, { _tag: "Primary", why: "Sticky" }, "primary: it was primary and is still eligible (sticky)"],
      [
        1,
        { _tag: "Standby", why: "PrimaryIsSticky" },
        "standby: outranks the primary, but the primary stays while it is eligible",
      ],
      [
        3,
        // Created in the same millisecond as n2's route: the id breaks the tie.
        { _tag: "Standby", why: "HigherId" },
        `standby: same age as the primary, higher id (disconnected, within grace until ${new Date(s.now + 15_000).toISOString()})`,
      ],
      [4, { _tag: "Ineligible", reason: { _tag: "Disabled" } }, "not eligible: disabled"],
    ])
    expect(disconnectedAt).toBeLessThan(s.now)
  })

  it("names the offline router and keep-last when nothing is eligible", () => {
    const s = new Scenario()
    s.router("n1", [P])
    s.apply(enableRoutes(s.index, { nodeId: "n1", prefixes: [P] }, s.now, s.options))
    s.disconnect("n1")
    const since = s.now
    s.wait(15_000)
    const e = explain(s.index, P, s.now, s.options)
    expect(e.candidates.map((c) => [c.status, c.text])).toEqual([
      [
        { _tag: "Primary", why: "KeptLast" },
        "primary: nothing is eligible; keep-last holds the last primary",
      ],
    ])
    expect(e.candidates[0]!.eligibility).toEqual({ eligible: false, reason: { _tag: "Offline", since } })
  })
})
