/**
 * `tailnet-routes/headscale`: import routes from a Headscale database of any
 * era (SQLite file or Postgres URL). A subpath of its own because reading a
 * source loads better-sqlite3 or the Postgres driver. `importHeadscale` here
 * comes with the real source adapter; it still needs a `RouteRepository`.
 */
import { Effect } from "effect"
import { layer as HeadscaleSourceLive } from "./adapters/headscale/HeadscaleSourceLive.js"
import {
  type HeadscaleImport,
  type ImportHeadscaleOptions,
  importHeadscale as importHeadscaleWith,
} from "./app/importHeadscale.js"
import type { HeadscaleSourceError } from "./ports/HeadscaleSource.js"
import type { RepositoryError, RouteRepository } from "./ports/RouteRepository.js"

export { readHeadscalePostgres } from "./adapters/headscale/readHeadscalePostgres.js"
export { readHeadscaleSqlite } from "./adapters/headscale/readHeadscaleSqlite.js"
export { formatImportReport } from "./app/formatImportReport.js"
export {
  HeadscaleSource,
  HeadscaleSourceError,
  type HeadscaleSourceErrorReason,
  isHeadscaleSourceError,
  isPostgresUrl,
  redactUrl,
} from "./ports/HeadscaleSource.js"
export { type HeadscaleImport, HeadscaleSourceLive, type ImportHeadscaleOptions, importHeadscaleWith }

/**
 * Imports a Headscale database (SQLite path or Postgres URL) into the store
 * the provided `RouteRepository` holds; `--dry-run` semantics with `dryRun`.
 *
 * @category constructors
 */
export const importHeadscale = (
  source: string,
  options: ImportHeadscaleOptions = {},
): Effect.Effect<HeadscaleImport, HeadscaleSourceError | RepositoryError, RouteRepository> =>
  importHeadscaleWith(source, options).pipe(Effect.provide(HeadscaleSourceLive))
