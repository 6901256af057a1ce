/**
 * The three stores as layers, for `tailnet-routes/effect`, the Promise facade,
 * the CLI and the HTTP service. SQLite and Postgres are imported lazily, when
 * the layer is built (`internal/loadDriver.ts`, shared with the API-key
 * stores), so importing an entry point never loads a driver, and a missing
 * optional driver is a `StorageError` with `missingDriver` set, not an import crash.
 */
import { Effect, Layer } from "effect"
import type { RepositoryError, RouteRepository } from "../ports/RouteRepository.js"
import { loadDriver as load } from "./internal/loadDriver.js"
import * as Memory from "./memory/MemoryRouteRepository.js"
import type { PostgresOptions } from "./postgres/PostgresRouteRepository.js"
import type { SqliteOptions } from "./sqlite/SqliteRouteRepository.js"

const sqlite = () => load("better-sqlite3", () => import("./sqlite/SqliteRouteRepository.js"))
const postgres = () => load("@effect/sql-pg", () => import("./postgres/PostgresRouteRepository.js"))

/** The in-memory store: state lives as long as the layer. @category layers */
export const MemoryRepository: { readonly layer: Layer.Layer<RouteRepository> } = { layer: Memory.layer }

/** A SQLite file (better-sqlite3), migrated on open and closed with the layer. @category layers */
export const SqliteRepository = {
  layer: (options: SqliteOptions): Layer.Layer<RouteRepository, RepositoryError> =>
    Layer.unwrap(Effect.map(sqlite(), (m) => m.layer(options))),
}

/** A Postgres database (@effect/sql-pg), migrated on open; the pool closes with the layer. @category layers */
export const PostgresRepository = {
  layer: (options: PostgresOptions): Layer.Layer<RouteRepository, RepositoryError> =>
    Layer.unwrap(Effect.map(postgres(), (m) => m.layer(options))),
  /** Whether the database holds a store of ours, asked without creating or migrating anything. */
  exists: (options: PostgresOptions): Effect.Effect<boolean, RepositoryError> =>
    Effect.flatMap(postgres(), (m) => m.storeExists(options)),
}
