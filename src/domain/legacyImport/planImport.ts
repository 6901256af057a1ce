/**
 * The pure heart of the Headscale import: a `HeadscaleDump` and the target's
 * current state → the change set that brings the source's nodes and routes
 * in, and the report that says exactly what happened. Reads no clock: `now`
 * is given. Only adds what the target lacks, so a repeat import is empty.
 */
import { approves } from "../autoApprovers.js"
import type { Change, ChangeSet, PrimaryChange } from "../ChangeSet.js"
import { electPrimary } from "../election.js"
import { isNodeExpired } from "../eligibility.js"
import type { Node, NodeId } from "../Node.js"
import type { Options } from "../Options.js"
import { exitV4, exitV6, isExitRoute } from "../Prefix.js"
import type { Route } from "../Route.js"
import type { RouteView } from "../RouteView.js"
import type { HeadscaleDump } from "./HeadscaleDump.js"
import type { ImportReport, RouteRef } from "./ImportReport.js"
import { importCandidates } from "./importCandidates.js"
import { importNodes } from "./importNodes.js"
import { type Candidate, emptyFindings, type Findings, type SourceNode } from "./internal/findings.js"

/** The change set to apply and the report of what it does. @category models */
export interface ImportPlan {
  readonly changes: ChangeSet
  readonly report: ImportReport
}

const ref = (c: Candidate): RouteRef => ({ nodeId: c.nodeId, prefix: c.prefix.text })

type Half = { readonly fresh: Candidate } | { readonly stored: Route } | undefined

const half = (
  fresh: ReadonlyMap<string, Candidate>,
  existing: RouteView,
  nodeId: NodeId,
  text: string,
): Half => {
  const c = fresh.get(`${nodeId} ${text}`)
  if (c !== undefined) return { fresh: c }
  const r = existing.routesOfNode(nodeId).find((x) => x.prefix.text === text)
  return r === undefined ? undefined : { stored: r }
}
const enabledOf = (h: Half): boolean =>
  h === undefined ? false : "fresh" in h ? h.fresh.enabled : h.stored.enabled
const advertisedOf = (h: Half): boolean =>
  h === undefined ? false : "fresh" in h ? h.fresh.advertised : h.stored.advertised

/**
 * Approval under our rules: an approval whose route is no longer advertised
 * is dropped under `onWithdraw: "disable"` (invariant 3); an advertised,
 * unapproved route the target's autoApprovers approve is enabled, as a fresh
 * advertisement would be (an exit half only when the other half is advertised).
 */
const applyApprovals = (
  fresh: ReadonlyArray<Candidate>,
  byKey: ReadonlyMap<string, Candidate>,
  nodes: ReadonlyMap<NodeId, SourceNode>,
  existing: RouteView,
  options: Options,
  findings: Findings,
): void => {
  for (const c of fresh) {
    if (c.enabled && !c.advertised) {
      if (options.onWithdraw === "retain") continue
      c.enabled = false
      c.approvedBy = null
      findings.droppedNotAdvertised.push(ref(c))
    } else if (!c.enabled && c.advertised && approves(existing.policy, nodes.get(c.nodeId)!.node, c.prefix)) {
      if (isExitRoute(c.prefix)) {
        const other = c.prefix.family === 4 ? exitV6.text : exitV4.text
        if (!advertisedOf(half(byKey, existing, c.nodeId, other))) continue
      }
      c.enabled = true
      c.approvedBy = "policy"
      findings.byPolicy.push(ref(c))
    }
  }
}

/**
 * A half-enabled exit pair cannot be served (DESIGN §1). If the other half is
 * advertised, it is enabled too ("completed": the operator meant an exit
 * node); otherwise the enabled half is imported disabled ("left half").
 * Target rows are never rewritten: only imported halves change.
 */
const settleExitPairs = (
  fresh: ReadonlyArray<Candidate>,
  byKey: ReadonlyMap<string, Candidate>,
  existing: RouteView,
  findings: Findings,
): void => {
  const seen = new Set<NodeId>()
  for (const c of fresh) {
    if (!isExitRoute(c.prefix) || seen.has(c.nodeId)) continue
    seen.add(c.nodeId)
    const h4 = half(byKey, existing, c.nodeId, exitV4.text)
    const h6 = half(byKey, existing, c.nodeId, exitV6.text)
    if (enabledOf(h4) === enabledOf(h6)) continue
    const [on, off, onText, offText] = enabledOf(h4)
      ? [h4, h6, exitV4.text, exitV6.text]
      : [h6, h4, exitV6.text, exitV4.text]
    if (off !== undefined && "fresh" in off && off.fresh.advertised) {
      off.fresh.enabled = true
      off.fresh.approvedBy = on !== undefined && "fresh" in on ? on.fresh.approvedBy : "migration"
      findings.completed.push({ nodeId: c.nodeId, enabled: onText, added: offText })
    } else if (on !== undefined && "fresh" in on) {
      on.fresh.enabled = false
      on.fresh.approvedBy = null
      findings.leftHalf.push({ nodeId: c.nodeId, enabled: onText, missing: offText })
    }
  }
}

