/** The API-key store of a `--db`, as a layer (its driver loads when built); a Postgres URL without a user gets libpq's default, as every command does. */
import type { Layer } from "effect"
import { PostgresApiKeys, SqliteApiKeys } from "../../adapters/apiKeyStoreLayers.js"
import type { ApiKeyStore } from "../../ports/ApiKeyStore.js"
import type { RepositoryError } from "../../ports/RouteRepository.js"
import { withUser } from "../session.js"
import type { StoreSpec } from "../storeSpec.js"

/** @category layers */
export const apiKeyStoreLayer = (spec: StoreSpec): Layer.Layer<ApiKeyStore, RepositoryError> =>
  spec.kind === "sqlite"
    ? SqliteApiKeys.layer({ filename: spec.path })
    : PostgresApiKeys.layer({ url: withUser(spec.url) })
