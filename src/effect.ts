/**
 * `tailnet-routes/effect`: the Effect API. The `RouteManager` service and its
 * layer, the storage port with its three stores as layers (SQLite and
 * Postgres load their drivers only when the layer is built), and the domain
 * types a caller of the service handles.
 *
 * @example
 * const live = RouteManager.layer({ gracePeriodMs: 15_000 }).pipe(
 *   Layer.provide(SqliteRepository.layer({ filename: "routes.db" })),
 * )
 */

export { MemoryRepository, PostgresRepository, SqliteRepository } from "./adapters/storeLayers.js"
export { filterRoutes, type RouteFilter } from "./app/RouteFilter.js"
export {
  type ManagerSettings,
  make as makeRouteManager,
  RouteManager,
  type RouteManagerService,
} from "./app/RouteManager.js"
export { isPolicyError, PolicyError, validatePolicy } from "./domain/autoApprovers.js"
export * from "./domain/ChangeSet.js"
export * from "./domain/core.js"
export * from "./domain/Node.js"
export * from "./domain/Options.js"
export type { OverlapPair, OverlapReport, ReservedHit } from "./domain/overlaps.js"
export * from "./domain/Policy.js"
export {
  formatPrefix,
  isPrefix,
  isPrefixParseError,
  normalisePrefix,
  Prefix,
  PrefixParseError,
  parsePrefix,
} from "./domain/Prefix.js"
export { parsePolicyText } from "./domain/policyText.js"
export * from "./domain/Route.js"
export * from "./ports/RouteRepository.js"
