/**
 * The API-key store of each route store, as layers: in memory, in the SQLite
 * file, in the Postgres schema. SQLite and Postgres are imported when the
 * layer is built (as in `storeLayers.ts`), so nothing loads a driver early.
 */
import { Effect, Layer } from "effect"
import type { ApiKeyStore } from "../ports/ApiKeyStore.js"
import type { RepositoryError } from "../ports/RouteRepository.js"
import { loadDriver as load } from "./internal/loadDriver.js"
import * as Memory from "./memory/MemoryApiKeyStore.js"
import type { PostgresOptions } from "./postgres/PostgresRouteRepository.js"

/** @category layers */
export const MemoryApiKeys: { readonly layer: Layer.Layer<ApiKeyStore> } = { layer: Memory.layer }

/** @category layers */
export const SqliteApiKeys = {
  layer: (options: { readonly filename: string }): Layer.Layer<ApiKeyStore, RepositoryError> =>
    Layer.unwrap(
      Effect.map(
        load("better-sqlite3", () => import("./sqlite/SqliteApiKeyStore.js")),
        (m) => m.layer(options),
      ),
    ),
}

/** @category layers */
export const PostgresApiKeys = {
  layer: (options: PostgresOptions): Layer.Layer<ApiKeyStore, RepositoryError> =>
    Layer.unwrap(
      Effect.map(
        load("@effect/sql-pg", () => import("./postgres/PostgresApiKeyStore.js")),
        (m) => m.layer(options),
      ),
    ),
}
