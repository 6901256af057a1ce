/**
 * A clock set by hand, for tests and simulations of the Promise facade.
 * Passed to `createRouteManager({ clock })`, it is the manager's only time
 * source: its sleeps (the failover timer) wake when `advance` or `set`
 * reaches their deadline, and every facade call first runs timers that are due.
 */
import { type Clock, Duration, Effect } from "effect"
import { InvalidInputError } from "./errors.js"

/** A hand-driven clock in epoch milliseconds. @category models */
export interface ManualClock {
  /** The current time, epoch ms. */
  now(): number
  /** Moves time forward by `ms` (≥ 0), waking every timer that is now due. */
  advance(ms: number): void
  /** Jumps to `ms` (not before now), waking every timer that is now due. */
  set(ms: number): void
}

interface Sleeper {
  readonly at: number
  readonly wake: () => void
}

interface ClockState {
  now: number
  sleepers: Set<Sleeper>
}

const states = new WeakMap<ManualClock, ClockState>()

const checkTime = (ms: number, what: string): void => {
  if (!Number.isFinite(ms))
    throw new InvalidInputError(`${what}: ${ms} is not a finite number of milliseconds`)
}

/** A manual clock starting at `startMs` (epoch ms, default 0). @category constructors */
export const createManualClock = (startMs = 0): ManualClock => {
  checkTime(startMs, "createManualClock")
  const state: ClockState = { now: startMs, sleepers: new Set() }
  const moveTo = (to: number): void => {
    state.now = to
    const due = Array.from(state.sleepers)
      .filter((s) => s.at <= to)
      .sort((a, b) => a.at - b.at)
    for (const s of due) {
      state.sleepers.delete(s)
      s.wake()
    }
  }
  const clock: ManualClock = {
    now: () => state.now,
    advance: (ms) => {
      checkTime(ms, "advance")
      if (ms < 0) throw new InvalidInputError(`advance: ${ms} ms is negative; time only moves forward`)
      moveTo(state.now + ms)
    },
    set: (ms) => {
      checkTime(ms, "set")
      if (ms < state.now) throw new InvalidInputError(`set: ${ms} is before the current time ${state.now}`)
      moveTo(ms)
    },
  }
  states.set(clock, state)
  return clock
}

/** True for clocks made by `createManualClock`. @category guards */
export const isManualClock = (u: unknown): u is ManualClock =>
  typeof u === "object" && u !== null && states.has(u as ManualClock)

/** The effect `Clock` reading a manual clock; its sleeps wake on `advance`/`set`. @category constructors */
export const toEffectClock = (clock: ManualClock): Clock.Clock => {
  const state = states.get(clock)
  if (state === undefined) throw new InvalidInputError("clock: not a clock made by createManualClock")
  const nanos = (): bigint => BigInt(Math.floor(state.now)) * 1_000_000n
  return {
    currentTimeMillisUnsafe: () => state.now,
    currentTimeMillis: Effect.sync(() => state.now),
    currentTimeNanosUnsafe: nanos,
    currentTimeNanos: Effect.sync(nanos),
    monotonicTimeNanosUnsafe: nanos,
    monotonicTimeNanos: Effect.sync(nanos),
    sleep: (duration) =>
      Effect.callback<void>((resume) => {
        const at = state.now + Duration.toMillis(duration)
        if (at <= state.now) {
          resume(Effect.void)
          return
        }
        const sleeper: Sleeper = { at, wake: () => resume(Effect.void) }
        state.sleepers.add(sleeper)
        return Effect.sync(() => {
          state.sleepers.delete(sleeper)
        })
      }),
  }
}
