import { describe, expect, it } from "vitest"
import { buildSqlite } from "../import/support/headscaleFixtures.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { adminQuery } from "../support/postgresCluster.js"
import { assertReconcileRepairs, cliContract } from "./cliContract.js"
import { cli, seed } from "./support.js"

cliContract(
  "Postgres",
  async () => {
    const url = await freshDatabaseUrl()
    await seed(url)
    return url
  },
  freshDatabaseUrl,
)

describe("CLI store errors (Postgres)", () => {
  it("an unreachable database is a clear error, exit 1, the password hidden", async () => {
    const refused = {
      code: 1,
      stdout: "",
      stderr:
        "error: postgres://ops:***@127.0.0.1:1/x: postgres: PgConnection: Failed to connect (connect ECONNREFUSED 127.0.0.1:1)\n",
    }
    const results = await Promise.all([
      cli(["--db", "postgres://ops:secret@127.0.0.1:1/x", "routes", "list"]),
      cli(["--db", "postgres://ops:secret@127.0.0.1:1/x", "routes", "enable", "1"]),
      cli(["routes", "list"], { DATABASE_URL: "postgres://ops:secret@127.0.0.1:1/x" }),
    ])
    expect(results).toEqual([refused, refused, refused])
  })
})

it("reconcile repairs a Postgres store broken behind the library's back", async () => {
  const url = await freshDatabaseUrl()
  await seed(url)
  await adminQuery(url, "UPDATE tailnet_routes.routes SET advertised = false WHERE id = 3")
  await assertReconcileRepairs(url)
})

it("migrate --dry-run into an empty Postgres database creates nothing (not even our schema), and reports against an empty store", async () => {
  const url = await freshDatabaseUrl()
  const dry = await cli(["--db", url, "migrate", "--from-headscale", buildSqlite("0.26"), "--dry-run"])
  expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: "" })
  expect(dry.stdout).toContain("Routes: 24 imported, 0 already present")
  expect(
    await adminQuery(
      url,
      "SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'tailnet_routes' UNION ALL SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'",
    ),
  ).toEqual([{ n: 0 }, { n: 0 }])
})
