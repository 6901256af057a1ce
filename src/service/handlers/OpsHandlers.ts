/** Handlers of the `ops` group: `/healthz`, `/readyz` (store reachable, manager caught up), `/metrics`. */
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { RouteManager } from "../../app/RouteManager.js"
import { RouteRepository } from "../../ports/RouteRepository.js"
import { problem } from "../problem.js"
import { ServiceApi } from "../ServiceApi.js"
import { ServiceMetrics } from "../ServiceMetrics.js"

/** @category layers */
export const OpsHandlers = HttpApiBuilder.group(ServiceApi, "ops", (handlers) =>
  Effect.gen(function* () {
    const manager = yield* RouteManager
    const repo = yield* RouteRepository
    const metrics = yield* ServiceMetrics
    return handlers
      .handle("healthz", () => Effect.succeed({ status: "ok" as const }))
      .handle("readyz", () =>
        Effect.gen(function* () {
          const head = yield* Effect.mapError(repo.head, (e) =>
            problem(503, "NOT_READY", `the store is unreachable: ${e.message}`),
          )
          const version = yield* manager.version
          if (head > version) {
            return yield* Effect.fail(
              problem(
                503,
                "NOT_READY",
                `catching up: the store is at version ${head}, the manager at ${version}`,
                {
                  head,
                  version,
                },
              ),
            )
          }
          return { status: "ready" as const, version, head }
        }),
      )
      .handle("metrics", () => metrics.render)
  }),
)
