/**
 * The Postgres repository over @effect/sql-pg. `apply` is one call of the
 * server-side `tailnet_routes_commit` (applyFunction.ts), a single READ
 * COMMITTED statement: the tailnet version is checked and bumped first (a
 * writer that is behind fails before touching a row), the change set is
 * logged and announced with `pg_notify` in the same transaction; every update is a compare-and-set on all stored
 * columns (a concurrent writer makes it match no row → `WriteConflict`),
 * inserts use `ON CONFLICT (id) DO NOTHING`, the counter moves by CAS, and the
 * unique indexes, check and foreign key catch the rest. That catches every
 * conflicting write, so SERIALIZABLE (and its retries) is not needed; a
 * deadlock surfaces as `WriteConflict` (reason `aborted`) for the caller's
 * bounded retry. Rows travel as JSON arrays, so a change set costs one round
 * trip whatever its size.
 */
import { PgClient } from "@effect/sql-pg"
import { Clock, Config, Effect, Fiber, Layer, Option, Redacted, Schedule, Stream } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient } from "effect/sql"
import { type Change, type ChangeSet, isEmpty } from "../../domain/ChangeSet.js"
import type { Node } from "../../domain/Node.js"
import type { Route } from "../../domain/Route.js"
import {
  type CommitInfo,
  ConstraintViolation,
  defaultLogRetention,
  type LogEntry,
  type LogRetention,
  type RepositoryError,
  RouteRepository,
  type Snapshot,
  StorageError,
} from "../../ports/RouteRepository.js"
import { encodeChanges, type LogRow, logEntry, logPage, pruneBound } from "../internal/changeLog.js"
import { planChangeSet } from "../internal/changePlan.js"
import { byNodeId, byRouteId } from "../internal/equality.js"
import { loadPage, sortUnlessSorted } from "../internal/loads.js"
import { pollHead } from "../internal/pollHead.js"
import {
  liveRouteSelect,
  nodeColumns,
  nodeValues,
  parsePolicy,
  putNodeValues,
  putRouteValues,
  routeColumns,
  routeValues,
  rowReader,
} from "../internal/rows.js"
import { conflictState, nodeTypes, notifyChannel, routeTypes } from "./applyFunction.js"
import { arrayArgument, columnArrays } from "./columnArrays.js"
import { defaultSchema, latestVersion, migrate } from "./migrations.js"
import { toRepositoryError } from "./toRepositoryError.js"

/** Where the server is: a URL, or the parts (the `PG*` variables' meaning). @category models */
export interface PostgresOptions {
  readonly url?: string | undefined
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly database?: string | undefined
  readonly username?: string | undefined
  readonly password?: string | undefined
  /** Pool size; default 10. */
  readonly maxConnections?: number | undefined
  /** How often `watch` reads the head besides listening for notifications; default 1000 ms. */
  readonly pollIntervalMs?: number | undefined
  /**
   * LISTEN for commits on a connection of its own (default true). Turn it off
   * behind a pooler that cannot hold a LISTEN (PgBouncer in transaction
   * mode): other processes' commits then arrive by polling alone.
   */
  readonly notifications?: boolean | undefined
  readonly logRetention?: Partial<LogRetention> | undefined
  /**
   * The schema our tables live in (default `tailnet_routes`), created on
   * first open, so a database shared with other applications is safe: their
   * tables are never touched. A store from before (our tables in `public`)
   * is moved here on open. A schema holding tables that are not ours is
   * refused (`ForeignStore`).
   */
  readonly schema?: string | undefined
}

/** What `make` needs beside the client. @category models */
export type PostgresSettings = Pick<
  PostgresOptions,
  "pollIntervalMs" | "logRetention" | "notifications" | "schema"
>

// The LISTEN connection is re-opened after a failure: 100 ms doubling, at most 5 s apart, jittered.
const relisten = Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("5 seconds")]).pipe(
  Schedule.jittered,
)

const same = (b: boolean): boolean => b
const record = (
  cols: ReadonlyArray<string>,
  values: ReadonlyArray<unknown>,
  into: Record<string, unknown>,
  p = "",
) => {
  for (let i = 0; i < cols.length; i++) into[p + cols[i]!] = values[i]
  return into
}
const casRecord = <A>(
  cols: ReadonlyArray<string>,
  values: (a: A) => ReadonlyArray<unknown>,
  c: { readonly before: A | null; readonly after: A },
  ord: number,
) => record(cols, values(c.before!), record(cols, values(c.after), { ord }), "b_")
const routeCas = (c: Change<Route>, ord: number) =>
  casRecord(routeColumns, (r: Route) => routeValues(r, same), c, ord)
const nodeCas = (c: Change<Node>, ord: number) =>
  casRecord(nodeColumns, (n: Node) => nodeValues(n, same), c, ord)

