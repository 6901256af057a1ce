/**
 * The Headscale import use case: read the source through the `HeadscaleSource`
 * port (a SQLite file or Postgres URL, read-only), load the target through
 * `RouteRepository`, plan, and apply the change set in one atomic write unless
 * it is a dry run.
 */
import { Clock, Effect } from "effect"
import { type ChangeSet, isEmpty } from "../domain/ChangeSet.js"
import type { ImportReport } from "../domain/legacyImport/ImportReport.js"
import { planImport } from "../domain/legacyImport/planImport.js"
import { defaultOptions, type Options } from "../domain/Options.js"
import { RouteIndex } from "../domain/RouteIndex.js"
import {
  HeadscaleSource,
  type HeadscaleSourceError,
  isPostgresUrl,
  redactUrl,
} from "../ports/HeadscaleSource.js"
import { isWriteConflict, type RepositoryError, RouteRepository } from "../ports/RouteRepository.js"

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

/** Plans on a changing store before the import gives up (each a reload of the target). */
const importAttempts = 10

interface Planned {
  readonly changes: ChangeSet
  readonly report: ImportReport
  readonly write: boolean
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
    // Plans on the store's state and writes at its version; another writer committing in
    // between (a running manager's timer, a replica) refuses it as behind: plan again on the new state.
    const attempt = (tries: number): Effect.Effect<Planned, RepositoryError> =>
      Effect.gen(function* () {
        const target = yield* repo.loadAll
        const now = yield* Clock.currentTimeMillis
        const planned = planImport(dump, RouteIndex.from(target), now, options.options ?? defaultOptions)
        const write = !dryRun && !isEmpty(planned.changes)
        if (!write) return { ...planned, write }
        return yield* repo.apply(planned.changes, { base: target.version, origin: "import", at: now }).pipe(
          Effect.as({ ...planned, write }),
          Effect.catchIf(
            (e) => isWriteConflict(e) && e.reason === "behind" && tries < importAttempts,
            () => attempt(tries + 1),
          ),
        )
      })
    const { changes, report, write } = yield* attempt(1)
    return {
      source: isPostgresUrl(source) ? redactUrl(source) : source,
      dryRun,
      written: write,
      report,
      changes,
    }
  })
