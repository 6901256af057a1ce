/** Handlers of the `headscale` group: our rows in Headscale's shapes, our errors as its `rpcStatus`. */
import { Effect, Layer, Result } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager, type RouteManagerService } from "../../app/RouteManager.js"
import type { Node } from "../../domain/Node.js"
import type { RouteTarget } from "../../domain/transitions/routeCommands.js"
import { ServiceApi } from "../ServiceApi.js"
import { type CompatFailure, toCompatFailure } from "./grpcStatus.js"
import { toHeadscaleError } from "./headscaleErrors.js"
import { toHeadscaleNode, toHeadscaleRoute } from "./headscaleShapes.js"
import { liveNode } from "./liveNode.js"
import { replaceApprovedSet } from "./replaceApprovedSet.js"
import { headscaleRequestErrorsLayer } from "./requestErrors.js"
import { parseRouteIdParam } from "./routeIdParam.js"

const nodeResponse = (manager: RouteManagerService, node: Node) =>
  Effect.gen(function* () {
    const routes = yield* manager.nodeRoutes(node.id)
    const served = yield* manager.servedRoutes(node.id)
    return { node: toHeadscaleNode(node, routes, served) }
  })

/** Headscale lists nodes by their uint64 id: decimal ids in numeric order, any others after them by text. */
const byNodeId = (a: Node, b: Node): number => {
  const na = /^[0-9]+$/.test(a.id)
  const nb = /^[0-9]+$/.test(b.id)
  if (na && nb && a.id.length !== b.id.length) return a.id.length - b.id.length
  if (na !== nb) return na ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

const byRouteId = <E>(
  routeId: string,
  command: (target: RouteTarget) => Effect.Effect<unknown, E>,
): Effect.Effect<{}, CompatFailure> => {
  const id = parseRouteIdParam(routeId)
  if (Result.isFailure(id)) return Effect.fail(id.failure)
  return Effect.mapBoth(command({ routeIds: [id.success] }), {
    onFailure: toCompatFailure,
    onSuccess: () => ({}),
  })
}

/** With the middleware that answers undecodable requests in the dialect's error body. @category layers */
export const HeadscaleHandlers = HttpApiBuilder.group(ServiceApi, "headscale", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    const answer = <A>(e: Effect.Effect<A, CompatFailure>) => Effect.mapError(e, toHeadscaleError)
    return handlers
      .handle("listRoutes", () =>
        answer(
          Effect.gen(function* () {
            const routes = yield* Effect.mapError(manager.listRoutes(), toCompatFailure)
            const nodes = new Map<string, Node | undefined>()
            for (const r of routes)
              if (!nodes.has(r.nodeId)) nodes.set(r.nodeId, yield* manager.getNode(r.nodeId))
            return {
              routes: routes.flatMap((r) => {
                const node = nodes.get(r.nodeId)
                return node === undefined ? [] : [toHeadscaleRoute(r, node)]
              }),
            }
          }),
        ),
      )
      .handle("nodeRoutes", ({ params }) =>
        answer(
          Effect.gen(function* () {
            const node = yield* liveNode(manager, params.nodeId)
            const routes = yield* manager.nodeRoutes(node.id)
            return { routes: routes.map((r) => toHeadscaleRoute(r, node)) }
          }),
        ),
      )
      .handle("enableRoute", ({ params }) => answer(byRouteId(params.routeId, manager.enableRoutes)))
      .handle("disableRoute", ({ params }) => answer(byRouteId(params.routeId, manager.disableRoutes)))
      .handle("deleteRoute", ({ params }) => answer(byRouteId(params.routeId, manager.deleteRoutes)))
      .handle("listNodes", () =>
        answer(
          Effect.gen(function* () {
            const state = yield* manager.snapshot
            const nodes = []
            for (const node of [...state.nodes].sort(byNodeId)) {
              if (node.deletedAt === null) nodes.push((yield* nodeResponse(manager, node)).node)
            }
            return { nodes }
          }),
        ),
      )
      .handle("getNode", ({ params }) =>
        answer(Effect.flatMap(liveNode(manager, params.nodeId), (node) => nodeResponse(manager, node))),
      )
      .handle("approveRoutes", ({ params, payload }) =>
        answer(
          Effect.gen(function* () {
            yield* replaceApprovedSet(manager, params.nodeId, payload.routes ?? [])
            return yield* nodeResponse(manager, yield* liveNode(manager, params.nodeId))
          }),
        ),
      )
  }),
).pipe(Layer.provideMerge(headscaleRequestErrorsLayer))
