/**
 * Policy change (DESIGN §4): every node is re-evaluated. Policy grants that no
 * longer match are revoked; advertised, unapproved routes the new policy
 * approves are granted; manual and migration approvals are never touched.
 * Necessarily O(routes): a policy can change any approval.
 */
import type { ChangeSet } from "../ChangeSet.js"
import { Draft } from "../internal/Draft.js"
import { liveNodesById } from "../internal/lookup.js"
import { reevaluateNode } from "../internal/policyEval.js"
import type { Options } from "../Options.js"
import type { Policy } from "../Policy.js"
import type { RouteView } from "../RouteView.js"

/** Replaces the policy and re-evaluates every live node. @category constructors */
export const setPolicy = (view: RouteView, policy: Policy, now: number, options: Options): ChangeSet => {
  const draft = new Draft(view, now, options)
  draft.setPolicy(policy)
  for (const n of liveNodesById(view)) reevaluateNode(draft, n)
  return draft.finish()
}
