/**
 * The API-key port: keys of the HTTP service, kept in the route store's own
 * database. The store never sees a key, only its lookup prefix and a salted
 * hash (`src/service/apiKeys.ts` makes and checks them); it finds a record by
 * prefix, lists them, and expires one.
 */
import { Context, type Effect } from "effect"
import type { StorageError } from "./RouteRepository.js"

/** One stored key: what identifies and checks it, never the key itself. @category models */
export interface ApiKeyRecord {
  /** The key's public lookup part (unique), printed by `apikeys list`. */
  readonly prefix: string
  /** Hex salt of the hash. */
  readonly salt: string
  /** Hex scrypt hash of the key's secret part under `salt`. */
  readonly hash: string
  readonly createdAt: number
  /** Epoch ms after which the key is refused; null: never. */
  readonly expiresAt: number | null
}

/** The API keys. @category services */
export class ApiKeyStore extends Context.Service<
  ApiKeyStore,
  {
    /** Stores a new key; a prefix already taken is a `StorageError` (prefixes are random, so it does not happen). */
    readonly insert: (record: ApiKeyRecord) => Effect.Effect<void, StorageError>
    /** The record with this prefix, or undefined. */
    readonly find: (prefix: string) => Effect.Effect<ApiKeyRecord | undefined, StorageError>
    /** Every key, oldest first. */
    readonly list: Effect.Effect<ReadonlyArray<ApiKeyRecord>, StorageError>
    /** Sets the key's expiry to `at` unless it already expired earlier; false when no key has this prefix. */
    readonly expire: (prefix: string, at: number) => Effect.Effect<boolean, StorageError>
  }
>()("tailnet-routes/ApiKeyStore") {}
