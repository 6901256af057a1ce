/**
 * Several managers on one store, on the real clock and real databases: the
 * failures a user running two replicas (or the CLI beside a server) met before
 * the store had a version, a change log and per-replica presence, each as a
 * regression test named after it.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, PubSub, Scope } from "effect"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { type ManagerSettings, RouteManager, type RouteManagerService } from "../../src/app/RouteManager.js"
import type { Commit } from "../../src/domain/Commit.js"
import { type RepositoryError, RouteRepository } from "../../src/ports/RouteRepository.js"
import { cliProcess } from "../cli/support.js"
import { freshDatabaseUrl, postgresAdminUrl } from "../support/postgres.js"
import { dropDatabase } from "../support/postgresCluster.js"
import { primaryNode, SUBNET } from "./harness.js"

const GRACE = 400
// Long enough that a loaded machine never lets a live replica's lease lapse; the crash test waits for it.
const LEASE = 2_000
const POLL = 50
const options = { gracePeriodMs: GRACE }

type Store = Layer.Layer<RouteRepository, RepositoryError>

/** A manager with its own connection to the store, in a scope of its own so a test can stop it. */
const openReplica = (store: Store, settings: ManagerSettings) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(
      RouteManager.layer(options, { leaseMs: LEASE, ...settings }).pipe(Layer.provide(store)),
      scope,
    )
    const m = Context.get(context, RouteManager)
    // Every commit this replica publishes, from its opening on.
    const seen: Commit[] = []
    const sub = yield* Scope.provide(m.subscribe, scope)
    yield* Effect.forkIn(Effect.forever(Effect.map(PubSub.take(sub), (c) => void seen.push(c))), scope)
    return { m, seen, close: Scope.close(scope, Exit.void) }
  })

/** Polls `check` until it holds, failing after `withinMs`. */
const eventually = <A, E>(
  what: string,
  read: Effect.Effect<A, E>,
  check: (a: A) => boolean,
  withinMs = 5_000,
) =>
  Effect.gen(function* () {
    const deadline = Date.now() + withinMs
    for (;;) {
      const a = yield* read
      if (check(a)) return a
      if (Date.now() > deadline)
        return assert.fail(`${what}: still ${JSON.stringify(a)} after ${withinMs} ms`)
      yield* Effect.sleep(20)
    }
  })

const haPair = (m: RouteManagerService) =>
  Effect.gen(function* () {
    for (const id of ["r1", "r2"]) {
      yield* m.upsertNode({ id, user: "alice@" })
      yield* m.advertise(id, [SUBNET])
      yield* m.approveRoutes(id, [SUBNET])
    }
  })

const postgresStore = Effect.acquireRelease(Effect.promise(freshDatabaseUrl), (url) =>
  Effect.promise(() => dropDatabase(postgresAdminUrl(), url)),
).pipe(Effect.map((url) => (): Store => Postgres.layer({ url, maxConnections: 3, pollIntervalMs: 1_000 })))

/** Versions a replica published, checked to be every version after its first, once each, in order. */
const assertExactlyOnceInOrder = (seen: ReadonlyArray<Commit>) => {
  const versions = seen.map((c) => c.version)
  assert.deepStrictEqual(
    versions,
    versions.map((_, i) => versions[0]! + i),
  )
}

