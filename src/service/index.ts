/**
 * `tailnet-routes/service`: the HTTP service as layers, for a program that
 * serves a RouteManager itself (the CLI's `serve` is one such program).
 *
 * @example
 * const live = layer({ port: 8080 }).pipe(
 *   Layer.provideMerge(RouteManager.layer({ gracePeriodMs: 15_000 })),
 *   Layer.provideMerge(SqliteRepository.layer({ filename: "routes.db" })),
 *   Layer.provideMerge(SqliteApiKeys.layer({ filename: "routes.db" })),
 * )
 */
export { MemoryApiKeys, PostgresApiKeys, SqliteApiKeys } from "../adapters/apiKeyStoreLayers.js"
export { type ApiKeyRecord, ApiKeyStore } from "../ports/ApiKeyStore.js"
export { Authorization } from "./Authorization.js"
export { createApiKey, type KeyChecker, type KeyRefusal, makeKeyChecker, newApiKey } from "./apiKeys.js"
export type { ThrottleSettings } from "./failureThrottle.js"
export { type Problem, problem, problemContentType, serviceErrorCodes, toProblem } from "./problem.js"
export { ServiceApi } from "./ServiceApi.js"
export { layer, type ServiceLayerOptions, serviceApp } from "./ServiceLayer.js"
export type { ServiceOptions } from "./ServiceSettings.js"