// Schema 5's commit function: 8 scalars, the node columns, 3 JSON update lists, the route columns, the policy.
const commitCall = (() => {
  const n = 8 + nodeTypes.length + 3 + routeTypes.length + 1
  const args = Array.from({ length: n }, (_, i) => `$${i + 1}`)
  const jsonFrom = 8 + nodeTypes.length
  for (let i = jsonFrom; i < jsonFrom + 3; i++) args[i] = `${args[i]}::jsonb`
  nodeTypes.forEach((t, c) => {
    args[8 + c] = arrayArgument(args[8 + c]!, t)
  })
  routeTypes.forEach((t, c) => {
    args[jsonFrom + 3 + c] = arrayArgument(args[jsonFrom + 3 + c]!, t)
  })
  return `SELECT tailnet_routes_commit(${args.join(", ")}) AS version`
})()

/**
 * Builds the service over the `SqlClient` in context (migrating first); the
 * client's owner closes it.
 *
 * @category constructors
 */
export const make = (
  settings: PostgresSettings = {},
): Effect.Effect<RouteRepository["Service"], RepositoryError, PgClient.PgClient> =>
  Effect.gen(function* () {
    const sql = yield* PgClient.PgClient
    const retention: LogRetention = { ...defaultLogRetention, ...settings.logRetention }
    const schema = settings.schema ?? defaultSchema
    yield* migrate(sql, yield* Clock.currentTimeMillis, latestVersion, schema)
    // Every statement below names our tables unqualified: the client's connections must
    // resolve them in our schema (`layer` sets search_path when it connects).
    const [current] = yield* sql
      .unsafe<{ s: string | null }>("SELECT current_schema() AS s")
      .pipe(Effect.mapError((e) => toRepositoryError(e, null)))
    if (current?.s !== schema) {
      return yield* new StorageError({
        message: `the client's search_path resolves to ${String(current?.s)}, not the store's schema ${schema}; connect with search_path=${schema} (layer does)`,
        cause: null,
      })
    }

    // The log entries a `behind` conflict brought back (immutable, so safe to serve
    // to the catch-up that follows, which then costs no round trip).
    let missed: ReadonlyArray<LogEntry> = []
    const keepMissed = (cause: unknown): void => {
      const detail = (cause as { reason?: { cause?: { code?: string; detail?: string } } }).reason?.cause
      missed =
        detail?.code === conflictState && detail.detail !== undefined
          ? (JSON.parse(detail.detail) as Array<LogRow>).map(logEntry)
          : []
    }

    // One statement, so one round trip and atomic on its own.
    const applyOnce = (changes: ChangeSet, info: CommitInfo) =>
      Effect.gen(function* () {
        if (isEmpty(changes)) return info.base
        const plan = planChangeSet(changes)
        if (plan instanceof ConstraintViolation) return yield* plan
        const blame = [
          ...plan.clears.map((c) => c.after),
          ...plan.promotions.map((c) => c.after),
          ...plan.inserts,
        ]
        const version = info.base + 1
        const created = yield* Effect.try({
          try: () => [
            ...columnArrays(
              plan.nodes.filter((c) => c.before === null),
              nodeTypes,
              (c: Change<Node>, out, at) => putNodeValues(c.after, same, out, at),
            ),
            ...columnArrays(plan.inserts, routeTypes, (r: Route, out, at) =>
              putRouteValues(r, same, out, at),
            ),
          ],
          catch: (e) => toRepositoryError(e, null),
        })
        const nodeArrays = created.slice(0, nodeTypes.length)
        const routeArrays = created.slice(nodeTypes.length)
        const [row] = yield* sql
          .unsafe<{ version: unknown }>(commitCall, [
            info.base,
            info.origin,
            info.at,
            encodeChanges(changes, retention.maxRows),
            pruneBound(version, retention),
            info.at - retention.minAgeMs,
            plan.counter?.expected ?? null,
            plan.counter?.next ?? null,
            ...nodeArrays,
            JSON.stringify(plan.nodes.filter((c) => c.before !== null).map(nodeCas)),
            JSON.stringify(plan.clears.map(routeCas)),
            JSON.stringify(plan.promotions.map(routeCas)),
            ...routeArrays,
            plan.policy === null ? null : JSON.stringify(plan.policy),
          ])
          .pipe(
            Effect.mapError((e) => {
              keepMissed(e)
              return toRepositoryError(e, blame)
            }),
          )
        return Number(row!.version)
      })

    const q = <A extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
      sql.unsafe<A>(text, params).pipe(Effect.mapError((e) => toRepositoryError(e, null)))
    // Rows as arrays in the listed columns' order: no object per row to build and then map.
    const tuples = (text: string, params: ReadonlyArray<unknown> = []) =>
      sql.unsafe(text, params).values.pipe(Effect.mapError((e) => toRepositoryError(e, null)))
    // int8 would arrive as one BigInt per value, converted after; float8 arrives as a number
    // and is exact for every integer we store (times and priorities, all below 2^53).
    const selectList = (cols: ReadonlyArray<string>, types: ReadonlyArray<string>) =>
      cols.map((c, i) => (types[i] === "bigint" ? `${c}::float8` : c)).join(", ")
    const nodeList = selectList(nodeColumns, nodeTypes)
    // A live route's booleans and approval arrive as one int4 (see `liveRouteSelect`).
    const liveRouteList = liveRouteSelect(
      (c) => `${c}::int`,
      (c) => `${c}::float8`,
    )

    /**
     * Every row of a query, fetched `loadPage` rows at a time through a cursor (in the
     * caller's transaction), each through `f`: one page's row arrays die young instead of a
     * million of them living at once, which cost the collector more than the reads. The next
     * page is asked for before this one is turned into values, so the server's work overlaps
     * ours (1M routes, 2-core machine, with the yield below: median ~2.0-3.0 s against ~3.0-3.6 s
     * when the FETCH went out only after the decode). No
     * ORDER BY: sorting a million rows on the server spilt to disk, and a keyset-paged
     * ORDER BY could fall to a full scan a page without statistics (right after a bulk load).
     */
    const readAll = <A>(
      cursor: string,
      text: string,
      f: (v: ReadonlyArray<unknown>) => A,
    ): Effect.Effect<Array<A>, RepositoryError> =>
      Effect.gen(function* () {
        yield* q(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${text}`)
        const fetch = tuples(`FETCH FORWARD ${loadPage} FROM ${cursor}`)
        const out: Array<A> = []
        let next = yield* Effect.forkChild(fetch)
        for (;;) {
          const rows = yield* Fiber.join(next)
          // The server reads the next page while this one becomes domain values. A forked
          // fiber first runs when this one yields: without the yield the FETCH went out only
          // at the next join, after this page was decoded, and nothing overlapped.
          if (rows.length === loadPage) {
            next = yield* Effect.forkChild(fetch)
            yield* Effect.yieldNow
          }
          for (let i = 0; i < rows.length; i++) out.push(f(rows[i]!))
          if (rows.length < loadPage) break
        }
        yield* q(`CLOSE ${cursor}`)
        return out
      })

    // One consistent read of several tables.
    const snapshotRead = <A>(eff: Effect.Effect<A, RepositoryError>) =>
      sql.withTransaction(eff).pipe(
        Effect.provideService(SqlClient.BeginTransaction, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        Effect.mapError((e) => toRepositoryError(e, null)),
      )

    const loadAll = snapshotRead(
      Effect.gen(function* () {
        const [meta] = yield* q<{ next_route_id: number; policy: string; version: unknown }>(
          "SELECT next_route_id, policy, version FROM meta WHERE id = 1",
        )
        const read = rowReader()
        const nodes = yield* readAll("tailnet_routes_nodes", `SELECT ${nodeList} FROM nodes`, (v) =>
          read.nodeTuple(v),
        )
        nodes.sort(byNodeId)
        const routes = yield* readAll(
          "tailnet_routes_routes",
          `SELECT ${liveRouteList} FROM routes WHERE deleted_at IS NULL`,
          (v) => read.liveRouteTuple(v),
        )
        // Heap order is id order until rows are updated in place; sorting only then costs one pass.
        sortUnlessSorted(routes, byRouteId)
        return {
          nodes,
          routes,
          policy: parsePolicy(meta!.policy),
          nextRouteId: Number(meta!.next_route_id),
          version: Number(meta!.version),
        } satisfies Snapshot
      }),
    )

    const head = Effect.map(q<{ version: unknown }>("SELECT version FROM meta WHERE id = 1"), ([row]) =>
      Number(row!.version),
    )
    // Notifications on a connection of their own, re-opened after any failure; each
    // (re)start first reports the head, since notifications sent while down are lost.
    const notified: Stream.Stream<number> = Stream.unwrap(
      Effect.map(sql.listen(notifyChannel), (queue) =>
        Stream.concat(
          Stream.fromEffect(head),
          Stream.map(Stream.fromQueue(queue), (n) => Number(n.payload)),
        ),
      ),
    ).pipe(
      Stream.retry(relisten),
      Stream.catch(() => Stream.empty),
    )

    return RouteRepository.of({
      loadAll,
      apply: applyOnce,
      head,
      readLog: (after, limit) => {
        const kept = missed
        missed = []
        if (kept.length > 0 && kept[0]!.version === after + 1) {
          const entries = kept.slice(0, limit)
          return Effect.succeed(logPage(after, entries[entries.length - 1]!.version, entries))
        }
        // One statement, so one round trip and one snapshot: the head beside the entries above `after`.
        return Effect.map(
          q<LogRow & { head: unknown }>(
            `SELECT m.version AS head, l.version, l.origin, l.committed_at, l.changes
               FROM meta m LEFT JOIN LATERAL (
                 SELECT version, origin, committed_at, changes FROM change_log
                 WHERE version > $1 ORDER BY version LIMIT $2) l ON true
              WHERE m.id = 1 ORDER BY l.version`,
            [after, limit],
          ),
          (rows) =>
            logPage(after, Number(rows[0]!.head), rows.filter((r) => r.version !== null).map(logEntry)),
        )
      },
      watch:
        settings.notifications === false
          ? pollHead(head, settings.pollIntervalMs ?? 1000)
          : Stream.merge(notified, pollHead(head, settings.pollIntervalMs ?? 1000)),
      renewLease: (replica, expiresAt) =>
        Effect.asVoid(
          q(
            "INSERT INTO leases (replica, expires_at) VALUES ($1, $2) ON CONFLICT (replica) DO UPDATE SET expires_at = excluded.expires_at",
            [replica, expiresAt],
          ),
        ),
      dropLease: (replica, now) =>
        Effect.asVoid(q("DELETE FROM leases WHERE replica = $1 AND expires_at <= $2", [replica, now])),
      leases: Effect.map(
        q<{ replica: string; expires_at: unknown }>(
          "SELECT replica, expires_at FROM leases ORDER BY replica",
        ),
        (rows) => rows.map((r) => ({ replica: r.replica, expiresAt: Number(r.expires_at) })),
      ),
    })
  })

/** The driver's settings for these options: one pool, our schema on every connection. */
export const clientConfig = (o: PostgresOptions) => ({
  ...(o.url === undefined ? {} : { url: Redacted.make(o.url) }),
  ...(o.host === undefined ? {} : { host: o.host }),
  ...(o.port === undefined ? {} : { port: o.port }),
  ...(o.database === undefined ? {} : { database: o.database }),
  ...(o.username === undefined ? {} : { username: o.username }),
  ...(o.password === undefined ? {} : { password: Redacted.make(o.password) }),
  maxConnections: o.maxConnections ?? 10,
  // Our tables resolve in our schema alone on every connection (the LISTEN one too).
  startupParameters: { search_path: `"${o.schema ?? defaultSchema}"` },
})

/** A repository with its own connection pool, closed when the layer is released. @category layers */
export const layer = (options: PostgresOptions): Layer.Layer<RouteRepository, RepositoryError> =>
  Layer.effect(
    RouteRepository,
    Effect.gen(function* () {
      const client = yield* PgClient.make(clientConfig(options)).pipe(
        Effect.mapError((e) => toRepositoryError(e, null)),
      )
      return yield* Effect.provideService(make(options), PgClient.PgClient, client)
    }),
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * Whether the database already holds a store of ours (in its schema, or in
 * `public` from before schemas), asked without creating or migrating
 * anything: a dry run plans against an empty store when there is none.
 *
 * @category getters
 */
export const storeExists = (options: PostgresOptions): Effect.Effect<boolean, RepositoryError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const client = yield* PgClient.make(clientConfig({ ...options, maxConnections: 1 }))
      const [row] = yield* client.unsafe<{ ours: boolean }>(
        "SELECT to_regclass(format('%I.meta', $1::text)) IS NOT NULL OR to_regclass('public.schema_migrations') IS NOT NULL AS ours",
        [options.schema ?? defaultSchema],
      )
      return row?.ours === true
    }),
  ).pipe(
    Effect.mapError((e) => toRepositoryError(e, null)),
    Effect.provide(Reactivity.layer),
  )

const optional = <A>(c: Config.Config<A>) => Config.option(c).pipe(Config.map(Option.getOrUndefined))

/**
 * `layer` from the environment: `DATABASE_URL` when set, else the libpq
 * variables `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`.
 *
 * @category layers
 */
export const layerConfig = (): Layer.Layer<RouteRepository, RepositoryError | Config.ConfigError> =>
  Layer.unwrap(
    Effect.gen(function* () {
      const url = yield* optional(Config.String("DATABASE_URL"))
      if (url !== undefined && url !== "") return layer({ url })
      return layer({
        host: yield* optional(Config.String("PGHOST")),
        port: yield* optional(Config.Port("PGPORT")),
        database: yield* optional(Config.String("PGDATABASE")),
        username: yield* optional(Config.String("PGUSER")),
        password: yield* optional(Config.String("PGPASSWORD")),
      })
    }),
  )
