/**
 * "Replace the approved set" (Headscale ≥ 0.26 `approve_routes`, Tailscale's
 * `POST /device/{id}/routes`), checked whole before the manager's
 * `setApprovedRoutes` runs: what is newly wanted, what no longer is, and the
 * set that results; a bad element refuses the request before anything runs.
 */
import { Result } from "effect"
import {
  type HalfExitPair,
  halfExitPair,
  type InvalidPrefixInput,
  type NoSuchRoute,
  noSuchRoute,
  parsePrefixInput,
  type RouteNotAdvertised,
  routeNotAdvertised,
} from "../../domain/errors.js"
import type { NodeId } from "../../domain/Node.js"
import { compare, exitV4, exitV6, isExitRoute, type Prefix } from "../../domain/Prefix.js"
import type { Route } from "../../domain/Route.js"

/** What to run: prefixes (canonical text, in prefix order) to approve and to revoke. @category models */
export interface ApprovalPlan {
  readonly approve: ReadonlyArray<string>
  readonly revoke: ReadonlyArray<string>
  /** The approved set once both ran, in prefix order (exit routes as a pair). */
  readonly approved: ReadonlyArray<string>
}

/** Why a requested set cannot be approved. @category models */
export type ApprovalError = InvalidPrefixInput | NoSuchRoute | RouteNotAdvertised | HalfExitPair

/**
 * Plans replacing the node's approved set with `requested` (strict prefix
 * text). Either exit prefix means both, as Headscale does. A prefix the node
 * has no live route for, or does not advertise, is refused: approval lives
 * on a route row here, so nothing can be approved before it is advertised.
 *
 * @category constructors
 */
export const planApproval = (
  nodeId: NodeId,
  routes: ReadonlyArray<Route>,
  requested: ReadonlyArray<string>,
): Result.Result<ApprovalPlan, ApprovalError> => {
  const byText = new Map<string, Route>()
  for (const r of routes) if (r.deletedAt === null && r.nodeId === nodeId) byText.set(r.prefix.text, r)
  const wanted = new Map<string, Prefix>()
  for (const input of requested) {
    const parsed = parsePrefixInput(input)
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    const p = parsed.success
    if (isExitRoute(p)) {
      wanted.set(exitV4.text, exitV4)
      wanted.set(exitV6.text, exitV6)
    } else wanted.set(p.text, p)
  }
  for (const p of [...wanted.values()].sort(compare)) {
    const row = byText.get(p.text)
    if (isExitRoute(p) && (row === undefined || !row.advertised))
      return Result.fail(halfExitPair(nodeId, p.text))
    if (row === undefined) return Result.fail(noSuchRoute(nodeId, p.text))
    if (!row.advertised) return Result.fail(routeNotAdvertised(row.id, nodeId, p.text))
  }
  const approve: Prefix[] = []
  const revoke: Prefix[] = []
  for (const r of byText.values()) {
    if (wanted.has(r.prefix.text) && !r.enabled) approve.push(r.prefix)
    if (!wanted.has(r.prefix.text) && r.enabled) revoke.push(r.prefix)
  }
  const text = (ps: Prefix[]) => ps.sort(compare).map((p) => p.text)
  return Result.succeed({
    approve: text(approve),
    revoke: text(revoke),
    approved: text([...wanted.values()]),
  })
}
