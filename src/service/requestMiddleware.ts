/**
 * Around every request: the body-size limit, the time limit (not on the
 * change stream, which is meant to stay open), one JSON log line, the
 * command latency histogram, and problem bodies for what HttpApi answers
 * bare (no route, an undecodable request, a body too large, a defect).
 */
import { ByteSize, Cause, Clock, Effect, Option } from "effect"
import {
  HttpIncomingMessage,
  HttpRouter,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
} from "effect/http"
import { HttpApiError } from "effect/http-api"
import { type Problem, problem, problemContentType } from "./problem.js"
import { ServiceMetrics } from "./ServiceMetrics.js"
import { logLine, ServiceSettings } from "./ServiceSettings.js"

const respond = (p: Problem): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(p, { status: p.status, contentType: problemContentType })

const isSchemaError = HttpApiError.HttpApiSchemaError.is
const payloadTooLarge = HttpApiError.HttpApiPayloadTooLarge.is

/** The problem for a failure nothing else answered. */
const problemOf = (cause: Cause.Cause<unknown>, request: HttpServerRequest.HttpServerRequest): Problem => {
  for (const reason of cause.reasons) {
    const e = Cause.isFailReason(reason)
      ? reason.error
      : Cause.isDieReason(reason)
        ? reason.defect
        : undefined
    if (e instanceof HttpServerError.HttpServerError) {
      if (e.reason._tag === "RouteNotFound") {
        return problem(404, "NOT_FOUND", `no endpoint ${request.method} ${request.url.split("?")[0]}`)
      }
      if (e.reason._tag === "RequestParseError" && e.reason.reason === "BodyTooLarge") {
        return problem(413, "PAYLOAD_TOO_LARGE", "the request body is larger than the service accepts")
      }
      if (e.reason._tag === "RequestParseError")
        return problem(400, "INVALID_INPUT", "the request body could not be read")
    }
    if (isSchemaError(e)) {
      const field = e.kind.toLowerCase()
      return problem(400, "INVALID_INPUT", `invalid ${field}: ${e.cause.message}`, { field })
    }
    if (payloadTooLarge(e)) return problem(413, "PAYLOAD_TOO_LARGE", e.message)
  }
  return problem(500, "INTERNAL", "internal error")
}

const isCommand = (method: string, path: string): boolean => method !== "GET" && path.startsWith("/v1/")

/** @category layers */
export const requestMiddleware = HttpRouter.middleware(
  Effect.gen(function* () {
    const settings = yield* ServiceSettings
    const metrics = yield* ServiceMetrics
    const maxBody = ByteSize.bytes(settings.maxBodyBytes)
    return (httpEffect) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const started = yield* Clock.currentTimeMillis
        const path = request.url.split("?")[0] ?? request.url
        const limited = Effect.provideService(httpEffect, HttpIncomingMessage.MaxBodySize, maxBody)
        const timed =
          path === "/v1/changes"
            ? limited
            : Effect.timeoutOrElse(limited, {
                duration: settings.requestTimeoutMs,
                orElse: () =>
                  Effect.succeed(
                    respond(
                      problem(
                        503,
                        "REQUEST_TIMEOUT",
                        `the request took longer than ${settings.requestTimeoutMs} ms`,
                      ),
                    ),
                  ),
              })
        const response = yield* Effect.catchCause(timed, (cause) =>
          Cause.hasInterruptsOnly(cause)
            ? Effect.failCause(cause)
            : Effect.succeed(respond(problemOf(cause, request))),
        )
        const ms = (yield* Clock.currentTimeMillis) - started
        if (isCommand(request.method, path) && response.status < 500) metrics.observeCommand(ms)
        logLine(settings, "request", {
          method: request.method,
          path,
          status: response.status,
          ms,
          remote: Option.getOrElse(request.remoteAddress, () => null),
        })
        return response
      })
  }),
  { global: true },
)
