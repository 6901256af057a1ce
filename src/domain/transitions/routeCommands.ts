/**
 * Operator commands on routes: enable (approve), disable (revoke), delete,
 * priority and health marks. Each takes a `RouteTarget` (route ids, or a node
 * and prefixes); an exit route always brings its pair partner. Bad input is a
 * typed error and no change set.
 */
import { Result } from "effect"
import type { ChangeSet } from "../ChangeSet.js"
import {
  type HalfExitPair,
  halfExitPair,
  InvalidPriority,
  noSuchRoute,
  parsePrefixInput,
  type RouteNotAdvertised,
  routeNotAdvertised,
} from "../errors.js"
import { MAX_PRIORITY, MIN_PRIORITY } from "../inputRules.js"
import { Draft } from "../internal/Draft.js"
import { EXIT_V4, EXIT_V6, exitRows } from "../internal/exitPair.js"
import { liveNode, type RouteTarget, resolveTarget, type TargetError } from "../internal/lookup.js"
import type { NodeId } from "../Node.js"
import type { Options } from "../Options.js"
import { compare, exitV4, exitV6, isExitRoute, type Prefix } from "../Prefix.js"
import type { Route } from "../Route.js"
import type { RouteView } from "../RouteView.js"

export type { RouteTarget, TargetError } from "../internal/lookup.js"

const run = <E>(
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
  body: (draft: Draft, routes: ReadonlyArray<Route>) => E | undefined,
): Result.Result<ChangeSet, TargetError | E> => {
  const draft = new Draft(view, now, options)
  const routes = resolveTarget(draft, target)
  if (Result.isFailure(routes)) return Result.fail(routes.failure)
  const error = body(draft, routes.success)
  if (error !== undefined) return Result.fail(error)
  return Result.succeed(draft.finish())
}

/**
 * Enables (manually approves) routes. Every row must be advertised, and an
 * exit route needs both halves advertised. Idempotent: an enabled row is left
 * exactly as it is (its approval source too), so a primary is never demoted.
 *
 * @category constructors
 */
export const enableRoutes = (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
): Result.Result<ChangeSet, TargetError | RouteNotAdvertised | HalfExitPair> =>
  run<RouteNotAdvertised | HalfExitPair>(view, target, now, options, enable)

/** Enables the rows once every one is advertised (an exit row with its partner); enabled rows stay as they are. */
const enable = (
  draft: Draft,
  routes: ReadonlyArray<Route>,
): RouteNotAdvertised | HalfExitPair | undefined => {
  for (const r of routes) {
    if (isExitRoute(r.prefix)) {
      const { v4, v6 } = exitRows(draft.routesOfNode(r.nodeId))
      if (v4 === undefined || !v4.advertised) return halfExitPair(r.nodeId, EXIT_V4)
      if (v6 === undefined || !v6.advertised) return halfExitPair(r.nodeId, EXIT_V6)
    } else if (!r.advertised) {
      return routeNotAdvertised(r.id, r.nodeId, r.prefix.text)
    }
  }
  approve(draft, routes)
  return undefined
}

/** The one approval write: enabled rows stay as they are (their approval source too). */
const approve = (draft: Draft, routes: ReadonlyArray<Route>): void => {
  for (const r of routes) if (!r.enabled) draft.update(r, { enabled: true, approvedBy: "manual" })
}

/** The one revocation write. */
const revoke = (draft: Draft, routes: ReadonlyArray<Route>): void => {
  for (const r of routes) draft.update(r, { enabled: false, approvedBy: null })
}

/**
 * Replaces one node's approved set with `prefixes`, in one change set
 * (Headscale's `approve_routes`, Tailscale's `POST /device/{id}/routes`): the
 * named rows are enabled as `enableRoutes` does, and the node's other enabled
 * rows are disabled. Either exit prefix means both; an empty list revokes
 * every approval; repeats count once.
 *
 * The whole request is checked before anything is written, and the first
 * fault is reported in an order that does not depend on how the list was
 * written: every element must parse (the first that does not, in input
 * order); then, in prefix order, an exit prefix needs both halves advertised
 * (`HalfExitPair`, before `NoSuchRoute` for the missing half), and any other
 * prefix a live row of the node (`NoSuchRoute`) that is advertised
 * (`RouteNotAdvertised`). Nothing changes on a refusal.
 *
 * @category constructors
 */
