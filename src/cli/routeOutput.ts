/** How a route is shown: the JSON shape scripts read and the table operators read. */

import { isExitRoute } from "../domain/Prefix.js"
import type { Route } from "../domain/Route.js"
import type { Palette } from "./colour.js"
import { renderTable } from "./table.js"

/** The JSON shape of one route in `routes list --json` and command results. @category models */
export interface RouteJson {
  readonly id: number
  readonly node: string
  readonly prefix: string
  readonly advertised: boolean
  readonly enabled: boolean
  readonly primary: boolean
  readonly approvedBy: "manual" | "policy" | "migration" | null
  readonly priority: number
  readonly healthy: boolean
  /** ISO 8601, UTC. */
  readonly createdAt: string
  readonly updatedAt: string
}

/** Epoch milliseconds as ISO 8601 without milliseconds when they are zero. @category getters */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z")

/** Epoch milliseconds as ISO 8601 to the second, for tables. @category getters */
export const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`

/** @category constructors */
export const routeJson = (r: Route): RouteJson => ({
  id: r.id,
  node: r.nodeId,
  prefix: r.prefix.text,
  advertised: r.advertised,
  enabled: r.enabled,
  primary: r.isPrimary,
  approvedBy: r.approvedBy,
  priority: r.priority,
  healthy: r.healthy,
  createdAt: isoTime(r.createdAt),
  updatedAt: isoTime(r.updatedAt),
})

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
