/**
 * Advertise (DESIGN §2): a node's Hostinfo `RoutableIPs` replaces its
 * previous set. Lenient per element: an unparsable element or an invalid 4via6
 * prefix is dropped and reported in `rejected`; an element with host bits is
 * accepted masked and also reported (so the operator sees the client sent a
 * non-canonical prefix); duplicates collapse.
 */
import { Result } from "effect"
import { approves } from "../autoApprovers.js"
import type { ChangeSet } from "../ChangeSet.js"
import { type NodeDeleted, type TooManyRoutes, tooManyRoutes, type UnknownNode } from "../errors.js"
import { Draft } from "../internal/Draft.js"
import { EXIT_V4, EXIT_V6, exitRows } from "../internal/exitPair.js"
import { liveNode } from "../internal/lookup.js"
import type { NodeId } from "../Node.js"
import type { Options } from "../Options.js"
import { compare, exitV4, exitV6, isExitRoute, normalisePrefix, type Prefix } from "../Prefix.js"
import type { Route } from "../Route.js"
import type { RouteView } from "../RouteView.js"
import { isViaPrefix, validateViaPrefix } from "../via.js"

/** A node's full advertised set, as Hostinfo carries it. @category models */
export interface Advertisement {
  readonly nodeId: NodeId
  readonly routes: ReadonlyArray<string>
}

/** Parses an advertisement leniently: canonical prefixes by text, plus what was dropped or masked. */
const parseAll = (draft: Draft, inputs: ReadonlyArray<string>): Map<string, Prefix> => {
  const out = new Map<string, Prefix>()
  for (const input of inputs) {
    const parsed = normalisePrefix(input)
    if (Result.isFailure(parsed)) {
      draft.reject(input, parsed.failure.message)
      continue
    }
    const { prefix, masked } = parsed.success
    if (isViaPrefix(prefix)) {
      const via = validateViaPrefix(prefix)
      if (Result.isFailure(via)) {
        draft.reject(input, via.failure.message)
        continue
      }
    }
    if (masked) draft.reject(input, `${input} has non-address bits set; accepted as ${prefix.text}`)
    out.set(prefix.text, prefix)
  }
  return out
}

/**
 * Replaces the node's advertised set. New prefixes get rows, enabled when the
 * policy approves; re-advertised rows are re-approved by the policy (or keep a
 * retained approval); missing prefixes are withdrawn per `onWithdraw`.
 *
 * @category constructors
 */
export const advertise = (
  view: RouteView,
  input: Advertisement,
  now: number,
  options: Options,
): Result.Result<ChangeSet, UnknownNode | NodeDeleted | TooManyRoutes> => {
  const draft = new Draft(view, now, options)
  const found = liveNode(draft, input.nodeId)
  if (Result.isFailure(found)) return Result.fail(found.failure)
  const node = found.success
  const wanted = parseAll(draft, input.routes)
  if (wanted.size > options.maxRoutesPerNode) {
    return Result.fail(tooManyRoutes(node.id, wanted.size, options.maxRoutesPerNode))
  }
  const policy = draft.policy
  const disable = options.onWithdraw === "disable"
  const fresh = new Set<string>()
  const existing = draft.routesOfNode(node.id)
  for (let i = 0; i < existing.length; i++) {
    const r = existing[i]!
    const text = r.prefix.text
    if (wanted.has(text)) {
      wanted.delete(text)
      if (r.advertised) continue
      fresh.add(text)
      if (r.enabled || isExitRoute(text)) draft.update(r, { advertised: true })
      else if (approves(policy, node, r.prefix))
        draft.update(r, { advertised: true, enabled: true, approvedBy: "policy" })
      else draft.update(r, { advertised: true })
    } else if (r.advertised) {
      draft.update(
        r,
        disable ? { advertised: false, enabled: false, approvedBy: null } : { advertised: false },
      )
    }
  }
  // New rows take consecutive ids in prefix order, so element order never shows.
  const added = Array.from(wanted.values()).sort(compare)
  for (const prefix of added) {
    fresh.add(prefix.text)
    const ok = !isExitRoute(prefix) && approves(policy, node, prefix)
    draft.create(node.id, prefix, ok ? { enabled: true, approvedBy: "policy" } : {})
  }
  pairUp(draft, node.id, fresh, disable)
  return Result.succeed(draft.finish())
}

/** Keeps the exit pair together: a half pair or a withdrawn half (with `disable`) disables both; a fresh full pair may be approved by policy. */
const pairUp = (draft: Draft, nodeId: NodeId, fresh: ReadonlySet<string>, disable: boolean): void => {
  const { v4, v6 } = exitRows(draft.routesOfNode(nodeId))
  if (v4 === undefined && v6 === undefined) return
  const off = (r: Route | undefined): void => {
    if (r !== undefined) draft.update(r, { enabled: false, approvedBy: null })
  }
  if (v4 === undefined || v6 === undefined || (disable && (!v4.advertised || !v6.advertised))) {
    off(v4)
    off(v6)
    return
  }
  if (!v4.advertised || !v6.advertised) return
  if (v4.enabled || v6.enabled || !(fresh.has(EXIT_V4) || fresh.has(EXIT_V6))) return
  const node = draft.node(nodeId)!
  if (approves(draft.policy, node, exitV4) && approves(draft.policy, node, exitV6)) {
    draft.update(v4, { enabled: true, approvedBy: "policy" })
    draft.update(v6, { enabled: true, approvedBy: "policy" })
  }
}
