/**
 * Storage benchmarks on the stress tailnet (`syntheticTailnet`, 4 routes a
 * node in HA pairs). Cold load: the whole tailnet applied as one change set
 * to an empty store, at 50k nodes / 200k routes (SQLite target <= 2 s,
 * Postgres <= 2 s) and at 250k nodes / 1M routes (SQLite <= 5 s; Postgres
 * reported); `loadAll` at both sizes (<= 3 s at 1M on both stores). Steady
 * state at 200k: one node's advertisement change (its 4 routes updated)
 * committed per transaction, SQLite with synchronous=FULL (the default;
 * target >= 3,000/s) and NORMAL (reported), and Postgres with one writer
 * (target >= 1,000/s) and two. Postgres runs on a throwaway local cluster.
 * `bench:ci` runs the same code at 1k and 2k nodes.
 */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import * as Postgres from "../src/adapters/postgres/index.js"
import * as Sqlite from "../src/adapters/sqlite/index.js"
import type { Change, ChangeSet } from "../src/domain/ChangeSet.js"
import { emptyChangeSet } from "../src/domain/ChangeSet.js"
import type { Node } from "../src/domain/Node.js"
import type { Route } from "../src/domain/Route.js"
import { isWriteConflict, type RepositoryError, RouteRepository } from "../src/ports/RouteRepository.js"
import { adminQuery, createDatabase, dropDatabase, startCluster } from "../test/support/postgresCluster.js"
import { type BenchSuite, type Measurement, type Scale, summarize } from "./harness.js"
import { syntheticTailnet } from "./syntheticTailnet.js"

type Repo = RouteRepository["Service"]

/** Commits at the store's head, reading it again after each lost race. */
const commitAtHead = (
  repo: Repo,
  changes: ChangeSet,
  origin: string,
): Effect.Effect<number, RepositoryError> =>
  Effect.flatMap(repo.head, (base) => repo.apply(changes, { base, origin, at: Date.now() })).pipe(
    Effect.catchIf(
      (e) => isWriteConflict(e) && e.reason === "behind",
      () => commitAtHead(repo, changes, origin),
    ),
  )

interface Tailnet {
  readonly nodes: Array<Node>
  readonly routes: Array<Route>
}

// Node i's four routes are routes[4i .. 4i+3] (HA pairs: nodes 2k and 2k+1 share four prefixes, the even one primary).
const tailnet = (nodeCount: number): Tailnet => syntheticTailnet(nodeCount, "stress")

const coldChanges = (t: Tailnet): ChangeSet => ({
  ...emptyChangeSet(t.routes.length + 1),
  nodes: t.nodes.map((after) => ({ before: null, after })),
  routes: t.routes.map((after) => ({ before: null, after })),
})

/** Opens a layer in its own scope; returns the service and a closer. */
const open = async (layer: Layer.Layer<RouteRepository, unknown>) => {
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
  return {
    repo: Context.get(context, RouteRepository),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  }
}

const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now()
  await f()
  return performance.now() - t0
}

/**
 * Steady state: `writers` loops, each committing `ops` change sets of one
 * node's four routes (priority bumped, updatedAt moved), on disjoint nodes.
 * Returns wall time per transaction across all writers.
 */
const steady = async (
  repos: ReadonlyArray<Repo>,
  t: Tailnet,
  ops: number,
  round: number,
): Promise<number> => {
  const current = t.routes // updated in place as writes land
  const writer = (repo: Repo, w: number) =>
    Effect.gen(function* () {
      for (let i = 0; i < ops; i++) {
        const n = ((i * repos.length + w) * 7919 + round * 104_729) % t.nodes.length
        const changes: Array<Change<Route>> = []
        for (let j = 0; j < 4; j++) {
          const before = current[n * 4 + j]!
          changes.push({
            before,
            after: { ...before, priority: before.priority + 1, updatedAt: before.updatedAt + 1 },
          })
        }
        // Writers touch disjoint rows, but commits are linearised by the tailnet version:
        // a writer that lost the race reads the head again and retries.
        yield* commitAtHead(repo, { ...emptyChangeSet(t.routes.length + 1), routes: changes }, `writer-${w}`)
        for (let j = 0; j < 4; j++) current[n * 4 + j] = changes[j]!.after
      }
    })
  const t0 = performance.now()
  await Effect.runPromise(Effect.all(repos.map(writer), { concurrency: "unbounded", discard: true }))
  return (performance.now() - t0) / (ops * repos.length)
}

