/** The route store and the API-key store of a `--db`, as layers (drivers load when built); a Postgres URL without a user gets libpq's default, as every command does. */
import type { Layer } from "effect"
import { PostgresApiKeys, SqliteApiKeys } from "../../adapters/apiKeyStoreLayers.js"
import { PostgresRepository, SqliteRepository } from "../../adapters/storeLayers.js"
import type { ApiKeyStore } from "../../ports/ApiKeyStore.js"
import type { RepositoryError, RouteRepository } from "../../ports/RouteRepository.js"
import { withUser } from "../session.js"
import type { StoreSpec } from "../storeSpec.js"

/** @category layers */
export const routeStoreLayer = (spec: StoreSpec): Layer.Layer<RouteRepository, RepositoryError> =>
  spec.kind === "sqlite"
    ? SqliteRepository.layer({ filename: spec.path })
    : PostgresRepository.layer({ url: withUser(spec.url) })

/** @category layers */
export const apiKeyStoreLayer = (spec: StoreSpec): Layer.Layer<ApiKeyStore, RepositoryError> =>
  spec.kind === "sqlite"
    ? SqliteApiKeys.layer({ filename: spec.path })
    : PostgresApiKeys.layer({ url: withUser(spec.url) })
