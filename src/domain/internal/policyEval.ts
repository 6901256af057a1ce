/**
 * Re-evaluates one node's rows against the current policy (policy change, tag
 * or user change): policy grants that no longer match are revoked, advertised
 * unapproved rows the policy now approves are granted. Manual and migration
 * approvals are never touched.
 */
import { approves } from "../autoApprovers.js"
import type { Node } from "../Node.js"
import { exitV4, exitV6, isExitRoute } from "../Prefix.js"
import type { Draft } from "./Draft.js"
import { exitRows } from "./exitPair.js"

export const reevaluateNode = (draft: Draft, node: Node): void => {
  if (node.deletedAt !== null) return
  const policy = draft.policy
  const routes = draft.routesOfNode(node.id)
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!
    if (isExitRoute(r.prefix)) continue
    const ok = approves(policy, node, r.prefix)
    if (r.approvedBy === "policy" && !ok) draft.update(r, { enabled: false, approvedBy: null })
    else if (r.advertised && !r.enabled && ok) draft.update(r, { enabled: true, approvedBy: "policy" })
  }
  const { v4, v6 } = exitRows(routes)
  if (v4 === undefined && v6 === undefined) return
  const ok = approves(policy, node, exitV4) && approves(policy, node, exitV6)
  const byPolicy = v4?.approvedBy === "policy" || v6?.approvedBy === "policy"
  if (byPolicy && !ok) {
    if (v4 !== undefined) draft.update(v4, { enabled: false, approvedBy: null })
    if (v6 !== undefined) draft.update(v6, { enabled: false, approvedBy: null })
  } else if (
    ok &&
    v4 !== undefined &&
    v6 !== undefined &&
    v4.advertised &&
    v6.advertised &&
    !v4.enabled &&
    !v6.enabled
  ) {
    draft.update(v4, { enabled: true, approvedBy: "policy" })
    draft.update(v6, { enabled: true, approvedBy: "policy" })
  }
}
