/**
 * Why a prefix has the primary it has: for every live route of the prefix,
 * eligible or not and why, and the rule that made the primary the primary.
 * Computed with the election itself, so the explanation cannot drift from it.
 */

import { electPrimary, outranks } from "./election.js"
import { type Eligibility, eligibilityOf, eligibleSince, type Ineligible } from "./eligibility.js"
import type { Options } from "./Options.js"
import type { Route, RouteId } from "./Route.js"
import type { RouteView } from "./RouteView.js"

/** Why the primary holds the prefix. @category models */
export type PrimaryReason =
  | "Sticky" // it was primary and is still eligible
  | "OnlyEligible"
  | "HighestPriority"
  | "Oldest" // tie on priority, oldest route
  | "LowestId" // tie on priority and age
  | "Preempted" // took over from a lower-priority primary after the delay
  | "KeptLast" // nothing is eligible; keep-last holds the last primary

/** Why an eligible route is not the primary. @category models */
export type StandbyReason =
  | "LowerPriority"
  | "Younger"
  | "HigherId"
  | "PrimaryIsSticky" // it outranks the primary, but the primary stays while eligible
  | "PreemptPending" // it will take over once its preemption delay ends

/** One route's standing. @category models */
export type CandidateStatus =
  | { readonly _tag: "Primary"; readonly why: PrimaryReason }
  | { readonly _tag: "Standby"; readonly why: StandbyReason; readonly until?: number }
  | { readonly _tag: "Ineligible"; readonly reason: Ineligible }

/** @category models */
export interface Candidate {
  readonly route: Route
  readonly eligibility: Eligibility
  readonly status: CandidateStatus
  /** One sentence for an operator. */
  readonly text: string
}

/** @category models */
export interface Explanation {
  readonly prefix: string
  /** The primary the election picks at `now`. */
  readonly primary: RouteId | null
  /** The primary the store holds (differs from `primary` only when a tick is due). */
  readonly storedPrimary: RouteId | null
  /** Candidates, primary first, then in election order. */
  readonly candidates: ReadonlyArray<Candidate>
}

const iso = (t: number): string => new Date(t).toISOString()

const ineligibleText = (r: Ineligible): string => {
  switch (r._tag) {
    case "Deleted":
      return `deleted at ${iso(r.at)}`
    case "ExitRoute":
      return "exit route (never elected; served by every node with the pair enabled)"
    case "NotAdvertised":
      return "not advertised"
    case "Disabled":
      return "disabled"
    case "Unhealthy":
      return "unhealthy"
    case "NodeUnknown":
      return "node unknown"
    case "NodeDeleted":
      return `node deleted at ${iso(r.at)}`
    case "Expired":
      return `node key expired at ${iso(r.at)}`
    case "NeverConnected":
      return "node never connected"
    case "Offline":
      return `offline since ${iso(r.since)}`
  }
}

const graceText = (e: Eligibility): string =>
  e.eligible && e.graceUntil !== null ? ` (disconnected, within grace until ${iso(e.graceUntil)})` : ""

/** Explains the election of one prefix (canonical text) at `now`. @category getters */
export const explain = (view: RouteView, prefix: string, now: number, options: Options): Explanation => {
  const rows = view.routesOfPrefix(prefix).filter((r) => r.deletedAt === null)
  const winnerId = electPrimary(rows, view, now, options)
  const stored = rows.filter((r) => r.isPrimary).sort((a, b) => a.id - b.id)[0]
  const winner = rows.find((r) => r.id === winnerId)
  const judged = rows.map((route) => ({
    route,
    eligibility: eligibilityOf(route, view.node(route.nodeId), now, options),
  }))
  const eligible = judged.filter((j) => j.eligibility.eligible).map((j) => j.route)
  const ordered = eligible.slice().sort((a, b) => (outranks(a, b) ? -1 : outranks(b, a) ? 1 : 0))
  // The route that held the prefix before this election: it is sticky if still eligible.
  const sticky = stored !== undefined && eligible.includes(stored) ? stored : undefined

  const primaryWhy = (w: Route): PrimaryReason => {
    if (!eligible.includes(w)) return "KeptLast"
    if (sticky === w) return "Sticky"
    if (sticky !== undefined) return "Preempted"
    if (eligible.length === 1) return "OnlyEligible"
    const next = ordered.find((r) => r !== w)!
    if (w.priority !== next.priority) return "HighestPriority"
    if (w.createdAt !== next.createdAt) return "Oldest"
    return "LowestId"
  }

  const standbyWhy = (r: Route): { why: StandbyReason; until?: number } => {
    if (winner === undefined) return { why: "LowerPriority" }
    if (outranks(r, winner)) {
      if (options.preemption && r.priority > winner.priority) {
        const since = eligibleSince(r, view.node(r.nodeId), now, options)
        if (since !== null) return { why: "PreemptPending", until: since + options.preemptDelayMs }
      }
      return { why: "PrimaryIsSticky" }
    }
    if (r.priority !== winner.priority) return { why: "LowerPriority" }
    if (r.createdAt !== winner.createdAt) return { why: "Younger" }
    return { why: "HigherId" }
  }

  const candidates: Candidate[] = judged.map(({ route, eligibility }) => {
    if (route === winner) {
      const why = primaryWhy(route)
      return {
        route,
        eligibility,
        status: { _tag: "Primary", why },
        text: `primary: ${primaryText(why)}${graceText(eligibility)}`,
      }
    }
    if (!eligibility.eligible) {
      return {
        route,
        eligibility,
        status: { _tag: "Ineligible", reason: eligibility.reason },
        text: `not eligible: ${ineligibleText(eligibility.reason)}`,
      }
    }
    const s = standbyWhy(route)
    const status: CandidateStatus =
      s.until === undefined
        ? { _tag: "Standby", why: s.why }
        : { _tag: "Standby", why: s.why, until: s.until }
    return {
      route,
      eligibility,
      status,
      text: `standby: ${standbyText(s.why, s.until)}${graceText(eligibility)}`,
    }
  })
  const rank = (c: Candidate): number =>
    c.status._tag === "Primary"
      ? 0
      : c.status._tag === "Standby"
        ? 1 + ordered.indexOf(c.route)
        : 1 + rows.length + c.route.id
  candidates.sort((a, b) => rank(a) - rank(b) || a.route.id - b.route.id)
  return { prefix, primary: winnerId, storedPrimary: stored?.id ?? null, candidates }
}

const primaryText = (why: PrimaryReason): string => {
  switch (why) {
    case "Sticky":
      return "it was primary and is still eligible (sticky)"
    case "OnlyEligible":
      return "the only eligible route"
    case "HighestPriority":
      return "highest priority among eligible routes"
    case "Oldest":
      return "oldest among eligible routes of the highest priority"
    case "LowestId":
      return "lowest id among equally old routes of the highest priority"
    case "Preempted":
      return "took over from a lower-priority primary after the preemption delay"
    case "KeptLast":
      return "nothing is eligible; keep-last holds the last primary"
  }
}

const standbyText = (why: StandbyReason, until: number | undefined): string => {
  switch (why) {
    case "LowerPriority":
      return "lower priority"
    case "Younger":
      return "younger than the primary"
    case "HigherId":
      return "same age as the primary, higher id"
    case "PrimaryIsSticky":
      return "outranks the primary, but the primary stays while it is eligible"
    case "PreemptPending":
      return `takes over at ${iso(until ?? 0)} (preemption delay)`
  }
}
