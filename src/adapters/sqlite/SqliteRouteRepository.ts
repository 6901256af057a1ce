/**
 * The SQLite repository over better-sqlite3 12: synchronous calls wrapped in
 * `Effect.try`, one `BEGIN IMMEDIATE` transaction per change set, every update
 * a compare-and-set on all stored columns, and the database's own indexes and
 * checks enforcing the invariants. The driver is imported here only, so the
 * root entry never loads it.
 */
import Database from "better-sqlite3"
import { Clock, Config, Effect, Layer } from "effect"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import type { Node } from "../../domain/Node.js"
import type { Route } from "../../domain/Route.js"
import {
  ConstraintViolation,
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
import type { SqliteDatabase, SqliteStatement } from "./SqliteDatabase.js"
import { type RowContext, toRepositoryError } from "./toRepositoryError.js"

/** Where the database lives: a file path or `:memory:`. @category models */
export interface SqliteOptions {
  readonly filename: string
}

const int = (b: boolean): number => (b ? 1 : 0)
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ")
const setList = (cols: ReadonlyArray<string>): string =>
  cols
    .slice(1)
    .map((c) => `${c} = ?`)
    .join(", ")
// `IS` is SQLite's null-safe equality.
const casList = (cols: ReadonlyArray<string>): string => cols.map((c) => `${c} IS ?`).join(" AND ")

/** Opens a database file with the pragmas the adapter relies on. @category constructors */
export const open = (filename: string): SqliteDatabase => {
  const db = new Database(filename) as unknown as SqliteDatabase
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.pragma("foreign_keys = ON")
  db.pragma("busy_timeout = 5000")
  // 64 MiB page cache: a 200k-route tailnet with its indexes is ~40 MB; the 2 MiB default thrashes on bulk loads.
  db.pragma("cache_size = -65536")
  return db
}

/**
 * Builds the service over an open database (migrating it first); the caller
 * owns the database and closes it.
 *
 * @category constructors
 */
export const make = (db: SqliteDatabase): Effect.Effect<RouteRepository["Service"], RepositoryError> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    yield* Effect.try({ try: () => migrate(db, now), catch: (e) => toRepositoryError(e, null) })
    return yield* Effect.try({ try: () => service(db), catch: (e) => toRepositoryError(e, null) })
  })

