/** `tailnet-routes/postgres`: the Postgres (@effect/sql-pg) route repository. */
export { defaultSchema, latestVersion, type Migration, migrate, migrations } from "./migrations.js"
export { layer, layerConfig, make, type PostgresOptions, storeExists } from "./PostgresRouteRepository.js"
export { toRepositoryError } from "./toRepositoryError.js"