describe("several replicas on one Postgres", () => {
  it.live("restarting replica B keeps replica A's nodes online and A's primaries", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* postgresStore
        const a = yield* openReplica(store(), { replicaId: "A" })
        yield* haPair(a.m)
        yield* a.m.connect("r1")
        yield* a.m.connect("r1")
        yield* a.m.connect("r2")
        for (let i = 0; i < 2; i++) {
          const b = yield* openReplica(store(), { replicaId: "B" })
          yield* b.close
        }
        const b = yield* openReplica(store(), { replicaId: "B" })
        yield* Effect.sleep(GRACE * 3)
        for (const m of [a.m, b.m]) {
          const r1 = yield* m.getNode("r1")
          assert.deepStrictEqual(r1?.presence.replicas, { A: 2 })
          assert.strictEqual(r1?.presence.sessions, 2)
          assert.strictEqual(yield* primaryNode(m), "r1")
        }
        yield* b.close
        yield* a.close
      }),
    ),
  )

  it.live("A's disable promotes the standby that B holds online, and B sees it within a poll", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* postgresStore
        const a = yield* openReplica(store(), { replicaId: "A" })
        const b = yield* openReplica(store(), { replicaId: "B" })
        yield* haPair(a.m)
        yield* a.m.connect("r1")
        yield* b.m.connect("r2")
        yield* eventually("B sees r1 primary", primaryNode(b.m), (p) => p === "r1")
        const disabled = yield* a.m.disableRoutes({ nodeId: "r1", prefixes: [SUBNET] })
        // A computed on a state that holds B's connect: r2 takes over in the same commit.
        assert.deepStrictEqual(
          disabled.primaries.map((p) => p.prefix),
          [SUBNET],
        )
        assert.strictEqual(yield* primaryNode(a.m), "r2")
        // NOTIFY reaches B well before its 1 s poll.
        yield* eventually("B sees r2 primary", primaryNode(b.m), (p) => p === "r2", 900)
        assert.deepStrictEqual(yield* b.m.listRoutes(), yield* a.m.listRoutes())
        const last = b.seen[b.seen.length - 1]!
        assert.strictEqual(last.origin, "A")
        assert.strictEqual(last.version, yield* a.m.version)
        assertExactlyOnceInOrder(a.seen)
        assertExactlyOnceInOrder(b.seen)
        yield* b.close
        yield* a.close
      }),
    ),
  )

  it.live(
    "a replica that dies without a word: its nodes go offline when its lease lapses, and a live replica fails over after the grace",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* postgresStore
          // A's connection stops renewing its lease once it "dies" (as kill -9 would).
          let dead = false
          const mortal: Store = Layer.effect(
            RouteRepository,
            Effect.map(RouteRepository, (repo) => ({
              ...repo,
              renewLease: (replica: string, until: number) =>
                dead ? Effect.void : repo.renewLease(replica, until),
            })),
          ).pipe(Layer.provide(store()))
          const a = yield* openReplica(mortal, { replicaId: "A" })
          const b = yield* openReplica(store(), { replicaId: "B" })
          yield* haPair(a.m)
          yield* a.m.connect("r1")
          yield* b.m.connect("r2")
          yield* eventually("B sees r1 primary", primaryNode(b.m), (p) => p === "r1")
          dead = true
          yield* a.close
          const lease = yield* Effect.scoped(
            Effect.flatMap(Layer.build(store()), (ctx) => Context.get(ctx, RouteRepository).leases),
          )
          const lapse = lease.find((l) => l.replica === "A")!.expiresAt
          const r1 = yield* eventually(
            "B ends A's sessions",
            b.m.getNode("r1"),
            (n) => n?.presence.sessions === 0,
            LEASE * 4,
          )
          assert.strictEqual(r1?.presence.disconnectedAt, lapse)
          // Due one grace after the lapse; the bound is loose because CI runs test files side by side.
          yield* eventually("B fails r1 over to r2", primaryNode(b.m), (p) => p === "r2", 5_000)
          const [r2Route] = yield* b.m.nodeRoutes("r2")
          assert.isAtLeast(r2Route!.updatedAt, lapse + GRACE)
          assertExactlyOnceInOrder(b.seen)
          yield* b.close
        }),
      ),
  )
})

describe("the CLI beside a running manager (SQLite)", () => {
  it.live("an operator's routes disable of the primary reaches the running manager", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(path.join(tmpdir(), "tailnet-routes-replicas-"))),
          (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true })),
        )
        const filename = path.join(dir, "routes.db")
        const m = yield* openReplica(Sqlite.layer({ filename, pollIntervalMs: POLL }), {
          replicaId: "server",
        })
        yield* haPair(m.m)
        yield* m.m.connect("r1")
        yield* m.m.connect("r2")
        const [r1] = yield* m.m.nodeRoutes("r1")
        const result = yield* Effect.promise(() =>
          cliProcess(["--db", `sqlite:${filename}`, "routes", "disable", String(r1!.id)]),
        )
        assert.strictEqual(result.code, 0, result.stderr)
        yield* eventually("the manager sees r2 primary", primaryNode(m.m), (p) => p === "r2", 1_000)
        const last = m.seen[m.seen.length - 1]!
        assert.strictEqual(last.origin, "cli")
        assert.deepStrictEqual(
          last.primaries.map((p) => p.prefix),
          [SUBNET],
        )
        assertExactlyOnceInOrder(m.seen)
        yield* m.close
      }),
    ),
  )
})
