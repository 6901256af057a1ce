/**
 * The Postgres repository over @effect/sql-pg. `apply` runs in one READ
 * COMMITTED transaction: every update is a compare-and-set on all stored
 * columns (a concurrent writer makes it match no row → `WriteConflict`),
 * inserts use `ON CONFLICT (id) DO NOTHING`, the counter moves by CAS, and the
 * unique indexes, check and foreign key catch the rest. That catches every
 * conflicting write, so SERIALIZABLE (and its retries) is not needed; a
 * deadlock surfaces as `WriteConflict` (reason `aborted`) for the caller's
 * bounded retry. Rows travel as one JSON array per statement (batched), so a
 * change set costs a handful of round trips whatever its size.
 */
import { PgClient } from "@effect/sql-pg"
import { Clock, Config, Effect, Layer, Option, Redacted } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient } from "effect/sql"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import type { Node } from "../../domain/Node.js"
import type { Route } from "../../domain/Route.js"
import {
  ConstraintViolation,
  type NodeSlice,
  type RepositoryError,
  RouteRepository,
  type Snapshot,
  WriteConflict,
} from "../../ports/RouteRepository.js"
import { planChangeSet } from "../internal/changePlan.js"
import { byNodeId } from "../internal/equality.js"
import {
  type NodeRow,
  nodeColumns,
  nodeValues,
  parsePolicy,
  type RouteRow,
  routeColumns,
  routeValues,
  rowToNode,
  rowToRoute,
} from "../internal/rows.js"
import { migrate } from "./migrations.js"
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
}

const routeTypes = [
  "integer",
  "text",
  "text",
  "boolean",
  "boolean",
  "boolean",
  "text",
  "bigint",
  "boolean",
  "bigint",
  "bigint",
  "bigint",
]
const nodeTypes = [
  "text",
  "text",
  "text",
  "boolean",
  "bigint",
  "bigint",
  "integer",
  "bigint",
  "bigint",
  "bigint",
  "bigint",
]

const recordDef = (cols: ReadonlyArray<string>, types: ReadonlyArray<string>, prefix = "") =>
  cols.map((c, i) => `${prefix}${c} ${types[i]}`).join(", ")

const insertSql = (table: string, cols: ReadonlyArray<string>, types: ReadonlyArray<string>) =>
  `INSERT INTO ${table} (${cols.join(", ")}) SELECT ${cols.join(", ")}
   FROM jsonb_to_recordset($1::jsonb) AS x(${recordDef(cols, types)})
   ON CONFLICT (id) DO NOTHING RETURNING id`

// Each JSON record carries the new values under the column names and the expected old ones under `b_<column>`.
const casUpdateSql = (table: string, cols: ReadonlyArray<string>, types: ReadonlyArray<string>) =>
  `UPDATE ${table} AS t SET ${cols
    .slice(1)
    .map((c) => `${c} = x.${c}`)
    .join(", ")}
   FROM jsonb_to_recordset($1::jsonb) AS x(${recordDef(cols, types)}, ${recordDef(cols, types, "b_")})
   WHERE t.id = x.b_id AND ${cols.map((c) => `t.${c} IS NOT DISTINCT FROM x.b_${c}`).join(" AND ")}
   RETURNING t.id`

const statements = {
  insertNodes: insertSql("nodes", nodeColumns, nodeTypes),
  updateNodes: casUpdateSql("nodes", nodeColumns, nodeTypes),
  insertRoutes: insertSql("routes", routeColumns, routeTypes),
  updateRoutes: casUpdateSql("routes", routeColumns, routeTypes),
}

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
const routeRecord = (r: Route) => record(routeColumns, routeValues(r, same), {})
const nodeRecord = (n: Node) => record(nodeColumns, nodeValues(n, same), {})
const casRecord = <A>(
  cols: ReadonlyArray<string>,
  values: (a: A) => ReadonlyArray<unknown>,
  before: A,
  after: A,
) => record(cols, values(before), record(cols, values(after), {}), "b_")

/** Rows per statement: keeps each JSON parameter a few MB. */
const CHUNK = 5_000

const chunks = <A>(xs: ReadonlyArray<A>): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK))
  return out
}

/**
 * Builds the service over the `SqlClient` in context (migrating first); the
 * client's owner closes it.
 *
 * @category constructors
 */
