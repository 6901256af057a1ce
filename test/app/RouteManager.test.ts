/** The manager's contract beyond timing: restart, serialisation, conflicts, failed writes, events, typed errors. */
import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Fiber, Layer, PubSub, Scope } from "effect"
import { TestClock } from "effect/testing"
import * as MemoryRouteRepository from "../../src/adapters/memory/MemoryRouteRepository.js"
import { type ManagerSettings, RouteManager } from "../../src/app/RouteManager.js"
import { PolicyError } from "../../src/domain/autoApprovers.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { unknownNode, unknownRoute } from "../../src/domain/errors.js"
import type { Options } from "../../src/domain/Options.js"
import { RouteRepository, StorageError, WriteConflict } from "../../src/ports/RouteRepository.js"
import { changeSetOf, haGroup, managerOver, memoryManager, primaryNode, SUBNET } from "./harness.js"

const GRACE = 15_000

/** Opens a manager over `repo` in its own scope, so a test can close it and open another (a restart). */
const open = (
  repo: RouteRepository["Service"],
  options: Partial<Options> = {},
  settings: ManagerSettings = {},
) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(managerOver(repo, options, settings), scope)
    return { m: Context.get(context, RouteManager), close: Scope.close(scope, Exit.void) }
  })

describe("restart", () => {
  it.effect("stored primaries hold one grace window, then routers that did not return lose them", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const first = yield* open(repo, { gracePeriodMs: GRACE })
      yield* haGroup(first.m)
      yield* first.close
      yield* TestClock.adjust(60_000)

      const { m } = yield* open(repo, { gracePeriodMs: GRACE })
      const nodes = (yield* m.snapshot).nodes.map((n) => [
        n.id,
        n.presence.sessions,
        n.presence.disconnectedAt,
      ])
      assert.deepStrictEqual(nodes, [
        ["r1", 0, 60_000],
        ["r2", 0, 60_000],
        ["r3", 0, 60_000],
      ])
      assert.strictEqual(yield* primaryNode(m), "r1")
      // r2 reconnects during the window; r1 (the primary) never does.
      yield* TestClock.adjust(2_000)
      yield* m.connect("r2")
      yield* TestClock.adjust(GRACE - 2_001)
      assert.strictEqual(yield* primaryNode(m), "r1")
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* primaryNode(m), "r2")
    }),
  )

  it.effect("a primary that reconnects inside the window keeps the prefix: no flapping on a deploy", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const first = yield* open(repo, { gracePeriodMs: GRACE })
      yield* haGroup(first.m)
      yield* first.close
      const { m } = yield* open(repo, { gracePeriodMs: GRACE })
      const before = yield* m.committed
      for (const id of ["r3", "r2", "r1"]) yield* m.connect(id)
      yield* TestClock.adjust(5 * GRACE)
      assert.strictEqual(yield* primaryNode(m), "r1")
      // Three connects, and no election event at all.
      assert.strictEqual(yield* m.committed, before + 3)
    }),
  )

  it.effect("the restart itself is persisted: the store says every node is disconnected at the start", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const first = yield* open(repo)
      yield* haGroup(first.m)
      yield* first.close
      yield* TestClock.adjust(1_234)
      yield* open(repo)
      const stored = yield* repo.loadAll
      assert.deepStrictEqual(
        stored.nodes.map((n) => n.presence),
        ["r1", "r2", "r3"].map(() => ({
          sessions: 0,
          replicas: {},
          connectedAt: null,
          lastSeen: 0,
          disconnectedAt: 1_234,
        })),
      )
    }),
  )

  it.effect("an initial policy is installed once; reopening with the same policy writes nothing", () =>
    Effect.gen(function* () {
      const policy = { autoApprovers: { routes: { "10.0.0.0/8": ["alice@"] } } }
      const repo = yield* MemoryRouteRepository.make()
      const first = yield* open(repo, {}, { policy })
      yield* first.m.upsertNode({ id: "a", user: "alice@" })
      const cs = yield* first.m.advertise("a", [SUBNET])
      assert.deepStrictEqual(
        cs.routes.map((c) => [c.after.enabled, c.after.approvedBy]),
        [[true, "policy"]],
      )
      yield* first.close
      const second = yield* open(
        repo,
        {},
        { policy: { autoApprovers: { routes: { "10.0.0.0/8": ["alice@"] } } } },
      )
      assert.strictEqual(yield* second.m.committed, 0)
      assert.deepStrictEqual(yield* second.m.policy, policy)
    }),
  )

  it.effect("an invalid initial policy fails the layer with a PolicyError", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const error = yield* Effect.flip(
        open(repo, {}, { policy: { autoApprovers: { routes: { "10.0.0.1/8": [] } } } }),
      )
      assert.instanceOf(error, PolicyError)
    }),
  )
})

