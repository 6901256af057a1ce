/**
 * The manager's write path: one in-memory `RouteIndex` (this process's copy
 * of the store at some tailnet version), one permit for every mutation,
 * compute → persist → fold → publish. Memory is updated only after the store
 * committed, in one synchronous step, so a query never sees half a change
 * and a failed write leaves memory and store agreeing. What other processes
 * commit is folded in from the change log (`follow`), in version order, and
 * published like a local commit; a write computed on an old version is
 * refused by the store (`behind`), followed by a catch-up and a recompute.
 */
import { type Clock, Deferred, Effect, PubSub, Result, type Semaphore } from "effect"
import { type ChangeSet, isEmpty } from "../../domain/ChangeSet.js"
import type { Commit } from "../../domain/Commit.js"
import type { ReplicaId } from "../../domain/Node.js"
import type { Options } from "../../domain/Options.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { nextDeadline, tick } from "../../domain/transitions/tick.js"
import {
  isConstraintViolation,
  isWriteConflict,
  type LogEntry,
  type RepositoryError,
  type RouteRepository,
} from "../../ports/RouteRepository.js"
import { reloadDiff } from "./reloadDiff.js"

/** A pure computation over the current state at `now`: a result and the change set to commit. @category models */
export type Compute<A, E> = (view: RouteIndex, now: number) => Result.Result<A, E>

/** What an engine is built from. @category models */
export interface EngineConfig {
  readonly repo: RouteRepository["Service"]
  readonly clock: Clock.Clock
  readonly options: Options
  readonly semaphore: Semaphore.Semaphore
  readonly pubsub: PubSub.PubSub<Commit>
  /** Attempts after a `WriteConflict` (another writer moved the store): catch up and recompute. */
  readonly conflictRetries: number
  /** This process: the origin of its commits and the holder of the sessions it opens. */
  readonly replica: ReplicaId
}

/** Log entries read per round trip while catching up. */
const followBatch = 1_000

/**
 * Failures that can mean another writer got there first. `behind` is the
 * usual one: catching up on the log shows what the others did. A
 * compare-and-set miss or a uniqueness constraint (two replicas each electing
 * a primary for one prefix) means the same when the store has moved
 * (`recheck`: catch up if it is ahead); with the version unmoved the index
 * and the store disagree (a writer that does not keep the version, such as an
 * older release): a full reload settles it, and a real violation recurs and fails.
 */