const steadyMeasurement = async (
  name: string,
  repos: ReadonlyArray<Repo>,
  t: Tailnet,
  ops: number,
  samples: number,
  targetOpsPerSec?: number,
): Promise<Measurement> => {
  await steady(repos, t, Math.ceil(ops / 10), 0) // warm-up: statement caches, pool connections
  const perOp: Array<number> = []
  for (let s = 1; s <= samples; s++) perOp.push(await steady(repos, t, ops, s))
  const m = summarize(
    name,
    {
      nodes: t.nodes.length,
      routes: t.routes.length,
      writers: repos.length,
      transactionsPerSample: ops * repos.length,
    },
    perOp,
    targetOpsPerSec === undefined ? undefined : 1000 / targetOpsPerSec,
  )
  return { ...m, extra: { opsPerSec: Math.round(1000 / m.medianMs) } }
}

/** Loads `t` into a fresh store (from `fresh(s)`) for each of `samples`; the times of the loads. */
const coldLoads = async (
  fresh: (s: number) => Promise<{ repo: Repo; close: () => Promise<void> }>,
  t: Tailnet,
  samples: number,
): Promise<Array<number>> => {
  const load: Array<number> = []
  for (let s = 0; s < samples; s++) {
    const { repo, close } = await fresh(s)
    load.push(await timed(() => Effect.runPromise(commitAtHead(repo, coldChanges(t), "bench"))))
    await close()
  }
  return load
}

/** Times `loadAll` `reads` times on a repository opened afresh. */
const loadAllTimes = async (layer: Layer.Layer<RouteRepository, unknown>, reads: number) => {
  const { repo, close } = await open(layer)
  const times: Array<number> = []
  for (let r = 0; r < reads; r++) times.push(await timed(() => Effect.runPromise(repo.loadAll)))
  await close()
  return times
}

