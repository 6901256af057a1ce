/**
 * The JSON dialect: plain records for the Promise facade and the CLI's
 * `--json`, one shape for both. Prefixes are canonical text; every time is
 * epoch milliseconds (a number), null when unset — the same numbers the store
 * holds, so nothing is lost to formatting. The effect Schemas of these
 * records (and `docs/schema.json`, generated from them) are in
 * `jsonSchemas.ts`; the assertions at the end of this file keep the two equal.
 */
import type { Schema } from "effect"
import type { Change, ChangeSet, PrimaryChange, Rejection } from "../domain/ChangeSet.js"
import type { Explanation } from "../domain/explain.js"
import type { Node } from "../domain/Node.js"
import type { OverlapReport } from "../domain/overlaps.js"
import type { Policy } from "../domain/Policy.js"
import { isExitRoute } from "../domain/Prefix.js"
import type { ApprovedBy, Route } from "../domain/Route.js"
import type { Repair } from "../domain/reconcile.js"
import type {
  CandidateJsonSchema,
  ChangeJsonSchema,
  ErrorJsonSchema,
  ExplanationJsonSchema,
  ineligibleReasons,
  NodeSummaryJsonSchema,
  OverlapsJsonSchema,
  primaryReasons,
  ReconcileJsonSchema,
  RouteJsonSchema,
  standbyReasons,
} from "./jsonSchemas.js"

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

/**
 * What one committed command changed, and who must hear about it.
 *
 * Netmaps: a node in `affectedNodes` had its own served set change (it gained
 * or lost a primary subnet, or its exit pair started or stopped being served),
 * so it needs a new netmap; and every peer that can see a prefix in
 * `reroutedPrefixes` (whose serving node changed) needs one too, because the
 * peer's view of who routes that prefix changed. `affectedPrefixes` is wider:
 * every prefix whose rows changed at all (an approval, a priority), which
 * changes no netmap by itself.
 *
 * @category models
 */
export interface ChangeJson {
  readonly nodes: ReadonlyArray<Change<NodeJson>>
  readonly routes: ReadonlyArray<Change<RouteJson>>
  /** Prefixes whose primary moved (route ids). */
  readonly primaries: ReadonlyArray<PrimaryChange>
  /** Prefixes whose routes changed in any way. */
  readonly affectedPrefixes: ReadonlyArray<string>
  /** Nodes whose own served route set changed: each needs a new netmap of its own. */
  readonly affectedNodes: ReadonlyArray<string>
  /**
   * Prefixes whose serving node changed: every prefix in `primaries`, plus
   * `0.0.0.0/0` and `::/0` when a node in `affectedNodes` started or stopped
   * serving its exit pair. Every peer that can see one needs a new netmap.
   */
  readonly reroutedPrefixes: ReadonlyArray<string>
  /** Advertised elements that were dropped or masked, and why. */
  readonly rejected: ReadonlyArray<Rejection>
  /** The new policy when the command replaced it. */
  readonly policy: Policy | null
  /** Change events only: the tailnet version this change made. */
  readonly version?: number
  /** Change events only: who committed it (a replica id, `cli`, `import`, `reload`). */
  readonly origin?: string
  /** Change events only: when it was committed (epoch ms). */
  readonly committedAt?: number
  /** Change events only: set when the change is the difference after a reload from that version. */
  readonly reloadedFrom?: number | null
}

/** Why the primary is primary, or a standby is not, or a route may not be primary. @category models */
export type ReasonCode =
  | (typeof primaryReasons)[number]
  | (typeof standbyReasons)[number]
  | (typeof ineligibleReasons)[number]

/** One route's standing in `explain`: a status and a reason code beside the sentence. @category models */
export interface CandidateJson {
  readonly route: RouteJson
  readonly status: "primary" | "standby" | "ineligible"
  readonly reason: ReasonCode
  readonly eligible: boolean
  /** The time the reason names (offline since, expired at, deleted at, takes over at), else null. */
  readonly at: number | null
  /** Eligible while disconnected: the end of its grace window, else null. */
  readonly graceUntil: number | null
  readonly text: string
}

