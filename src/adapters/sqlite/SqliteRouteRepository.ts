/**
 * The SQLite repository over better-sqlite3 12: synchronous calls wrapped in
 * `Effect.try`, one `BEGIN IMMEDIATE` transaction per change set, every update
 * a compare-and-set on all stored columns, and the database's own indexes and
 * checks enforcing the invariants. A change set that creates rows writes them
 * as multi-row INSERTs first and falls back to one row per statement only to
 * name the row that failed. The driver is imported here only, so the root
 * entry never loads it.
 */
import Database from "better-sqlite3"
import { Clock, Config, Effect, Layer } from "effect"
import { type Change, type ChangeSet, isEmpty } from "../../domain/ChangeSet.js"
import type { Node, ReplicaId } from "../../domain/Node.js"
import type { Route } from "../../domain/Route.js"
import {
  type CommitInfo,
  ConstraintViolation,
  defaultLogRetention,
  isRepositoryError,
  type Lease,
  type LogRetention,
  type RepositoryError,
  RouteRepository,
  type Snapshot,
  WriteConflict,
} from "../../ports/RouteRepository.js"
import { encodeChanges, type LogRow, logEntry, logPage, pruneBound } from "../internal/changeLog.js"
import { planChangeSet, type WritePlan } from "../internal/changePlan.js"
import { byNodeId, byRouteId } from "../internal/equality.js"
import { loadPage, sortUnlessSorted } from "../internal/loads.js"
import { pollHead } from "../internal/pollHead.js"
import {
  liveRouteColumns,
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
import { type BatchInsert, batchInsert } from "./batchInsert.js"
import { checkOwnership, migrate } from "./migrations.js"
import { repairText } from "./repairText.js"
import type { SqliteDatabase, SqliteStatement } from "./SqliteDatabase.js"
import { type RowContext, toRepositoryError } from "./toRepositoryError.js"

/** Where the database lives: a file path or `:memory:`. @category models */
export interface SqliteOptions {
  readonly filename: string
  /**
   * How hard a commit waits for the disk. `"full"` (default): an acknowledged
   * change survives a power loss (SQLite syncs the WAL on every commit).
   * `"normal"`: faster commits, still safe against a process crash, but a
   * power loss can drop the last commits already acknowledged (BENCHMARKS.md
   * has both settings' throughput).
   */
  readonly synchronous?: "full" | "normal"
  /** How often `watch` reads the head for other processes' commits; default 100 ms. */
  readonly pollIntervalMs?: number
  readonly logRetention?: Partial<LogRetention>
}

/** What `make` needs beside the database. @category models */
export type SqliteSettings = Omit<SqliteOptions, "filename">

const int = (b: boolean): number => (b ? 1 : 0)
const nodeList = nodeColumns.join(", ")
// Loads read a live route's booleans and approval as one integer (see `liveRouteSelect`).
// `= 1` is what reading a stored boolean has always meant (`bool` in rows.ts).
const liveRouteList = liveRouteSelect(
  (c) => `(${c} = 1)`,
  (c) => c,
)
const setList = (cols: ReadonlyArray<string>): string =>
  cols
    .slice(1)
    .map((c) => `${c} = ?`)
    .join(", ")
// `IS` is SQLite's null-safe equality.
const casList = (cols: ReadonlyArray<string>): string => cols.map((c) => `${c} IS ?`).join(" AND ")

/**
 * Opens a database file with the pragmas the adapter relies on. A file that
 * holds tables other than ours is refused with `ForeignStore` before anything
 * is written to it (not even the WAL switch, which rewrites the header).
 *
 * @category constructors
 */
export const open = (filename: string, settings: Pick<SqliteOptions, "synchronous"> = {}): SqliteDatabase => {
  const db = new Database(filename) as unknown as SqliteDatabase
  try {
    checkOwnership(db, filename)
  } catch (error) {
    db.close()
    throw error
  }
  db.pragma("journal_mode = WAL")
  db.pragma(`synchronous = ${settings.synchronous === "normal" ? "NORMAL" : "FULL"}`)
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
export const make = (
  db: SqliteDatabase,
  settings: SqliteSettings = {},
): Effect.Effect<RouteRepository["Service"], RepositoryError> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    yield* Effect.try({ try: () => migrate(db, now), catch: (e) => toRepositoryError(e, null) })
    const repairs = yield* Effect.try({ try: () => repairText(db), catch: (e) => toRepositoryError(e, null) })
    for (const r of repairs) {
      yield* Effect.logWarning(
        `tailnet-routes: repaired ${r.table}.${r.column}: bytes ${r.from} were not valid UTF-8; now ${JSON.stringify(r.to)}`,
      )
    }
    return yield* Effect.try({ try: () => service(db, settings), catch: (e) => toRepositoryError(e, null) })
  })

