/**
 * Random command sequences through the RouteManager, checked after every step
 * against the reference model: same outcome, same state, every invariant, a
 * no-op reconcile. A `wait` is cut at each deadline the manager announces, at
 * deadline-1 and at the deadline, and the model ticks at those same instants,
 * so a timer that fires late, or not at all, fails. Memory and SQLite run on
 * TestClock (the timer fiber does the ticking); Postgres, whose commits are
 * real I/O that TestClock cannot wait for, runs on a manual clock with an
 * explicit tick after each advance.
 */
import { Clock, Effect, Layer, ManagedRuntime, Result } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { describe, it } from "vitest"
import { layer as sqliteLayer } from "../../src/adapters/sqlite/SqliteRouteRepository.js"
import { MemoryRepository, PostgresRepository } from "../../src/adapters/storeLayers.js"
import { RouteManager, type RouteManagerService } from "../../src/app/RouteManager.js"
import type { PolicyError } from "../../src/domain/autoApprovers.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { InvalidInput } from "../../src/domain/errors.js"
import { makeOptions, type Options } from "../../src/domain/Options.js"
import { RouteIndex, type RouteState } from "../../src/domain/RouteIndex.js"
import { reconcile } from "../../src/domain/reconcile.js"
import { createManualClock, toEffectClock } from "../../src/facade/manualClock.js"
import type { RepositoryError, RouteRepository } from "../../src/ports/RouteRepository.js"
import { type Cmd, cmdArbitrary, PERMISSIVE, POLICIES, Step, type System } from "../support/commands.js"
import { checkInvariants } from "../support/invariants.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { type Outcome, ReferenceModel } from "../support/referenceModel.js"

const START = 1_000

type Exec = { readonly outcome: Outcome; readonly rejected: string[] }

/** The manager's side of one command. */
const execManager = (
  m: RouteManagerService,
  time: TimeDriver,
  now: number,
  cmd: Cmd,
): Effect.Effect<Exec, RepositoryError> => {
  const take = (
    effect: Effect.Effect<ChangeSet, { readonly _tag: string }>,
  ): Effect.Effect<Exec, RepositoryError> =>
    Effect.flatMap(Effect.result(effect), (r): Effect.Effect<Exec, RepositoryError> => {
      if (Result.isSuccess(r))
        return Effect.succeed({ outcome: { ok: true }, rejected: r.success.rejected.map((x) => x.input) })
      const e = r.failure
      // A storage failure is a bug here, not an outcome to compare.
      if (["StorageError", "ConstraintViolation", "WriteConflict", "SchemaTooNew"].includes(e._tag)) {
        return Effect.fail(e as RepositoryError)
      }
      return Effect.succeed({ outcome: { ok: false, tag: e._tag }, rejected: [] })
    })
  switch (cmd.kind) {
    case "register":
      return take(m.upsertNode({ id: cmd.id, user: cmd.user, tags: cmd.tags, ephemeral: cmd.ephemeral }))
    case "advertise":
      return take(m.advertise(cmd.nodeId, cmd.routes))
    case "enable":
      return take(m.enableRoutes(cmd.target))
    case "disable":
      return take(m.disableRoutes(cmd.target))
    case "deleteRoutes":
      return take(m.deleteRoutes(cmd.target))
    case "priority":
      return take(m.setPriority(cmd.target, cmd.priority))
    case "health":
      return take(m.markHealth(cmd.target, cmd.healthy))
    case "connect":
      return take(m.connect(cmd.nodeId))
    case "disconnect":
      return take(m.disconnect(cmd.nodeId))
    case "deleteNode":
      return take(m.deleteNode(cmd.nodeId))
    case "logout":
      return take(m.logoutEphemeral(cmd.nodeId))
    case "expire":
      return take(m.expireNode(cmd.nodeId, cmd.inMs === null ? undefined : now + cmd.inMs))
    case "tags":
      return take(m.setTags(cmd.nodeId, cmd.tags))
    case "policy":
      return take(m.setPolicy(POLICIES[cmd.policy]!))
    case "wait":
      return Effect.as(time.advance(m, cmd.ms), { outcome: { ok: true }, rejected: [] })
  }
}

/** A `System` whose answers were computed by the manager before `Step.run` asks for them. */
const answered = (options: Options, now: number, exec: Exec, state: RouteState): System => ({
  now,
  exec: () => exec,
  snapshot: () => state,
  invariants: () => checkInvariants(RouteIndex.from(state), now, options),
  reconcileChanges: () => {
    const { changeSet } = reconcile(RouteIndex.from(state), now, options)
    return changeSet.routes.length + changeSet.nodes.length
  },
})

/** How time passes in a run. */
interface TimeDriver {
  /** The manager layer with its clock. */
  readonly provide: (
    manager: Layer.Layer<RouteManager, RepositoryError | PolicyError | InvalidInput>,
  ) => Layer.Layer<RouteManager, RepositoryError | PolicyError | InvalidInput>
  readonly now: Effect.Effect<number>
  readonly advance: (m: RouteManagerService, ms: number) => Effect.Effect<void, RepositoryError>
}

/** TestClock: the timer fiber does the work, woken at each deadline on the way. */
const testClock = (): TimeDriver => ({
  provide: (manager) => manager.pipe(Layer.provideMerge(TestClock.layer())),
  now: Clock.currentTimeMillis,
  advance: (_, ms) => TestClock.adjust(ms),
})

