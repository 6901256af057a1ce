/**
 * API keys in the route store's Postgres schema (table `service_keys`,
 * migration 6), on a small pool of their own; opening it migrates like the
 * route repository does, under the same advisory lock.
 */
import { PgClient } from "@effect/sql-pg"
import { Clock, Effect, Layer } from "effect"
import { Reactivity } from "effect/reactivity"
import { type ApiKeyRecord, ApiKeyStore } from "../../ports/ApiKeyStore.js"
import { type RepositoryError, StorageError } from "../../ports/RouteRepository.js"
import { defaultSchema, migrate } from "./migrations.js"
import { clientConfig, type PostgresOptions } from "./PostgresRouteRepository.js"
import { toRepositoryError } from "./toRepositoryError.js"

interface Row {
  readonly prefix: string
  readonly salt: string
  readonly hash: string
  readonly created_at: unknown
  readonly expires_at: unknown
}

const toRecord = (r: Row): ApiKeyRecord => ({
  prefix: r.prefix,
  salt: r.salt,
  hash: r.hash,
  createdAt: Number(r.created_at),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
})

const storage = (cause: unknown) =>
  new StorageError({ message: `api keys: ${(cause as Error).message ?? String(cause)}`, cause })

/** @category layers */
export const layer = (options: PostgresOptions): Layer.Layer<ApiKeyStore, RepositoryError> =>
  Layer.effect(
    ApiKeyStore,
    Effect.gen(function* () {
      const schema = options.schema ?? defaultSchema
      const sql = yield* PgClient.make(clientConfig({ ...options, maxConnections: 2 })).pipe(
        Effect.mapError((e) => toRepositoryError(e, null)),
      )
      yield* migrate(sql, yield* Clock.currentTimeMillis, undefined, schema)
      const q = <A extends object>(text: string, params: ReadonlyArray<unknown>) =>
        Effect.mapError(sql.unsafe<A>(text, params as Array<unknown>), storage)
      const columns = "prefix, salt, hash, created_at, expires_at"
      return ApiKeyStore.of({
        insert: (r) =>
          Effect.asVoid(
            q(`INSERT INTO service_keys (${columns}) VALUES ($1, $2, $3, $4, $5)`, [
              r.prefix,
              r.salt,
              r.hash,
              r.createdAt,
              r.expiresAt,
            ]),
          ),
        find: (prefix) =>
          Effect.map(q<Row>(`SELECT ${columns} FROM service_keys WHERE prefix = $1`, [prefix]), (rows) =>
            rows[0] === undefined ? undefined : toRecord(rows[0]),
          ),
        list: Effect.map(
          q<Row>(`SELECT ${columns} FROM service_keys ORDER BY created_at, prefix`, []),
          (rows) => rows.map(toRecord),
        ),
        expire: (prefix, at) =>
          Effect.gen(function* () {
            yield* q(
              "UPDATE service_keys SET expires_at = $1 WHERE prefix = $2 AND (expires_at IS NULL OR expires_at > $1)",
              [at, prefix],
            )
            const rows = yield* q<{ x: number }>("SELECT 1 AS x FROM service_keys WHERE prefix = $1", [
              prefix,
            ])
            return rows.length > 0
          }),
      })
    }),
  ).pipe(Layer.provide(Reactivity.layer))