/**
 * Headscale's stored primaries that are still valid under our rules (live,
 * advertised, enabled, not an exit route, node not expired, no primary for
 * the prefix in the target; one per prefix, the election's order breaking
 * ties). Only the routes-table era stores primaries.
 */
const validStoredPrimaries = (
  fresh: ReadonlyArray<Candidate>,
  nodes: ReadonlyMap<NodeId, SourceNode>,
  existing: RouteView,
  now: number,
  findings: Findings,
): Set<Candidate> => {
  const best = new Map<string, Candidate>()
  for (const c of fresh) {
    if (!c.storedPrimary) continue
    const reason = isExitRoute(c.prefix)
      ? "ExitRoute"
      : !c.advertised
        ? "NotAdvertised"
        : !c.enabled
          ? "NotEnabled"
          : isNodeExpired(nodes.get(c.nodeId)!.node, now)
            ? "NodeExpired"
            : existing.routesOfPrefix(c.prefix.text).some((r) => r.isPrimary)
              ? "PrefixHasPrimary"
              : null
    if (reason !== null) {
      findings.dropped.push({ ...ref(c), row: c.row, reason })
      continue
    }
    const held = best.get(c.prefix.text)
    // Fresh candidates get ascending ids in this order, so "older, then first" is the election's order.
    if (held === undefined || c.createdAt < held.createdAt) {
      if (held !== undefined)
        findings.dropped.push({ ...ref(held), row: held.row, reason: "AnotherPrimaryKept" })
      best.set(c.prefix.text, c)
    } else {
      findings.dropped.push({ ...ref(c), row: c.row, reason: "AnotherPrimaryKept" })
    }
  }
  return new Set(best.values())
}

const pushOnce = (xs: Array<string>, seen: Set<string>, x: string): void => {
  if (!seen.has(x)) {
    seen.add(x)
    xs.push(x)
  }
}

/**
 * Plans the import of a Headscale database into the target `existing`.
 *
 * - Nodes: every live source node the target lacks, disconnected at `now`.
 * - Routes: one row per (node, prefix) the target lacks: advertised per the
 *   stored state (true when unknown), enabled as Headscale had it
 *   (`approvedBy: "migration"`), then our rules: withdrawal, autoApprovers,
 *   exit pairs. Duplicates collapse; orphans and invalid prefixes are skipped.
 * - Primaries: a valid stored primary is kept; every touched prefix is then
 *   elected with the core's rule, so the result is what the manager would hold.
 *
 * @category constructors
 */
