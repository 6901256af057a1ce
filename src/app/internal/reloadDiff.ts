/**
 * What changed between two states of one tailnet, as a change set: what a
 * process publishes when it had to reload instead of folding log entries.
 * Rows the old state had and the new one lacks were deleted meanwhile; the
 * store keeps no deleted rows in its loads, so they are shown deleted at `now`.
 */
import type { Change, ChangeSet, PrimaryChange } from "../../domain/ChangeSet.js"
import type { Node, NodeId } from "../../domain/Node.js"
import { sameNode } from "../../domain/Node.js"
import { type Route, sameRouteContent } from "../../domain/Route.js"
import type { RouteIndex } from "../../domain/RouteIndex.js"
import { samePolicy } from "./samePolicy.js"

const primaryOf = (rows: ReadonlyArray<Route>): number | null => {
  for (const r of rows) if (r.isPrimary) return r.id
  return null
}

export const reloadDiff = (before: RouteIndex, after: RouteIndex, now: number): ChangeSet => {
  const nodes: Array<Change<Node>> = []
  for (const n of after.allNodes()) {
    const old = before.node(n.id)
    if (old === undefined || !sameNode(old, n)) nodes.push({ before: old ?? null, after: n })
  }
  const routes: Array<Change<Route>> = []
  for (const r of after.allRoutes()) {
    const old = before.route(r.id)
    if (old === undefined || !sameRouteContent(old, r) || old.updatedAt !== r.updatedAt) {
      routes.push({ before: old ?? null, after: r })
    }
  }
  for (const r of before.allRoutes()) {
    if (after.route(r.id) === undefined)
      routes.push({ before: r, after: { ...r, isPrimary: false, deletedAt: now } })
  }
  routes.sort((a, b) => a.after.id - b.after.id)
  const prefixes = new Set<string>()
  const affected = new Set<NodeId>()
  for (const c of routes) {
    prefixes.add(c.after.prefix.text)
    affected.add(c.after.nodeId)
  }
  const primaries: PrimaryChange[] = []
  for (const prefix of prefixes) {
    const was = primaryOf(before.routesOfPrefix(prefix))
    const is = primaryOf(after.routesOfPrefix(prefix))
    if (was !== is) primaries.push({ prefix, before: was, after: is })
  }
  return {
    nodes: nodes.sort((a, b) => (a.after.id < b.after.id ? -1 : 1)),
    routes,
    primaries: primaries.sort((a, b) => (a.prefix < b.prefix ? -1 : 1)),
    affectedPrefixes: [...prefixes].sort(),
    affectedNodes: [...affected].sort(),
    rejected: [],
    policy: samePolicy(before.policy, after.policy) ? null : after.policy,
    nextRouteId: after.nextRouteId,
  }
}
