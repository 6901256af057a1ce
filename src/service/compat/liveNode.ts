/** The node a compatibility call names, or the failure saying why there is none (unknown, deleted). */
import { Effect } from "effect"
import type { RouteManagerService } from "../../app/RouteManager.js"
import { nodeDeleted, unknownNode } from "../../domain/errors.js"
import type { Node } from "../../domain/Node.js"
import { type CompatFailure, toCompatFailure } from "./grpcStatus.js"

/** Reads are total in the manager; these endpoints answer 404 for a node that is not there. @category getters */
export const liveNode = (manager: RouteManagerService, nodeId: string): Effect.Effect<Node, CompatFailure> =>
  Effect.flatMap(manager.getNode(nodeId), (node) =>
    node === undefined
      ? Effect.fail(toCompatFailure(unknownNode(nodeId)))
      : node.deletedAt !== null
        ? Effect.fail(toCompatFailure(nodeDeleted(nodeId)))
        : Effect.succeed(node),
  )
