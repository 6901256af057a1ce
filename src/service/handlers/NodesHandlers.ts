/** Handlers of the `nodes` group. */
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import { unknownNode } from "../../domain/errors.js"
import { routesToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"
import { committed } from "./committed.js"

/** @category layers */
export const NodesHandlers = HttpApiBuilder.group(ServiceApi, "nodes", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    return handlers
      .handle("list", () =>
        Effect.map(manager.snapshot, (state) => state.nodes.filter((n) => n.deletedAt === null)),
      )
      .handle("get", ({ params }) =>
        Effect.gen(function* () {
          const node = yield* manager.getNode(params.id)
          if (node === undefined) {
            return yield* Effect.fail(toProblem(unknownNode(params.id)))
          }
          return { node, routes: routesToJson(yield* manager.nodeRoutes(params.id)) }
        }),
      )
      .handle("upsert", ({ params, payload }) => committed(manager.upsertNode({ ...payload, id: params.id })))
      .handle("remove", ({ params }) => committed(manager.deleteNode(params.id)))
      .handle("connect", ({ params }) => committed(manager.connect(params.id)))
      .handle("disconnect", ({ params }) => committed(manager.disconnect(params.id)))
      .handle("advertise", ({ params, payload }) => committed(manager.advertise(params.id, payload.routes)))
  }),
)
