/** The `HeadscaleSource` port over real databases: a Postgres URL or a SQLite file, both read-only. */
import { Layer } from "effect"
import { HeadscaleSource, isPostgresUrl } from "../../ports/HeadscaleSource.js"
import { readHeadscalePostgres } from "./readHeadscalePostgres.js"
import { readHeadscaleSqlite } from "./readHeadscaleSqlite.js"

/** @category layers */
export const layer: Layer.Layer<HeadscaleSource> = Layer.succeed(HeadscaleSource)({
  read: (source) => (isPostgresUrl(source) ? readHeadscalePostgres(source) : readHeadscaleSqlite(source)),
})