export const planImport = (
  dump: HeadscaleDump,
  existing: RouteView,
  now: number,
  options: Options,
): ImportPlan => {
  const findings = emptyFindings()
  const nodes = importNodes(dump, existing, now, findings)
  const table = importCandidates(dump, nodes, findings)

  const fresh: Array<Candidate> = []
  const byKey = new Map<string, Candidate>()
  for (const c of table.ordered) {
    if (existing.routesOfNode(c.nodeId).some((r) => r.prefix.text === c.prefix.text)) {
      findings.routesPresent.push(ref(c))
    } else {
      fresh.push(c)
      byKey.set(`${c.nodeId} ${c.prefix.text}`, c)
    }
  }
  applyApprovals(fresh, byKey, nodes, existing, options, findings)
  settleExitPairs(fresh, byKey, existing, findings)
  const keptStored = validStoredPrimaries(fresh, nodes, existing, now, findings)

  // New rows, ids in candidate order.
  const planned = new Map<number, Route>()
  const candidateOf = new Map<number, Candidate>()
  let nextRouteId = existing.nextRouteId
  for (const c of fresh) {
    const id = nextRouteId++
    candidateOf.set(id, c)
    planned.set(id, {
      id,
      nodeId: c.nodeId,
      prefix: c.prefix,
      advertised: c.advertised,
      enabled: c.enabled,
      isPrimary: keptStored.has(c),
      approvedBy: c.enabled ? c.approvedBy : null,
      priority: 0,
      healthy: true,
      createdAt: c.createdAt,
      updatedAt: now,
      deletedAt: null,
    })
  }

  // Election of every touched subnet prefix, over the target's rows plus ours.
  const lookup = { node: (id: NodeId): Node | undefined => nodes.get(id)?.node ?? existing.node(id) }
  const byPrefix = new Map<string, Array<number>>()
  for (const r of planned.values()) {
    if (isExitRoute(r.prefix)) continue
    const ids = byPrefix.get(r.prefix.text)
    if (ids === undefined) byPrefix.set(r.prefix.text, [r.id])
    else ids.push(r.id)
  }
  const updates: Array<Change<Route>> = []
  const primaries: Array<PrimaryChange> = []
  const affectedNodes: Array<NodeId> = []
  const affectedSeen = new Set<NodeId>()
  for (const [text, ids] of byPrefix) {
    const stored = existing.routesOfPrefix(text)
    const rows = [...stored, ...ids.map((id) => planned.get(id)!)]
    const winner = electPrimary(rows, lookup, now, options)
    const previous = stored.find((r) => r.isPrimary)?.id ?? null
    for (const r of rows) {
      const want = r.id === winner
      if (planned.has(r.id)) {
        // A new row that serves is news to its node, even when it arrived flagged (a kept primary).
        if (want) pushOnce(affectedNodes, affectedSeen, r.nodeId)
        if (r.isPrimary !== want) planned.set(r.id, { ...r, isPrimary: want })
      } else if (r.isPrimary !== want) {
        updates.push({ before: r, after: { ...r, isPrimary: want, updatedAt: now } })
        pushOnce(affectedNodes, affectedSeen, r.nodeId)
      }
    }
    if (keptStored.size > 0) {
      for (const id of ids) {
        const c = candidateOf.get(id)!
        if (!keptStored.has(c)) continue
        if (id === winner) findings.kept.push({ ...ref(c), routeId: id })
        else findings.dropped.push({ ...ref(c), row: c.row, reason: "NotElected" })
      }
    }
    if (winner !== null && planned.has(winner) && !keptStored.has(candidateOf.get(winner)!)) {
      findings.elected.push({ nodeId: planned.get(winner)!.nodeId, prefix: text, routeId: winner })
    }
    if (winner !== previous) primaries.push({ prefix: text, before: previous, after: winner })
  }
  // A node now serving an exit pair needs a netmap too.
  for (const r of planned.values()) {
    if (isExitRoute(r.prefix) && r.enabled && r.advertised) pushOnce(affectedNodes, affectedSeen, r.nodeId)
  }

  const nodeChanges: Array<Change<Node>> = []
  for (const s of nodes.values()) if (s.isNew) nodeChanges.push({ before: null, after: s.node })
  const routeChanges: Array<Change<Route>> = [
    ...Array.from(planned.values(), (after) => ({ before: null, after })),
    ...updates,
  ]
  const affectedPrefixes: Array<string> = []
  const prefixSeen = new Set<string>()
  for (const r of planned.values()) pushOnce(affectedPrefixes, prefixSeen, r.prefix.text)

  const changes: ChangeSet = {
    nodes: nodeChanges,
    routes: routeChanges,
    primaries,
    affectedPrefixes,
    affectedNodes,
    rejected: findings.invalid.map((i) => ({ input: i.input, reason: i.reason })),
    policy: null,
    nextRouteId,
  }
  const report: ImportReport = {
    era: dump.era,
    nodes: {
      read: dump.nodes.length,
      imported: findings.imported,
      alreadyPresent: findings.alreadyPresent,
      skippedDeleted: findings.skippedDeleted,
      unknownUser: findings.unknownUser,
    },
    routes: {
      imported: planned.size,
      alreadyPresent: findings.routesPresent,
      skippedDeleted: findings.routesDeleted,
    },
    duplicates: findings.duplicates,
    orphans: findings.orphans,
    invalidPrefixes: findings.invalid,
    maskedPrefixes: findings.masked,
    malformed: findings.malformed,
    approvals: { byPolicy: findings.byPolicy, droppedNotAdvertised: findings.droppedNotAdvertised },
    exitPairs: { completed: findings.completed, leftHalf: findings.leftHalf },
    primaries: { kept: findings.kept, dropped: findings.dropped, elected: findings.elected },
    upToDate: nodeChanges.length === 0 && routeChanges.length === 0,
  }
  return { changes, report }
}
