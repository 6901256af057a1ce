/**
 * Replaces a node's approved routes with a requested set (Headscale's
 * `approve_routes`, Tailscale's `POST …/routes`): the whole request is
 * checked by `planApproval` first (so its errors name the input as the
 * dialects expect), then the manager's `setApprovedRoutes` approves and
 * revokes in one commit, checking again on the state it commits on.
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
    const { approve, revoke, approved } = plan.success
    if (approve.length + revoke.length === 0) return
    yield* Effect.mapError(manager.setApprovedRoutes(nodeId, approved), toCompatFailure)
  })
