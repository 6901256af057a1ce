/** A Headscale that runs on Postgres imports exactly like its SQLite twin. */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { readHeadscalePostgres } from "../../src/adapters/headscale/readHeadscalePostgres.js"
import { HeadscaleSourceError } from "../../src/ports/HeadscaleSource.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { expectedNodes017, expectedReport017, expectedRoutes017 } from "./support/expected017.js"
import { expectedNodes022, expectedReport022, expectedRoutes022 } from "./support/expected022.js"
import { expectedNodes026, expectedReport026, expectedRoutes026 } from "./support/expected026.js"
import { buildSqlite, legacyRows } from "./support/headscaleFixtures.js"
import { copyToPostgres } from "./support/headscalePostgres.js"
import { plan, readSqlite } from "./support/plan.js"

const cases = [
  ["0.17", legacyRows, expectedNodes017, expectedRoutes017, expectedReport017],
  ["0.22", "", expectedNodes022, expectedRoutes022, expectedReport022],
  ["0.26", "", expectedNodes026, expectedRoutes026, expectedReport026],
] as const

describe("Postgres-hosted Headscale source", () => {
  for (const [era, extra, nodes, routes, report] of cases) {
    it(`imports the ${era} fixture from Postgres exactly as from its SQLite twin`, async () => {
      const file = buildSqlite(era, extra)
      const url = await freshDatabaseUrl()
      await copyToPostgres(file, url)
      const fromPg = plan(await Effect.runPromise(readHeadscalePostgres(url)))
      const fromSqlite = plan(await readSqlite(file))
      expect(fromPg).toEqual(fromSqlite)
      expect(fromPg.changes.nodes.map((c) => c.after)).toEqual(nodes)
      expect(fromPg.changes.routes.map((c) => c.after)).toEqual(routes)
      expect(fromPg.report).toEqual(report)
    })
  }

  it("fails with a HeadscaleSourceError naming the URL without its password when the schema is not Headscale's", async () => {
    const url = new URL(await freshDatabaseUrl())
    url.password = "s3cret"
    const exit = await Effect.runPromise(Effect.flip(readHeadscalePostgres(url.toString())))
    url.password = "***"
    expect(exit).toEqual(
      new HeadscaleSourceError({
        source: url.toString(),
        reason: "UnknownSchema",
        message: `${url.toString()} is not a Headscale database this import knows: neither a nodes nor a machines table`,
      }),
    )
  })
})
