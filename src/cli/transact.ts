/** Load, decide, write: one command's read-modify-write against the store, retried on a concurrent write. */
import { Result } from "effect"
import type { ChangeSet } from "../domain/ChangeSet.js"
import { RouteIndex } from "../domain/RouteIndex.js"
import { isWriteConflict } from "../ports/RouteRepository.js"
import { CommandError, commandErrorOf } from "./CliError.js"
import type { Session } from "./session.js"

// A running manager commits too (timers, its own commands): each lost race costs one reload.
const ATTEMPTS = 10

/**
 * Runs `decide` on a fresh snapshot and applies its change set atomically;
 * a `WriteConflict` (another writer got there first) reloads and retries.
 * A failure of `decide` is a `CommandError` with its message (and code) and nothing is
 * written. Returns the index before the change and the change set.
 *
 * @category constructors
 */
export const transact = async <E extends { readonly message: string }>(
  session: Session,
  decide: (index: RouteIndex) => Result.Result<ChangeSet, E>,
): Promise<{ readonly before: RouteIndex; readonly changes: ChangeSet }> => {
  for (let attempt = 1; ; attempt++) {
    const snapshot = await session.snapshot()
    const index = RouteIndex.from(snapshot)
    const decided = decide(index)
    if (Result.isFailure(decided)) throw commandErrorOf(decided.failure)
    try {
      await session.apply(decided.success, snapshot.version)
      return { before: index, changes: decided.success }
    } catch (e) {
      if (!isWriteConflict(e)) throw e
      if (attempt >= ATTEMPTS) {
        throw new CommandError(
          `${session.label}: the store kept changing under this command; nothing was written, try again`,
          "WRITE_CONFLICT",
        )
      }
    }
  }
}
