/**
 * Three replicas as child processes on one real Postgres, under chaos: random
 * commands over disjoint node sets that share prefixes, one replica killed
 * with SIGKILL and restarted every few seconds, the LISTEN connections cut
 * with `pg_terminate_backend`. After each quiet period every replica agrees
 * with the database, no prefix lacks a primary while a route is eligible, no
 * node a live replica holds reads offline, and every replica's subscription
 * saw each version once, in order. The same runs on SQLite with a manager
 * process and concurrent CLI processes.
 */
import { type ChildProcess, fork } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Redacted } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { isEligible } from "../../src/domain/eligibility.js"
import { makeOptions } from "../../src/domain/Options.js"
import { routeToJson } from "../../src/facade/toJson.js"
import { seededRandom } from "../../src/internal/seededRandom.js"
import { RouteRepository, type Snapshot } from "../../src/ports/RouteRepository.js"
import { cliProcess } from "../cli/support.js"
import { freshDatabaseUrl, postgresAdminUrl } from "../support/postgres.js"
import { dropDatabase } from "../support/postgresCluster.js"

const GRACE = 300
// Long enough that a loaded machine never lets a live replica's lease lapse.
const LEASE = 5_000
const POLL = 250
/** Two poll intervals, plus the grace so due failovers have fired. */
const QUIET = 2 * POLL + GRACE + 200
const ROUNDS = 4
const PREFIXES = ["10.9.0.0/24", "10.9.1.0/24", "10.9.2.0/24"]
const worker = path.join(import.meta.dirname, "../support/replicaWorker.ts")

interface Replica {
  readonly id: string
  child: ChildProcess
  /** Sessions this replica's current run opened per node (a restart ends them). */
  sessions: Map<string, number>
  request: (cmd: string, args?: unknown) => Promise<{ ok: boolean; value?: any; error?: string }>
}

const spawnReplica = (store: string, id: string): Promise<Replica> =>
  new Promise((resolve, reject) => {
    const child = fork(worker, [store, id, String(GRACE), String(LEASE), String(POLL)], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    let next = 0
    const pending = new Map<number, (r: any) => void>()
    child.on("message", (m: any) => {
      if (m.ready) return resolve(replica)
      pending.get(m.id)?.(m)
      pending.delete(m.id)
    })
    child.once("exit", (code, signal) => {
      for (const p of pending.values()) p({ ok: false, error: `exited ${code ?? signal}` })
      pending.clear()
      if (code !== null && code !== 0) reject(new Error(`replica ${id} exited with ${code}`))
    })
    const replica: Replica = {
      id,
      child,
      sessions: new Map(),
      request: (cmd, args) =>
        new Promise((done) => {
          const rid = next++
          pending.set(rid, done)
          child.send({ id: rid, cmd, args })
        }),
    }
  })

const kill = (r: Replica): Promise<void> =>
  new Promise((resolve) => {
    if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve()
    r.child.once("exit", () => resolve())
    r.child.kill("SIGKILL")
  })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const readStore = (layer: Layer.Layer<RouteRepository, unknown>): Promise<Snapshot> =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(layer), (ctx) => Context.get(ctx, RouteRepository).loadAll)),
  )

/** What disagrees after a quiet period, checked against the database itself; empty when all holds. */
const problemsAfterQuiet = async (replicas: ReadonlyArray<Replica>, stored: Snapshot): Promise<string[]> => {
  const problems: string[] = []
  const expected = JSON.stringify(stored.routes.map(routeToJson))
  for (const r of replicas) {
    const routes = await r.request("routes")
    if (JSON.stringify(routes.value) !== expected) problems.push(`replica ${r.id} disagrees with the store`)
    const seen = (await r.request("seen")).value as Array<{ version: number; reloadedFrom: number | null }>
    const versions = seen.map((c) => c.version)
    // Every version once, in order, each folded from the log (a reload would stand for several).
    const odd = seen.filter((c, i) => c.version !== versions[0]! + i || c.reloadedFrom !== null)
    if (odd.length > 0) problems.push(`replica ${r.id} saw ${JSON.stringify(odd.slice(0, 3))}`)
    if (versions.length > 0 && versions[versions.length - 1] !== stored.version) {
      problems.push(
        `replica ${r.id} saw up to ${versions[versions.length - 1]}, the store is at ${stored.version}`,
      )
    }
    // Nodes this replica holds read online, with exactly its sessions, whatever the others did.
    for (const [nodeId, count] of r.sessions) {
      const held = stored.nodes.find((n) => n.id === nodeId)!.presence.replicas[r.id] ?? 0
      if (held !== count) problems.push(`${nodeId} held by ${r.id}: ${held} sessions stored, ${count} opened`)
    }
  }
  const options = makeOptions({ gracePeriodMs: GRACE })
  const now = Date.now()
  const nodes = new Map(stored.nodes.map((n) => [n.id, n]))
  for (const prefix of PREFIXES) {
    const rows = stored.routes.filter((r) => r.prefix.text === prefix)
    const primaries = rows.filter((r) => r.isPrimary).length
    if (rows.some((r) => isEligible(r, nodes.get(r.nodeId), now, options)) && primaries !== 1) {
      problems.push(`${prefix} has ${primaries} primaries while a route is eligible`)
    }
  }
  return problems
}

/**
 * After the quiet period the checks must hold; on a loaded machine (CI runs
 * test files side by side) a replica may still be a poll behind, so they get
 * a bounded while longer before the test fails with what still disagrees.
 */
