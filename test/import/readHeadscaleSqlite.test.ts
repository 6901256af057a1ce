/** The SQLite reader: era detection per schema, driver values normalised, source errors as values. */
import { writeFileSync } from "node:fs"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { readHeadscaleSqlite } from "../../src/adapters/headscale/readHeadscaleSqlite.js"
import { HeadscaleSourceError, isHeadscaleSourceError } from "../../src/ports/HeadscaleSource.js"
import { buildSqlite, legacyRows } from "./support/headscaleFixtures.js"
import { readSqlite } from "./support/plan.js"

const failure = (path: string) => Effect.runPromise(Effect.flip(readHeadscaleSqlite(path)))

describe("readHeadscaleSqlite", () => {
  it("detects each era from its schema and reads every row", async () => {
    const eras = await Promise.all([
      readSqlite(buildSqlite("0.17", legacyRows)),
      readSqlite(buildSqlite("0.22")),
      readSqlite(buildSqlite("0.26")),
    ])
    expect(eras.map((d) => [d.era, d.users.length, d.nodes.length, d.routes.length])).toEqual([
      ["0.17", 2, 7, 0],
      ["0.18-0.25", 4, 14, 10],
      ["0.26+", 5, 22, 0],
    ])
  })

  it("normalises numeric flags, joins the auth key's ephemeral flag, keeps text as stored", async () => {
    const d = await readSqlite(buildSqlite("0.17", legacyRows))
    expect(d.nodes[2]).toEqual({
      id: 3,
      userId: 2,
      tags: '["tag:exit","tag:infra"]',
      ephemeral: true,
      createdAt: "2022-04-01 08:00:00+02:00",
      expiry: "2030-01-01 00:00:00+01:00",
      lastSeen: null,
      deletedAt: null,
      hostInfo: '{"RoutableIPs":["0.0.0.0/0","::/0"]}',
      routeList: '["0.0.0.0/0"]',
    })
    const r = await readSqlite(buildSqlite("0.22"))
    expect(r.routes[3]).toEqual({
      id: 6,
      nodeId: 26,
      prefix: "172.100.100.0/24",
      advertised: true,
      enabled: true,
      isPrimary: true,
      createdAt: "2024-01-09 16:54:15.230556693+00:00",
      deletedAt: null,
    })
  })

  it("fails with Missing for a path that does not exist", async () => {
    const e = await failure("/nonexistent/headscale.db")
    expect(isHeadscaleSourceError(e)).toBe(true)
    expect(e).toEqual(
      new HeadscaleSourceError({
        source: "/nonexistent/headscale.db",
        reason: "Missing",
        message: "/nonexistent/headscale.db does not exist",
      }),
    )
  })

  it("fails with Unreadable for a file that is not SQLite", async () => {
    const path = `${buildSqlite("0.17")}.txt`
    writeFileSync(path, "this is not a database, just text that is long enough to have a header".repeat(10))
    expect(await failure(path)).toEqual(
      new HeadscaleSourceError({
        source: path,
        reason: "Unreadable",
        message: `${path}: file is not a database`,
      }),
    )
  })

  it("fails with UnknownSchema for a database that is not Headscale's", async () => {
    const path = buildSqlite("0.17", "DROP TABLE machines;")
    expect(await failure(path)).toEqual(
      new HeadscaleSourceError({
        source: path,
        reason: "UnknownSchema",
        message: `${path} is not a Headscale database this import knows: neither a nodes nor a machines table`,
      }),
    )
  })
})
