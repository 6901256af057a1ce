/** Postgres helpers for test files running under the global cluster. */
import { inject } from "vitest"
import { createDatabase } from "./postgresCluster.js"

/** The admin URL of this run's test server (the throwaway cluster or `DATABASE_URL`). */
export const postgresAdminUrl = (): string => inject("postgresAdminUrl")

/** Creates an empty database `t_<random>` on the test server and returns its URL. */
export const freshDatabaseUrl = (): Promise<string> => createDatabase(postgresAdminUrl())
