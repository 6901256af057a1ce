/** `tailnet-routes/sqlite`: the SQLite (better-sqlite3) route repository. */
export { currentVersion, latestVersion, type Migration, migrate, migrations } from "./migrations.js"
export type { SqliteDatabase, SqliteStatement } from "./SqliteDatabase.js"
export { layer, layerConfig, make, open, type SqliteOptions } from "./SqliteRouteRepository.js"
export { type RowContext, toRepositoryError } from "./toRepositoryError.js"
