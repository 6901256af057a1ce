/**
 * API keys in the route store's SQLite file (table `service_keys`, migration
 * 4), on a connection of their own: opening it checks ownership and
 * migrates like the route repository does, so either may open the file first.
 */
import { Clock, Effect, Layer } from "effect"
import { type ApiKeyRecord, ApiKeyStore } from "../../ports/ApiKeyStore.js"
import { type RepositoryError, StorageError } from "../../ports/RouteRepository.js"
import { migrate } from "./migrations.js"
import type { SqliteDatabase } from "./SqliteDatabase.js"
import { open } from "./SqliteRouteRepository.js"
import { toRepositoryError } from "./toRepositoryError.js"

type Row = [string, string, string, number, number | null]

const toRecord = (r: Row): ApiKeyRecord => ({
  prefix: r[0],
  salt: r[1],
  hash: r[2],
  createdAt: r[3],
  expiresAt: r[4],
})

const attempt = <A>(f: () => A): Effect.Effect<A, StorageError> =>
  Effect.try({
    try: f,
    catch: (cause) => new StorageError({ message: `api keys: ${(cause as Error).message}`, cause }),
  })

/** The store over an open, migrated database; the caller closes it. @category constructors */
export const make = (db: SqliteDatabase): ApiKeyStore["Service"] => {
  const columns = "prefix, salt, hash, created_at, expires_at"
  const s = {
    insert: db.prepare(`INSERT INTO service_keys (${columns}) VALUES (?, ?, ?, ?, ?)`),
    find: db.prepare(`SELECT ${columns} FROM service_keys WHERE prefix = ?`).raw(),
    list: db.prepare(`SELECT ${columns} FROM service_keys ORDER BY created_at, prefix`).raw(),
    expire: db.prepare(
      "UPDATE service_keys SET expires_at = ? WHERE prefix = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    exists: db.prepare("SELECT 1 FROM service_keys WHERE prefix = ?"),
  }
  return {
    insert: (r) =>
      Effect.asVoid(attempt(() => s.insert.run(r.prefix, r.salt, r.hash, r.createdAt, r.expiresAt))),
    find: (prefix) =>
      attempt(() => {
        const row = s.find.get(prefix) as Row | undefined
        return row === undefined ? undefined : toRecord(row)
      }),
    list: attempt(() => (s.list.all() as Row[]).map(toRecord)),
    expire: (prefix, at) =>
      attempt(() => {
        s.expire.run(at, prefix, at)
        return s.exists.get(prefix) !== undefined
      }),
  }
}

/** Opens (and migrates) the file on a connection of its own, closed with the layer. @category layers */
export const layer = (options: { readonly filename: string }): Layer.Layer<ApiKeyStore, RepositoryError> =>
  Layer.effect(
    ApiKeyStore,
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const db = yield* Effect.acquireRelease(
        Effect.try({
          try: () => {
            const db = open(options.filename)
            try {
              migrate(db, now)
            } catch (e) {
              db.close()
              throw e
            }
            return db
          },
          catch: (e) => toRepositoryError(e, null),
        }),
        (db) => Effect.sync(() => db.close()),
      )
      return make(db)
    }),
  )
