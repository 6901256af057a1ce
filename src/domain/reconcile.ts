/**
 * The full pass: takes any stored state, including one broken by an older
 * tool, to the unique correct state, and says what it repaired. Repairs, in
 * order: rows of missing or deleted nodes are deleted; duplicate live rows of
 * one (node, prefix) collapse into the oldest; approval fields are made
 * consistent; exit pairs are made whole or disabled; then every prefix is
 * re-elected (which clears extra primaries, primaries on withdrawn or disabled
 * rows, and primaries on exit routes). Running it twice changes nothing.
 */
import type { ChangeSet } from "./ChangeSet.js"
import { electAmong } from "./election.js"
import { type NodeStanding, Standing } from "./eligibility.js"
import { Draft } from "./internal/Draft.js"
import { endSessions } from "./internal/endSessions.js"
import { exitRows } from "./internal/exitPair.js"
import type { NodeId } from "./Node.js"
import type { Options } from "./Options.js"
import { isExitRoute } from "./Prefix.js"
import type { HolderEnd } from "./presence.js"
import type { Route, RouteId } from "./Route.js"
import type { IndexedView } from "./RouteView.js"

/** What kind of damage a repair fixed. @category models */
export type RepairKind =
  | "OrphanRow"
  | "DuplicateRow"
  | "WithdrawnButEnabled"
  | "StaleApproval"
  | "MissingApprovalSource"
  | "HalfExitPair"
  | "ExtraPrimary"
  | "PrimaryNotServable"
  | "ExitRoutePrimary"

/** One repair: the rows involved and a sentence for the operator. @category models */
export interface Repair {
  readonly kind: RepairKind
  readonly nodeId: NodeId | null
  readonly prefix: string
  readonly routeIds: ReadonlyArray<RouteId>
  readonly message: string
}

/** The repairs and the change set that makes them (with every re-election). @category models */
export interface Reconciled {
  readonly changeSet: ChangeSet
  readonly repairs: ReadonlyArray<Repair>
}

const byId = (a: Route, b: Route): number => a.id - b.id

/** The order repairs are listed in. */
const kindRank: Readonly<Record<RepairKind, number>> = {
  OrphanRow: 0,
  DuplicateRow: 1,
  WithdrawnButEnabled: 2,
  StaleApproval: 3,
  MissingApprovalSource: 4,
  HalfExitPair: 5,
  ExtraPrimary: 6,
  PrimaryNotServable: 7,
  ExitRoutePrimary: 8,
}

const byKind = (a: Repair, b: Repair): number =>
  kindRank[a.kind] - kindRank[b.kind] || a.routeIds[0]! - b.routeIds[0]! || (a.prefix < b.prefix ? -1 : 1)

/**
 * One pass over the rows grouped by prefix; no global sort (outputs are
 * sorted by the draft and the repairs list is sorted at the end), so it stays
 * O(routes) with small per-group loops. A sound store allocates nothing per
 * group: the row and node arrays are reused, and the repair notes are only
 * built when there is damage to report.
 */
const pass = (view: IndexedView, draft: Draft): Reconciled => {
  const repairs: Repair[] = []
  const note = (kind: RepairKind, r: Route, ids: ReadonlyArray<RouteId>, message: string): void => {
    repairs.push({ kind, nodeId: r.nodeId, prefix: r.prefix.text, routeIds: ids, message })
  }
  const exitNodes = new Set<NodeId>()
  const { now, options } = draft
  let group: Route[] = []
  let standings: NodeStanding[] = []
  for (const [text, base] of view.prefixGroups()) {
    const exit = isExitRoute(text)
    group.length = 0
    standings.length = 0
    for (let i = 0; i < base.length; i++) {
      const r = draft.current(base[i]!)
      if (r === undefined) continue
      // The standing says whether the node is unknown or deleted, so no record is read.
      const standing = draft.standingOf(r)
      if (standing === Standing.Absent || standing === Standing.Deleted) {
        draft.softDelete(r)
        const whose = standing === Standing.Absent ? "unknown" : "deleted"
        note("OrphanRow", r, [r.id], `route ${r.id} (${text}) belongs to ${whose} node ${r.nodeId}`)
        continue
      }
      group.push(r)
      standings.push(standing)
      if (exit) exitNodes.add(r.nodeId)
    }
    if (group.length > 1 && hasDuplicateNode(group)) {
      // Rare (a broken store): the survivors are a new array, so their nodes are looked up again.
      group = dedupe(draft, group, note)
      standings = group.map((r) => draft.standingOf(r))
    }
    for (let i = 0; i < group.length; i++) group[i] = fields(draft, group[i]!, note)
    flags(group, text, repairs)
    const winner = exit ? null : electAmong(group, standings, now, options, draft)
    for (let i = 0; i < group.length; i++) {
      const r = group[i]!
      if (r.isPrimary !== (r.id === winner)) draft.setPrimary(r, r.id === winner)
    }
  }
  for (const id of exitNodes) pair(draft, id, note)
  repairs.sort(byKind)
  return { changeSet: draft.finish(), repairs }
}

/** Allocation-free for the usual small group (an HA group is a handful of routers). */
const hasDuplicateNode = (group: ReadonlyArray<Route>): boolean => {
  if (group.length > 32) return new Set(group.map((r) => r.nodeId)).size !== group.length
  for (let i = 1; i < group.length; i++) {
    const id = group[i]!.nodeId
    for (let j = 0; j < i; j++) if (group[j]!.nodeId === id) return true
  }
  return false
}

