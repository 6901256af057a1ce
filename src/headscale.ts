/**
 * `tailnet-routes/headscale`: import routes from a Headscale database of any
 * era (SQLite file or Postgres URL). A subpath of its own because reading a
 * source loads better-sqlite3 or the Postgres driver.
 */

export {
  HeadscaleSourceError,
  type HeadscaleSourceErrorReason,
  isHeadscaleSourceError,
  redactUrl,
} from "./adapters/headscale/HeadscaleSourceError.js"
export { readHeadscalePostgres } from "./adapters/headscale/readHeadscalePostgres.js"
export { readHeadscaleSqlite } from "./adapters/headscale/readHeadscaleSqlite.js"
export { formatImportReport } from "./app/formatImportReport.js"
export {
  type HeadscaleImport,
  type ImportHeadscaleOptions,
  importHeadscale,
  isPostgresUrl,
  readHeadscale,
} from "./app/importHeadscale.js"
