/**
 * The three stores as layers, for `tailnet-routes/effect`, the Promise facade,
 * the CLI and the HTTP service: the one place a database driver is loaded.
 * SQLite and Postgres are imported lazily, when the layer is built, so
 * importing an entry point never loads a driver, and a missing optional
 * driver is a `StorageError` with `missingDriver` set, not an import crash.
 */
import { Effect, Layer } from "effect"
import { type RepositoryError, type RouteRepository, StorageError } from "../ports/RouteRepository.js"
import * as Memory from "./memory/MemoryRouteRepository.js"
import type { PostgresOptions } from "./postgres/PostgresRouteRepository.js"
import type { SqliteOptions } from "./sqlite/SqliteRouteRepository.js"

const load = <M>(driver: string, f: () => Promise<M>): Effect.Effect<M, StorageError> =>
  Effect.tryPromise({
    try: f,
    catch: (cause) =>
      // The drivers are optional peer dependencies of the package.
      (cause as { code?: string } | null)?.code === "ERR_MODULE_NOT_FOUND"
        ? new StorageError({
            message: `this store needs the ${driver} package; install it next to tailnet-routes`,
            cause,
            missingDriver: driver,
          })
        : new StorageError({ message: `could not load the ${driver} adapter`, cause }),
  })

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
