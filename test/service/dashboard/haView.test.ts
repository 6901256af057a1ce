// The dashboard's view and failover timeline, from real explanations and
// change sets made by the pure core.
import { describe, expect, it } from "vitest"
import { explain } from "../../../src/domain/explain.js"
import { enableRoutes } from "../../../src/domain/transitions/routeCommands.js"
import { explanationToJson } from "../../../src/facade/toJson.js"
import { failoversOf } from "../../../src/service/dashboard/failovers.js"
import { haView } from "../../../src/service/dashboard/haView.js"
import { changeSet, route } from "../../support/builders.js"
import { Scenario } from "../../support/scenario.js"

const P = "10.0.0.0/24"

const scenario = () => {
  const s = new Scenario({ gracePeriodMs: 15_000 })
  for (const id of ["a", "b", "c"]) s.router(id, [P])
  s.router("x", ["0.0.0.0/0", "::/0"])
  s.router("y", ["0.0.0.0/0", "::/0"])
  for (const id of ["a", "b"]) s.apply(enableRoutes(s.index, { nodeId: id, prefixes: [P] }, s.now, s.options))
  s.apply(enableRoutes(s.index, { nodeId: "x", prefixes: ["0.0.0.0/0"] }, s.now, s.options))
  return s
}

const viewOf = (s: Scenario) =>
  haView({
    now: s.now,
    version: 9,
    explanations: [explanationToJson(explain(s.index, P, s.now, s.options))],
    exitRoutes: [...s.index.allRoutes()].filter((r) => r.prefix.length === 0),
    online: (id) => (s.index.node(id)?.presence.sessions ?? 0) > 0,
    failovers: [],
  })

describe("haView", () => {
  it("puts explain's primary, standbys and ineligible routes in one row, with reasons", () => {
    const view = viewOf(scenario())
    expect(view.groups).toHaveLength(1)
    const g = view.groups[0]!
    expect(g.prefix).toBe(P)
    expect(g.primary).toMatchObject({
      nodeId: "a",
      status: "primary",
      reason: "Sticky",
      online: true,
      graceUntil: null,
    })
    expect(g.standbys.map((m) => [m.nodeId, m.reason])).toEqual([["b", "HigherId"]])
    expect(g.ineligible.map((m) => [m.nodeId, m.reason, m.text])).toEqual([
      ["c", "Disabled", "not eligible: disabled"],
    ])
  })

  it("gives an offline primary's grace deadline, so the page can count it down", () => {
    const s = scenario()
    s.disconnect("a")
    const g = viewOf(s).groups[0]!
    expect(g.primary).toMatchObject({ nodeId: "a", online: false, graceUntil: s.now + 15_000 })
    s.wait(15_000)
    expect(viewOf(s).groups[0]!.primary).toMatchObject({ nodeId: "b", graceUntil: null })
  })

  it("lists exit nodes, serving only with both halves approved", () => {
    expect(viewOf(scenario()).exitNodes).toEqual([
      { nodeId: "x", serving: true, online: true },
      { nodeId: "y", serving: false, online: true },
    ])
  })
})

describe("failoversOf", () => {
  it("names the routers on both sides of each primary move, from the change set's rows", () => {
    const a = route(1, "a", P, { isPrimary: false })
    const b = route(2, "b", P, { isPrimary: true })
    const c = changeSet(3, {
      routes: [
        { before: { ...a, isPrimary: true }, after: a },
        { before: { ...b, isPrimary: false }, after: b },
      ],
      primaries: [
        { prefix: P, before: 1, after: 2 },
        { prefix: "10.1.0.0/16", before: 7, after: null },
      ],
    })
    expect(failoversOf({ changes: c, version: 12, origin: "replica-1", committedAt: 5_000 })).toEqual([
      {
        prefix: P,
        from: { routeId: 1, nodeId: "a" },
        to: { routeId: 2, nodeId: "b" },
        at: 5_000,
        version: 12,
        origin: "replica-1",
      },
      // a route absent from the rows (a hand-edited store) keeps its id, without a node
      {
        prefix: "10.1.0.0/16",
        from: { routeId: 7, nodeId: null },
        to: null,
        at: 5_000,
        version: 12,
        origin: "replica-1",
      },
    ])
    expect(failoversOf({ changes: changeSet(3), version: 13, origin: "cli", committedAt: 6_000 })).toEqual([])
  })
})