// Thrown inside the bulk attempt when a chunk skipped a row: which one, and why, is for the exact pass to say.
const replay: unique symbol = Symbol("tailnet-routes/sqlite/replay")

// A failed bulk attempt is redone row by row only for failures that leave the
// transaction open: a constraint (SQLite rolls back just the statement) or a
// port error the attempt raised itself. I/O and the like may have ended the
// transaction, so they propagate as they are.
const replayable = (e: unknown): boolean =>
  e === replay ||
  isRepositoryError(e) ||
  (typeof (e as { code?: unknown } | null)?.code === "string" &&
    (e as { code: string }).code.startsWith("SQLITE_CONSTRAINT"))

/**
 * Route inserts at or above which a bulk write into an empty `routes` table
 * drops the table's secondary indexes and builds them afterwards (one sort
 * each instead of a B-tree insert per row): 200k routes insert in ~0.65 s
 * instead of ~0.85 s. Below it the rebuild is not worth the schema change.
 */
const rebuildIndexesFrom = 10_000

/**
 * A page statement: at most `loadPage` rows of `inner` (its one parameter: the
 * key to read after) as one JSON text, each row an array of `columns`. One
 * string per page and `JSON.parse` cost less than better-sqlite3 handing over
 * every value through V8's API (~300 ns a row plus ~70 ns a value): 1M routes
 * read in ~0.75 s instead of ~1.0 s.
 */
const jsonPage = (columns: ReadonlyArray<string>, inner: string): string =>
  `SELECT json_group_array(json_array(${columns.join(", ")})) AS page FROM (${inner} LIMIT ${loadPage})`

/**
 * Every row of a page statement (`jsonPage`), each through `f`. The next page
 * starts after the largest key of this one (column `key` of a row), whatever
 * order the aggregate saw the rows in.
 */
const readPaged = <A>(
  page: SqliteStatement,
  key: number,
  f: (row: ReadonlyArray<unknown>) => A,
): Array<A> => {
  const out: Array<A> = []
  for (let after = 0; ; ) {
    const rows = JSON.parse((page.get(after) as { page: string }).page) as Array<ReadonlyArray<unknown>>
    let last = after
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      const k = row[key] as number
      if (k > last) last = k
      out.push(f(row))
    }
    if (rows.length < loadPage) return out
    after = last
  }
}

