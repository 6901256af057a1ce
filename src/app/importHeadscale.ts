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
import { type RepositoryError, RouteRepository } from "../ports/RouteRepository.js"

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
    const target = yield* repo.loadAll
    const now = yield* Clock.currentTimeMillis
    const { changes, report } = planImport(
      dump,
      RouteIndex.from(target),
      now,
      options.options ?? defaultOptions,
    )
    const write = !dryRun && !isEmpty(changes)
    // Another writer committing meanwhile makes this a `WriteConflict` (behind): run it again.
    if (write) yield* repo.apply(changes, { base: target.version, origin: "import", at: now })
    return {
      source: isPostgresUrl(source) ? redactUrl(source) : source,
      dryRun,
      written: write,
      report,
      changes,
    }
  })
