/**
 * The Headscale import use case: read the source through the `HeadscaleSource`
 * port (a SQLite file or Postgres URL, read-only), load the target through
 * `RouteRepository`, plan, and apply the change set in one atomic write unless
 * it is a dry run.
 */
import { Clock, Effect, Result } from "effect"
import { type ChangeSet, emptyChangeSet } from "../domain/ChangeSet.js"
import type { ImportReport } from "../domain/legacyImport/ImportReport.js"
import { planImport } from "../domain/legacyImport/planImport.js"
import { defaultOptions, type Options } from "../domain/Options.js"
import {
  HeadscaleSource,
  type HeadscaleSourceError,
  isPostgresUrl,
  redactUrl,
} from "../ports/HeadscaleSource.js"
import { type RepositoryError, RouteRepository } from "../ports/RouteRepository.js"
import { defaultWriteRetries, snapshotSide, writeThrough } from "./writeThrough.js"

/** @category models */
export interface ImportHeadscaleOptions {
  /** Plan and report, write nothing. */
  readonly dryRun?: boolean
  /** The options the manager runs with (withdrawal rule, grace, election). */
  readonly options?: Options
}

/** What an import did. @category models */
export interface HeadscaleImport {
  /** The path, or the URL with its password hidden. */
  readonly source: string
  readonly dryRun: boolean
  /** True when the change set was applied (false on a dry run or when up to date). */
  readonly written: boolean
  readonly report: ImportReport
  /** What was (or, on a dry run, would be) written. */
  readonly changes: ChangeSet
}

/**
 * Imports a Headscale database into the route store. Idempotent: a repeat
 * import finds everything present and writes nothing. The clock is effect's
 * `Clock` (imported nodes are disconnected at its `now`).
 *
 * @category constructors
 */
export const importHeadscale = (
  source: string,
  options: ImportHeadscaleOptions = {},
): Effect.Effect<
  HeadscaleImport,
  HeadscaleSourceError | RepositoryError,
  RouteRepository | HeadscaleSource
> =>
  Effect.gen(function* () {
    const dryRun = options.dryRun ?? false
    const dump = yield* (yield* HeadscaleSource).read(source)
    const repo = yield* RouteRepository
    const clock = yield* Clock.Clock
    // Plans on the store's state and writes at its version, through the one write path:
    // another writer committing in between (a running manager's timer, a replica) means
    // planning again on the new state.
    const written = yield* writeThrough(repo, snapshotSide(repo), {
      compute: (target, now) =>
        Result.succeed(planImport(dump, target, now, options.options ?? defaultOptions)),
      changes: (planned) => (dryRun ? emptyChangeSet(planned.changes.nextRouteId) : planned.changes),
      origin: "import",
      now: () => clock.currentTimeMillisUnsafe(),
      retries: defaultWriteRetries,
    })
    const { changes, report } = written.value
    const write = written.version !== null
    return {
      source: isPostgresUrl(source) ? redactUrl(source) : source,
      dryRun,
      written: write,
      report,
      changes,
    }
  })
