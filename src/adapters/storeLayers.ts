/**
 * The three stores as layers, for `tailnet-routes/effect` and the Promise
 * facade. SQLite and Postgres are imported lazily, when the layer is built,
 * so importing an entry point never loads a database driver (and a missing
 * optional driver is a `StorageError` naming it, not an import crash).
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
      new StorageError({ message: `could not load the ${driver} adapter (is ${driver} installed?)`, cause }),
  })

/** The in-memory store: state lives as long as the layer. @category layers */
export const MemoryRepository: { readonly layer: Layer.Layer<RouteRepository> } = { layer: Memory.layer }

/** A SQLite file (better-sqlite3), migrated on open and closed with the layer. @category layers */
export const SqliteRepository = {
  layer: (options: SqliteOptions): Layer.Layer<RouteRepository, RepositoryError> =>
    Layer.unwrap(
      Effect.map(
        load("better-sqlite3", () => import("./sqlite/SqliteRouteRepository.js")),
        (m) => m.layer(options),
      ),
    ),
}

/** A Postgres database (@effect/sql-pg), migrated on open; the pool closes with the layer. @category layers */
export const PostgresRepository = {
  layer: (options: PostgresOptions): Layer.Layer<RouteRepository, RepositoryError> =>
    Layer.unwrap(
      Effect.map(
        load("@effect/sql-pg", () => import("./postgres/PostgresRouteRepository.js")),
        (m) => m.layer(options),
      ),
    ),
}
