/** How a route is shown to operators: the table. (Its JSON is the library's, `routeToJson` in the facade.) */

import { isExitRoute } from "../domain/Prefix.js"
import type { Route } from "../domain/Route.js"
import type { Palette } from "./colour.js"
import { renderTable } from "./table.js"

/** Epoch milliseconds as ISO 8601 to the second, for tables. @category getters */
export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`

/**
 * The route table: id, node, prefix, advertised, enabled, primary, approved
 * by, priority, updated. Exit routes show `exit` under primary: they are
 * never elected, every enabled exit node serves them.
 *
 * @category constructors
 */
export const routeTable = (routes: ReadonlyArray<Route>, p: Palette): string => {
  const rows = routes.map((r) => [
    String(r.id),
    r.nodeId,
    r.prefix.text,
    r.advertised ? "yes" : p.yellow("no"),
    r.enabled ? "yes" : p.dim("no"),
    isExitRoute(r.prefix) ? p.dim("exit") : r.isPrimary ? p.green(p.bold("yes")) : "no",
    r.approvedBy ?? "-",
    String(r.priority),
    isoSeconds(r.updatedAt),
  ])
  return renderTable(
    [
      { header: "ID", align: "right" },
      { header: "NODE" },
      { header: "PREFIX" },
      { header: "ADVERTISED" },
      { header: "ENABLED" },
      { header: "PRIMARY" },
      { header: "APPROVED BY" },
      { header: "PRIORITY", align: "right" },
      { header: "UPDATED" },
    ],
    rows,
    p.bold,
  )
}
