/** Handlers of the `routes` group. */
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import { routesToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"
import { committed } from "./committed.js"

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
      .handle("enable", ({ params }) => committed(manager.enableRoutes({ routeIds: [params.id] })))
      .handle("disable", ({ params }) => committed(manager.disableRoutes({ routeIds: [params.id] })))
      .handle("remove", ({ params }) => committed(manager.deleteRoutes({ routeIds: [params.id] })))
  }),
)