export const setApprovedRoutes = (
  view: RouteView,
  target: { readonly nodeId: NodeId; readonly prefixes: ReadonlyArray<string> },
  now: number,
  options: Options,
): Result.Result<ChangeSet, TargetError | RouteNotAdvertised | HalfExitPair> => {
  const draft = new Draft(view, now, options)
  const node = liveNode(draft, target.nodeId)
  if (Result.isFailure(node)) return Result.fail(node.failure)
  const wanted = new Map<string, Prefix>()
  for (const input of target.prefixes) {
    const parsed = parsePrefixInput(input)
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    const p = parsed.success
    for (const q of isExitRoute(p) ? [exitV4, exitV6] : [p]) wanted.set(q.text, q)
  }
  const rows = draft.routesOfNode(target.nodeId)
  const byText = new Map(rows.map((r) => [r.prefix.text, r]))
  for (const p of Array.from(wanted.values()).sort(compare)) {
    const row = byText.get(p.text)
    if (isExitRoute(p) && (row === undefined || !row.advertised)) {
      return Result.fail(halfExitPair(target.nodeId, p.text))
    }
    if (row === undefined) return Result.fail(noSuchRoute(target.nodeId, p.text))
    if (!row.advertised) return Result.fail(routeNotAdvertised(row.id, target.nodeId, p.text))
  }
  approve(
    draft,
    rows.filter((r) => wanted.has(r.prefix.text)),
  )
  revoke(
    draft,
    rows.filter((r) => r.enabled && !wanted.has(r.prefix.text)),
  )
  return Result.succeed(draft.finish())
}

/** Disables (revokes) routes; the primary moves if it was one of them. @category constructors */
export const disableRoutes = (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
): Result.Result<ChangeSet, TargetError> =>
  run<never>(view, target, now, options, (draft, routes) => {
    revoke(draft, routes)
    return undefined
  })

/** Approval is enabling: `approveRoutes` records a manual approval. @category constructors */
export const approveRoutes = enableRoutes

/** Revoking an approval is disabling. @category constructors */
export const revokeRoutes = disableRoutes

/**
 * Soft-deletes routes; a prefix the node still advertises comes back as a
 * fresh, unapproved row with its next Hostinfo.
 *
 * @category constructors
 */
export const deleteRoutes = (
  view: RouteView,
  target: RouteTarget,
  now: number,
  options: Options,
): Result.Result<ChangeSet, TargetError> =>
  run<never>(view, target, now, options, (draft, routes) => {
    for (const r of routes) draft.softDelete(r)
    return undefined
  })

/**
 * Sets the election priority (higher wins). A sticky primary stays put unless
 * preemption is on.
 *
 * @category constructors
 */
export const setRoutePriority = (
  view: RouteView,
  target: RouteTarget,
  priority: number,
  now: number,
  options: Options,
): Result.Result<ChangeSet, TargetError | InvalidPriority> => {
  if (!Number.isSafeInteger(priority)) {
    return Result.fail(new InvalidPriority({ priority, message: `priority ${priority} is not an integer` }))
  }
  if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    return Result.fail(
      new InvalidPriority({
        priority,
        message: `priority ${priority} is outside ${MIN_PRIORITY} to ${MAX_PRIORITY}`,
      }),
    )
  }
  return run<never>(view, target, now, options, (draft, routes) => {
    for (const r of routes) draft.update(r, { priority })
    return undefined
  })
}

/** Records a health check: an unhealthy route is not eligible. @category constructors */
export const markRouteHealth = (
  view: RouteView,
  target: RouteTarget,
  healthy: boolean,
  now: number,
  options: Options,
): Result.Result<ChangeSet, TargetError> =>
  run<never>(view, target, now, options, (draft, routes) => {
    for (const r of routes) draft.update(r, { healthy })
    return undefined
  })
