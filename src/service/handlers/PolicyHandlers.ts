/** Handlers of the `policy` group; `?dryRun=true` answers with the preview and writes nothing. */
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import { changeToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"
import { committed } from "./committed.js"

/** @category layers */
export const PolicyHandlers = HttpApiBuilder.group(ServiceApi, "policy", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    return handlers
      .handle("get", () => manager.policy)
      .handle("set", ({ query, payload }) =>
        query.dryRun === "true"
          ? Effect.mapBoth(manager.previewPolicy(payload), {
              onFailure: toProblem,
              onSuccess: (p) => ({
                dryRun: true as const,
                granted: p.granted,
                revoked: p.revoked,
                primaries: p.primaries,
                changes: changeToJson(p.changeSet),
              }),
            })
          : committed(manager.setPolicy(payload)),
      )
  }),
)
