/**
 * Plain, JSON-friendly records for the Promise facade. Prefixes are canonical
 * text; every time is epoch milliseconds (a number), null when unset — the
 * same numbers the store holds, so nothing is lost to formatting.
 */
import type { Change, ChangeSet, PrimaryChange, Rejection } from "../domain/ChangeSet.js"
import type { Eligibility } from "../domain/eligibility.js"
import type { CandidateStatus, Explanation } from "../domain/explain.js"
import type { Node } from "../domain/Node.js"
import type { OverlapReport } from "../domain/overlaps.js"
import type { Policy } from "../domain/Policy.js"
import type { ApprovedBy, Route } from "../domain/Route.js"
import type { Repair } from "../domain/reconcile.js"

/** A route row; times are epoch ms. @category models */
export interface RouteJson {
  readonly id: number
  readonly nodeId: string
  /** Canonical prefix text. */
  readonly prefix: string
  readonly advertised: boolean
  readonly enabled: boolean
  readonly isPrimary: boolean
  readonly approvedBy: ApprovedBy | null
  readonly priority: number
  readonly healthy: boolean
  readonly createdAt: number
  readonly updatedAt: number
  readonly deletedAt: number | null
}

/** A node record (already plain data); times are epoch ms. @category models */
export type NodeJson = Node

/** What one committed command changed. @category models */
export interface ChangeJson {
  readonly nodes: ReadonlyArray<Change<NodeJson>>
  readonly routes: ReadonlyArray<Change<RouteJson>>
  /** Prefixes whose primary moved (route ids). */
  readonly primaries: ReadonlyArray<PrimaryChange>
  readonly affectedPrefixes: ReadonlyArray<string>
  /** Nodes that need a new netmap. */
  readonly affectedNodes: ReadonlyArray<string>
  /** Advertised elements that were dropped or masked, and why. */
  readonly rejected: ReadonlyArray<Rejection>
  /** The new policy when the command replaced it. */
  readonly policy: Policy | null
}

/** One route's standing in `explain`. @category models */
export interface CandidateJson {
  readonly route: RouteJson
  readonly eligibility: Eligibility
  readonly status: CandidateStatus
  readonly text: string
}

/** Why a prefix has the primary it has. @category models */
export interface ExplanationJson {
  readonly prefix: string
  readonly primary: number | null
  readonly storedPrimary: number | null
  readonly candidates: ReadonlyArray<CandidateJson>
}

/** Overlap warnings. @category models */
export interface OverlapsJson {
  readonly overlaps: ReadonlyArray<{ readonly a: RouteJson; readonly b: RouteJson }>
  readonly reserved: ReadonlyArray<{ readonly route: RouteJson; readonly range: string }>
}

/** The result of `reconcile()`. @category models */
export interface ReconcileJson {
  readonly changes: ChangeJson
  readonly repairs: ReadonlyArray<Repair>
}

/** @category constructors */
export const routeToJson = (r: Route): RouteJson => ({
  id: r.id,
  nodeId: r.nodeId,
  prefix: r.prefix.text,
  advertised: r.advertised,
  enabled: r.enabled,
  isPrimary: r.isPrimary,
  approvedBy: r.approvedBy,
  priority: r.priority,
  healthy: r.healthy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  deletedAt: r.deletedAt,
})

/** @category constructors */
export const routesToJson = (rs: ReadonlyArray<Route>): RouteJson[] => rs.map(routeToJson)

/** @category constructors */
export const changeToJson = (cs: ChangeSet): ChangeJson => ({
  nodes: cs.nodes,
  routes: cs.routes.map((c) => ({
    before: c.before === null ? null : routeToJson(c.before),
    after: routeToJson(c.after),
  })),
  primaries: cs.primaries,
  affectedPrefixes: cs.affectedPrefixes,
  affectedNodes: cs.affectedNodes,
  rejected: cs.rejected,
  policy: cs.policy,
})

/** @category constructors */
export const explanationToJson = (e: Explanation): ExplanationJson => ({
  prefix: e.prefix,
  primary: e.primary,
  storedPrimary: e.storedPrimary,
  candidates: e.candidates.map((c) => ({
    route: routeToJson(c.route),
    eligibility: c.eligibility,
    status: c.status,
    text: c.text,
  })),
})

/** @category constructors */
export const overlapsToJson = (report: OverlapReport<Route>): OverlapsJson => ({
  overlaps: report.overlaps.map((p) => ({ a: routeToJson(p.a), b: routeToJson(p.b) })),
  reserved: report.reserved.map((h) => ({ route: routeToJson(h.route), range: h.range.text })),
})
