/**
 * The manager's write path: one in-memory `RouteIndex` (this process's copy
 * of the store at some tailnet version), one permit for every mutation,
 * compute → persist → fold → publish. Memory is updated only after the store
 * committed, in one synchronous step, so a query never sees half a change
 * and a failed write leaves memory and store agreeing. What other processes
 * commit is folded in from the change log (`follow`), in version order, and
 * published like a local commit; a write computed on an old version is
 * refused by the store (`behind`), followed by a catch-up and a recompute
 * (`writeThrough`, the write path the CLI and the import share).
 */
import { type Clock, Deferred, Effect, PubSub, Result, type Semaphore } from "effect"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import type { Commit } from "../../domain/Commit.js"
import type { ReplicaId } from "../../domain/Node.js"
import type { Options } from "../../domain/Options.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import { nextDeadline, tick } from "../../domain/transitions/tick.js"
import type { LogEntry, RepositoryError, RouteRepository } from "../../ports/RouteRepository.js"
import { type WriteSide, writeThrough } from "../writeThrough.js"
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
  /** Attempts after a lost race (another writer moved the store): catch up and recompute. */
  readonly conflictRetries: number
  /** This process: the origin of its commits and the holder of the sessions it opens. */
  readonly replica: ReplicaId
}

/** Log entries read per round trip while catching up. */
const followBatch = 1_000

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
   * Computes, persists and publishes one change set through the one write
   * path (`writeThrough`); this engine's side decides on its index and
   * catches up from the change log. Must run under `serial`.
   */
  execute<A, E>(compute: Compute<A, E>, changes: (a: A) => ChangeSet): Effect.Effect<A, E | RepositoryError> {
    return Effect.map(
      writeThrough(this.config.repo, this.side, {
        compute,
        changes,
        origin: this.config.replica,
        now: () => this.now(),
        retries: this.config.conflictRetries,
      }),
      (written) => written.value,
    )
  }

  /** The engine as a writer: its index is the view; a lost race follows the log (or reloads). */
  private readonly side: WriteSide = {
    view: Effect.sync(() => this.index),
    catchUp: (why) =>
      why === "behind"
        ? Effect.as(this.follow, true)
        : why === "moved"
          ? Effect.as(this.recheck, true)
          : // A refusal on an old state may be stale (the node was just registered through
            // another process): decide again only when the store is ahead; if it cannot say,
            // the refusal stands.
            this.storeAhead.pipe(
              Effect.catch(() => Effect.succeed(false)),
              Effect.flatMap((ahead) => (ahead ? Effect.as(this.follow, true) : Effect.succeed(false))),
            ),
    committed: (entry) => this.fold(entry),
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
    this.index.applyCommitted(entry.changes, entry.version)
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
