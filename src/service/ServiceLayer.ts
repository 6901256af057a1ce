/**
 * The HTTP server of `tailnet-routes serve`: the `ServiceApi` routes and
 * `/openapi.json`, the request middleware, on a Node `http.Server` bound to
 * loopback unless told otherwise. It needs a `RouteManager`, the
 * `RouteRepository` under it and an `ApiKeyStore`. Stopping it (closing the
 * layer's scope) ends the change streams, stops accepting connections and
 * waits up to `drainMs` for requests in flight; the manager and the store
 * close after it, as the layers they are.
 */
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Layer } from "effect"
import { HttpRouter, type HttpServer, type HttpServerError } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import type { RouteManager } from "../app/RouteManager.js"
import type { ApiKeyStore } from "../ports/ApiKeyStore.js"
import type { RouteRepository } from "../ports/RouteRepository.js"
import { authLayer } from "./authLayer.js"
import { HeadscaleHandlers } from "./compat/HeadscaleHandlers.js"
import { TailscaleHandlers } from "./compat/TailscaleHandlers.js"
import { DashboardHandlers } from "./dashboard/DashboardHandlers.js"
import { dashboardRoutes } from "./dashboard/dashboardRoutes.js"
import { ChangesHandlers } from "./handlers/ChangesHandlers.js"
import { InsightHandlers } from "./handlers/InsightHandlers.js"
import { NodesHandlers } from "./handlers/NodesHandlers.js"
import { OpsHandlers } from "./handlers/OpsHandlers.js"
import { PolicyHandlers } from "./handlers/PolicyHandlers.js"
import { RoutesHandlers } from "./handlers/RoutesHandlers.js"
import { requestMiddleware } from "./requestMiddleware.js"
import { ServiceApi } from "./ServiceApi.js"
import { ServiceMetrics } from "./ServiceMetrics.js"
import { type ServiceOptions, ServiceSettings } from "./ServiceSettings.js"

/** The handler layer of every group in `ServiceApi`; a new group's handlers go here. */
const groupHandlers = [
  OpsHandlers,
  RoutesHandlers,
  NodesHandlers,
  InsightHandlers,
  PolicyHandlers,
  ChangesHandlers,
  DashboardHandlers,
  HeadscaleHandlers,
  TailscaleHandlers,
] as const

/** Routes outside HttpApi (a static page); each an `HttpRouter.add(...)` layer. */
const extraRoutes: ReadonlyArray<Layer.Layer<never, never, HttpRouter.HttpRouter>> = [dashboardRoutes]

/** Settings of the service layer (the grace-timer gauge reads the manager's own options). @category models */
export type ServiceLayerOptions = ServiceOptions

/** The routes, handlers and middleware, before a server is chosen (tests may serve them another way). @category layers */
export const serviceApp = (
  options: ServiceLayerOptions = {},
): Layer.Layer<never, never, HttpRouter.HttpRouter | RouteManager | RouteRepository | ApiKeyStore> => {
  const settings = ServiceSettings.layer(options)
  const metrics = ServiceMetrics.layer().pipe(Layer.provide(settings))
  const support = Layer.merge(settings, metrics)
  const api = HttpApiBuilder.layer(ServiceApi, { openapiPath: "/openapi.json" }).pipe(
    Layer.provide([...groupHandlers]),
    Layer.provide(authLayer(options.throttle)),
    Layer.provide(NodeHttpServer.layerHttpServices),
  )
  return Layer.mergeAll(api, requestMiddleware, ...extraRoutes).pipe(Layer.provide(support))
}

/** The service listening on `host:port`. @category layers */
export const layer = (
  options: ServiceLayerOptions = {},
): Layer.Layer<
  HttpServer.HttpServer,
  HttpServerError.ServeError,
  RouteManager | RouteRepository | ApiKeyStore
> =>
  HttpRouter.serve(serviceApp(options), { disableLogger: true, disableListenLog: true }).pipe(
    Layer.provideMerge(
      NodeHttpServer.layer(() => createServer({ requestTimeout: options.requestTimeoutMs ?? 30_000 }), {
        host: options.host ?? "127.0.0.1",
        port: options.port ?? 8080,
        gracefulShutdownTimeout: options.drainMs ?? 10_000,
      }),
    ),
  )