const service = (db: SqliteDatabase, settings: SqliteSettings): RouteRepository["Service"] => {
  const retention: LogRetention = { ...defaultLogRetention, ...settings.logRetention }
  const s = {
    // A page at a time (see `loadPage`), as JSON (see `jsonPage`); nodes page by rowid, which rides along after the columns.
    nodePage: db.prepare(
      jsonPage(
        [...nodeColumns, "k"],
        `SELECT ${nodeList}, rowid AS k FROM nodes WHERE rowid > ? ORDER BY rowid`,
      ),
    ),
    liveRoutePage: db.prepare(
      jsonPage(
        liveRouteColumns,
        `SELECT ${liveRouteList} FROM routes WHERE deleted_at IS NULL AND id > ? ORDER BY id`,
      ),
    ),
    meta: db.prepare("SELECT next_route_id, policy, version FROM meta WHERE id = 1"),
    head: db.prepare("SELECT version FROM meta WHERE id = 1"),
    bumpVersion: db.prepare("UPDATE meta SET version = version + 1 WHERE id = 1 AND version = ?"),
    appendLog: db.prepare(
      "INSERT INTO change_log (version, origin, committed_at, changes) VALUES (?, ?, ?, ?)",
    ),
    pruneLog: db.prepare("DELETE FROM change_log WHERE version <= ? AND committed_at < ?"),
    readLog: db.prepare(
      "SELECT version, origin, committed_at, changes FROM change_log WHERE version > ? ORDER BY version LIMIT ?",
    ),
    renewLease: db.prepare(
      "INSERT INTO leases (replica, expires_at) VALUES (?, ?) ON CONFLICT (replica) DO UPDATE SET expires_at = excluded.expires_at",
    ),
    dropLease: db.prepare("DELETE FROM leases WHERE replica = ? AND expires_at <= ?"),
    leases: db.prepare("SELECT replica, expires_at FROM leases ORDER BY replica"),
    updateNode: db.prepare(`UPDATE nodes SET ${setList(nodeColumns)} WHERE ${casList(nodeColumns)}`),
    updateRoute: db.prepare(`UPDATE routes SET ${setList(routeColumns)} WHERE ${casList(routeColumns)}`),
    moveCounter: db.prepare("UPDATE meta SET next_route_id = ? WHERE id = 1 AND next_route_id = ?"),
    setPolicy: db.prepare("UPDATE meta SET policy = ? WHERE id = 1"),
    routesEmpty: db.prepare("SELECT NOT EXISTS (SELECT 1 FROM routes) AS empty"),
    routeIndexes: db.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'routes' AND sql IS NOT NULL",
    ),
  }
  const insertNodes = batchInsert(db, "nodes", nodeColumns, (c: Change<Node>, out, at) =>
    putNodeValues(c.after, int, out, at),
  )
  const insertRoutes = batchInsert(db, "routes", routeColumns, (r: Route, out, at) =>
    putRouteValues(r, int, out, at),
  )

  // Runs one write, attributing a constraint failure to the row being written.
  const write = (stmt: SqliteStatement, params: ReadonlyArray<unknown>, row: RowContext): number => {
    try {
      return stmt.run(...params).changes
    } catch (e) {
      throw toRepositoryError(e, row)
    }
  }
  // Inserts one row, attributing a failure to it.
  const insertOne = <A>(insert: BatchInsert<A>, rows: ReadonlyArray<A>, i: number, row: RowContext): void => {
    let changes: number
    try {
      changes = insert.chunk(rows, i, 1)
    } catch (e) {
      throw toRepositoryError(e, row)
    }
    if (changes !== 1) throw new WriteConflict({ table: row.table, id: row.id, reason: "exists" })
  }

  const moveCounter = (plan: WritePlan): void => {
    if (plan.counter !== null && s.moveCounter.run(plan.counter.next, plan.counter.expected).changes !== 1) {
      throw new WriteConflict({ table: "meta", id: "nextRouteId", reason: "counter" })
    }
  }
  const updateNode = ({ before, after }: Change<Node>): void => {
    const values = nodeValues(after, int)
    const params = [...values.slice(1), ...nodeValues(before!, int)]
    if (write(s.updateNode, params, { table: "nodes", id: after.id }) !== 1) {
      throw new WriteConflict({ table: "nodes", id: before!.id, reason: "stale" })
    }
  }
  const updateRoutes = (plan: WritePlan): void => {
    for (const group of [plan.clears, plan.promotions]) {
      for (const { before, after } of group) {
        const params = [...routeValues(after, int).slice(1), ...routeValues(before!, int)]
        if (write(s.updateRoute, params, { table: "routes", id: after.id }) !== 1) {
          throw new WriteConflict({ table: "routes", id: before!.id, reason: "stale" })
        }
      }
    }
  }
  const setPolicy = (plan: WritePlan): void => {
    if (plan.policy !== null) s.setPolicy.run(JSON.stringify(plan.policy))
  }

  // The reference pass: one statement per row, in plan order, so the first row that fails is the one blamed.
  const writeExact = (plan: WritePlan): void => {
    moveCounter(plan)
    for (let i = 0; i < plan.nodes.length; i++) {
      const change = plan.nodes[i]!
      if (change.before === null)
        insertOne(insertNodes, plan.nodes, i, { table: "nodes", id: change.after.id })
      else updateNode(change)
    }
    updateRoutes(plan)
    for (let i = 0; i < plan.inserts.length; i++) {
      insertOne(insertRoutes, plan.inserts, i, { table: "routes", id: plan.inserts[i]!.id })
    }
    setPolicy(plan)
  }

  // Builds the routes' secondary indexes from the table instead of row by row (see `rebuildIndexesFrom`).
  // Their definitions come from the schema itself, so they stay whatever the migrations made them.
  const withoutRouteIndexes = (f: () => boolean): boolean => {
    const indexes = s.routeIndexes.all() as Array<{ name: string; sql: string }>
    for (const { name } of indexes) db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`)
    const done = f()
    // A unique index that cannot be built throws a constraint error: the exact pass says which row.
    for (const { sql } of indexes) db.exec(sql)
    return done
  }

  /**
   * The same writes in the same order, with every run of inserts as multi-row
   * statements, in a savepoint. It succeeds exactly when the exact pass would
   * (a chunk that writes all its rows leaves what its rows one by one would;
   * the foreign key, checked at the end of a chunk, looks only at `nodes`,
   * which a route chunk never writes), and then leaves the same rows. When it
   * fails it cannot always say which row did: the caller rolls it back and
   * runs the exact pass, so the error is always the exact pass's.
   */
  const writeBulk = db.transaction((plan: WritePlan): void => {
    moveCounter(plan)
    const nodes = plan.nodes
    for (let i = 0; i < nodes.length; ) {
      if (nodes[i]!.before !== null) {
        updateNode(nodes[i]!)
        i++
        continue
      }
      let end = i + 1
      while (end < nodes.length && nodes[end]!.before === null) end++
      if (!insertNodes.run(nodes, i, end)) throw replay
      i = end
    }
    updateRoutes(plan)
    const inserts = plan.inserts
    const insertAll = () => insertRoutes.run(inserts, 0, inserts.length)
    const rebuild =
      inserts.length >= rebuildIndexesFrom && (s.routesEmpty.get() as { empty: number }).empty === 1
    if (!(rebuild ? withoutRouteIndexes(insertAll) : insertAll())) throw replay
    setPolicy(plan)
  })

  const writePlan = (plan: WritePlan): void => {
    // Change sets that create no row (steady state) gain nothing from the bulk pass.
    if (plan.inserts.length > 0 || plan.nodes.some((c) => c.before === null)) {
      try {
        writeBulk(plan)
        return
      } catch (e) {
        if (!replayable(e)) throw e
      }
    }
    writeExact(plan)
  }

  // Version check first: a writer that is behind learns it before any row is compared.
  const applyTx = db.transaction((changes: ChangeSet, info: CommitInfo): number => {
    if (s.bumpVersion.run(info.base).changes !== 1) {
      throw new WriteConflict({ table: "meta", id: "version", reason: "behind" })
    }
    const plan = planChangeSet(changes)
    if (plan instanceof ConstraintViolation) throw plan
    writePlan(plan)
    const version = info.base + 1
    s.appendLog.run(version, info.origin, info.at, encodeChanges(changes, retention.maxRows))
    const bound = pruneBound(version, retention)
    if (bound !== null) s.pruneLog.run(bound, info.at - retention.minAgeMs)
    return version
  })
  const head = (): number => (s.head.get() as { version: number }).version
  // One read transaction: the head and the entries agree.
  const readLogTx = db.transaction((after: number, limit: number) =>
    logPage(after, head(), (s.readLog.all(after, limit) as Array<LogRow>).map(logEntry)),
  )

  // A read transaction so the three reads see one state.
  const loadAllTx = db.transaction((): Snapshot => {
    const meta = s.meta.get() as { next_route_id: number; policy: string; version: number }
    const read = rowReader()
    const nodes = readPaged(s.nodePage, nodeColumns.length, (v) => read.nodeTuple(v))
    nodes.sort(byNodeId)
    const routes = readPaged(s.liveRoutePage, 0, (v) => read.liveRouteTuple(v))
    // The aggregate sees a page's rows in id order (the subquery's), so this is one pass.
    sortUnlessSorted(routes, byRouteId)
    return {
      nodes,
      routes,
      policy: parsePolicy(meta.policy),
      nextRouteId: meta.next_route_id,
      version: meta.version,
    }
  })
  const attempt = <A>(f: () => A): Effect.Effect<A, RepositoryError> =>
    Effect.try({ try: f, catch: (e) => toRepositoryError(e, null) })

  return RouteRepository.of({
    loadAll: attempt(() => loadAllTx()),
    apply: (changes, info) =>
      isEmpty(changes) ? Effect.succeed(info.base) : attempt(() => applyTx.immediate(changes, info)),
    head: attempt(head),
    readLog: (after, limit) => attempt(() => readLogTx(after, limit)),
    watch: pollHead(attempt(head), settings.pollIntervalMs ?? 100),
    renewLease: (replica: ReplicaId, expiresAt) => attempt(() => void s.renewLease.run(replica, expiresAt)),
    dropLease: (replica, now) => attempt(() => void s.dropLease.run(replica, now)),
    leases: attempt(() =>
      (s.leases.all() as Array<{ replica: string; expires_at: number }>).map(
        (r): Lease => ({ replica: r.replica, expiresAt: r.expires_at }),
      ),
    ),
  })
}

/** A repository over a database file (or `:memory:`), closed when the layer is released. @category layers */
export const layer = (options: SqliteOptions): Layer.Layer<RouteRepository, RepositoryError> =>
  Layer.effect(
    RouteRepository,
    Effect.acquireRelease(
      Effect.try({ try: () => open(options.filename, options), catch: (e) => toRepositoryError(e, null) }),
      (db) => Effect.sync(() => db.close()),
    ).pipe(Effect.flatMap((db) => make(db, options))),
  )

/** `layer` with the file name from config (default key `TAILNET_ROUTES_SQLITE`). @category layers */
export const layerConfig = (
  filename: Config.Config<string> = Config.String("TAILNET_ROUTES_SQLITE"),
): Layer.Layer<RouteRepository, RepositoryError | Config.ConfigError> =>
  Layer.unwrap(Effect.map(filename, (f) => layer({ filename: f })))
