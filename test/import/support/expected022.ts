/** Hand-written expected outcome of the 0.22.3 routes-table fixture, and edge rows for that era. */
import { quietReport } from "./plan.js"
import { importedNode, importedRoute } from "./rows.js"

export const u1 = "test_username@"
export const u2 = "test_username2@"
export const u3 = "test_username3@"

export const expectedNodes022 = [
  importedNode("1", u2, "2023-01-20T15:25:20.356Z", "2024-08-21T08:40:52.222Z"),
  importedNode("3", u1, "2023-01-20T15:35:03.370Z", "2024-08-21T08:40:56.629Z"),
  importedNode("6", u3, "2023-03-19T02:04:05.008Z", "2023-03-20T19:41:31.098Z"),
  importedNode("9", u1, "2023-07-27T08:56:16.702Z", "2024-07-29T13:49:30.299Z"),
  importedNode("14", u1, "2023-10-10T18:41:13.821Z", "2024-08-21T08:40:55.887Z"),
  importedNode("24", u1, "2023-12-05T10:35:59.888Z", "2024-08-21T08:40:53.141Z"),
  importedNode("26", u1, "2024-01-09T16:54:15.190Z", "2024-08-21T08:40:53.117Z"),
  importedNode("27", u3, "2024-02-09T11:12:06.970Z", "2024-08-21T08:40:17.737Z"),
  importedNode("28", u1, "2024-02-09T12:05:40.426Z", "2024-08-16T16:10:15.388Z"),
  importedNode("30", u1, "2024-02-09T15:58:53.072Z", "2024-08-21T08:40:58.279Z"),
  importedNode("31", u3, "2024-02-15T14:29:11.751Z", "2024-08-21T08:40:59.118Z"),
  importedNode("32", u1, "2024-03-05T21:21:27.482Z", "2024-08-21T08:40:11.534Z"),
  importedNode("33", u3, "2024-03-22T09:15:06.999Z", "2024-07-24T14:02:32.230Z"),
  importedNode("34", u1, "2024-05-12T18:10:18.529Z", "2024-08-20T18:55:03.645Z"),
]

export const expectedRoutes022 = [
  importedRoute(1, "1", "0.0.0.0/0", "AE", "migration", "2023-06-07T19:33:30.351Z"),
  importedRoute(2, "1", "::/0", "AE", "migration", "2023-06-07T19:33:30.374Z"),
  importedRoute(3, "1", "10.9.110.0/24", "AEP", "migration", "2023-06-07T19:40:59.371Z"),
  // routes#6 (enabled, primary) and routes#7 (not enabled) collapsed: the oldest time, any approval.
  importedRoute(4, "26", "172.100.100.0/24", "AEP", "migration", "2024-01-09T16:54:15.230Z"),
  importedRoute(5, "31", "0.0.0.0/0", "AE", "migration", "2024-02-15T14:29:11.804Z"),
  importedRoute(6, "31", "::/0", "AE", "migration", "2024-02-15T14:29:11.831Z"),
  importedRoute(7, "32", "192.168.0.24/32", "AEP", "migration", "2024-08-16T14:58:46.162Z"),
]

export const expectedReport022 = {
  ...quietReport,
  era: "0.18-0.25",
  nodes: { ...quietReport.nodes, read: 14, imported: expectedNodes022.map((n) => n.id) },
  routes: { ...quietReport.routes, imported: 7 },
  duplicates: [
    { nodeId: "26", prefix: "172.100.100.0/24", kept: "routes#6", collapsed: ["routes#7"] },
    { nodeId: "31", prefix: "0.0.0.0/0", kept: "routes#8", collapsed: ["routes#9"] },
    { nodeId: "31", prefix: "::/0", kept: "routes#10", collapsed: ["routes#11"] },
  ],
  primaries: {
    kept: [
      { nodeId: "1", prefix: "10.9.110.0/24", routeId: 3 },
      { nodeId: "26", prefix: "172.100.100.0/24", routeId: 4 },
      { nodeId: "32", prefix: "192.168.0.24/32", routeId: 7 },
    ],
    dropped: [],
    elected: [],
  },
}

export const expectedPrimaries022 = [
  { prefix: "10.9.110.0/24", before: null, after: 3 },
  { prefix: "172.100.100.0/24", before: null, after: 4 },
  { prefix: "192.168.0.24/32", before: null, after: 7 },
]

// Rows a routes-table database can also hold.
export const edgeRows = `
INSERT INTO machines VALUES(50,'m','n','d','100.64.0.50','gone','gone',1,'cli','null',0,NULL,NULL,NULL,'{}','[]','2024-01-01 00:00:00+00:00','2024-02-01 00:00:00+00:00','2024-02-01 00:00:00+00:00');
INSERT INTO routes VALUES(100,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,999,'10.99.0.0/16',1,1,1);
INSERT INTO routes VALUES(101,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,50,'10.50.0.0/16',1,1,1);
INSERT INTO routes VALUES(102,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00','2024-06-01 00:00:00+00:00',3,'10.3.0.0/16',1,1,0);
INSERT INTO routes VALUES(103,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,3,'garbage',1,1,0);
INSERT INTO routes VALUES(104,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,3,'10.9.110.0/24',1,1,1);
INSERT INTO routes VALUES(105,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,9,'10.51.0.0/16',0,1,1);
INSERT INTO routes VALUES(106,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,9,'0.0.0.0/0',1,1,0);
INSERT INTO routes VALUES(107,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,14,'10.60.0.0/16',1,0,1);
INSERT INTO routes VALUES(108,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,14,'fd7a:115c:a1e0:b1a::/80',1,1,0);
INSERT INTO routes VALUES(109,'2024-05-01 00:00:00+00:00','2024-05-01 00:00:00+00:00',NULL,14,'fd7a:115c:a1e0:b1a:0:7:a01:100/120',1,1,0);
`
export const E = "2024-05-01T00:00:00.000Z"
