/** Hand-written expected outcome of the 0.26.1 approved-routes fixture (Hostinfo anonymised by Headscale). */
import { quietReport } from "./plan.js"
import { importedNode, importedRoute } from "./rows.js"

// Datetimes in this dump carry +01:00/+02:00 offsets; expected values are UTC.
export const expectedNodes026 = [
  importedNode("1", "user001@", "2022-02-26T17:11:55.928Z", "2025-06-28T10:31:23.433Z"),
  importedNode("3", "user007@", "2022-03-01T18:26:46.242Z", null),
  importedNode("4", "user001@", "2022-03-04T07:27:19.383Z", "2025-06-28T07:41:55.763Z"),
  importedNode("5", "user008@", "2022-03-05T12:54:23.660Z", null),
  importedNode("6", "user001@", "2022-03-21T14:52:20.739Z", "2025-06-27T04:44:53.041Z"),
  importedNode("7", "user004@", "2022-04-01T20:43:27.318Z", "2025-06-28T01:32:29.065Z"),
  importedNode("8", "user007@", "2022-04-03T07:38:46.178Z", "2025-06-28T06:41:48.401Z"),
  importedNode("9", "user007@", "2022-04-09T07:43:07.090Z", "2025-06-27T16:34:44.019Z"),
  importedNode("10", "user001@", "2022-06-26T11:57:07.407Z", "2025-06-27T12:19:25.550Z"),
  importedNode("11", "user001@", "2022-06-26T13:19:50.566Z", "2025-06-27T20:13:31.904Z"),
  importedNode("14", "user001@", "2022-09-26T14:07:54.206Z", "2025-06-27T04:44:53.042Z"),
  importedNode("23", "user001@", "2023-05-05T08:08:17.301Z", null),
  importedNode("24", "user001@", "2023-08-14T16:15:34.292Z", "2025-05-13T11:12:57.458Z"),
  importedNode("25", "user001@", "2023-08-29T06:30:45.518Z", "2025-06-27T04:44:53.144Z"),
  importedNode("26", "user001@", "2023-11-03T17:53:48.108Z", "2025-06-28T10:21:15.875Z"),
  importedNode("29", "user001@", "2024-06-02T07:46:39.307Z", "2025-06-28T03:47:36.859Z"),
  importedNode("30", "user001@", "2024-07-29T12:24:27.684Z", "2025-06-27T04:44:53.247Z"),
  importedNode("31", "user001@", "2024-08-07T18:35:12.944Z", "2025-06-28T10:22:15.987Z"),
  importedNode("32", "user001@", "2024-10-26T05:18:04.947Z", "2025-06-28T10:27:59.883Z"),
  importedNode("33", "user007@", "2025-02-23T06:59:15.141Z", "2025-06-27T20:01:05.601Z"),
  importedNode("34", "user009@", "2025-03-09T10:42:30.627Z", null),
  importedNode("35", "user009@", "2025-03-09T11:06:19.756Z", null),
]

export const n3 = "2022-03-01T18:26:46.242Z"
export const n14 = "2022-09-26T14:07:54.206Z"
export const n31 = "2024-08-07T18:35:12.944Z"
export const n33 = "2025-02-23T06:59:15.141Z"

// Hostinfo is `{"fake":"data"}` (no RoutableIPs): advertised unknown → true. Each prefix has one router → primary.
export const routes026: ReadonlyArray<readonly [string, string, string]> = [
  ["3", "172.19.40.0/21", n3],
  ["3", "172.28.0.0/15", n3],
  ["14", "10.0.0.0/12", n14],
  ["14", "172.20.0.0/14", n14],
  ["31", "10.154.123.128/25", n31],
  ["31", "10.128.0.0/10", n31],
  ["31", "192.168.246.0/23", n31],
  ["31", "192.168.150.0/25", n31],
  ["31", "172.16.0.0/13", n31],
  ["31", "172.16.224.0/19", n31],
  ["31", "10.23.224.0/24", n31],
  ["31", "10.0.0.0/8", n31],
  ["31", "10.127.59.140/30", n31],
  ["31", "172.24.0.0/13", n31],
  ["31", "172.31.132.0/22", n31],
  ["31", "192.168.64.0/19", n31],
  ["31", "192.168.56.0/24", n31],
  ["31", "192.168.224.0/19", n31],
  ["33", "172.19.0.0/16", n33],
  ["33", "192.168.18.48/31", n33],
  ["33", "10.192.0.0/13", n33],
  ["33", "172.20.0.0/16", n33],
  ["33", "172.28.162.48/29", n33],
  ["33", "10.175.189.32/27", n33],
]
export const expectedRoutes026 = routes026.map(([node, prefix, created], i) =>
  importedRoute(i + 1, node, prefix, "AEP", "migration", created),
)

export const expectedReport026 = {
  ...quietReport,
  era: "0.26+",
  nodes: { ...quietReport.nodes, read: 22, imported: expectedNodes026.map((n) => n.id) },
  routes: { ...quietReport.routes, imported: 24 },
  primaries: {
    kept: [],
    dropped: [],
    elected: expectedRoutes026.map((r) => ({ nodeId: r.nodeId, prefix: r.prefix.text, routeId: r.id })),
  },
}