describe("commands", () => {
  it.effect("domain errors arrive typed in the error channel and change nothing", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      assert.deepStrictEqual(yield* Effect.flip(m.connect("ghost")), unknownNode("ghost"))
      assert.deepStrictEqual(yield* Effect.flip(m.enableRoutes({ routeIds: [42] })), unknownRoute(42))
      assert.strictEqual(yield* m.committed, 0)
    }).pipe(Effect.provide(memoryManager())),
  )

  it.effect("a command that changes nothing is neither written nor published", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      const before = yield* m.committed
      const cs = yield* m.approveRoutes("r1", [SUBNET])
      assert.deepStrictEqual([cs.routes, cs.nodes, cs.primaries], [[], [], []])
      assert.strictEqual(yield* m.committed, before)
    }).pipe(Effect.provide(memoryManager())),
  )

  it.effect("every committed change set is published, in order, identical to what the command returned", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const m = yield* RouteManager
        const sub = yield* m.subscribe
        const returned: ChangeSet[] = []
        returned.push(yield* m.upsertNode({ id: "a", user: "alice@" }))
        returned.push(yield* m.advertise("a", [SUBNET, "nonsense"]))
        returned.push(yield* m.approveRoutes("a", [SUBNET]))
        returned.push(yield* m.connect("a"))
        const published = yield* PubSub.takeAll(sub)
        assert.deepStrictEqual(published.map(changeSetOf), returned)
        assert.deepStrictEqual(
          published.map((c) => [c.version, c.origin, c.reloadedFrom]),
          [1, 2, 3, 4].map((v) => [v, m.replicaId, null]),
        )
        assert.deepStrictEqual(
          returned[1]!.rejected.map((r) => r.input),
          ["nonsense"],
        )
        assert.deepStrictEqual(returned[3]!.primaries, [{ prefix: SUBNET, before: null, after: 1 }])
      }),
    ).pipe(Effect.provide(memoryManager())),
  )

  it.effect("a failed write leaves memory as it was and publishes nothing", () =>
    Effect.gen(function* () {
      const inner = yield* MemoryRouteRepository.make()
      let broken = false
      const repo = RouteRepository.of({
        ...inner,
        apply: (cs, info) =>
          broken
            ? Effect.fail(new StorageError({ message: "disk full", cause: null }))
            : inner.apply(cs, info),
      })
      const { m } = yield* open(repo)
      yield* haGroup(m)
      const before = yield* m.snapshot
      const count = yield* m.committed
      broken = true
      const error = yield* Effect.flip(m.disableRoutes({ nodeId: "r1", prefixes: [SUBNET] }))
      assert.deepStrictEqual(error, new StorageError({ message: "disk full", cause: null }))
      assert.deepStrictEqual(yield* m.snapshot, before)
      assert.strictEqual(yield* m.committed, count)
    }),
  )

  it.effect("mutations are serialised: concurrent commands never interleave (no retries allowed)", () =>
    Effect.gen(function* () {
      const inner = yield* MemoryRouteRepository.make()
      // A store that yields inside apply, so unserialised commands would compute from the same state.
      const repo = RouteRepository.of({
        ...inner,
        apply: (cs, info) => Effect.andThen(Effect.yieldNow, inner.apply(cs, info)),
      })
      const { m } = yield* open(repo, {}, { conflictRetries: 0 })
      const ids = Array.from({ length: 20 }, (_, i) => `n${i}`)
      yield* Effect.forEach(ids, (id) => m.upsertNode({ id, user: "alice@" }), { concurrency: "unbounded" })
      yield* Effect.forEach(ids, (id) => m.advertise(id, [SUBNET, `10.${ids.indexOf(id)}.0.0/16`]), {
        concurrency: "unbounded",
      })
      const routes = yield* m.listRoutes()
      assert.deepStrictEqual(
        routes.map((r) => r.id),
        Array.from({ length: 40 }, (_, i) => i + 1),
      )
      assert.deepStrictEqual((yield* repo.loadAll).routes, routes)
    }),
  )

  it.effect("queries never see half a change: a command in flight is invisible until it commits", () =>
    Effect.gen(function* () {
      const inner = yield* MemoryRouteRepository.make()
      const gate = yield* Deferred.make<void>()
      let gated = false
      const repo = RouteRepository.of({
        ...inner,
        apply: (cs, info) =>
          gated ? Effect.andThen(Deferred.await(gate), inner.apply(cs, info)) : inner.apply(cs, info),
      })
      const { m } = yield* open(repo)
      yield* m.upsertNode({ id: "a", user: "alice@" })
      gated = true
      const fiber = yield* Effect.forkChild(m.advertise("a", ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]))
      yield* Effect.yieldNow
      assert.deepStrictEqual(yield* m.listRoutes(), [])
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(
        (yield* m.listRoutes()).map((r) => r.prefix.text),
        ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"],
      )
    }),
  )

  it.effect("a write conflict (another replica wrote) reloads, recomputes and commits", () =>
    Effect.gen(function* () {
      const repo = yield* MemoryRouteRepository.make()
      const a = yield* open(repo)
      const b = yield* open(repo)
      yield* a.m.upsertNode({ id: "n", user: "alice@" })
      // b has not seen n: its upsert is a create that conflicts, then an update after reload.
      const cs = yield* b.m.upsertNode({ id: "n", user: "bob@" })
      assert.deepStrictEqual(
        cs.nodes.map((c) => [c.before?.user ?? null, c.after.user]),
        [["alice@", "bob@"]],
      )
      assert.deepStrictEqual(
        (yield* repo.loadAll).nodes.map((n) => n.user),
        ["bob@"],
      )
    }),
  )

  it.effect(
    "two stale replicas electing a primary for one prefix: the loser reloads and keeps the winner (sticky)",
    () =>
      Effect.gen(function* () {
        const repo = yield* MemoryRouteRepository.make()
        const a = yield* open(repo)
        // Two approved routers for one prefix that have never connected: no primary yet.
        for (const id of ["n1", "n2"]) {
          yield* a.m.upsertNode({ id, user: "alice@" })
          yield* a.m.advertise(id, ["10.0.0.0/24"])
          yield* a.m.approveRoutes(id, ["10.0.0.0/24"])
        }
        const b = yield* open(repo)
        yield* a.m.connect("n1")
        // b has not seen n1 connect, so it elects n2's route; the store refuses a second
        // primary, b reloads, and n1's route stays primary.
        const cs = yield* b.m.connect("n2")
        assert.deepStrictEqual(cs.primaries, [])
        assert.deepStrictEqual(
          (yield* repo.loadAll).routes.map((r) => [r.nodeId, r.isPrimary]),
          [
            ["n1", true],
            ["n2", false],
          ],
        )
      }),
  )

  it.effect("a conflict that keeps happening fails with WriteConflict after the retries", () =>
    Effect.gen(function* () {
      const inner = yield* MemoryRouteRepository.make()
      const conflict = new WriteConflict({ table: "nodes", id: "n", reason: "stale" })
      let attempts = 0
      const repo = RouteRepository.of({
        ...inner,
        apply: () => {
          attempts++
          return Effect.fail(conflict)
        },
      })
      const { m } = yield* open(repo, {}, { conflictRetries: 3 })
      assert.deepStrictEqual(yield* Effect.flip(m.upsertNode({ id: "n", user: "alice@" })), conflict)
      assert.strictEqual(attempts, 4)
      assert.deepStrictEqual((yield* m.snapshot).nodes, [])
    }),
  )
})

