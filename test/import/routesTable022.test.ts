/** The 0.18–0.25 era: the `routes` table (a real 0.22.3 database, plus edge rows). */
import { describe, expect, it } from "vitest"
import type { Node } from "../../src/domain/Node.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import type { Route } from "../../src/domain/Route.js"
import {
  E,
  edgeRows,
  expectedNodes022,
  expectedPrimaries022,
  expectedReport022,
  expectedRoutes022,
} from "./support/expected022.js"
import { buildSqlite } from "./support/headscaleFixtures.js"
import { emptyState, plan, readSqlite } from "./support/plan.js"
import { importedRoute, NOW } from "./support/rows.js"

describe("import of a Headscale 0.18–0.25 database (routes table)", () => {
  it("imports the 0.22.3 fixture exactly: 14 nodes, 7 routes, 3 kept primaries", async () => {
    const { changes, report } = plan(await readSqlite(buildSqlite("0.22")))
    expect(changes.nodes).toEqual(expectedNodes022.map((after) => ({ before: null, after })))
    expect(changes.routes).toEqual(expectedRoutes022.map((after) => ({ before: null, after })))
    expect(changes.primaries).toEqual(expectedPrimaries022)
    expect(changes.affectedPrefixes).toEqual([
      "0.0.0.0/0",
      "::/0",
      "10.9.110.0/24",
      "172.100.100.0/24",
      "192.168.0.24/32",
    ])
    expect(changes.affectedNodes).toEqual(["1", "26", "32", "31"])
    expect(changes.rejected).toEqual([])
    expect(changes.nextRouteId).toBe(8)
    expect(report).toEqual(expectedReport022)
  })

  it("skips and reports orphans, soft deletes, invalid prefixes; drops stored primaries that are not valid", async () => {
    const { changes, report } = plan(await readSqlite(buildSqlite("0.22", edgeRows)))
    expect(changes.routes.map((c) => c.after)).toEqual([
      ...expectedRoutes022.slice(0, 3),
      importedRoute(4, "26", "172.100.100.0/24", "AEP", "migration", "2024-01-09T16:54:15.230Z"),
      importedRoute(5, "31", "0.0.0.0/0", "AE", "migration", "2024-02-15T14:29:11.804Z"),
      importedRoute(6, "31", "::/0", "AE", "migration", "2024-02-15T14:29:11.831Z"),
      importedRoute(7, "32", "192.168.0.24/32", "AEP", "migration", "2024-08-16T14:58:46.162Z"),
      // A second router for 10.9.110.0/24 that Headscale also flagged primary: the older one stays.
      importedRoute(8, "3", "10.9.110.0/24", "AE", "migration", E),
      importedRoute(9, "9", "10.51.0.0/16", "", null, E),
      importedRoute(10, "9", "0.0.0.0/0", "A", null, E),
      importedRoute(11, "14", "10.60.0.0/16", "A", null, E),
      importedRoute(12, "14", "fd7a:115c:a1e0:b1a:0:7:a01:100/120", "AEP", "migration", E),
    ])
    expect(changes.nodes.map((c) => c.after.id)).toEqual(expectedNodes022.map((n) => n.id))
    expect(changes.primaries).toEqual([
      ...expectedPrimaries022,
      { prefix: "fd7a:115c:a1e0:b1a:0:7:a01:100/120", before: null, after: 12 },
    ])
    const via = {
      nodeId: "14",
      row: "routes#108",
      input: "fd7a:115c:a1e0:b1a::/80",
      reason: "fd7a:115c:a1e0:b1a::/80 4-in-6 prefix must be at least a /96",
    }
    expect(report).toEqual({
      ...expectedReport022,
      nodes: { ...expectedReport022.nodes, read: 15, skippedDeleted: ["50"] },
      routes: {
        imported: 12,
        alreadyPresent: [],
        skippedDeleted: [{ row: "routes#102", nodeId: "3", prefix: "10.3.0.0/16" }],
      },
      orphans: [
        { row: "routes#100", nodeId: "999", prefix: "10.99.0.0/16", reason: "NoSuchNode" },
        { row: "routes#101", nodeId: "50", prefix: "10.50.0.0/16", reason: "NodeDeleted" },
      ],
      invalidPrefixes: [
        {
          nodeId: "3",
          row: "routes#103",
          input: "garbage",
          reason: '"garbage" is not a valid prefix: missing "/<length>"',
        },
        via,
      ],
      approvals: { byPolicy: [], droppedNotAdvertised: [{ nodeId: "9", prefix: "10.51.0.0/16" }] },
      exitPairs: { completed: [], leftHalf: [{ nodeId: "9", enabled: "0.0.0.0/0", missing: "::/0" }] },
      primaries: {
        kept: expectedReport022.primaries.kept,
        dropped: [
          { nodeId: "3", prefix: "10.9.110.0/24", row: "routes#104", reason: "AnotherPrimaryKept" },
          { nodeId: "9", prefix: "10.51.0.0/16", row: "routes#105", reason: "NotAdvertised" },
          { nodeId: "14", prefix: "10.60.0.0/16", row: "routes#107", reason: "NotEnabled" },
        ],
        elected: [{ nodeId: "14", prefix: "fd7a:115c:a1e0:b1a:0:7:a01:100/120", routeId: 12 }],
      },
    })
  })

  it("leaves a prefix's primary in the target where it is (sticky) and reports the stored one dropped", async () => {
    const router: Node = {
      id: "tr-1",
      user: "carol@",
      tags: [],
      ephemeral: false,
      createdAt: NOW - 1000,
      expiresAt: null,
      presence: {
        sessions: 1,
        replicas: { "": 1 },
        connectedAt: NOW - 1000,
        lastSeen: NOW,
        disconnectedAt: null,
      },
      deletedAt: null,
    }
    const theirs: Route = {
      ...importedRoute(1, "tr-1", "10.9.110.0/24", "AEP", "manual", "2025-01-01T00:00:00.000Z"),
      updatedAt: NOW - 1000,
    }
    const state = { ...emptyState(), nodes: [router], routes: [theirs], nextRouteId: 2 }
    const { changes, report } = plan(await readSqlite(buildSqlite("0.22")), state)
    expect(changes.routes.find((c) => c.after.prefix.text === "10.9.110.0/24")).toEqual({
      before: null,
      after: importedRoute(4, "1", "10.9.110.0/24", "AE", "migration", "2023-06-07T19:40:59.371Z"),
    })
    expect(changes.primaries).toEqual(
      expectedPrimaries022.slice(1).map((p) => ({ ...p, after: p.after + 1 })),
    )
    expect(report.primaries).toEqual({
      kept: [
        { nodeId: "26", prefix: "172.100.100.0/24", routeId: 5 },
        { nodeId: "32", prefix: "192.168.0.24/32", routeId: 8 },
      ],
      dropped: [{ nodeId: "1", prefix: "10.9.110.0/24", row: "routes#3", reason: "PrefixHasPrimary" }],
      elected: [],
    })
    expect(parsePrefixUnsafe("10.9.110.0/24")).toEqual(theirs.prefix)
  })
})
