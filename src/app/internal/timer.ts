/**
 * The timer fiber: sleeps on the manager's clock exactly until the next
 * deadline (a grace window ending, a key expiring, a preemption delay), then
 * runs `tick` as a command. A command that moves the deadline completes the
 * engine's `wake` deferred, and the fiber re-arms. No polling: with
 * `TestClock`, failover lands on the deadline's millisecond.
 */
import { type Clock, Deferred, Duration, Effect } from "effect"
import type { Engine } from "./Engine.js"

/** After a failed tick (the store is down), wait this long before trying again. */
const retryAfterMs = 1_000

/** The timer loop; it runs forever, so fork it in the manager's scope. @category constructors */
export const timerLoop = (engine: Engine, clock: Clock.Clock): Effect.Effect<never> => {
  const step: Effect.Effect<void> = Effect.suspend(() => {
    // Read the deadline and its wake-up together: `rearm` replaces both in one synchronous step.
    const deadline = engine.armed
    const wake = engine.wake
    if (deadline === null) return Deferred.await(wake)
    const wait = deadline - engine.now()
    const fire = Effect.asVoid(engine.runTick).pipe(
      Effect.catch((error) =>
        Effect.andThen(
          Effect.logError("tailnet-routes: timer tick failed; retrying", error),
          Effect.raceFirst(clock.sleep(Duration.millis(retryAfterMs)), Deferred.await(wake)),
        ),
      ),
    )
    if (wait <= 0) return fire
    return Effect.raceFirst(
      Effect.as(clock.sleep(Duration.millis(wait)), true),
      Effect.as(Deferred.await(wake), false),
    ).pipe(Effect.flatMap((slept) => (slept ? fire : Effect.void)))
  })
  return Effect.forever(step)
}
