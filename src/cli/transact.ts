/** Load, decide, write: one command's read-modify-write against the store, through the one write path. */
import { Clock, Effect, Result } from "effect"
import { defaultWriteRetries, snapshotSide, writeThrough } from "../app/writeThrough.js"
import type { ChangeSet } from "../domain/ChangeSet.js"
import type { RouteIndex } from "../domain/RouteIndex.js"
import { RouteRepository } from "../ports/RouteRepository.js"
import { commandErrorOf } from "./CliError.js"
import type { Session } from "./session.js"

/** A refusal of `decide`, told apart from the store's failures. */
class Refused<E> {
  constructor(readonly error: E) {}
}

/**
 * Runs `decide` on a fresh snapshot and applies its change set atomically at
 * the snapshot's version; a lost race (another writer got there first)
 * decides again on a new snapshot. A failure of `decide` is a `CommandError`
 * with its message (and code) and nothing is written. Returns the index the
 * change was decided on and the change set.
 *
 * @category constructors
 */
export const transact = async <E extends { readonly message: string }>(
  session: Session,
  decide: (index: RouteIndex) => Result.Result<ChangeSet, E>,
): Promise<{ readonly before: RouteIndex; readonly changes: ChangeSet }> => {
  const written = await session.run(
    Effect.gen(function* () {
      const repo = yield* RouteRepository
      const clock = yield* Clock.Clock
      return yield* writeThrough(repo, snapshotSide(repo), {
        compute: (index) => Result.mapError(decide(index), (e) => new Refused(e)),
        changes: (cs) => cs,
        origin: "cli",
        now: () => clock.currentTimeMillisUnsafe(),
        // A running manager commits too (timers, its own commands): each lost race costs one reload.
        retries: defaultWriteRetries,
      })
    }),
    (e) => (e instanceof Refused ? commandErrorOf(e.error as E) : null),
  )
  return { before: written.view, changes: written.changes }
}
