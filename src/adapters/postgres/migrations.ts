/**
 * Postgres schema, as versioned forward-only migrations recorded in
 * `schema_migrations`. All pending steps run in one transaction under an
 * advisory lock, so concurrent openers neither race nor half-migrate; a
 * database whose recorded version is newer than this code fails with
 * `SchemaTooNew` before anything is written.
 */
import { Effect } from "effect"
import type { SqlClient } from "effect/sql"
import {
  classifyTables,
  type RepositoryError,
  SchemaTooNew,
  StorageError,
} from "../../ports/RouteRepository.js"
import {
  createApplyFunction,
  createBulkCommitFunction,
  createCommitFunction,
  dropJsonCommitFunction,
} from "./applyFunction.js"
import { toRepositoryError } from "./toRepositoryError.js"

/** One schema step; `sql` may hold several statements. @category models */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: ReadonlyArray<string>
}

/** Every migration, in order; append only, never edit a released one. @category constructors */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "tables",
    sql: [
      `CREATE TABLE nodes (
        id text PRIMARY KEY,
        user_name text NOT NULL,
        tags text NOT NULL,
        ephemeral boolean NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint,
        sessions integer NOT NULL,
        connected_at bigint,
        last_seen bigint,
        disconnected_at bigint,
        deleted_at bigint
      )`,
      `CREATE TABLE routes (
        id integer PRIMARY KEY CHECK (id > 0),
        node_id text NOT NULL CONSTRAINT routes_node_exists REFERENCES nodes (id),
        prefix text NOT NULL,
        advertised boolean NOT NULL,
        enabled boolean NOT NULL,
        is_primary boolean NOT NULL,
        approved_by text CHECK (approved_by IN ('manual', 'policy', 'migration')),
        priority bigint NOT NULL,
        healthy boolean NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        deleted_at bigint,
        CONSTRAINT routes_exit_never_primary CHECK (NOT (is_primary AND prefix IN ('0.0.0.0/0', '::/0')))
      )`,
      "CREATE UNIQUE INDEX routes_live_node_prefix ON routes (node_id, prefix) WHERE deleted_at IS NULL",
      "CREATE INDEX routes_live_prefix ON routes (prefix) WHERE deleted_at IS NULL",
      `CREATE TABLE meta (
        id integer PRIMARY KEY CHECK (id = 1),
        next_route_id integer NOT NULL,
        policy text NOT NULL
      )`,
      "INSERT INTO meta (id, next_route_id, policy) VALUES (1, 1, '{}')",
    ],
  },
  {
    version: 2,
    name: "one-primary-per-prefix",
    sql: [
      `CREATE UNIQUE INDEX routes_one_primary ON routes (prefix)
        WHERE is_primary AND deleted_at IS NULL AND prefix NOT IN ('0.0.0.0/0', '::/0')`,
    ],
  },
  {
    version: 3,
    name: "apply-function",
    sql: [createApplyFunction],
  },
  {
    // Several processes on one store: the tailnet version, the change log,
    // sessions per replica (sessions stored before this belong to the
    // anonymous holder "", which no lease covers), the replicas' leases, and
    // the commit function that checks the version, logs and notifies.
    version: 4,
    name: "replicas",
    sql: [
      "ALTER TABLE nodes ADD COLUMN replica_sessions text NOT NULL DEFAULT '{}'",
      `UPDATE nodes SET replica_sessions = '{"":' || sessions || '}' WHERE sessions > 0`,
      "ALTER TABLE meta ADD COLUMN version bigint NOT NULL DEFAULT 0",
      `CREATE TABLE change_log (
        version bigint PRIMARY KEY,
        origin text NOT NULL,
        committed_at bigint NOT NULL,
        changes text
      )`,
      "CREATE TABLE leases (replica text PRIMARY KEY, expires_at bigint NOT NULL)",
      "DROP FUNCTION tailnet_routes_apply(integer, integer, jsonb, jsonb, jsonb, jsonb, jsonb, text)",
      createCommitFunction,
    ],
  },
  {
    // Created rows travel as one array per column and a large creation into an
    // empty routes table loads set-based (applyFunction.ts); the tables do not change.
    version: 5,
    name: "bulk-commit",
    sql: [dropJsonCommitFunction, createBulkCommitFunction],
  },
  {
    // The HTTP service's API keys (ApiKeyStore): a lookup prefix and a salted hash, never the key.
    version: 6,
    name: "service-keys",
    sql: [
      `CREATE TABLE service_keys (
        prefix text PRIMARY KEY,
        salt text NOT NULL,
        hash text NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint
      )`,
    ],
  },
]

