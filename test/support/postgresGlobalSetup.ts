/**
 * vitest globalSetup: one throwaway cluster per test run (or `DATABASE_URL`
 * when given), handed to test files through `provide`; each file makes its
 * own database with `freshDatabaseUrl()`.
 */
import type { TestProject } from "vitest/node"
import { type PostgresCluster, startCluster } from "./postgresCluster.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL on the test server; make databases from it, never write to it. */
    postgresAdminUrl: string
  }
}

let cluster: PostgresCluster | undefined

export const setup = async (project: TestProject): Promise<void> => {
  const given = process.env.DATABASE_URL
  if (given !== undefined && given !== "") {
    project.provide("postgresAdminUrl", given)
    return
  }
  cluster = await startCluster()
  project.provide("postgresAdminUrl", cluster.url)
}

export const teardown = (): void => {
  cluster?.stop()
  cluster = undefined
}