const checkQuiet = async (replicas: ReadonlyArray<Replica>, read: () => Promise<Snapshot>) => {
  await sleep(QUIET)
  const deadline = Date.now() + 10_000
  let problems = await problemsAfterQuiet(replicas, await read())
  while (problems.length > 0 && Date.now() < deadline) {
    await sleep(POLL)
    problems = await problemsAfterQuiet(replicas, await read())
  }
  expect(problems).toEqual([])
}

/** One random command for replica `r` on one of its own nodes. */
const randomCommand = async (r: Replica, random: () => number) => {
  const nodeId = `${r.id}-n${Math.floor(random() * 3)}`
  const pick = () => PREFIXES.filter(() => random() < 0.6)
  const roll = random()
  let reply: { ok: boolean; error?: string }
  if (roll < 0.3) {
    reply = await r.request("connect", { id: nodeId })
    if (reply.ok) r.sessions.set(nodeId, (r.sessions.get(nodeId) ?? 0) + 1)
  } else if (roll < 0.45) {
    reply = await r.request("disconnect", { id: nodeId })
    const held = r.sessions.get(nodeId) ?? 0
    if (reply.ok && held > 0) r.sessions.set(nodeId, held - 1)
  } else if (roll < 0.7) reply = await r.request("advertise", { id: nodeId, routes: pick() })
  else if (roll < 0.9) reply = await r.request("approve", { id: nodeId, routes: pick() })
  else reply = await r.request("revoke", { id: nodeId, routes: pick() })
  // Typed domain refusals (a route not advertised) are fine; a store failure is not.
  if (!reply.ok) expect(["RouteNotAdvertised", "HalfExitPair", "NoSuchRoute"]).toContain(reply.error)
}

const setUp = async (r: Replica) => {
  for (let i = 0; i < 3; i++) {
    const id = `${r.id}-n${i}`
    expect((await r.request("upsert", { id, user: "ops@" })).ok).toBe(true)
    expect((await r.request("advertise", { id, routes: PREFIXES })).ok).toBe(true)
    expect((await r.request("approve", { id, routes: PREFIXES })).ok).toBe(true)
  }
}

describe("three replicas as processes on one Postgres, with kill -9 and cut LISTEN connections", () => {
  let url = ""
  afterAll(async () => {
    if (url !== "") await dropDatabase(postgresAdminUrl(), url)
  })

  it("converge after every quiet period", { timeout: 120_000 }, async () => {
    url = await freshDatabaseUrl()
    const random = seededRandom(11)
    const replicas: Replica[] = []
    try {
      for (const id of ["A", "B", "C"]) replicas.push(await spawnReplica(url, id))
      for (const r of replicas) await setUp(r)
      const cutListeners = () =>
        Effect.runPromise(
          PgClient.PgClient.use((sql) =>
            sql.unsafe(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
            ),
          ).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 }))),
        )
      for (let round = 0; round < ROUNDS; round++) {
        // A burst of concurrent commands from every replica.
        await Promise.all(
          replicas.map(async (r) => {
            for (let i = 0; i < 25; i++) await randomCommand(r, random)
          }),
        )
        // Chaos: kill one replica mid-flight and bring it back under the same id; cut the listeners.
        const victim = replicas[round % replicas.length]!
        const burst = Promise.all(
          replicas
            .filter((r) => r !== victim)
            .map(async (r) => {
              for (let i = 0; i < 10; i++) await randomCommand(r, random)
            }),
        )
        await kill(victim)
        await cutListeners()
        await burst
        const back = await spawnReplica(url, victim.id)
        replicas[replicas.indexOf(victim)] = back
        // Its earlier run's sessions ended when it came back; its routers reconnect.
        for (let i = 0; i < 3; i++) {
          const reply = await back.request("connect", { id: `${back.id}-n${i}` })
          expect(reply.ok).toBe(true)
          back.sessions.set(`${back.id}-n${i}`, 1)
        }
        await checkQuiet(replicas, () => readStore(Postgres.layer({ url, maxConnections: 1 })))
      }
    } finally {
      await Promise.all(replicas.map(kill))
    }
  })
})

describe("a manager process and concurrent CLI processes on one SQLite file", () => {
  it("the manager follows every CLI commit, once each, in order", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tailnet-routes-mp-"))
    const filename = path.join(dir, "routes.db")
    let manager: Replica | undefined
    try {
      manager = await spawnReplica(`sqlite:${filename}`, "S")
      await setUp(manager)
      for (let i = 0; i < 3; i++) {
        expect((await manager.request("connect", { id: `S-n${i}` })).ok).toBe(true)
        manager.sessions.set(`S-n${i}`, 1)
      }
      const db = `sqlite:${filename}`
      for (let round = 0; round < 2; round++) {
        const random = seededRandom(round + 1)
        const routes = (await manager.request("routes")).value as Array<{ id: number }>
        const cli = Promise.all(
          [0, 1, 2].map(async () => {
            const id = routes[Math.floor(random() * routes.length)]!.id
            const r = await cliProcess(["--db", db, "routes", "disable", String(id)])
            expect(r.code, r.stderr).toBe(0)
          }),
        )
        const mine = (async () => {
          for (let i = 0; i < 20; i++) await randomCommand(manager!, random)
        })()
        await Promise.all([cli, mine])
        await checkQuiet([manager], () => readStore(Sqlite.layer({ filename })))
        const seen = (await manager.request("seen")).value as Array<{ origin: string }>
        expect(seen.some((c) => c.origin === "cli")).toBe(true)
      }
    } finally {
      if (manager !== undefined) await kill(manager)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