const run = async (scale: Scale): Promise<ReadonlyArray<Measurement>> => {
  const nodeCount = scale === "full" ? 50_000 : 1_000
  // The 1M-route size (issue 16); ci runs the same code at 2k nodes.
  const bigCount = scale === "full" ? 250_000 : 2_000
  const ops = scale === "full" ? 3_000 : 100
  const samples = scale === "full" ? 5 : 2
  const out: Array<Measurement> = []
  const bigOut: Array<Measurement> = []
  const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-bench-"))
  const cluster = await startCluster()
  const sqliteFile = (name: string) => path.join(dir, name)
  const freshSqlite = (size: number) => (s: number) =>
    open(Sqlite.layer({ filename: sqliteFile(`cold-${size}-${s}.db`) }))
  const databases: Array<string> = []
  const freshPostgres = async () => {
    databases.push(await createDatabase(cluster.url))
    return open(Postgres.layer({ url: databases.at(-1)!, maxConnections: 2 }))
  }
  // Untimed, after a size's cold loads: drop every database but the last loaded and vacuum and
  // analyze that one, so no autovacuum of a freshly loaded database runs under the timings that
  // follow (it doubled the steady-state figures on 2 cores), and loadAll reads a settled store.
  const settlePostgres = async (): Promise<string> => {
    const keep = databases.at(-1)!
    for (const url of databases.splice(0)) if (url !== keep) await dropDatabase(cluster.url, url)
    databases.push(keep)
    await adminQuery(keep, "VACUUM ANALYZE")
    return keep
  }
  try {
    // 1M routes first, while the process holds nothing else: cold loads into fresh stores, then
    // loadAll with the generated tailnet dropped (a process loading its store at start-up holds
    // no other copy); measured after the 200k rows, in a heap those had grown, it read 1.3-1.8x slower.
    {
      let big: Tailnet | undefined = tailnet(bigCount)
      const sizes = { nodes: big.nodes.length, routes: big.routes.length }
      const sqliteLoad = await coldLoads(freshSqlite(bigCount), big, scale === "full" ? 2 : 1)
      const pgLoad = await coldLoads(freshPostgres, big, 1)
      big = undefined
      const pgUrl = await settlePostgres()
      const sqliteRead = await loadAllTimes(
        Sqlite.layer({ filename: sqliteFile(`cold-${bigCount}-0.db`) }),
        3,
      )
      const pgRead = await loadAllTimes(Postgres.layer({ url: pgUrl, maxConnections: 2 }), 3)
      await dropDatabase(cluster.url, databases.pop()!)
      bigOut.push(summarize("sqlite cold load (one change set into a fresh file)", sizes, sqliteLoad, 5_000))
      bigOut.push(summarize("sqlite loadAll", sizes, sqliteRead, 3_000))
      bigOut.push(summarize("postgres cold load (one change set into a fresh database)", sizes, pgLoad))
      bigOut.push(summarize("postgres loadAll", sizes, pgRead, 3_000))
    }
    {
      const t = tailnet(nodeCount)
      const sizes = { nodes: t.nodes.length, routes: t.routes.length }
      // SQLite cold load: a fresh file each sample; apply the whole tailnet as one change set.
      const sqliteLoad = await coldLoads(freshSqlite(nodeCount), t, scale === "full" ? 3 : 2)
      out.push(summarize("sqlite cold load (one change set into a fresh file)", sizes, sqliteLoad, 2_000))
      out.push(
        summarize(
          "sqlite loadAll",
          sizes,
          await loadAllTimes(Sqlite.layer({ filename: sqliteFile(`cold-${nodeCount}-0.db`) }), 3),
        ),
      )

      // SQLite steady state on the first loaded file, with each durability setting:
      // FULL (the default: an acknowledged commit survives power loss) and NORMAL.
      for (const synchronous of ["full", "normal"] as const) {
        const sq = await open(Sqlite.layer({ filename: sqliteFile(`cold-${nodeCount}-0.db`), synchronous }))
        out.push(
          await steadyMeasurement(
            `sqlite steady, synchronous=${synchronous.toUpperCase()}${synchronous === "full" ? " (default)" : ""}: one node's 4 routes per transaction`,
            [sq.repo],
            t,
            ops,
            samples,
            synchronous === "full" ? 3_000 : undefined,
          ),
        )
        await sq.close()
      }

      // Postgres cold load into a fresh database each sample.
      const pgLoad = await coldLoads(freshPostgres, t, scale === "full" ? 3 : 2)
      const pgUrl = await settlePostgres()
      out.push(summarize("postgres cold load (one change set into a fresh database)", sizes, pgLoad, 2_000))
      out.push(
        summarize(
          "postgres loadAll",
          sizes,
          await loadAllTimes(Postgres.layer({ url: pgUrl, maxConnections: 2 }), 3),
        ),
      )

      // Postgres steady state on the last loaded database: one writer, then two writers with separate pools.
      const a = await open(Postgres.layer({ url: pgUrl, maxConnections: 1 }))
      const b = await open(Postgres.layer({ url: pgUrl, maxConnections: 1 }))
      out.push(
        await steadyMeasurement(
          "postgres steady, 1 writer: one node's 4 routes per transaction",
          [a.repo],
          t,
          ops,
          samples,
          1_000,
        ),
      )
      out.push(
        await steadyMeasurement(
          "postgres steady, 2 writers (2 pools, disjoint nodes)",
          [a.repo, b.repo],
          t,
          ops / 2,
          samples,
        ),
      )
      await a.close()
      await b.close()
    }
  } finally {
    cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  for (const m of out) if (m.extra) console.log(`storage: ${m.name}: ${m.extra.opsPerSec} tx/s`)
  // The 200k rows first in the report, as before; the 1M rows after them.
  return [...out, ...bigOut]
}

/** @category models */
export const suite: BenchSuite = { name: "storage", run }