/** The schema version this code writes. @category getters */
export const latestVersion: number = migrations[migrations.length - 1]!.version

/** The schema our tables live in unless configured otherwise. @category models */
export const defaultSchema = "tailnet_routes"

/** A schema name we accept: a plain lower-case SQL identifier (no quoting games). @category predicates */
export const isSchemaName = (s: string): boolean => /^[a-z_][a-z0-9_]{0,62}$/.test(s)

/** The tables our migrations create. */
const ourTables: ReadonlySet<string> = new Set(
  migrations.flatMap((m) =>
    m.sql.flatMap((statement) =>
      Array.from(statement.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g), (x) => x[1]!),
    ),
  ),
)

const tablesIn = (sql: SqlClient.SqlClient, schema: string) =>
  Effect.map(
    sql.unsafe<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1", [
      schema,
    ]),
    (rows) => rows.map((r) => r.name),
  )

/**
 * A store of ours from before our tables had a schema of their own: `public`
 * holds `schema_migrations` with our first migration and our `meta` table.
 */
const legacyInPublic = (sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const [found] = yield* sql.unsafe<{ ours: boolean }>(
      `SELECT to_regclass('public.schema_migrations') IS NOT NULL
          AND to_regclass('public.meta') IS NOT NULL
          AND to_regclass('public.routes') IS NOT NULL
          AND to_regclass('public.nodes') IS NOT NULL AS ours`,
    )
    if (found?.ours !== true) return false
    const [first] = yield* sql.unsafe<{ n: number }>(
      "SELECT count(*)::int AS n FROM public.schema_migrations WHERE version = 1 AND name = 'tables'",
    )
    return (first?.n ?? 0) > 0
  })

/**
 * Moves a store of ours out of `public` into `schema`: our tables (their
 * indexes, constraints and rows go with them) and our functions. Run inside
 * the migration transaction, under its lock: every opener sees it moved or not.
 */
const moveFromPublic = (sql: SqlClient.SqlClient, schema: string) =>
  Effect.gen(function* () {
    const present = new Set(yield* tablesIn(sql, "public"))
    for (const table of [...ourTables, "schema_migrations"]) {
      if (present.has(table)) yield* sql.unsafe(`ALTER TABLE public.${table} SET SCHEMA "${schema}"`)
    }
    const functions = yield* sql.unsafe<{ signature: string }>(
      `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proname LIKE 'tailnet\\_routes\\_%'`,
    )
    for (const f of functions)
      yield* sql.unsafe(`ALTER FUNCTION public.${f.signature} SET SCHEMA "${schema}"`)
  })

const recorded = (sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const [exists] = yield* sql.unsafe<{ t: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS t",
    )
    if (exists?.t == null) return 0
    const [row] = yield* sql.unsafe<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations")
    return row?.v ?? 0
  })

/**
 * Brings the schema up to `target` (default: latest) and returns the version
 * reached; fails with `SchemaTooNew` when the database is ahead of this code.
 *
 * @category constructors
 */
export const migrate = (
  sql: SqlClient.SqlClient,
  nowMs: number,
  target: number = latestVersion,
  schema: string = defaultSchema,
): Effect.Effect<number, RepositoryError> =>
  sql
    .withTransaction(
      Effect.gen(function* () {
        if (!isSchemaName(schema)) {
          return yield* new StorageError({
            message: `postgres schema ${JSON.stringify(schema)} is not a plain lower-case identifier`,
            cause: null,
          })
        }
        yield* sql.unsafe("SELECT pg_advisory_xact_lock(7242019)")
        // Everything below, in this transaction, resolves unqualified names in our schema alone.
        yield* sql.unsafe("SELECT set_config('search_path', $1, true)", [`"${schema}"`])
        const tables = yield* tablesIn(sql, schema)
        const verdict = classifyTables(tables, ourTables, `postgres schema ${schema}`)
        if (typeof verdict !== "string") return yield* verdict
        if (verdict === "empty" && schema !== "public" && (yield* legacyInPublic(sql))) {
          yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
          yield* moveFromPublic(sql, schema)
        }
        const found = yield* recorded(sql)
        if (found > latestVersion) return yield* new SchemaTooNew({ found, supported: latestVersion })
        const pending = migrations.filter((m) => m.version > found && m.version <= target)
        if (pending.length === 0) return found
        yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
        yield* sql.unsafe(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
        )
        for (const m of pending) {
          for (const statement of m.sql) yield* sql.unsafe(statement)
          yield* sql.unsafe("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
            m.version,
            m.name,
            nowMs,
          ])
        }
        return pending[pending.length - 1]!.version
      }),
    )
    .pipe(Effect.mapError((e) => toRepositoryError(e, null)))
