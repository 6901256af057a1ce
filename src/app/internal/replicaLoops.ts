/**
 * The two loops that let several managers share a store. `followLoop` folds
 * in what other processes commit as soon as the store says so (NOTIFY, or a
 * polled head). `leaseLoop` keeps this replica's presence lease running and
 * ends the sessions of replicas whose lease lapsed: a node they alone kept
 * online is disconnected as of the lapse, and every replica's timer fails it
 * over when the grace window ends (the version check lets one commit).
 */
import { type Clock, Duration, Effect, Result, Stream } from "effect"
import type { ReplicaId } from "../../domain/Node.js"
import type { HolderEnd } from "../../domain/presence.js"
import { endHolderSessions } from "../../domain/transitions/nodeCommands.js"
import type { Lease, RouteRepository } from "../../ports/RouteRepository.js"
import type { Engine } from "./Engine.js"

/**
 * When each holder's sessions ended, as seen by `self` at `now`: a running
 * lease's sessions stand (so do `self`'s own while it runs); a lapsed lease's
 * ended when it lapsed, and a holder with no lease (the anonymous `""`, or a
 * forgotten lease) ended at once; neither earlier than `startedAt`, since a
 * replica that was not running cannot have seen the lapse (after a full
 * outage the first replica up gives routers one grace window to reconnect).
 */
export const holderEnd =
  (leases: ReadonlyArray<Lease>, self: ReplicaId, startedAt: number, now: number): HolderEnd =>
  (replica) => {
    if (replica === self) return null
    const lease = leases.find((l) => l.replica === replica)
    if (lease !== undefined && lease.expiresAt > now) return null
    return Math.max(lease?.expiresAt ?? startedAt, startedAt)
  }

/** At start-up: as `holderEnd` from now, and this replica's own sessions (an earlier run under its id) end now too. */
export const startUpEnd = (leases: ReadonlyArray<Lease>, self: ReplicaId, now: number): HolderEnd => {
  const others = holderEnd(leases, self, now, now)
  return (replica) => (replica === self ? now : others(replica))
}

/** Folds remote commits whenever the store reports a version past the index's. @category constructors */
export const followLoop = (engine: Engine, repo: RouteRepository["Service"]): Effect.Effect<void> =>
  Stream.runForEach(repo.watch, (head) =>
    head <= engine.index.version
      ? Effect.void
      : engine.runFollow.pipe(
          Effect.catch((error) =>
            Effect.logWarning("tailnet-routes: catching up on the change log failed", error),
          ),
        ),
  )

/** What the lease loop needs. @category models */
export interface LeaseSettings {
  readonly leaseMs: number
  readonly startedAt: number
}

/** One round: renew, end the sessions of lapsed holders, forget lapsed leases nobody holds any more. */
const leaseRound = (
  engine: Engine,
  repo: RouteRepository["Service"],
  settings: LeaseSettings,
): Effect.Effect<void, unknown> =>
  Effect.gen(function* () {
    const now = engine.now()
    yield* repo.renewLease(engine.replica, now + settings.leaseMs)
    const leases = yield* repo.leases
    const ended = holderEnd(leases, engine.replica, settings.startedAt, now)
    if (Array.from(engine.index.holders()).some((r) => ended(r) !== null)) {
      yield* engine.command(
        (view, at) => Result.succeed(endHolderSessions(view, ended, at, engine.options)),
        (cs) => cs,
      )
    }
    const holding = new Set(engine.index.holders())
    for (const lease of leases) {
      if (lease.expiresAt <= now && !holding.has(lease.replica)) yield* repo.dropLease(lease.replica, now)
    }
  })

/** Renews the lease every third of its length, forever; a failed round is logged and retried next time. @category constructors */
export const leaseLoop = (
  engine: Engine,
  repo: RouteRepository["Service"],
  clock: Clock.Clock,
  settings: LeaseSettings,
): Effect.Effect<never> =>
  Effect.forever(
    Effect.andThen(
      clock.sleep(Duration.millis(Math.max(1, Math.floor(settings.leaseMs / 3)))),
      leaseRound(engine, repo, settings).pipe(
        Effect.catch((error) => Effect.logWarning("tailnet-routes: lease renewal failed", error)),
      ),
    ),
  )