export const make: Effect.Effect<RouteRepository["Service"], RepositoryError, SqlClient.SqlClient> =
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* migrate(sql, yield* Clock.currentTimeMillis)

    // Runs one batched statement; returns the ids it touched. Failures are blamed on `rows`.
    const batch = (text: string, records: ReadonlyArray<object>, rows: ReadonlyArray<Route> | null) =>
      sql.unsafe<{ id: unknown }>(text, [JSON.stringify(records)]).pipe(
        Effect.map((out) => new Set(out.map((r) => String(r.id)))),
        Effect.mapError((e) => toRepositoryError(e, rows)),
      )

    // The first row (in write order) the statement did not touch is the conflict.
    const missing = <A>(xs: ReadonlyArray<A>, id: (a: A) => string | number, touched: Set<string>) =>
      xs.find((x) => !touched.has(String(id(x))))

    const q = <A extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
      sql.unsafe<A>(text, params).pipe(Effect.mapError((e) => toRepositoryError(e, null)))

    const writeRoutes = (group: ChangeSet["routes"]) =>
      Effect.forEach(
        chunks(group),
        (part) =>
          Effect.gen(function* () {
            const records = part.map((c) =>
              casRecord(routeColumns, (r: Route) => routeValues(r, same), c.before!, c.after),
            )
            const touched = yield* batch(
              statements.updateRoutes,
              records,
              part.map((c) => c.after),
            )
            const stale = missing(part, (c) => c.before!.id, touched)
            if (stale)
              return yield* new WriteConflict({ table: "routes", id: stale.before!.id, reason: "stale" })
          }),
        { discard: true },
      )

    const applyTx = (changes: ChangeSet) =>
      Effect.gen(function* () {
        const plan = planChangeSet(changes)
        if (plan instanceof ConstraintViolation) return yield* plan
        if (plan.counter !== null) {
          const moved = yield* q(
            "UPDATE meta SET next_route_id = $1 WHERE id = 1 AND next_route_id = $2 RETURNING id",
            [plan.counter.next, plan.counter.expected],
          )
          if (moved.length !== 1)
            return yield* new WriteConflict({ table: "meta", id: "nextRouteId", reason: "counter" })
        }
        const created = plan.nodes.filter((c) => c.before === null).map((c) => c.after)
        for (const part of chunks(created)) {
          const touched = yield* batch(statements.insertNodes, part.map(nodeRecord), null)
          const taken = missing(part, (n) => n.id, touched)
          if (taken) return yield* new WriteConflict({ table: "nodes", id: taken.id, reason: "exists" })
        }
        const updated = plan.nodes.filter((c) => c.before !== null)
        for (const part of chunks(updated)) {
          const records = part.map((c) =>
            casRecord(nodeColumns, (n: Node) => nodeValues(n, same), c.before!, c.after),
          )
          const touched = yield* batch(statements.updateNodes, records, null)
          const stale = missing(part, (c) => c.before!.id, touched)
          if (stale)
            return yield* new WriteConflict({ table: "nodes", id: stale.before!.id, reason: "stale" })
        }
        yield* writeRoutes(plan.clears)
        yield* writeRoutes(plan.promotions)
        for (const part of chunks(plan.inserts)) {
          const touched = yield* batch(statements.insertRoutes, part.map(routeRecord), part)
          const taken = missing(part, (r) => r.id, touched)
          if (taken) return yield* new WriteConflict({ table: "routes", id: taken.id, reason: "exists" })
        }
        if (plan.policy !== null)
          yield* q("UPDATE meta SET policy = $1 WHERE id = 1", [JSON.stringify(plan.policy)])
      })

    // One consistent read of several tables.
    const snapshotRead = <A>(eff: Effect.Effect<A, RepositoryError>) =>
      sql.withTransaction(eff).pipe(
        Effect.provideService(SqlClient.BeginTransaction, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        Effect.mapError((e) => toRepositoryError(e, null)),
      )

    const loadAll = snapshotRead(
      Effect.gen(function* () {
        const [meta] = yield* q<{ next_route_id: number; policy: string }>(
          "SELECT next_route_id, policy FROM meta WHERE id = 1",
        )
        const nodes = (yield* q<NodeRow>("SELECT * FROM nodes")).map(rowToNode).sort(byNodeId)
        const routes = (yield* q<RouteRow>("SELECT * FROM routes WHERE deleted_at IS NULL ORDER BY id")).map(
          rowToRoute,
        )
        return {
          nodes,
          routes,
          policy: parsePolicy(meta!.policy),
          nextRouteId: Number(meta!.next_route_id),
        } satisfies Snapshot
      }),
    )

    return RouteRepository.of({
      loadAll,
      loadNode: (id) =>
        snapshotRead(
          Effect.gen(function* () {
            const [row] = yield* q<NodeRow>("SELECT * FROM nodes WHERE id = $1", [id])
            const routes = yield* q<RouteRow>(
              "SELECT * FROM routes WHERE node_id = $1 AND deleted_at IS NULL ORDER BY id",
              [id],
            )
            return {
              node: row === undefined ? null : rowToNode(row),
              routes: routes.map(rowToRoute),
            } satisfies NodeSlice
          }),
        ),
      loadPrefix: (prefix) =>
        Effect.map(
          q<RouteRow>("SELECT * FROM routes WHERE prefix = $1 AND deleted_at IS NULL ORDER BY id", [prefix]),
          (rows) => rows.map(rowToRoute),
        ),
      apply: (changes) =>
        sql.withTransaction(applyTx(changes)).pipe(Effect.mapError((e) => toRepositoryError(e, null))),
    })
  })

const clientConfig = (o: PostgresOptions) => ({
  ...(o.url === undefined ? {} : { url: Redacted.make(o.url) }),
  ...(o.host === undefined ? {} : { host: o.host }),
  ...(o.port === undefined ? {} : { port: o.port }),
  ...(o.database === undefined ? {} : { database: o.database }),
  ...(o.username === undefined ? {} : { username: o.username }),
  ...(o.password === undefined ? {} : { password: Redacted.make(o.password) }),
  maxConnections: o.maxConnections ?? 10,
})

/** A repository with its own connection pool, closed when the layer is released. @category layers */
export const layer = (options: PostgresOptions): Layer.Layer<RouteRepository, RepositoryError> =>
  Layer.effect(
    RouteRepository,
    Effect.gen(function* () {
      const client = yield* PgClient.make(clientConfig(options)).pipe(
        Effect.mapError((e) => toRepositoryError(e, null)),
      )
      return yield* Effect.provideService(make, SqlClient.SqlClient, client)
    }),
  ).pipe(Layer.provide(Reactivity.layer))

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
