/** The 0.26+ era: `nodes.approved_routes` + Hostinfo (a real 0.26.1 database, Hostinfo anonymised). */
import { describe, expect, it } from "vitest"
import {
  expectedNodes026,
  expectedReport026,
  expectedRoutes026,
  n3,
  routes026,
} from "./support/expected026.js"
import { buildSqlite } from "./support/headscaleFixtures.js"
import { plan, readSqlite } from "./support/plan.js"
import { importedRoute } from "./support/rows.js"

describe("import of a Headscale 0.26+ database (approved_routes)", () => {
  it("imports the 0.26.1 fixture exactly: 22 nodes, 24 routes, 24 elected primaries", async () => {
    const { changes, report } = plan(await readSqlite(buildSqlite("0.26")))
    expect(changes.nodes).toHaveLength(22)
    expect(changes.nodes).toEqual(expectedNodes026.map((after) => ({ before: null, after })))
    expect(changes.routes).toEqual(expectedRoutes026.map((after) => ({ before: null, after })))
    expect(changes.primaries).toEqual(
      expectedRoutes026.map((r) => ({ prefix: r.prefix.text, before: null, after: r.id })),
    )
    expect(changes.affectedPrefixes).toEqual(routes026.map(([, p]) => p))
    expect(changes.affectedNodes).toEqual(["3", "14", "31", "33"])
    expect(changes.rejected).toEqual([])
    expect(changes.nextRouteId).toBe(25)
    expect(report).toEqual(expectedReport026)
  })

  it("reads a known Hostinfo: approved but not announced is imported disabled; announced but not approved is pending", async () => {
    const extra = `UPDATE nodes SET host_info = '{"RoutableIPs":["172.19.40.0/21","192.168.99.0/24","192.168.99.0/24"]}' WHERE id = 3;`
    const { changes, report } = plan(await readSqlite(buildSqlite("0.26", extra)))
    expect(changes.routes.slice(0, 3).map((c) => c.after)).toEqual([
      importedRoute(1, "3", "172.19.40.0/21", "AEP", "migration", n3),
      importedRoute(2, "3", "172.28.0.0/15", "", null, n3),
      importedRoute(3, "3", "192.168.99.0/24", "A", null, n3),
    ])
    expect(report.approvals.droppedNotAdvertised).toEqual([{ nodeId: "3", prefix: "172.28.0.0/15" }])
    expect(report.duplicates).toEqual([
      {
        nodeId: "3",
        prefix: "192.168.99.0/24",
        kept: "host_info.RoutableIPs[1]",
        collapsed: ["host_info.RoutableIPs[2]"],
      },
    ])
    expect(report.primaries.elected.slice(0, 2)).toEqual([
      { nodeId: "3", prefix: "172.19.40.0/21", routeId: 1 },
      { nodeId: "14", prefix: "10.0.0.0/12", routeId: 4 },
    ])
  })

  it("reports a malformed JSON column and imports the node without it", async () => {
    const extra = `UPDATE nodes SET approved_routes = 'not json' WHERE id = 3; UPDATE nodes SET forced_tags = '{' WHERE id = 1;`
    const { changes, report } = plan(await readSqlite(buildSqlite("0.26", extra)))
    expect(changes.routes).toHaveLength(22)
    expect(report.malformed).toEqual([
      { nodeId: "1", column: "tags", input: "{", reason: "not a JSON list" },
      { nodeId: "3", column: "approved_routes", input: "not json", reason: "not a JSON list" },
    ])
  })
})
