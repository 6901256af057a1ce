/**
 * The manager's write path: one in-memory `RouteIndex` (authoritative for
 * this process), one permit for every mutation, compute → persist → fold →
 * publish. Memory is updated only after the store committed, in one
 * synchronous step, so a query never sees half a change and a failed write
 * leaves memory and store agreeing.
 */
import { type Clock, Deferred, Effect, PubSub, Result, type Semaphore } from "effect"
import { type ChangeSet, isEmpty } from "../../domain/ChangeSet.js"
import type { Options } from "../../domain/Options.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { nextDeadline, tick } from "../../domain/transitions/tick.js"
import {
  isConstraintViolation,
  isWriteConflict,
  type RepositoryError,
  type RouteRepository,
} from "../../ports/RouteRepository.js"

/** A pure computation over the current state at `now`: a result and the change set to commit. @category models */
export type Compute<A, E> = (view: RouteIndex, now: number) => Result.Result<A, E>

/** What an engine is built from. @category models */
export interface EngineConfig {
  readonly repo: RouteRepository["Service"]
  readonly clock: Clock.Clock
  readonly options: Options
  readonly semaphore: Semaphore.Semaphore
  readonly pubsub: PubSub.PubSub<ChangeSet>
  /** Attempts after a `WriteConflict` (another writer moved the store): reload and recompute. */
  readonly conflictRetries: number
}

/**
 * Failures that can mean another writer got there first: a compare-and-set
 * miss, or a uniqueness constraint the other writer's rows now hold (two
 * stale replicas each electing a primary for one prefix, or each creating the
 * same node's row). A reload shows which; a real violation recurs and fails.
 */
const lostRace = (error: RepositoryError): boolean =>
  isWriteConflict(error) ||
  (isConstraintViolation(error) &&
    (error.constraint === "one-primary-per-prefix" || error.constraint === "live-node-prefix"))

/** The mutable heart of one manager; every method that writes runs under `serial`. @category models */
export class Engine {
  index: RouteIndex
  /** When the timer must next run `tick`; null when nothing is pending. */
  armed: number | null = null
  /** Completed (and replaced) whenever `armed` changes, to wake the timer fiber. */
  wake: Deferred.Deferred<void> = Deferred.makeUnsafe<void>()
  /** Change sets committed and published since the manager opened. */
  committed = 0
  private readonly config: EngineConfig

  constructor(config: EngineConfig, index: RouteIndex) {
    this.config = config
    this.index = index
  }

  get options(): Options {
    return this.config.options
  }

  now(): number {
    return this.config.clock.currentTimeMillisUnsafe()
  }

  /** Runs a mutation with the one permit. */
  serial<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> {
    return this.config.semaphore.withPermits(1)(effect)
  }

  /**
   * Computes, persists and publishes one change set, reloading and
   * recomputing after a write conflict. Must run under `serial`.
   */
  execute<A, E>(compute: Compute<A, E>, changes: (a: A) => ChangeSet): Effect.Effect<A, E | RepositoryError> {
    return Effect.suspend(() => this.attempt(compute, changes, 0))
  }

  private attempt<A, E>(
    compute: Compute<A, E>,
    changes: (a: A) => ChangeSet,
    tries: number,
  ): Effect.Effect<A, E | RepositoryError> {
    const now = this.now()
    const computed = compute(this.index, now)
    if (Result.isFailure(computed)) return Effect.fail(computed.failure)
    const value = computed.success
    const cs = changes(value)
    // Nothing to write: no round trip to the store, no event.
    if (isEmpty(cs)) return Effect.succeed(value)
    return this.config.repo.apply(cs).pipe(
      Effect.matchEffect({
        onSuccess: () => Effect.sync(() => this.commit(cs, value)),
        onFailure: (error) =>
          lostRace(error) && tries < this.config.conflictRetries
            ? Effect.andThen(
                this.reload,
                Effect.suspend(() => this.attempt(compute, changes, tries + 1)),
              )
            : Effect.fail(error),
      }),
    )
  }

  /** Replaces the index with the store's state (another writer committed since we last looked). */
  readonly reload: Effect.Effect<void, RepositoryError> = Effect.suspend(() =>
    Effect.map(this.config.repo.loadAll, (snapshot) => {
      this.index = RouteIndex.from(snapshot)
    }),
  )

  private commit<A>(cs: ChangeSet, value: A): A {
    this.index.apply(cs)
    this.committed++
    PubSub.publishUnsafe(this.config.pubsub, cs)
    return value
  }

  /** Runs every timer due by now (grace ends, expiries, preemption delays). Must run under `serial`. */
  readonly tick: Effect.Effect<ChangeSet, RepositoryError> = Effect.suspend(() => {
    const now = this.now()
    return Effect.tap(
      this.execute<ChangeSet, never>(
        (view) => Result.succeed(tick(view, now, this.options)),
        (cs) => cs,
      ),
      () => Effect.sync(() => this.index.settle(now, this.options)),
    )
  })

  /** `tick` as a command of its own: under the permit, re-arming the timer after it (whether it failed or not). */
  readonly runTick: Effect.Effect<ChangeSet, RepositoryError> = Effect.suspend(() =>
    this.serial(
      Effect.ensuring(
        this.tick,
        Effect.sync(() => this.rearm()),
      ),
    ),
  )

  /** Before a command: a timer that is already due fires first, so events keep their order. */
  readonly catchUp: Effect.Effect<void, RepositoryError> = Effect.suspend(() =>
    this.armed !== null && this.armed <= this.now() ? Effect.asVoid(this.tick) : Effect.void,
  )

  /** After a command: recomputes the next deadline and wakes the timer when it moved. */
  rearm(): void {
    const next = nextDeadline(this.index, this.now(), this.options)
    if (next === this.armed) return
    this.armed = next
    const previous = this.wake
    this.wake = Deferred.makeUnsafe<void>()
    Deferred.doneUnsafe(previous, Effect.void)
  }

  /** One command: catch up on due timers, compute and commit, re-arm the timer; all under the permit. */
  command<A, E>(compute: Compute<A, E>, changes: (a: A) => ChangeSet): Effect.Effect<A, E | RepositoryError> {
    return this.serial(
      Effect.ensuring(
        Effect.andThen(this.catchUp, this.execute(compute, changes)),
        Effect.sync(() => this.rearm()),
      ),
    )
  }
}
