/**
 * Storage benchmarks: cold load of the stress tailnet (50k nodes, 200k routes)
 * into SQLite (target <= 2 s) and Postgres (reported), then steady state: one
 * node's advertisement change (its 4 routes updated) committed per
 * transaction, SQLite with synchronous=FULL (the default; target >= 3,000/s)
 * and NORMAL (reported), and Postgres with one writer
 * (target >= 1,000/s) and two. Postgres runs on a throwaway local cluster.
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
import { type Node, offline } from "../src/domain/Node.js"
import { parsePrefixUnsafe } from "../src/domain/Prefix.js"
import type { Route } from "../src/domain/Route.js"
import { isWriteConflict, type RepositoryError, RouteRepository } from "../src/ports/RouteRepository.js"
import { createDatabase, startCluster } from "../test/support/postgresCluster.js"
import { type BenchSuite, type Measurement, type Scale, summarize } from "./harness.js"

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

/** Pairs of HA routers: nodes 2k and 2k+1 share four /28s, the even one primary. Deterministic. */
const tailnet = (nodeCount: number): Tailnet => {
  const nodes: Array<Node> = []
  const routes: Array<Route> = []
  for (let i = 0; i < nodeCount; i++) {
    nodes.push({
      id: `node-${i}`,
      user: `user${i % 500}@`,
      tags: i % 3 === 0 ? ["tag:router"] : [],
      ephemeral: false,
      createdAt: 1_700_000_000_000 + i,
      expiresAt: null,
      presence: offline,
      deletedAt: null,
    })
    for (let j = 0; j < 4; j++) {
      const k = (i >> 1) * 4 + j
      const id = routes.length + 1
      routes.push({
        id,
        nodeId: `node-${i}`,
        prefix: parsePrefixUnsafe(`10.${(k >> 12) & 255}.${(k >> 4) & 255}.${(k & 15) << 4}/28`),
        advertised: true,
        enabled: true,
        isPrimary: i % 2 === 0,
        approvedBy: "policy",
        priority: 0,
        healthy: true,
        createdAt: 1_700_000_000_000 + id,
        updatedAt: 1_700_000_000_000 + id,
        deletedAt: null,
      })
    }
  }
  return { nodes, routes }
}

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

const run = async (scale: Scale): Promise<ReadonlyArray<Measurement>> => {
  const nodeCount = scale === "full" ? 50_000 : 1_000
  const ops = scale === "full" ? 3_000 : 100
  const samples = scale === "full" ? 5 : 2
  const t = tailnet(nodeCount)
  const sizes = { nodes: t.nodes.length, routes: t.routes.length }
  const out: Array<Measurement> = []
  const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-bench-"))
  const cluster = await startCluster()
  try {
    // SQLite cold load: a fresh file each sample; apply the whole tailnet as one change set.
    const sqliteLoad: Array<number> = []
    const sqliteRead: Array<number> = []
    for (let s = 0; s < (scale === "full" ? 3 : 2); s++) {
      const filename = path.join(dir, `cold-${s}.db`)
      const { repo, close } = await open(Sqlite.layer({ filename }))
      sqliteLoad.push(await timed(() => Effect.runPromise(commitAtHead(repo, coldChanges(t), "bench"))))
      sqliteRead.push(await timed(() => Effect.runPromise(repo.loadAll)))
      await close()
    }
    out.push(summarize("sqlite cold load (one change set into a fresh file)", sizes, sqliteLoad, 2_000))
    out.push(summarize("sqlite loadAll", sizes, sqliteRead))

    // SQLite steady state on the last loaded file, with each durability setting:
    // FULL (the default: an acknowledged commit survives power loss) and NORMAL.
    for (const synchronous of ["full", "normal"] as const) {
      const sq = await open(Sqlite.layer({ filename: path.join(dir, "cold-0.db"), synchronous }))
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

    // Postgres cold load into a fresh database.
    const pgLoad: Array<number> = []
    const pgRead: Array<number> = []
    let url = ""
    for (let s = 0; s < 2; s++) {
      url = await createDatabase(cluster.url)
      const { repo, close } = await open(Postgres.layer({ url, maxConnections: 2 }))
      pgLoad.push(await timed(() => Effect.runPromise(commitAtHead(repo, coldChanges(t), "bench"))))
      pgRead.push(await timed(() => Effect.runPromise(repo.loadAll)))
      await close()
    }
    out.push(summarize("postgres cold load (one change set into a fresh database)", sizes, pgLoad))
    out.push(summarize("postgres loadAll", sizes, pgRead))

    // Postgres steady state: one writer, then two writers with separate pools.
    const a = await open(Postgres.layer({ url, maxConnections: 1 }))
    const b = await open(Postgres.layer({ url, maxConnections: 1 }))
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
  } finally {
    cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  for (const m of out) if (m.extra) console.log(`storage: ${m.name}: ${m.extra.opsPerSec} tx/s`)
  return out
}

/** @category models */
export const suite: BenchSuite = { name: "storage", run }
