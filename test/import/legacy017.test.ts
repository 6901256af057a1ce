/** The oldest era: `machines.enabled_routes` + Hostinfo `RoutableIPs` (schema-only dump + hand-made rows). */
import { describe, expect, it } from "vitest"
import { isEmpty } from "../../src/domain/ChangeSet.js"
import { isEligible } from "../../src/domain/eligibility.js"
import { defaultOptions, makeOptions } from "../../src/domain/Options.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import {
  A,
  B,
  expectedNodes017,
  expectedReport017,
  expectedRoutes017,
  invalid017,
} from "./support/expected017.js"
import { buildSqlite, legacyRows } from "./support/headscaleFixtures.js"
import { applied, emptyState, plan, readSqlite } from "./support/plan.js"
import { importedRoute, NOW } from "./support/rows.js"

describe("import of a Headscale ≤0.17 database (enabled_routes)", () => {
  it("imports every node, route row and primary exactly, with the full report", async () => {
    const dump = await readSqlite(buildSqlite("0.17", legacyRows))
    const { changes, report } = plan(dump)
    expect(changes.nodes).toEqual(expectedNodes017.map((after) => ({ before: null, after })))
    expect(changes.routes).toEqual(expectedRoutes017.map((after) => ({ before: null, after })))
    expect(changes.primaries).toEqual([
      { prefix: "10.1.0.0/16", before: null, after: 1 },
      { prefix: "192.168.10.0/24", before: null, after: 2 },
      { prefix: "192.168.77.0/24", before: null, after: 6 },
      { prefix: "10.5.0.0/24", before: null, after: 10 },
    ])
    expect(changes.affectedPrefixes).toEqual([
      "10.1.0.0/16",
      "192.168.10.0/24",
      "10.11.0.0/16",
      "172.16.5.0/24",
      "192.168.77.0/24",
      "0.0.0.0/0",
      "::/0",
      "10.5.0.0/24",
    ])
    expect(changes.affectedNodes).toEqual(["1", "2", "5", "3"])
    expect(changes.rejected).toEqual([{ input: invalid017.input, reason: invalid017.reason }])
    expect(changes.policy).toBe(null)
    expect(changes.nextRouteId).toBe(11)
    expect(report).toEqual(expectedReport017)
  })

  it("keeps an approval whose route is no longer advertised under onWithdraw: retain", async () => {
    const dump = await readSqlite(buildSqlite("0.17", legacyRows))
    const { changes, report } = plan(dump, emptyState(), makeOptions({ onWithdraw: "retain" }))
    expect(changes.routes[4]?.after).toEqual(importedRoute(5, "2", "172.16.5.0/24", "E", "migration", B))
    expect(report.approvals).toEqual({ byPolicy: [], droppedNotAdvertised: [] })
  })

  it("lets the target's autoApprovers approve an advertised, unapproved route (approvedBy policy)", async () => {
    const dump = await readSqlite(buildSqlite("0.17", legacyRows))
    const policy = { autoApprovers: { routes: { "10.0.0.0/8": ["alice@"] } } }
    const { changes, report } = plan(dump, emptyState(policy))
    expect(changes.routes[2]?.after).toEqual(importedRoute(3, "1", "10.11.0.0/16", "AEP", "policy", A))
    expect(report.approvals.byPolicy).toEqual([{ nodeId: "1", prefix: "10.11.0.0/16" }])
    expect(report.primaries.elected).toContainEqual({ nodeId: "1", prefix: "10.11.0.0/16", routeId: 3 })
  })

  it("starts imported routers disconnected with the normal grace, so primaries hold while they reconnect", async () => {
    const dump = await readSqlite(buildSqlite("0.17", legacyRows))
    const after = applied(emptyState(), plan(dump))
    const node1 = after.nodes.find((n) => n.id === "1")
    const primary = after.routes.find((r) => r.id === 1)!
    expect(primary.prefix).toEqual(parsePrefixUnsafe("10.1.0.0/16"))
    expect(isEligible(primary, node1, NOW + defaultOptions.gracePeriodMs - 1, defaultOptions)).toBe(true)
    expect(isEligible(primary, node1, NOW + defaultOptions.gracePeriodMs, defaultOptions)).toBe(false)
  })

  it("changes nothing when the same source is imported again", async () => {
    const dump = await readSqlite(buildSqlite("0.17", legacyRows))
    const first = applied(emptyState(), plan(dump))
    const again = plan(dump, first, defaultOptions, NOW + 60_000)
    expect(isEmpty(again.changes)).toBe(true)
    expect(again.changes).toEqual({
      nodes: [],
      routes: [],
      primaries: [],
      affectedPrefixes: [],
      affectedNodes: [],
      rejected: [{ input: invalid017.input, reason: invalid017.reason }],
      policy: null,
      nextRouteId: 11,
    })
    expect(again.report).toEqual({
      ...expectedReport017,
      // Nodes already present are left as they are, so their user is not looked at again.
      nodes: {
        ...expectedReport017.nodes,
        imported: [],
        alreadyPresent: ["1", "2", "3", "4", "5", "7"],
        unknownUser: [],
      },
      routes: {
        imported: 0,
        alreadyPresent: expectedRoutes017.map((r) => ({ nodeId: r.nodeId, prefix: r.prefix.text })),
        skippedDeleted: [],
      },
      approvals: { byPolicy: [], droppedNotAdvertised: [] },
      exitPairs: { completed: [], leftHalf: [] },
      primaries: { kept: [], dropped: [], elected: [] },
      upToDate: true,
    })
  })
})
