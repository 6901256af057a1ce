/**
 * The dashboard's recent failovers, newest first: seeded at start from the
 * tail of the store's change log (so a restart keeps the history the log
 * still holds), then fed by every commit the manager publishes, local or
 * from another process.
 */
import { Context, Effect, Layer, Stream } from "effect"
import { RouteManager } from "../../app/RouteManager.js"
import { RouteRepository } from "../../ports/RouteRepository.js"
import { type Failover, failoversOf } from "./failovers.js"

/** How many moves are kept. */
const keep = 50
/** How far back in the log the start looks. */
const seedEntries = 1_000

/** @category services */
export class FailoverLog extends Context.Service<
  FailoverLog,
  { readonly recent: Effect.Effect<ReadonlyArray<Failover>> }
>()("tailnet-routes/service/FailoverLog") {
  /** Needs the manager and its store; the feeding fiber lives as long as the layer. */
  static readonly layer: Layer.Layer<FailoverLog, never, RouteManager | RouteRepository> = Layer.effect(
    FailoverLog,
    Effect.gen(function* () {
      const manager = yield* RouteManager
      const repo = yield* RouteRepository
      let recent: Failover[] = []
      let seen = 0
      const add = (moves: ReadonlyArray<Failover>, version: number) => {
        if (version <= seen || moves.length === 0) return
        seen = version
        recent = [...moves.slice().reverse(), ...recent].slice(0, keep)
      }
      // Subscribe before reading the log, so no commit falls between the two.
      const subscription = yield* manager.subscribe
      const head = yield* manager.version
      const seed = yield* Effect.orElseSucceed(
        repo.readLog(Math.max(0, head - seedEntries), seedEntries),
        () => null,
      )
      for (const e of seed?.entries ?? []) {
        if (e.changes !== null && e.version <= head) add(failoversOf({ ...e, changes: e.changes }), e.version)
      }
      seen = Math.max(seen, head)
      yield* Stream.fromSubscription(subscription).pipe(
        Stream.runForEach((c) => Effect.sync(() => add(failoversOf({ ...c, changes: c }), c.version))),
        Effect.forkScoped,
      )
      return FailoverLog.of({ recent: Effect.sync(() => recent) })
    }),
  )
}
