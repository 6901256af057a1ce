/**
 * The Headscale import use case: read the source (SQLite file or Postgres
 * URL, read-only), load the target through `RouteRepository`, plan, and apply
 * the change set in one atomic write unless it is a dry run.
 */
import { Clock, Effect } from "effect"
import { type HeadscaleSourceError, redactUrl } from "../adapters/headscale/HeadscaleSourceError.js"
import { readHeadscalePostgres } from "../adapters/headscale/readHeadscalePostgres.js"
import { readHeadscaleSqlite } from "../adapters/headscale/readHeadscaleSqlite.js"
import { type ChangeSet, isEmpty } from "../domain/ChangeSet.js"
import type { HeadscaleDump } from "../domain/legacyImport/HeadscaleDump.js"
import type { ImportReport } from "../domain/legacyImport/ImportReport.js"
import { planImport } from "../domain/legacyImport/planImport.js"
import { defaultOptions, type Options } from "../domain/Options.js"
import { RouteIndex } from "../domain/RouteIndex.js"
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

/** True for a `postgres://` or `postgresql://` URL; anything else is a SQLite file path. @category predicates */
export const isPostgresUrl = (source: string): boolean => /^postgres(ql)?:\/\//i.test(source)

/** Reads a Headscale database of any era from a SQLite path or a Postgres URL. @category constructors */
export const readHeadscale = (source: string): Effect.Effect<HeadscaleDump, HeadscaleSourceError> =>
  isPostgresUrl(source) ? readHeadscalePostgres(source) : readHeadscaleSqlite(source)

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
): Effect.Effect<HeadscaleImport, HeadscaleSourceError | RepositoryError, RouteRepository> =>
  Effect.gen(function* () {
    const dryRun = options.dryRun ?? false
    const dump = yield* readHeadscale(source)
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
    if (write) yield* repo.apply(changes)
    return {
      source: isPostgresUrl(source) ? redactUrl(source) : source,
      dryRun,
      written: write,
      report,
      changes,
    }
  })
