/**
 * `GET /v1/ha`, the dashboard's one read: a row per HA group (each subnet
 * prefix some live route carries) with its primary and standbys and the
 * reasons `explain` gives, the grace deadline of a primary whose router is
 * offline, the exit nodes, and the recent failovers. Built purely from the
 * explanations, so it says exactly what `explain` says.
 */
import { Schema } from "effect"
import type { Route } from "../../domain/Route.js"
import type { CandidateJson, ExplanationJson } from "../../facade/toJson.js"
import { Failover } from "./failovers.js"

/** One route of a group. @category models */
export const HaMember = Schema.Struct({
  routeId: Schema.Int,
  nodeId: Schema.String,
  status: Schema.Literals(["primary", "standby", "ineligible"]),
  /** `explain`'s reason code (`Sticky`, `LowerPriority`, `Offline`, …) and its sentence. */
  reason: Schema.String,
  text: Schema.String,
  priority: Schema.Int,
  /** The node holds a session now. */
  online: Schema.Boolean,
  /** Disconnected but still eligible: when its grace ends (epoch ms); a primary fails over then. */
  graceUntil: Schema.NullOr(Schema.Number),
  /** The time the reason names (offline since, takes over at), epoch ms. */
  at: Schema.NullOr(Schema.Number),
}).annotate({ identifier: "HaMember" })

/** One HA group: a prefix and its routers. @category models */
export const HaGroup = Schema.Struct({
  prefix: Schema.String,
  primary: Schema.NullOr(HaMember),
  /** The primary the store flags; differs from `primary` only while a re-election is due. */
  storedPrimary: Schema.NullOr(Schema.Int),
  standbys: Schema.Array(HaMember),
  ineligible: Schema.Array(HaMember),
}).annotate({ identifier: "HaGroup" })

/** A node advertising the exit pair. @category models */
export const ExitNode = Schema.Struct({
  nodeId: Schema.String,
  /** Both halves advertised and enabled: clients may use it. */
  serving: Schema.Boolean,
  online: Schema.Boolean,
}).annotate({ identifier: "ExitNode" })

/** The whole view. @category models */
export const HaView = Schema.Struct({
  /** The server's clock when the view was made (epoch ms): countdowns subtract from it. */
  now: Schema.Number,
  /** The tailnet version the view stands at. */
  version: Schema.Int,
  groups: Schema.Array(HaGroup),
  exitNodes: Schema.Array(ExitNode),
  failovers: Schema.Array(Failover),
}).annotate({ identifier: "HaView" })

/** @category models */
export type HaView = typeof HaView.Type
/** @category models */
export type HaMember = typeof HaMember.Type

/** What the view is made of. @category models */
export interface HaInputs {
  readonly now: number
  readonly version: number
  /** One per subnet prefix, in prefix order. */
  readonly explanations: ReadonlyArray<ExplanationJson>
  /** Live exit routes (both halves of every pair). */
  readonly exitRoutes: ReadonlyArray<Route>
  readonly online: (nodeId: string) => boolean
  readonly failovers: ReadonlyArray<Failover>
}

const member = (c: CandidateJson, online: (nodeId: string) => boolean): HaMember => ({
  routeId: c.route.id,
  nodeId: c.route.nodeId,
  status: c.status,
  reason: c.reason,
  text: c.text,
  priority: c.route.priority,
  online: online(c.route.nodeId),
  graceUntil: c.graceUntil,
  at: c.at,
})

/** @category constructors */
export const haView = (inputs: HaInputs): HaView => {
  const groups = inputs.explanations.map((e) => {
    const members = e.candidates.map((c) => member(c, inputs.online))
    return {
      prefix: e.prefix,
      primary: members.find((m) => m.status === "primary") ?? null,
      storedPrimary: e.storedPrimary,
      standbys: members.filter((m) => m.status === "standby"),
      ineligible: members.filter((m) => m.status === "ineligible"),
    }
  })
  const halves = new Map<string, number>()
  for (const r of inputs.exitRoutes) {
    if (r.deletedAt !== null) continue
    halves.set(r.nodeId, (halves.get(r.nodeId) ?? 0) + (r.advertised && r.enabled ? 1 : 0))
  }
  const exitNodes = [...halves.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([nodeId, served]) => ({ nodeId, serving: served === 2, online: inputs.online(nodeId) }))
  return { now: inputs.now, version: inputs.version, groups, exitNodes, failovers: inputs.failovers }
}
