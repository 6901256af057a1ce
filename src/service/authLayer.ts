/** The `Authorization` middleware: the bearer key checked against the `ApiKeyStore`; bad keys are 401 and slowed per address. */
import { Clock, Effect, Layer, Option, Redacted } from "effect"
import { HttpServerRequest } from "effect/http"
import { ApiKeyStore } from "../ports/ApiKeyStore.js"
import { Authorization } from "./Authorization.js"
import { makeKeyChecker } from "./apiKeys.js"
import { FailureThrottle, type ThrottleSettings } from "./failureThrottle.js"
import { problem } from "./problem.js"

const details = {
  missing:
    "missing API key: send Authorization: Bearer <key> (create one with tailnet-routes apikeys create)",
  malformed: "the API key is not a tailnet-routes key (trk_...)",
  unknown: "unknown API key",
  expired: "the API key has expired",
} as const

/** @category layers */
export const authLayer = (throttle?: ThrottleSettings): Layer.Layer<Authorization, never, ApiKeyStore> =>
  Layer.effect(
    Authorization,
    Effect.gen(function* () {
      const checker = makeKeyChecker(yield* ApiKeyStore)
      const failures = new FailureThrottle(throttle)
      return Authorization.of({
        bearer: (httpEffect, { credential }) =>
          Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis
            const verdict = yield* Effect.mapError(checker.check(Redacted.value(credential), now), (e) =>
              problem(503, "STORAGE", `could not check the API key: ${e.message}`),
            )
            if (typeof verdict !== "string") return yield* httpEffect
            const request = yield* HttpServerRequest.HttpServerRequest
            const address = Option.getOrElse(request.remoteAddress, () => "unknown")
            const wait = failures.fail(address, now)
            if (wait > 0) yield* Effect.sleep(wait)
            return yield* Effect.fail(problem(401, "UNAUTHORIZED", details[verdict], { reason: verdict }))
          }),
      })
    }),
  )
