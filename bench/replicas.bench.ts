/**
 * Several processes on one store: how fast a commit on one replica reaches
 * another replica's subscribers (Postgres with NOTIFY, target p99 ≤ 100 ms,
 * and by polling alone; SQLite, a CLI-style commit on its own connection to a
 * running manager, target p99 ≤ 250 ms), committed change sets per second
 * with 1, 2 and 3 Postgres replicas (target: 3 together ≥ 1,000/s), and a
 * manager catching up on 10k log entries (target ≤ 200 ms). Each replica
 * has its own connections, as separate processes would; Postgres runs on a
 * throwaway local cluster.
 */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { Context, Effect, Exit, Layer, PubSub, Scope } from "effect"
import * as Postgres from "../src/adapters/postgres/index.js"
import * as Sqlite from "../src/adapters/sqlite/index.js"
import { RouteManager, type RouteManagerService } from "../src/app/RouteManager.js"
import type { RepositoryError, RouteRepository } from "../src/ports/RouteRepository.js"
import { createDatabase, startCluster } from "../test/support/postgresCluster.js"
import { type BenchSuite, type Measurement, prng, type Scale, summarize } from "./harness.js"

type Store = Layer.Layer<RouteRepository, RepositoryError>

/** A manager over `store` in its own scope (as its own process would hold it). */
const openManager = async (store: Store, replicaId: string) => {
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(
    Layer.buildWithScope(
      RouteManager.layer({ gracePeriodMs: 15_000 }, { replicaId, conflictRetries: 1_000 }).pipe(
        Layer.provide(store),
      ),
      scope,
    ),
  )
  return {
    m: Context.get(context, RouteManager),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  }
}

const run = <A>(e: Effect.Effect<A, unknown>) => Effect.runPromise(e as Effect.Effect<A>)

