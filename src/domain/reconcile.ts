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
import { Draft } from "./internal/Draft.js"
import { exitRows, isExitText } from "./internal/exitPair.js"
import type { Node, NodeId } from "./Node.js"
import type { Options } from "./Options.js"
import type { Route, RouteId } from "./Route.js"
import type { RouteView } from "./RouteView.js"

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

const pass = (draft: Draft): Reconciled => {
  const repairs: Repair[] = []
  const note = (kind: RepairKind, r: Route, ids: ReadonlyArray<RouteId>, message: string): void => {
    repairs.push({ kind, nodeId: r.nodeId, prefix: r.prefix.text, routeIds: ids, message })
  }
  const rows = Array.from(draft.view.allRoutes(), (r) => draft.route(r.id)).filter(
    (r): r is Route => r !== undefined,
  )
  rows.sort(byId)
  const prefixes = new Set<string>()
  const groups = new Map<string, Route[]>()
  const nodes = new Set<NodeId>()
  for (const r of rows) {
    prefixes.add(r.prefix.text)
    const node = draft.node(r.nodeId)
    if (node === undefined || node.deletedAt !== null) {
      draft.softDelete(r)
      note(
        "OrphanRow",
        r,
        [r.id],
        `route ${r.id} (${r.prefix.text}) belongs to ${node === undefined ? "unknown" : "deleted"} node ${r.nodeId}`,
      )
      continue
    }
    nodes.add(r.nodeId)
    const key = `${r.nodeId}\u0000${r.prefix.text}`
    const g = groups.get(key)
    if (g === undefined) groups.set(key, [r])
    else g.push(r)
  }
  for (const group of groups.values()) {
    let keep = group[0]!
    if (group.length > 1) keep = collapse(draft, group, note)
    fields(draft, keep, note)
  }
  for (const id of Array.from(nodes).sort()) pair(draft, id, note)
  for (const text of Array.from(prefixes).sort()) {
    flags(
      draft.view
        .routesOfPrefix(text)
        .filter((r) => r.deletedAt === null)
        .sort(byId),
      text,
      repairs,
    )
    draft.electPrefix(text)
  }
  return { changeSet: draft.finish(), repairs }
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
const fields = (draft: Draft, r: Route, note: Note): void => {
  if (draft.options.onWithdraw === "disable" && !r.advertised && r.enabled) {
    draft.update(r, { enabled: false, approvedBy: null })
    note("WithdrawnButEnabled", r, [r.id], `route ${r.id} was enabled but not advertised; disabled`)
  } else if (!r.enabled && r.approvedBy !== null) {
    draft.update(r, { approvedBy: null })
    note("StaleApproval", r, [r.id], `route ${r.id} is disabled but recorded an approval; cleared`)
  } else if (r.enabled && r.approvedBy === null) {
    // Unknown source: "migration" is never revoked by a policy change, like a manual approval.
    draft.update(r, { approvedBy: "migration" })
    note(
      "MissingApprovalSource",
      r,
      [r.id],
      `route ${r.id} was enabled with no approval source; recorded as migration`,
    )
  }
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
  const flagged = rows.filter((r) => r.isPrimary)
  if (flagged.length === 0) return
  const ids = flagged.map((r) => r.id)
  const first = flagged[0]!
  const add = (kind: RepairKind, message: string): void => {
    repairs.push({ kind, nodeId: first.nodeId, prefix: text, routeIds: ids, message })
  }
  if (isExitText(text)) add("ExitRoutePrimary", `exit route ${text} flagged primary; cleared`)
  else if (flagged.length > 1) add("ExtraPrimary", `${flagged.length} primaries for ${text}; re-elected`)
  for (const r of flagged) {
    if (!isExitText(text) && (!r.advertised || !r.enabled)) {
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
export const reconcile = (view: RouteView, now: number, options: Options): Reconciled =>
  pass(new Draft(view, now, options))

/**
 * Reconcile for a manager starting over an existing store: every node that
 * was online is treated as disconnected at `now`, so stored primaries hold
 * for one grace window while routers reconnect.
 *
 * @category constructors
 */
export const startUp = (view: RouteView, now: number, options: Options): Reconciled => {
  const draft = new Draft(view, now, options)
  const nodes: Node[] = []
  for (const n of view.allNodes()) if (n.deletedAt === null && n.presence.sessions > 0) nodes.push(n)
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const n of nodes) {
    draft.putNode({ ...n, presence: { ...n.presence, sessions: 0, connectedAt: null, disconnectedAt: now } })
  }
  return pass(draft)
}
