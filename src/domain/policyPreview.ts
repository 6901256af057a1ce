/**
 * What a policy change would do, without doing it: the approvals it would
 * grant and revoke and the primaries that would move. A policy change is the
 * one command that can revoke every approval at once, so an operator (and
 * `policy set --dry-run`) can look first.
 */
import type { ChangeSet, PrimaryChange } from "./ChangeSet.js"
import type { NodeId } from "./Node.js"
import type { Options } from "./Options.js"
import type { Policy } from "./Policy.js"
import type { RouteId } from "./Route.js"
import type { RouteView } from "./RouteView.js"
import { setPolicy } from "./transitions/setPolicy.js"

/** One route whose approval the policy change would move. @category models */
export interface ApprovalChange {
  readonly routeId: RouteId
  readonly nodeId: NodeId
  readonly prefix: string
}

/** The effect of installing a policy, computed on the current state and not applied. @category models */
export interface PolicyPreview {
  /** Routes the new policy would enable (approvedBy becomes `policy`). */
  readonly granted: ReadonlyArray<ApprovalChange>
  /** Routes enabled by the old policy that the new one would disable. */
  readonly revoked: ReadonlyArray<ApprovalChange>
  /** Prefixes whose primary would move (`before`/`after` route ids, null for none). */
  readonly primaries: ReadonlyArray<PrimaryChange>
  /** The change set `setPolicy` would commit now, as is. */
  readonly changeSet: ChangeSet
}

/** Reads a `setPolicy` change set as approvals granted and revoked. @category getters */
export const summarisePolicyChange = (cs: ChangeSet): Omit<PolicyPreview, "changeSet"> => {
  const granted: ApprovalChange[] = []
  const revoked: ApprovalChange[] = []
  for (const { before, after } of cs.routes) {
    if (before === null) continue
    const entry = { routeId: after.id, nodeId: after.nodeId, prefix: after.prefix.text }
    if (!before.enabled && after.enabled) granted.push(entry)
    else if (before.enabled && !after.enabled) revoked.push(entry)
  }
  return { granted, revoked, primaries: cs.primaries }
}

/** The preview of installing `policy` (already validated) on `view` at `now`. @category constructors */
export const previewPolicy = (
  view: RouteView,
  policy: Policy,
  now: number,
  options: Options,
): PolicyPreview => {
  const changeSet = setPolicy(view, policy, now, options)
  return { ...summarisePolicyChange(changeSet), changeSet }
}