/** Registers `count` nodes named `prefix-i`, each advertising one /24 of its own. */
const populate = async (m: RouteManagerService, prefix: string, count: number, third: number) => {
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`
    await run(m.upsertNode({ id, user: "ops@" }))
    await run(m.advertise(id, [`10.${third}.${i % 256}.0/24`]))
  }
}

/**
 * From just before a command on `writer` to the commit reaching `reader`'s
 * subscribers, `samples` times, one commit at a time. Each command waits a
 * random part of `spreadMs` first, so commits fall at every phase of a
 * reader's poll (back-to-back commits would all land just after a poll).
 */
const propagation = async (
  writer: RouteManagerService,
  reader: RouteManagerService,
  samples: number,
  spreadMs: number,
) => {
  const random = prng(7)
  const scope = await Effect.runPromise(Scope.make())
  const sub = await Effect.runPromise(Scope.provide(reader.subscribe, scope))
  const times: number[] = []
  await populate(writer, "p", 1, 200)
  for (let i = 0; i < samples + 3; i++) {
    await new Promise((r) => setTimeout(r, random() * spreadMs))
    const t0 = performance.now()
    const cs = await run(writer.connect("p-0"))
    const target = await run(writer.version)
    for (;;) {
      const c = await Effect.runPromise(PubSub.take(sub))
      if (c.version >= target) break
    }
    if (i >= 3) times.push(performance.now() - t0)
    if (cs.nodes.length === 0) throw new Error("bench: connect wrote nothing")
  }
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return times
}

/** Change sets committed per second by `managers` together, each connecting and disconnecting its own nodes. */
const throughput = async (managers: ReadonlyArray<RouteManagerService>, perReplica: number) => {
  const t0 = performance.now()
  await Promise.all(
    managers.map(async (m, k) => {
      for (let i = 0; i < perReplica; i++) {
        const id = `t${k}-${Math.floor(i / 2) % 8}`
        await run(i % 2 === 0 ? m.connect(id) : m.disconnect(id))
      }
    }),
  )
  return (managers.length * perReplica) / ((performance.now() - t0) / 1000)
}

const runSuite = async (scale: Scale): Promise<ReadonlyArray<Measurement>> => {
  const full = scale === "full"
  const samples = full ? 200 : 10
  const pollSamples = full ? 30 : 3
  const out: Measurement[] = []
  const cluster = await startCluster()
  const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-bench-replicas-"))
  try {
    // Postgres propagation, NOTIFY (poll every 1 s as the fallback) and polling alone.
    for (const [label, settings, n, target] of [
      ["NOTIFY", { pollIntervalMs: 1_000 }, samples, 100],
      ["polling every 1 s only", { pollIntervalMs: 1_000, notifications: false }, pollSamples, undefined],
    ] as const) {
      const url = await createDatabase(cluster.url)
      const a = await openManager(Postgres.layer({ url, maxConnections: 2 }), "A")
      const b = await openManager(Postgres.layer({ url, maxConnections: 2, ...settings }), "B")
      const times = await propagation(a.m, b.m, n, settings.pollIntervalMs)
      out.push(
        summarize(
          `replicas: postgres propagation to another replica's subscribers, ${label}`,
          { replicas: 2 },
          times,
          target,
        ),
      )
      await b.close()
      await a.close()
    }

    // SQLite: a commit on another connection (as the CLI makes) to a running manager's subscribers.
    {
      const filename = path.join(dir, "propagation.db")
      const server = await openManager(Sqlite.layer({ filename, pollIntervalMs: 100 }), "server")
      const cli = await openManager(Sqlite.layer({ filename, pollIntervalMs: 3_600_000 }), "cli")
      const times = await propagation(cli.m, server.m, full ? 100 : 5, 100)
      out.push(
        summarize(
          "replicas: sqlite commit on another connection to a running manager's subscribers",
          { replicas: 2 },
          times,
          250,
        ),
      )
      await cli.close()
      await server.close()
    }

    // Postgres throughput with 1, 2 and 3 replicas, each its own pool.
    for (const count of [1, 2, 3]) {
      const url = await createDatabase(cluster.url)
      const replicas = []
      for (let k = 0; k < count; k++) {
        const r = await openManager(Postgres.layer({ url, maxConnections: 2 }), `R${k}`)
        await populate(r.m, `t${k}`, 8, k)
        replicas.push(r)
      }
      const perReplica = full ? 1_500 : 40
      await throughput(
        replicas.map((r) => r.m),
        Math.ceil(perReplica / 10),
      ) // warm-up
      const rates: number[] = []
      for (let s = 0; s < (full ? 3 : 1); s++)
        rates.push(
          await throughput(
            replicas.map((r) => r.m),
            perReplica,
          ),
        )
      const perOp = rates.map((r) => 1000 / r)
      out.push(
        summarize(
          `replicas: postgres committed change sets, ${count} replica${count === 1 ? "" : "s"}`,
          { replicas: count, commits: perReplica * count },
          perOp,
          undefined,
          { opsPerSec: [...rates].sort((x, y) => x - y)[Math.floor(rates.length / 2)]! },
        ),
      )
      for (const r of replicas) await r.close()
    }

    // Catch-up: a manager that polls never is 10k versions behind; its next command folds them all.
    for (const kind of ["sqlite", "postgres"] as const) {
      const entries = full ? 10_000 : 300
      const store = async (poll: number): Promise<Store> =>
        kind === "sqlite"
          ? Sqlite.layer({ filename: path.join(dir, "catchup.db"), pollIntervalMs: poll })
          : Postgres.layer({ url: catchUpUrl, maxConnections: 2, pollIntervalMs: poll, notifications: false })
      const catchUpUrl = kind === "postgres" ? await createDatabase(cluster.url) : ""
      rmSync(path.join(dir, "catchup.db"), { force: true })
      const behind = await openManager(await store(3_600_000), "behind")
      const writer = await openManager(await store(3_600_000), "writer")
      await populate(writer.m, "c", 16, 100)
      for (let i = 0; i < entries; i++) {
        const id = `c-${Math.floor(i / 2) % 16}`
        await run(i % 2 === 0 ? writer.m.connect(id) : writer.m.disconnect(id))
      }
      const from = await run(behind.m.version)
      const t0 = performance.now()
      await run(behind.m.upsertNode({ id: "late", user: "ops@" }))
      const ms = performance.now() - t0
      const caught = (await run(behind.m.version)) - from - 1
      if (caught < entries) throw new Error(`bench: catch-up folded ${caught} entries, expected ≥ ${entries}`)
      out.push(
        summarize(
          `replicas: ${kind} catch-up of ${entries} log entries (then one commit)`,
          { entries },
          [ms],
          200,
        ),
      )
      await writer.close()
      await behind.close()
    }
  } finally {
    cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return out
}

export const suite: BenchSuite = { name: "replicas", run: runSuite }