/** Why a prefix has the primary it has. @category models */
export interface ExplanationJson {
  readonly prefix: string
  /** An exit route: never elected; every node with the pair enabled serves it. */
  readonly exit: boolean
  /** The primary the election picks now. */
  readonly primary: number | null
  /** The primary the store flags (differs only while a re-election is due). */
  readonly storedPrimary: number | null
  readonly candidates: ReadonlyArray<CandidateJson>
  /** Why the primary is primary, in sentences. */
  readonly verdict: ReadonlyArray<string>
}

/** Overlap warnings. @category models */
export interface OverlapsJson {
  readonly overlaps: ReadonlyArray<{ readonly a: RouteJson; readonly b: RouteJson }>
  readonly reserved: ReadonlyArray<{ readonly route: RouteJson; readonly range: string }>
}

/** The result of `reconcile()`; the CLI adds `dryRun`. @category models */
export interface ReconcileJson {
  readonly dryRun?: boolean
  readonly repairs: ReadonlyArray<Repair>
  readonly changes: ChangeJson
}

/** A node with its presence, as `nodes list` shows it. @category models */
export interface NodeSummaryJson {
  readonly node: NodeJson
  /** At least one open session. */
  readonly online: boolean
  /** Online since (`connectedAt`) or offline since (`disconnectedAt`); null if it never connected. */
  readonly since: number | null
  /** Its key expired (`expiresAt` has passed). */
  readonly expired: boolean
  /** How many live routes it has. */
  readonly routes: number
}

