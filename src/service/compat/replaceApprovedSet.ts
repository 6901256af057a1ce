/**
 * Replaces a node's approved routes with a requested set (Headscale's
 * `approve_routes`, Tailscale's `POST …/routes`): the whole request is
 * checked by `planApproval` first, then the newly wanted routes are approved
 * and only then the unwanted ones revoked, so no moment has fewer routes
 * approved than either end. Two commits: a writer in between can make the
 * second refuse (its error is returned; the first stays).
 */
import { Effect, Result } from "effect"
import type { RouteManagerService } from "../../app/RouteManager.js"
import { planApproval } from "./approvalPlan.js"
import { type CompatFailure, toCompatFailure } from "./grpcStatus.js"
import { liveNode } from "./liveNode.js"

/** @category constructors */
export const replaceApprovedSet = (
  manager: RouteManagerService,
  nodeId: string,
  requested: ReadonlyArray<string>,
): Effect.Effect<void, CompatFailure> =>
  Effect.gen(function* () {
    yield* liveNode(manager, nodeId)
    const plan = planApproval(nodeId, yield* manager.nodeRoutes(nodeId), requested)
    if (Result.isFailure(plan)) return yield* Effect.fail(toCompatFailure(plan.failure))
    const { approve, revoke } = plan.success
    if (approve.length > 0) yield* Effect.mapError(manager.approveRoutes(nodeId, approve), toCompatFailure)
    if (revoke.length > 0) yield* Effect.mapError(manager.revokeRoutes(nodeId, revoke), toCompatFailure)
  })
