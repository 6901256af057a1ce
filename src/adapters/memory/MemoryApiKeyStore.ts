/** API keys in memory: they live as long as the layer (tests, a throwaway service). */
import { Effect, Layer } from "effect"
import { type ApiKeyRecord, ApiKeyStore } from "../../ports/ApiKeyStore.js"
import { StorageError } from "../../ports/RouteRepository.js"

/** @category constructors */
export const make = (): ApiKeyStore["Service"] => {
  const keys = new Map<string, ApiKeyRecord>()
  return {
    insert: (record) =>
      Effect.suspend(() => {
        if (keys.has(record.prefix)) {
          return Effect.fail(new StorageError({ message: `api key ${record.prefix} exists`, cause: null }))
        }
        keys.set(record.prefix, record)
        return Effect.void
      }),
    find: (prefix) => Effect.sync(() => keys.get(prefix)),
    // As the SQL stores order them: by creation time, then by prefix.
    list: Effect.sync(() =>
      [...keys.values()].sort(
        (a, b) => a.createdAt - b.createdAt || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0),
      ),
    ),
    expire: (prefix, at) =>
      Effect.sync(() => {
        const r = keys.get(prefix)
        if (r === undefined) return false
        if (r.expiresAt === null || r.expiresAt > at) keys.set(prefix, { ...r, expiresAt: at })
        return true
      }),
  }
}

/** @category layers */
export const layer: Layer.Layer<ApiKeyStore> = Layer.sync(ApiKeyStore, make)