const service = (db: SqliteDatabase): RouteRepository["Service"] => {
  const s = {
    allNodes: db.prepare("SELECT * FROM nodes"),
    liveRoutes: db.prepare("SELECT * FROM routes WHERE deleted_at IS NULL ORDER BY id"),
    meta: db.prepare("SELECT next_route_id, policy FROM meta WHERE id = 1"),
    node: db.prepare("SELECT * FROM nodes WHERE id = ?"),
    nodeRoutes: db.prepare("SELECT * FROM routes WHERE node_id = ? AND deleted_at IS NULL ORDER BY id"),
    prefixRoutes: db.prepare("SELECT * FROM routes WHERE prefix = ? AND deleted_at IS NULL ORDER BY id"),
    insertNode: db.prepare(
      `INSERT INTO nodes (${nodeColumns.join(", ")}) VALUES (${placeholders(nodeColumns.length)}) ON CONFLICT (id) DO NOTHING`,
    ),
    updateNode: db.prepare(`UPDATE nodes SET ${setList(nodeColumns)} WHERE ${casList(nodeColumns)}`),
    insertRoute: db.prepare(
      `INSERT INTO routes (${routeColumns.join(", ")}) VALUES (${placeholders(routeColumns.length)}) ON CONFLICT (id) DO NOTHING`,
    ),
    updateRoute: db.prepare(`UPDATE routes SET ${setList(routeColumns)} WHERE ${casList(routeColumns)}`),
    moveCounter: db.prepare("UPDATE meta SET next_route_id = ? WHERE id = 1 AND next_route_id = ?"),
    setPolicy: db.prepare("UPDATE meta SET policy = ? WHERE id = 1"),
  }

  // Runs one write, attributing a constraint failure to the row being written.
  const write = (stmt: SqliteStatement, params: ReadonlyArray<unknown>, row: RowContext): number => {
    try {
      return stmt.run(...params).changes
    } catch (e) {
      throw toRepositoryError(e, row)
    }
  }

  const applyTx = db.transaction((changes: ChangeSet): void => {
    const plan = planChangeSet(changes)
    if (plan instanceof ConstraintViolation) throw plan
    if (plan.counter !== null && s.moveCounter.run(plan.counter.next, plan.counter.expected).changes !== 1) {
      throw new WriteConflict({ table: "meta", id: "nextRouteId", reason: "counter" })
    }
    for (const { before, after } of plan.nodes) {
      const row = { table: "nodes", id: after.id } as const
      if (before === null) {
        if (write(s.insertNode, nodeValues(after, int), row) !== 1) {
          throw new WriteConflict({ table: "nodes", id: after.id, reason: "exists" })
        }
      } else {
        const values = nodeValues(after, int)
        if (write(s.updateNode, [...values.slice(1), ...nodeValues(before, int)], row) !== 1) {
          throw new WriteConflict({ table: "nodes", id: before.id, reason: "stale" })
        }
      }
    }
    for (const group of [plan.clears, plan.promotions]) {
      for (const { before, after } of group) {
        const params = [...routeValues(after, int).slice(1), ...routeValues(before!, int)]
        if (write(s.updateRoute, params, { table: "routes", id: after.id }) !== 1) {
          throw new WriteConflict({ table: "routes", id: before!.id, reason: "stale" })
        }
      }
    }
    for (const route of plan.inserts) {
      if (write(s.insertRoute, routeValues(route, int), { table: "routes", id: route.id }) !== 1) {
        throw new WriteConflict({ table: "routes", id: route.id, reason: "exists" })
      }
    }
    if (plan.policy !== null) s.setPolicy.run(JSON.stringify(plan.policy))
  })

  // A read transaction so the three reads see one state.
  const loadAllTx = db.transaction((): Snapshot => {
    const meta = s.meta.get() as { next_route_id: number; policy: string }
    const nodes: Array<Node> = (s.allNodes.all() as Array<NodeRow>).map(rowToNode).sort(byNodeId)
    const routes: Array<Route> = (s.liveRoutes.all() as Array<RouteRow>).map(rowToRoute)
    return { nodes, routes, policy: parsePolicy(meta.policy), nextRouteId: meta.next_route_id }
  })
  const loadNodeTx = db.transaction((id: string) => {
    const row = s.node.get(id) as NodeRow | undefined
    return {
      node: row === undefined ? null : rowToNode(row),
      routes: (s.nodeRoutes.all(id) as Array<RouteRow>).map(rowToRoute),
    }
  })

  const attempt = <A>(f: () => A): Effect.Effect<A, RepositoryError> =>
    Effect.try({ try: f, catch: (e) => toRepositoryError(e, null) })

  return RouteRepository.of({
    loadAll: attempt(() => loadAllTx()),
    loadNode: (id) => attempt(() => loadNodeTx(id)),
    loadPrefix: (prefix) => attempt(() => (s.prefixRoutes.all(prefix) as Array<RouteRow>).map(rowToRoute)),
    apply: (changes) => attempt(() => applyTx.immediate(changes)),
  })
}

/** A repository over a database file (or `:memory:`), closed when the layer is released. @category layers */
export const layer = (options: SqliteOptions): Layer.Layer<RouteRepository, RepositoryError> =>
  Layer.effect(
    RouteRepository,
    Effect.acquireRelease(
      Effect.try({ try: () => open(options.filename), catch: (e) => toRepositoryError(e, null) }),
      (db) => Effect.sync(() => db.close()),
    ).pipe(Effect.flatMap(make)),
  )

/** `layer` with the file name from config (default key `TAILNET_ROUTES_SQLITE`). @category layers */
export const layerConfig = (
  filename: Config.Config<string> = Config.String("TAILNET_ROUTES_SQLITE"),
): Layer.Layer<RouteRepository, RepositoryError | Config.ConfigError> =>
  Layer.unwrap(Effect.map(filename, (f) => layer({ filename: f })))
