/** Handlers of the `tailscale` group: a node's rows as a device's routes; our errors as `{ message, code }`. */
import { Effect, Layer } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager, type RouteManagerService } from "../../app/RouteManager.js"
import { ServiceApi } from "../ServiceApi.js"
import type { CompatFailure } from "./grpcStatus.js"
import { liveNode } from "./liveNode.js"
import { replaceApprovedSet } from "./replaceApprovedSet.js"
import { tailscaleRequestErrorsLayer } from "./requestErrors.js"
import { toTailscaleError } from "./tailscaleErrors.js"
import { toTailscaleDeviceRoutes } from "./tailscaleShapes.js"

const deviceRoutes = (manager: RouteManagerService, id: string) =>
  Effect.flatMap(liveNode(manager, id), (node) =>
    Effect.map(manager.nodeRoutes(node.id), toTailscaleDeviceRoutes),
  )

/** With the middleware that answers undecodable requests in the dialect's error body. @category layers */
export const TailscaleHandlers = HttpApiBuilder.group(ServiceApi, "tailscale", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    const answer = <A>(e: Effect.Effect<A, CompatFailure>) => Effect.mapError(e, toTailscaleError)
    return handlers
      .handle("deviceRoutes", ({ params }) => answer(deviceRoutes(manager, params.id)))
      .handle("setDeviceRoutes", ({ params, payload }) =>
        answer(
          Effect.andThen(
            replaceApprovedSet(manager, params.id, payload.routes),
            deviceRoutes(manager, params.id),
          ),
        ),
      )
  }),
).pipe(Layer.provideMerge(tailscaleRequestErrorsLayer))
