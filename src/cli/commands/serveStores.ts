/** The route store and the API-key store of a `--db`, as layers (drivers load when built). */
import type { Layer } from "effect"
import { PostgresApiKeys, SqliteApiKeys } from "../../adapters/apiKeyStoreLayers.js"
import { PostgresRepository, SqliteRepository } from "../../adapters/storeLayers.js"
import type { ApiKeyStore } from "../../ports/ApiKeyStore.js"
import type { RepositoryError, RouteRepository } from "../../ports/RouteRepository.js"
import type { StoreSpec } from "../storeSpec.js"

/** @category layers */
export const routeStoreLayer = (spec: StoreSpec): Layer.Layer<RouteRepository, RepositoryError> =>
  spec.kind === "sqlite"
    ? SqliteRepository.layer({ filename: spec.path })
    : PostgresRepository.layer({ url: spec.url })

/** @category layers */
export const apiKeyStoreLayer = (spec: StoreSpec): Layer.Layer<ApiKeyStore, RepositoryError> =>
  spec.kind === "sqlite"
    ? SqliteApiKeys.layer({ filename: spec.path })
    : PostgresApiKeys.layer({ url: spec.url })
