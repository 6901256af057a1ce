/** Hand-written expected outcome of the 0.17 fixture (schema-only dump + the rows in headscaleFixtures.ts). */
import { importedNode, importedRoute } from "./rows.js"

export const A = "2022-03-01T08:00:00.000Z" // machine 1 created
export const B = "2022-03-02T08:00:00.000Z" // machine 2
export const C = "2022-04-01T06:00:00.000Z" // machine 3 (+02:00 in the source)
export const D = "2022-04-02T08:00:00.000Z" // machine 4
export const E = "2022-04-03T08:00:00.000Z" // machine 5

export const expectedNodes017 = [
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

export const expectedRoutes017 = [
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

export const invalid017 = {
  nodeId: "2",
  row: "enabled_routes[2]",
  input: "10.300.0.0/16",
  reason: '"10.300.0.0/16" is not a valid prefix: IPv4 field has value >255',
}

export const expectedReport017 = {
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
  invalidPrefixes: [invalid017],
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