/** An error as JSON: `code`, `message`, and fields naming the input. @category models */
export interface ErrorJson {
  readonly code: Schema.Schema.Type<typeof ErrorJsonSchema>["code"]
  readonly message: string
  readonly [detail: string]: unknown
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

const servable = (r: Route | null): boolean => r !== null && r.deletedAt === null && r.advertised && r.enabled

const primarySubnet = (r: Route | null): boolean => r !== null && r.deletedAt === null && r.isPrimary

/**
 * The prefixes whose serving node changed: those in `primaries`, plus the
 * exit pair when a node of `affectedNodes` started or stopped serving it.
 * Exact when the change shows it: a node is in `affectedNodes` because a
 * primary subnet flag or its exit pair's service flipped, so with no subnet
 * flip it is the pair; with both it compares the two halves. In the one case
 * the change cannot settle (a subnet flip and one half changed, the other
 * half not in the change) it lists the pair: never fewer peers than need it.
 *
 * @category getters
 */
export const reroutedPrefixes = (cs: ChangeSet): string[] => {
  const out = cs.primaries.map((p) => p.prefix)
  if (cs.affectedNodes.length === 0) return out
  const affected = new Set(cs.affectedNodes)
  const subnetFlip = new Set<string>()
  const halves = new Map<string, Array<Change<Route>>>()
  for (const c of cs.routes) {
    const nodeId = c.after.nodeId
    if (!affected.has(nodeId)) continue
    if (isExitRoute(c.after.prefix)) {
      const mine = halves.get(nodeId)
      if (mine === undefined) halves.set(nodeId, [c])
      else mine.push(c)
    } else if (primarySubnet(c.before) !== primarySubnet(c.after)) {
      subnetFlip.add(nodeId)
    }
  }
  for (const [nodeId, changes] of halves) {
    const served =
      !subnetFlip.has(nodeId) ||
      (changes.length === 2
        ? changes.every((c) => servable(c.before)) !== changes.every((c) => servable(c.after))
        : changes.some((c) => servable(c.before) !== servable(c.after)))
    if (served) {
      out.push("0.0.0.0/0", "::/0")
      break
    }
  }
  return out
}

// Fields of a committed change event (a `Commit`), passed through when present.
const eventFields = ["version", "origin", "committedAt", "reloadedFrom"] as const

/** A change set (or a committed change event) as JSON. @category constructors */
export const changeToJson = (cs: ChangeSet): ChangeJson => {
  const json: Record<string, unknown> = {
    nodes: cs.nodes,
    routes: cs.routes.map((c) => ({
      before: c.before === null ? null : routeToJson(c.before),
      after: routeToJson(c.after),
    })),
    primaries: cs.primaries,
    affectedPrefixes: cs.affectedPrefixes,
    affectedNodes: cs.affectedNodes,
    reroutedPrefixes: reroutedPrefixes(cs),
    rejected: cs.rejected,
    policy: cs.policy,
  }
  const event = cs as ChangeSet & Partial<Record<(typeof eventFields)[number], unknown>>
  for (const k of eventFields) if (event[k] !== undefined) json[k] = event[k]
  return json as unknown as ChangeJson
}

/** Sentences for an explanation: why the primary is primary, or why there is none. @category getters */
export const verdict = (e: Explanation): ReadonlyArray<string> => {
  if (e.candidates.length === 0) return [`no node advertises ${e.prefix}`]
  if (isExitRoute(e.prefix)) {
    const serving = e.candidates
      .filter((c) => c.route.advertised && c.route.enabled)
      .map((c) => c.route.nodeId)
    return [
      "exit routes are not elected: every node with its exit pair advertised and enabled serves them",
      serving.length === 0 ? "no node serves it now" : `served by: ${serving.join(", ")}`,
    ]
  }
  const out: string[] = []
  const primary = e.candidates.find((c) => c.route.id === e.primary)
  if (primary === undefined) out.push("no primary: no route is eligible")
  else out.push(`route ${primary.route.id} on ${primary.route.nodeId} is ${primary.text}`)
  if (e.storedPrimary !== e.primary) {
    out.push(
      `the store still flags ${e.storedPrimary === null ? "no primary" : `route ${e.storedPrimary}`}: a re-election is due (the server's next tick, or 'tailnet-routes reconcile')`,
    )
  }
  return out
}

const candidateToJson = (c: Explanation["candidates"][number]): CandidateJson => {
  const base = {
    route: routeToJson(c.route),
    eligible: c.eligibility.eligible,
    graceUntil: c.eligibility.eligible ? c.eligibility.graceUntil : null,
    text: c.text,
  }
  const s = c.status
  switch (s._tag) {
    case "Primary":
      return { ...base, status: "primary", reason: s.why, at: null }
    case "Standby":
      return { ...base, status: "standby", reason: s.why, at: s.until ?? null }
    case "Ineligible": {
      const r = s.reason
      const at = "at" in r ? r.at : "since" in r ? r.since : null
      return { ...base, status: "ineligible", reason: r._tag, at }
    }
  }
}

/** @category constructors */
export const explanationToJson = (e: Explanation): ExplanationJson => ({
  prefix: e.prefix,
  exit: isExitRoute(e.prefix),
  primary: e.primary,
  storedPrimary: e.storedPrimary,
  candidates: e.candidates.map(candidateToJson),
  verdict: verdict(e),
})

/** @category constructors */
export const overlapsToJson = (report: OverlapReport<Route>): OverlapsJson => ({
  overlaps: report.overlaps.map((p) => ({ a: routeToJson(p.a), b: routeToJson(p.b) })),
  reserved: report.reserved.map((h) => ({ route: routeToJson(h.route), range: h.range.text })),
})

/** @category constructors */
export const reconcileToJson = (changeSet: ChangeSet, repairs: ReadonlyArray<Repair>): ReconcileJson => ({
  repairs,
  changes: changeToJson(changeSet),
})

/** A node with its presence at `now`, and its live route count. @category constructors */
export const nodeSummaryToJson = (node: Node, routes: number, now: number): NodeSummaryJson => {
  const online = node.presence.sessions > 0
  return {
    node,
    online,
    since: online ? node.presence.connectedAt : node.presence.disconnectedAt,
    expired: node.expiresAt !== null && now >= node.expiresAt,
    routes,
  }
}

// Compile-time: each interface above is exactly its schema's JSON (encoded) side.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const same = <_ extends true>(): void => {}
same<Same<RouteJson, Schema.Codec.Encoded<typeof RouteJsonSchema>>>()
same<Same<ChangeJson, Schema.Codec.Encoded<typeof ChangeJsonSchema>>>()
same<Same<CandidateJson, Schema.Codec.Encoded<typeof CandidateJsonSchema>>>()
same<Same<ExplanationJson, Schema.Codec.Encoded<typeof ExplanationJsonSchema>>>()
same<Same<OverlapsJson, Schema.Codec.Encoded<typeof OverlapsJsonSchema>>>()
same<Same<ReconcileJson, Schema.Codec.Encoded<typeof ReconcileJsonSchema>>>()
same<Same<NodeSummaryJson, Schema.Codec.Encoded<typeof NodeSummaryJsonSchema>>>()
