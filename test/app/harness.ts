/** Shared set-up for the manager tests: a three-router HA group on the memory store. */
import { type Clock, Effect, Layer } from "effect"
import * as MemoryRouteRepository from "../../src/adapters/memory/MemoryRouteRepository.js"
import { type ManagerSettings, RouteManager, type RouteManagerService } from "../../src/app/RouteManager.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import type { Commit } from "../../src/domain/Commit.js"
import type { Options } from "../../src/domain/Options.js"
import type { Route } from "../../src/domain/Route.js"
import { RouteRepository } from "../../src/ports/RouteRepository.js"

export const SUBNET = "10.0.0.0/24"

/** The change set a commit carries, without the commit's own fields (version, origin, time). */
export const changeSetOf = ({ version, origin, committedAt, reloadedFrom, ...changes }: Commit): ChangeSet =>
  changes

/** The manager over a fresh memory store. */
export const memoryManager = (options: Partial<Options> = {}, settings: ManagerSettings = {}) =>
  RouteManager.layer(options, settings).pipe(Layer.provide(MemoryRouteRepository.layer))

/** The manager over a given repository service (to share one store between managers). */
export const managerOver = (
  repo: RouteRepository["Service"],
  options: Partial<Options> = {},
  settings: ManagerSettings = {},
) => RouteManager.layer(options, settings).pipe(Layer.provide(Layer.succeed(RouteRepository, repo)))

/** r1, r2, r3 (alice@) each advertise SUBNET, approved and connected in that order: r1 is primary. */
export const haGroup = (m: RouteManagerService) =>
  Effect.gen(function* () {
    for (const id of ["r1", "r2", "r3"]) {
      yield* m.upsertNode({ id, user: "alice@" })
      yield* m.advertise(id, [SUBNET])
      yield* m.approveRoutes(id, [SUBNET])
      yield* m.connect(id)
    }
  })

/** Which node is primary for a prefix, or null. */
export const primaryNode = (m: RouteManagerService, prefix = SUBNET) =>
  Effect.map(m.listRoutes({ prefix, primary: true }), (rs) =>
    rs.length === 0 ? null : rs.map((r) => r.nodeId).join(","),
  )

/** Route ids by node, for readable assertions. */
export const idsByNode = (routes: ReadonlyArray<Route>): Record<string, number> =>
  Object.fromEntries(routes.map((r) => [r.nodeId, r.id]))

/** A clock set by hand whose sleeps never wake (so only explicit ticks and catch-up see time pass). */
export const stalledClock = (start: number): Clock.Clock & { now: number } => {
  const clock: Clock.Clock & { now: number } = {
    now: start,
    currentTimeMillisUnsafe: () => clock.now,
    currentTimeMillis: Effect.sync(() => clock.now),
    currentTimeNanosUnsafe: () => BigInt(clock.now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(clock.now) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(clock.now) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => BigInt(clock.now) * 1_000_000n),
    sleep: () => Effect.never,
  }
  return clock
}
