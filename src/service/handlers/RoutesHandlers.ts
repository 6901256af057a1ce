/** Handlers of the `routes` group. */
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import { changeToJson, routesToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"

/** @category layers */
export const RoutesHandlers = HttpApiBuilder.group(ServiceApi, "routes", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    return handlers
      .handle("list", ({ query }) =>
        Effect.mapBoth(
          manager.listRoutes({
            ...(query.node === undefined ? {} : { nodeId: query.node }),
            ...(query.prefix === undefined ? {} : { prefix: query.prefix }),
          }),
          { onFailure: toProblem, onSuccess: routesToJson },
        ),
      )
      .handle("enable", ({ params }) =>
        Effect.mapBoth(manager.enableRoutes({ routeIds: [params.id] }), {
          onFailure: toProblem,
          onSuccess: changeToJson,
        }),
      )
      .handle("disable", ({ params }) =>
        Effect.mapBoth(manager.disableRoutes({ routeIds: [params.id] }), {
          onFailure: toProblem,
          onSuccess: changeToJson,
        }),
      )
      .handle("remove", ({ params }) =>
        Effect.mapBoth(manager.deleteRoutes({ routeIds: [params.id] }), {
          onFailure: toProblem,
          onSuccess: changeToJson,
        }),
      )
  }),
)
