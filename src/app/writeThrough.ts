/**
 * The one write path: compute a change set on a view of the store at some
 * tailnet version, apply it at that version, and after a lost race catch up
 * and compute again, at most `retries` times. The manager (its index, caught
 * up from the change log), the CLI and the Headscale import (a fresh snapshot
 * per attempt) all write through here, with one retry policy.
 */
import { Effect, Result } from "effect"
import { type ChangeSet, isEmpty } from "../domain/ChangeSet.js"
import { RouteIndex } from "../domain/RouteIndex.js"
import {
  isConstraintViolation,
  isWriteConflict,
  type LogEntry,
  type Origin,
  type RepositoryError,
  type RouteRepository,
} from "../ports/RouteRepository.js"

/** Attempts after the first when the store keeps moving, unless a caller says otherwise. */
export const defaultWriteRetries = 20

/**
 * Why an attempt must be decided again.
 * - `behind`: the store refused the base version; the log says what others did.
 * - `moved`: a compare-and-set miss or a broken uniqueness (two replicas each
 *   electing a primary for one prefix): another writer, if the store is ahead;
 *   else the view and the store disagree (a writer that does not keep the
 *   version, such as an older release), which one reload settles, or the
 *   change set itself is wrong, which no reload does.
 * - `refused`: the computation refused on this view (e.g. an unknown node);
 *   it may be stale when the store is ahead.
 */
export type Redo = "behind" | "moved" | "refused"

/** The lost races among store failures; any other failure ends the write. */
const lostRace = (error: RepositoryError): "behind" | "moved" | null =>
  isWriteConflict(error)
    ? error.reason === "behind"
      ? "behind"
      : "moved"
    : isConstraintViolation(error) &&
        (error.constraint === "one-primary-per-prefix" || error.constraint === "live-node-prefix")
      ? "moved"
      : null

/** Where a writer keeps the state it decides on. @category models */
export interface WriteSide {
  /** The view the next attempt computes on; its `version` is the write's base. */
  readonly view: Effect.Effect<RouteIndex, RepositoryError>
  /** Brings the view up to the store; false when nothing can change, so the outcome stands. */
  readonly catchUp: (why: Redo) => Effect.Effect<boolean, RepositoryError>
  /** The store committed `entry`: a side that keeps its view folds it in. */
  readonly committed: (entry: LogEntry & { readonly changes: ChangeSet }) => void
}

/** One write: how to decide, and who writes. @category models */
export interface WriteSpec<A, E> {
  readonly compute: (view: RouteIndex, now: number) => Result.Result<A, E>
  readonly changes: (value: A) => ChangeSet
  readonly origin: Origin
  readonly now: () => number
  readonly retries: number
}

/** What a write did: the decided value, the view it was decided on, and the version it made (null: nothing written). @category models */
export interface Written<A> {
  readonly value: A
  readonly view: RouteIndex
  readonly changes: ChangeSet
  readonly version: number | null
}

/**
 * Decides and writes; a lost race (or a refusal while the store is ahead)
 * catches up and decides again. An empty change set writes nothing and costs
 * no round trip.
 *
 * @category constructors
 */
export const writeThrough = <A, E>(
  repo: RouteRepository["Service"],
  side: WriteSide,
  spec: WriteSpec<A, E>,
): Effect.Effect<Written<A>, E | RepositoryError> => {
  const again = (why: Redo, tries: number, otherwise: Effect.Effect<never, E | RepositoryError>) =>
    tries >= spec.retries
      ? otherwise
      : Effect.flatMap(side.catchUp(why), (moved) => (moved ? attempt(tries + 1) : otherwise))
  const attempt = (tries: number): Effect.Effect<Written<A>, E | RepositoryError> =>
    Effect.flatMap(side.view, (view) => {
      const now = spec.now()
      const computed = spec.compute(view, now)
      if (Result.isFailure(computed)) return again("refused", tries, Effect.fail(computed.failure))
      const value = computed.success
      const changes = spec.changes(value)
      if (isEmpty(changes)) return Effect.succeed({ value, view, changes, version: null })
      return repo.apply(changes, { base: view.version, origin: spec.origin, at: now }).pipe(
        Effect.matchEffect({
          onSuccess: (version) =>
            Effect.sync(() => {
              side.committed({ version, origin: spec.origin, committedAt: now, changes })
              return { value, view, changes, version }
            }),
          onFailure: (error) => {
            const race = lostRace(error)
            return race === null ? Effect.fail(error) : again(race, tries, Effect.fail(error))
          },
        }),
      )
    })
  return Effect.suspend(() => attempt(0))
}

/**
 * The side of a writer that keeps no view between writes (the CLI, the
 * import): every attempt decides on a fresh snapshot. A store that is ahead
 * is worth another attempt; a miss on a store that has not moved gets one
 * reload (a writer that does not keep the version may have written between
 * the load and the apply) and then stands, so a change set that breaks a
 * constraint fails at once rather than reloading the store every retry. A
 * refusal on a fresh snapshot stands.
 *
 * @category constructors
 */
export const snapshotSide = (repo: RouteRepository["Service"]): WriteSide => {
  // The version of the last view, and the version a miss was last reloaded at.
  let viewed = -1
  let reloadedAt = -1
  return {
    view: Effect.map(repo.loadAll, (snapshot) => {
      const view = RouteIndex.from(snapshot)
      viewed = view.version
      return view
    }),
    catchUp: (why) =>
      why === "refused"
        ? Effect.succeed(false)
        : why === "behind"
          ? Effect.succeed(true)
          : Effect.map(repo.head, (head) => {
              if (head > viewed) return true
              if (reloadedAt === viewed) return false
              reloadedAt = viewed
              return true
            }),
    committed: () => undefined,
  }
}

/**
 * The side of a writer that keeps its own index and follows nobody (a
 * simulation on a scratch store): the index folds each commit, and a lost
 * race ends the write.
 *
 * @category constructors
 */
export const indexSide = (index: RouteIndex): WriteSide => ({
  view: Effect.sync(() => index),
  catchUp: () => Effect.succeed(false),
  committed: (entry) => index.applyCommitted(entry.changes, entry.version),
})