/** Collapses rows of the same node in one prefix group; returns the survivors in a new array. */
const dedupe = (draft: Draft, rows: ReadonlyArray<Route>, note: Note): Route[] => {
  const group = rows.slice().sort(byId)
  const byNode = new Map<NodeId, Route[]>()
  for (const r of group) {
    const xs = byNode.get(r.nodeId)
    if (xs === undefined) byNode.set(r.nodeId, [r])
    else xs.push(r)
  }
  const out: Route[] = []
  for (const xs of byNode.values()) out.push(xs.length > 1 ? collapse(draft, xs, note) : xs[0]!)
  return out
}

type Note = (kind: RepairKind, r: Route, ids: ReadonlyArray<RouteId>, message: string) => void

/** Duplicates collapse into the oldest row, which keeps any advertisement, approval and primary flag among them. */
const collapse = (draft: Draft, group: ReadonlyArray<Route>, note: Note): Route => {
  const keep = group[0]!
  const enabledRow = group.find((r) => r.enabled)
  for (let i = 1; i < group.length; i++) draft.softDelete(group[i]!)
  note(
    "DuplicateRow",
    keep,
    group.map((r) => r.id),
    `${group.length} live rows for ${keep.prefix.text} on ${keep.nodeId}; kept route ${keep.id}`,
  )
  return draft.update(keep, {
    advertised: group.some((r) => r.advertised),
    enabled: enabledRow !== undefined,
    approvedBy: enabledRow?.approvedBy ?? null,
    isPrimary: group.some((r) => r.isPrimary),
  })
}

/** Approval fields agree with `enabled` and with `onWithdraw`. */
const fields = (draft: Draft, r: Route, note: Note): Route => {
  if (draft.options.onWithdraw === "disable" && !r.advertised && r.enabled) {
    note("WithdrawnButEnabled", r, [r.id], `route ${r.id} was enabled but not advertised; disabled`)
    return draft.update(r, { enabled: false, approvedBy: null })
  }
  if (!r.enabled && r.approvedBy !== null) {
    note("StaleApproval", r, [r.id], `route ${r.id} is disabled but recorded an approval; cleared`)
    return draft.update(r, { approvedBy: null })
  }
  if (r.enabled && r.approvedBy === null) {
    // Unknown source: "migration" is never revoked by a policy change, like a manual approval.
    note(
      "MissingApprovalSource",
      r,
      [r.id],
      `route ${r.id} was enabled with no approval source; recorded as migration`,
    )
    return draft.update(r, { approvedBy: "migration" })
  }
  return r
}

/** A half-enabled exit pair is completed when both halves are advertised, else disabled. */
const pair = (draft: Draft, nodeId: NodeId, note: Note): void => {
  const { v4, v6 } = exitRows(draft.routesOfNode(nodeId))
  const on = (v4?.enabled ? 1 : 0) + (v6?.enabled ? 1 : 0)
  if (on === 0 || (on === 2 && v4 !== undefined && v6 !== undefined)) return
  const enabled = (v4?.enabled ? v4 : v6)!
  const other = enabled === v4 ? v6 : v4
  const whole = other?.advertised && enabled.advertised
  if (whole) {
    draft.update(other, { enabled: true, approvedBy: enabled.approvedBy })
    note(
      "HalfExitPair",
      other,
      [enabled.id, other.id],
      `exit route ${other.id} enabled to match ${enabled.id}`,
    )
  } else {
    draft.update(enabled, { enabled: false, approvedBy: null })
    note("HalfExitPair", enabled, [enabled.id], `exit route ${enabled.id} enabled without its pair; disabled`)
  }
}

/** Reports flag damage the election is about to repair. */
const flags = (rows: ReadonlyArray<Route>, text: string, repairs: Repair[]): void => {
  // The sound case (no flag, or one flag on a servable subnet row) is settled without allocating.
  let count = 0
  let unservable = false
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    if (!r.isPrimary) continue
    count++
    if (!r.advertised || !r.enabled) unservable = true
  }
  const exit = isExitRoute(text)
  if (count === 0 || (count === 1 && !unservable && !exit)) return
  const flagged = rows.filter((r) => r.isPrimary).sort(byId)
  const ids = flagged.map((r) => r.id)
  const first = flagged[0]!
  const report = (kind: RepairKind, message: string): void => {
    repairs.push({ kind, nodeId: first.nodeId, prefix: text, routeIds: ids, message })
  }
  if (exit) report("ExitRoutePrimary", `exit route ${text} flagged primary; cleared`)
  else if (flagged.length > 1) report("ExtraPrimary", `${flagged.length} primaries for ${text}; re-elected`)
  for (const r of flagged) {
    if (!exit && (!r.advertised || !r.enabled)) {
      repairs.push({
        kind: "PrimaryNotServable",
        nodeId: r.nodeId,
        prefix: text,
        routeIds: [r.id],
        message: `primary ${r.id} for ${text} is ${r.advertised ? "disabled" : "withdrawn"}; re-elected`,
      })
    }
  }
}

/** Repairs any stored state and re-elects every prefix. @category constructors */
export const reconcile = (view: IndexedView, now: number, options: Options): Reconciled =>
  pass(view, new Draft(view, now, options))

/**
 * Reconcile for a manager starting over an existing store. Sessions whose
 * holder has ended (`ended`: by default every holder, at `now`; a replica
 * passes its own earlier run and the replicas whose lease lapsed) are
 * dropped, so a node they kept online is disconnected as of that end and
 * stored primaries hold for one grace window while routers reconnect.
 * Sessions held by live replicas stand.
 *
 * @category constructors
 */
export const startUp = (
  view: IndexedView,
  now: number,
  options: Options,
  ended: HolderEnd = () => now,
): Reconciled => {
  const draft = new Draft(view, now, options)
  endSessions(view, draft, ended)
  return pass(view, draft)
}
