/**
 * The invariants of DESIGN §6 that hold of one state, as a reusable checker:
 * property tests (and every storage adapter's contract suite) call it after
 * every step. It restates eligibility rather than importing it, so a bug in
 * the core's eligibility cannot hide itself. Invariants about histories (5, 6,
 * 8) are checked by the model-based test around it.
 */
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { Node } from "../../src/domain/Node.js"
import type { Options } from "../../src/domain/Options.js"
import type { Route } from "../../src/domain/Route.js"
import type { RouteView } from "../../src/domain/RouteView.js"

const isExit = (r: Route): boolean => r.prefix.text === "0.0.0.0/0" || r.prefix.text === "::/0"

const eligible = (r: Route, n: Node | undefined, now: number, o: Options): boolean => {
  if (n === undefined || n.deletedAt !== null) return false
  if (n.expiresAt !== null && now >= n.expiresAt) return false
  const online =
    n.presence.sessions > 0 ||
    (n.presence.disconnectedAt !== null && now < n.presence.disconnectedAt + o.gracePeriodMs)
  return r.deletedAt === null && r.advertised && r.enabled && r.healthy && !isExit(r) && online
}

/** Every violated invariant, as a sentence naming the rows; empty when the state is sound. */
export const checkInvariants = (view: RouteView, now: number, options: Options): string[] => {
  const out: string[] = []
  const routes = Array.from(view.allRoutes()).filter((r) => r.deletedAt === null)
  const byPrefix = new Map<string, Route[]>()
  const byNodePrefix = new Map<string, Route[]>()
  for (const r of routes) {
    byPrefix.set(r.prefix.text, [...(byPrefix.get(r.prefix.text) ?? []), r])
    const k = `${r.nodeId} ${r.prefix.text}`
    byNodePrefix.set(k, [...(byNodePrefix.get(k) ?? []), r])
  }
  for (const [k, rows] of byNodePrefix) {
    if (rows.length > 1) out.push(`§1: ${rows.length} live rows for ${k}: ${rows.map((r) => r.id)}`)
  }
  for (const [prefix, rows] of byPrefix) {
    const primaries = rows.filter((r) => r.isPrimary)
    // 1. At most one primary per live non-exit prefix; exit routes never primary.
    if (rows.some(isExit) && primaries.length > 0) out.push(`1: exit route ${prefix} has a primary`)
    if (primaries.length > 1)
      out.push(`1: ${prefix} has ${primaries.length} primaries: ${primaries.map((r) => r.id)}`)
    // 2. A primary is live, advertised and enabled.
    for (const p of primaries) {
      if (!p.advertised || !p.enabled)
        out.push(`2: primary ${p.id} of ${prefix} is not advertised and enabled`)
    }
    // 4. If some route is eligible, the primary exists and is eligible.
    const anyEligible = rows.some((r) => eligible(r, view.node(r.nodeId), now, options))
    if (anyEligible && !primaries.some((p) => eligible(p, view.node(p.nodeId), now, options))) {
      out.push(
        `4: ${prefix} has an eligible route but its primary (${primaries.map((r) => r.id)}) is not eligible`,
      )
    }
  }
  for (const r of routes) {
    // 3. With onWithdraw "disable": not advertised ⇒ not enabled.
    if (options.onWithdraw === "disable" && !r.advertised && r.enabled)
      out.push(`3: route ${r.id} enabled but withdrawn`)
    if (r.enabled !== (r.approvedBy !== null))
      out.push(`route ${r.id}: enabled ${r.enabled} but approvedBy ${r.approvedBy}`)
    // 7. A deleted node has no live routes.
    const n = view.node(r.nodeId)
    if (n === undefined || n.deletedAt !== null)
      out.push(`7: route ${r.id} lives on deleted or unknown node ${r.nodeId}`)
  }
  // 7. Exit pairs are enabled together.
  for (const n of view.allNodes()) {
    const mine = view.routesOfNode(n.id).filter((r) => r.deletedAt === null)
    const v4 = mine.find((r) => r.prefix.text === "0.0.0.0/0")
    const v6 = mine.find((r) => r.prefix.text === "::/0")
    if ((v4?.enabled ?? false) !== (v6?.enabled ?? false)) out.push(`7: exit pair of ${n.id} is half enabled`)
  }
  return out
}

const strictlyAscending = (xs: ReadonlyArray<string | number>): boolean =>
  xs.every((x, i) => i === 0 || xs[i - 1]! < x)

/**
 * What a change set promises its readers about its own shape: rows by id,
 * affected prefixes and primary changes each once and sorted by prefix text,
 * and every moved primary's prefix among the affected (its flags were
 * rewritten). Empty when it holds.
 */
export const checkChangeSetShape = (cs: ChangeSet): string[] => {
  const out: string[] = []
  if (!strictlyAscending(cs.routes.map((c) => c.after.id))) out.push("change set: rows not by ascending id")
  if (!strictlyAscending(cs.affectedPrefixes))
    out.push("change set: affected prefixes not sorted and distinct")
  if (!strictlyAscending(cs.primaries.map((p) => p.prefix)))
    out.push("change set: primary changes not sorted by prefix and distinct")
  if (!strictlyAscending(cs.affectedNodes)) out.push("change set: affected nodes not sorted and distinct")
  const affected = new Set(cs.affectedPrefixes)
  for (const p of cs.primaries)
    if (!affected.has(p.prefix))
      out.push(`change set: primary of ${p.prefix} moved but the prefix is not affected`)
  return out
}