describe("queries", () => {
  it.effect("listRoutes filters, primary and served routes, overlaps", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* m.upsertNode({ id: "x", user: "bob@" })
      yield* m.advertise("x", ["0.0.0.0/0", "::/0", "10.0.0.0/8"])
      yield* m.approveRoutes("x", ["0.0.0.0/0"])
      yield* m.connect("x")
      const texts = (
        rs: ReadonlyArray<{ readonly prefix: { readonly text: string }; readonly nodeId: string }>,
      ) => rs.map((r) => `${r.nodeId} ${r.prefix.text}`)
      assert.deepStrictEqual(texts(yield* m.listRoutes({ exit: true })), ["x 0.0.0.0/0", "x ::/0"])
      assert.deepStrictEqual(texts(yield* m.listRoutes({ enabled: false })), ["x 10.0.0.0/8"])
      assert.deepStrictEqual(texts(yield* m.listRoutes({ nodeId: "r2", primary: false })), ["r2 10.0.0.0/24"])
      assert.deepStrictEqual(texts(yield* m.primaryRoutes("r1")), ["r1 10.0.0.0/24"])
      assert.deepStrictEqual(texts(yield* m.servedRoutes("x")), ["x 0.0.0.0/0", "x ::/0"])
      assert.deepStrictEqual(texts(yield* m.servedRoutes("r2")), [])
      const { overlaps } = yield* m.overlaps
      assert.deepStrictEqual(
        overlaps.map((p) => [p.a.nodeId, p.b.nodeId]),
        [
          ["r1", "x"],
          ["r2", "x"],
          ["r3", "x"],
        ],
      )
      const error = yield* Effect.flip(m.listRoutes({ prefix: "10.0.0.1/24" }))
      assert.strictEqual(error._tag, "InvalidPrefixInput")
      assert.strictEqual(error._tag === "InvalidPrefixInput" && error.input, "10.0.0.1/24")
    }).pipe(Effect.provide(memoryManager())),
  )

  it.effect("explain reports the primary, the standbys and the grace window at now", () =>
    Effect.gen(function* () {
      const m = yield* RouteManager
      yield* haGroup(m)
      yield* m.disconnect("r2")
      const e = yield* m.explain("10.0.0.0/24")
      assert.deepStrictEqual(
        [e.prefix, e.primary, e.storedPrimary, e.candidates.map((c) => [c.route.nodeId, c.status._tag])],
        [
          SUBNET,
          1,
          1,
          [
            ["r1", "Primary"],
            ["r2", "Standby"],
            ["r3", "Standby"],
          ],
        ],
      )
      assert.deepStrictEqual(e.candidates[1]!.eligibility, { eligible: true, graceUntil: GRACE })
      const bad = yield* Effect.flip(m.explain("10.0.0.7/24"))
      assert.strictEqual(bad._tag === "InvalidPrefixInput" && bad.input, "10.0.0.7/24")
    }).pipe(Effect.provide(memoryManager({ gracePeriodMs: GRACE }))),
  )
})
