/** The oldest era: `machines.enabled_routes` + Hostinfo `RoutableIPs` (schema-only dump + hand-made rows). */
import { describe, expect, it } from "vitest"
import { isEmpty } from "../../src/domain/ChangeSet.js"
import { isEligible } from "../../src/domain/eligibility.js"
import { defaultOptions, makeOptions } from "../../src/domain/Options.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import { buildSqlite, legacyRows } from "./support/headscaleFixtures.js"
import { applied, emptyState, plan, readSqlite } from "./support/plan.js"
import { importedNode, importedRoute, NOW } from "./support/rows.js"

const A = "2022-03-01T08:00:00.000Z" // machine 1 created
const B = "2022-03-02T08:00:00.000Z" // machine 2
const C = "2022-04-01T06:00:00.000Z" // machine 3 (+02:00 in the source)
const D = "2022-04-02T08:00:00.000Z" // machine 4
const E = "2022-04-03T08:00:00.000Z" // machine 5

const expectedNodes = [
  importedNode("1", "alice@", A, "2022-09-01T12:00:00.500Z"),
  importedNode("2", "alice@", B, null),
  importedNode("3", "bob@", C, null, {
    tags: ["tag:exit", "tag:infra"],
    ephemeral: true,
    expiresAt: Date.parse("2029-12-31T23:00:00.000Z"),
  }),
  importedNode("4", "bob@", D, null),
  importedNode("5", "bob@", E, null),
  importedNode("7", "", "2022-04-05T08:00:00.000Z", null),
]

const expectedRoutes = [
  importedRoute(1, "1", "10.1.0.0/16", "AEP", "migration", A),
  importedRoute(2, "1", "192.168.10.0/24", "AEP", "migration", A),
  importedRoute(3, "1", "10.11.0.0/16", "A", null, A),
  importedRoute(4, "2", "10.1.0.0/16", "AE", "migration", B),
  // Enabled but no longer advertised: approval dropped under onWithdraw "disable".
  importedRoute(5, "2", "172.16.5.0/24", "", null, B),
  // "192.168.77.1/24" in enabled_routes, masked; advertised as 192.168.77.0/24.
  importedRoute(6, "2", "192.168.77.0/24", "AEP", "migration", B),
  importedRoute(7, "3", "0.0.0.0/0", "AE", "migration", C),
  importedRoute(8, "3", "::/0", "AE", "migration", C),
  importedRoute(9, "4", "::/0", "A", null, D),
  // No Hostinfo at all: advertised is unknown, read as true.
  importedRoute(10, "5", "10.5.0.0/24", "AEP", "migration", E),
]

const invalid = {
  nodeId: "2",
  row: "enabled_routes[2]",
  input: "10.300.0.0/16",
  reason: '"10.300.0.0/16" is not a valid prefix: IPv4 field has value >255',
}

const expectedReport = {
  era: "0.17",
  nodes: {
    read: 7,
    imported: ["1", "2", "3", "4", "5", "7"],
    alreadyPresent: [],
    skippedDeleted: ["6"],
    unknownUser: [{ nodeId: "7", userId: 99 }],
  },
  routes: { imported: 10, alreadyPresent: [], skippedDeleted: [] },
  duplicates: [
    { nodeId: "1", prefix: "10.1.0.0/16", kept: "enabled_routes[0]", collapsed: ["enabled_routes[2]"] },
  ],
  orphans: [],
  invalidPrefixes: [invalid],
  maskedPrefixes: [
    { nodeId: "2", row: "enabled_routes[3]", input: "192.168.77.1/24", prefix: "192.168.77.0/24" },
  ],
  malformed: [],
  approvals: { byPolicy: [], droppedNotAdvertised: [{ nodeId: "2", prefix: "172.16.5.0/24" }] },
  exitPairs: {
    completed: [{ nodeId: "3", enabled: "0.0.0.0/0", added: "::/0" }],
    leftHalf: [{ nodeId: "4", enabled: "::/0", missing: "0.0.0.0/0" }],
  },
  primaries: {
    kept: [],
    dropped: [],
    elected: [
      { nodeId: "1", prefix: "10.1.0.0/16", routeId: 1 },
      { nodeId: "1", prefix: "192.168.10.0/24", routeId: 2 },
      { nodeId: "2", prefix: "192.168.77.0/24", routeId: 6 },
      { nodeId: "5", prefix: "10.5.0.0/24", routeId: 10 },
    ],
  },
  upToDate: false,
}

describe("import of a Headscale ≤0.17 database (enabled_routes)", () => {
  it("imports every node, route row and primary exactly, with the full report", async () => {
    const dump = await readSqlite(buildSqlite("0.17", legacyRows))
    const { changes, report } = plan(dump)
    expect(changes.nodes).toEqual(expectedNodes.map((after) => ({ before: null, after })))
    expect(changes.routes).toEqual(expectedRoutes.map((after) => ({ before: null, after })))
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
    expect(changes.rejected).toEqual([{ input: invalid.input, reason: invalid.reason }])
    expect(changes.policy).toBe(null)
    expect(changes.nextRouteId).toBe(11)
    expect(report).toEqual(expectedReport)
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
      rejected: [{ input: invalid.input, reason: invalid.reason }],
      policy: null,
      nextRouteId: 11,
    })
    expect(again.report).toEqual({
      ...expectedReport,
      // Nodes already present are left as they are, so their user is not looked at again.
      nodes: {
        ...expectedReport.nodes,
        imported: [],
        alreadyPresent: ["1", "2", "3", "4", "5", "7"],
        unknownUser: [],
      },
      routes: {
        imported: 0,
        alreadyPresent: expectedRoutes.map((r) => ({ nodeId: r.nodeId, prefix: r.prefix.text })),
        skippedDeleted: [],
      },
      approvals: { byPolicy: [], droppedNotAdvertised: [] },
      exitPairs: { completed: [], leftHalf: [] },
      primaries: { kept: [], dropped: [], elected: [] },
      upToDate: true,
    })
  })
})