const lostRace = (error: RepositoryError): "follow" | "recheck" | null =>
  isWriteConflict(error)
    ? error.reason === "behind"
      ? "follow"
      : "recheck"
    : isConstraintViolation(error) &&
        (error.constraint === "one-primary-per-prefix" || error.constraint === "live-node-prefix")
      ? "recheck"
      : null

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

  get replica(): ReplicaId {
    return this.config.replica
  }

  now(): number {
    return this.config.clock.currentTimeMillisUnsafe()
  }

  /** Runs a mutation with the one permit. */
  private serial<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> {
    return this.config.semaphore.withPermits(1)(effect)
  }

  /**
   * Computes, persists and publishes one change set; after a write conflict
   * (or a refusal while the store is ahead) catches up and computes again.
   * Must run under `serial`.
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
    if (Result.isFailure(computed)) {
      // A refusal on an old state may be stale (the node was just registered through
      // another process): when the store is ahead, catch up and decide again.
      const refused = Effect.fail(computed.failure)
      return tries >= this.config.conflictRetries
        ? refused
        : this.storeAhead.pipe(
            // The store cannot say: the refusal stands as computed.
            Effect.catch(() => Effect.succeed(false)),
            Effect.flatMap((ahead) =>
              ahead
                ? Effect.andThen(
                    this.follow,
                    Effect.suspend(() => this.attempt(compute, changes, tries + 1)),
                  )
                : refused,
            ),
          )
    }
    const value = computed.success
    const cs = changes(value)
    // Nothing to write: no round trip to the store, no event.
    if (isEmpty(cs)) return Effect.succeed(value)
    const info = { base: this.index.version, origin: this.config.replica, at: now }
    return this.config.repo.apply(cs, info).pipe(
      Effect.matchEffect({
        onSuccess: (version) =>
          Effect.sync(() => {
            this.fold({ version, origin: info.origin, committedAt: now, changes: cs })
            return value
          }),
        onFailure: (error) => {
          const race = lostRace(error)
          return race !== null && tries < this.config.conflictRetries
            ? Effect.andThen(
                race === "follow" ? this.follow : this.recheck,
                Effect.suspend(() => this.attempt(compute, changes, tries + 1)),
              )
            : Effect.fail(error)
        },
      }),
    )
  }

  /**
   * Folds what other processes committed since the index's version, entry by
   * entry in version order, publishing each; reloads instead when the log no
   * longer holds what is needed. Must run under `serial`.
   */
  readonly follow: Effect.Effect<void, RepositoryError> = Effect.suspend(() =>
    Effect.flatMap(this.config.repo.readLog(this.index.version, followBatch), (page) => {
      if (page.gap) return this.reload
      for (const entry of page.entries) {
        if (entry.changes === null) return this.reload
        this.fold({ ...entry, changes: entry.changes })
      }
      return page.entries.length === followBatch ? this.follow : Effect.void
    }),
  )

  /** After a conflict that may or may not come from another writer: follow when the store moved, else reload. */
  private readonly recheck: Effect.Effect<void, RepositoryError> = Effect.suspend(() =>
    Effect.flatMap(this.storeAhead, (ahead) => (ahead ? this.follow : this.reload)),
  )

  /** Whether another process committed past the index's version. */
  private readonly storeAhead: Effect.Effect<boolean, RepositoryError> = Effect.suspend(() =>
    Effect.map(this.config.repo.head, (head) => head > this.index.version),
  )

  /**
   * Replaces the index with the store's state and publishes the difference
   * as one commit (`reloadedFrom` set). Must run under `serial`.
   */
  readonly reload: Effect.Effect<void, RepositoryError> = Effect.suspend(() =>
    Effect.map(this.config.repo.loadAll, (snapshot) => {
      const before = this.index
      const after = RouteIndex.from(snapshot)
      this.index = after
      if (after.version === before.version) return
      const changes = reloadDiff(before, after, this.now())
      this.publish({
        ...changes,
        version: after.version,
        origin: "reload",
        committedAt: this.now(),
        reloadedFrom: before.version,
      })
    }),
  )

  private fold(entry: LogEntry & { readonly changes: ChangeSet }): void {
    this.index.apply(entry.changes)
    this.index.version = entry.version
    this.publish({
      ...entry.changes,
      version: entry.version,
      origin: entry.origin,
      committedAt: entry.committedAt,
      reloadedFrom: null,
    })
  }

  private publish(commit: Commit): void {
    this.committed++
    PubSub.publishUnsafe(this.config.pubsub, commit)
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

  /** Runs `effect` under the permit and re-arms the timer after it, whether it failed or not. */
  private guarded<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> {
    return this.serial(
      Effect.ensuring(
        effect,
        Effect.sync(() => this.rearm()),
      ),
    )
  }

  /** `tick` as a command of its own. */
  readonly runTick: Effect.Effect<ChangeSet, RepositoryError> = Effect.suspend(() => this.guarded(this.tick))

  /** `follow` as a command of its own: what the store reports other processes committed. */
  readonly runFollow: Effect.Effect<void, RepositoryError> = Effect.suspend(() => this.guarded(this.follow))

  /** Before a command: a timer that is already due fires first, so events keep their order. */
  readonly catchUp: Effect.Effect<void, RepositoryError> = Effect.suspend(() =>
    this.armed !== null && this.armed <= this.now() ? Effect.asVoid(this.tick) : Effect.void,
  )

  /** After a command: recomputes the next deadline and wakes the timer when it moved. */
  private rearm(): void {
    const next = nextDeadline(this.index, this.now(), this.options)
    if (next === this.armed) return
    this.armed = next
    const previous = this.wake
    this.wake = Deferred.makeUnsafe<void>()
    Deferred.doneUnsafe(previous, Effect.void)
  }

  /** One command: catch up on due timers, compute and commit, re-arm the timer; all under the permit. */
  command<A, E>(compute: Compute<A, E>, changes: (a: A) => ChangeSet): Effect.Effect<A, E | RepositoryError> {
    return this.guarded(Effect.andThen(this.catchUp, this.execute(compute, changes)))
  }
}
