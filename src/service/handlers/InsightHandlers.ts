/** Handlers of the `insight` group: explain and overlaps. */
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import { explanationToJson, overlapsToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"

/** @category layers */
export const InsightHandlers = HttpApiBuilder.group(ServiceApi, "insight", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    return handlers
      .handle("explain", ({ query }) =>
        Effect.mapBoth(manager.explain(query.prefix), { onFailure: toProblem, onSuccess: explanationToJson }),
      )
      .handle("overlaps", () => Effect.map(manager.overlaps, overlapsToJson))
  }),
)
