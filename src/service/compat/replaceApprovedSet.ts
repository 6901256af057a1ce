/**
 * Replaces a node's approved routes with a requested set (Headscale's
 * `approve_routes`, Tailscale's `POST …/routes`): the manager's
 * `setApprovedRoutes` checks the whole request on the state it commits on,
 * reporting the first fault in the order the dialects expect, then approves
 * and revokes in one commit (nothing when the set is already approved).
 */
import { Effect } from "effect"
import type { RouteManagerService } from "../../app/RouteManager.js"
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
    yield* Effect.mapError(manager.setApprovedRoutes(nodeId, requested), toCompatFailure)
  })
