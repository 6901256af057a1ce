/**
 * Handler of the `dashboard` group: `explain` for every subnet prefix (in
 * prefix order), the exit routes and the failover log, made into the view.
 * The reads are separate, so under heavy churn a view can mix neighbouring
 * versions; the next change event brings a fresh one.
 */
import { Clock, Effect, Layer } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import type { Node } from "../../domain/Node.js"
import { compare, isExitRoute } from "../../domain/Prefix.js"
import { explanationToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"
import { FailoverLog } from "./FailoverLog.js"
import { haView } from "./haView.js"

/** @category layers */
export const DashboardHandlers = HttpApiBuilder.group(ServiceApi, "dashboard", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    const log = yield* FailoverLog
    return handlers.handle("ha", () =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const version = yield* manager.version
        const routes = yield* manager.listRoutes()
        const subnet = routes.filter((r) => !isExitRoute(r.prefix))
        const exitRoutes = routes.filter((r) => isExitRoute(r.prefix))
        const prefixes = new Map(subnet.map((r) => [r.prefix.text, r.prefix]))
        const explanations = []
        for (const p of [...prefixes.values()].sort(compare)) {
          explanations.push(explanationToJson(yield* manager.explain(p.text)))
        }
        const nodes = new Map<string, Node | undefined>()
        for (const r of routes) {
          if (!nodes.has(r.nodeId)) nodes.set(r.nodeId, yield* manager.getNode(r.nodeId))
        }
        const online = (id: string) => (nodes.get(id)?.presence.sessions ?? 0) > 0
        return haView({ now, version, explanations, exitRoutes, online, failovers: yield* log.recent })
      }).pipe(Effect.mapError(toProblem)),
    )
  }),
).pipe(Layer.provide(FailoverLog.layer))