/**
 * A manual clock, then an explicit `tick`: for a store with real I/O, whose
 * commits TestClock cannot wait for. The timer still wakes; `tick` makes the
 * step wait for the due work (whichever of the two runs it first, the other finds nothing due).
 */
const manualClock = (): TimeDriver => {
  const clock = createManualClock(0)
  return {
    provide: (manager) => manager.pipe(Layer.provide(Layer.succeed(Clock.Clock, toEffectClock(clock)))),
    now: Effect.sync(() => clock.now()),
    advance: (m, ms) =>
      Effect.andThen(
        Effect.sync(() => clock.advance(ms)),
        Effect.asVoid(m.tick),
      ),
  }
}

const runSequence = async (
  options: Options,
  repository: () => Layer.Layer<RouteRepository, RepositoryError>,
  cmds: ReadonlyArray<Cmd>,
  time: TimeDriver = testClock(),
): Promise<void> => {
  const runtime = ManagedRuntime.make(
    time.provide(RouteManager.layer(options, { replicaId: "model" }).pipe(Layer.provide(repository()))),
  )
  try {
    const run = <A, E>(effect: Effect.Effect<A, E, RouteManager>): Promise<A> => runtime.runPromise(effect)
    const m = await run(
      Effect.gen(function* () {
        return yield* RouteManager
      }),
    )
    await run(Effect.flatMap(time.now, (t) => time.advance(m, START - t)))
    const model = new ReferenceModel(options, "model")
    const world = { model, clock: { now: START } }

    const step = async (cmd: Cmd): Promise<void> => {
      const before = await run(time.now)
      const exec = await run(execManager(m, time, before, cmd))
      const [now, state] = await run(Effect.all([time.now, m.snapshot]))
      new Step(cmd, options).run(world, answered(options, now, exec, state))
    }
    const wait = async (ms: number): Promise<void> => {
      const target = world.clock.now + ms
      for (;;) {
        const deadline = await run(m.nextDeadline)
        if (deadline === null || deadline > target) break
        if (deadline - 1 > world.clock.now) await step({ kind: "wait", ms: deadline - 1 - world.clock.now })
        await step({ kind: "wait", ms: deadline - world.clock.now })
        const next = await run(m.nextDeadline)
        if (next !== null && next <= deadline)
          throw new Error(`the timer did not fire at its deadline ${deadline}`)
      }
      if (target > world.clock.now) await step({ kind: "wait", ms: target - world.clock.now })
    }

    // The domain model test's opening: four nodes (n4 ephemeral), a permissive policy, three routers online.
    for (const [id, user, tags] of [
      ["n1", "alice@", []],
      ["n2", "bob@", []],
      ["n3", "carol@", ["tag:router"]],
      ["n4", "alice@", ["tag:exit"]],
    ] as const) {
      await step({ kind: "register", id, user, tags: [...tags], ephemeral: id === "n4" })
    }
    for (const c of [
      { kind: "policy", policy: PERMISSIVE },
      { kind: "connect", nodeId: "n1" },
      { kind: "connect", nodeId: "n2" },
      { kind: "connect", nodeId: "n3" },
    ] satisfies Cmd[]) {
      await step(c)
    }
    for (const cmd of cmds) {
      if (cmd.kind === "wait") await wait(cmd.ms)
      else await step(cmd)
    }
  } finally {
    await runtime.dispose()
  }
}

const configs: ReadonlyArray<[string, Options]> = [
  ["defaults", makeOptions()],
  ["retain + clear", makeOptions({ onWithdraw: "retain", whenNoneEligible: "clear" })],
  ["no grace", makeOptions({ gracePeriodMs: 0 })],
  ["preemption after 10 s", makeOptions({ preemption: true, preemptDelayMs: 10_000 })],
  ["preemption at once", makeOptions({ preemption: true, preemptDelayMs: 0, gracePeriodMs: 5_000 })],
]

const router = fc.constantFrom("n1", "n2", "n3")
// Biased towards presence changes and long waits, so most runs cross grace ends and expiries.
const timed: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: cmdArbitrary },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("connect" as const, "disconnect" as const),
      nodeId: router,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.constantFrom(4_999, 15_000, 30_000) }),
  },
)
const sequences = fc.array(timed, { minLength: 5, maxLength: 40, size: "max" })

describe("the RouteManager agrees with the reference model, timer included (memory store)", () => {
  for (const [name, options] of configs) {
    it(`after every command and at every deadline (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(sequences, (cmds) => runSequence(options, () => MemoryRepository.layer, cmds)),
        { numRuns: 100 },
      )
    })
  }
})

describe("the RouteManager agrees with the reference model, timer included (SQLite store)", () => {
  for (const [name, options] of [configs[0]!, configs[3]!]) {
    it(`after every command and at every deadline (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(sequences, (cmds) =>
          runSequence(options, () => sqliteLayer({ filename: ":memory:" }), cmds),
        ),
        { numRuns: 20 },
      )
    })
  }
})

describe("the RouteManager agrees with the reference model (Postgres store, manual clock and explicit ticks)", () => {
  for (const [name, options] of [configs[0]!, configs[3]!]) {
    it(`after every command and at every deadline (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(sequences, async (cmds) => {
          const url = await freshDatabaseUrl()
          await runSequence(
            options,
            () => PostgresRepository.layer({ url, maxConnections: 2 }),
            cmds,
            manualClock(),
          )
        }),
        { numRuns: 10 },
      )
    })
  }
})
