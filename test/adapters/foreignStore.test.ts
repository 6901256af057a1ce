/**
 * Foreign databases (issue 12): a store is initialised only when it is empty
 * or already ours; anything else is refused with FOREIGN_STORE and left byte
 * for byte as it was, and a Headscale database is named as one, with the
 * import command to run instead. Also the SQLite durability setting.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import Database from "better-sqlite3"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, describe, expect, it } from "vitest"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/SqliteRouteRepository.js"
import { createRouteManager } from "../../src/facade/index.js"
import { buildSqlite, fileHash } from "../import/support/headscaleFixtures.js"
import { copyToPostgres } from "../import/support/headscalePostgres.js"
import { freshDatabaseUrl } from "../support/postgres.js"

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "tailnet-routes-foreign-"))
  dirs.push(dir)
  return dir
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  )

describe("SQLite: foreign databases are refused untouched", () => {
  it("a Headscale database is refused as one, with the import command to run, and stays byte for byte as it was (it gained a schema_migrations table)", async () => {
    for (const era of ["0.17", "0.22", "0.26"] as const) {
      const path = buildSqlite(era)
      const before = fileHash(path)
      const files = readdirSync(join(path, ".."))
      const error = await refusal(createRouteManager({ store: { sqlite: path } }))
      expect(error).toMatchObject({ code: "FOREIGN_STORE", kind: "headscale", location: path })
      expect((error as Error).message).toContain("is a Headscale database")
      expect((error as Error).message).toContain(`migrate --from-headscale ${path}`)
      expect(fileHash(path)).toBe(before)
      expect(readdirSync(join(path, ".."))).toEqual(files)
    }
  })

  it("a database of another application is refused untouched", async () => {
    const path = join(scratch(), "other.db")
    const db = new Database(path)
    db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1)")
    db.close()
    const before = fileHash(path)
    const error = await refusal(createRouteManager({ store: { sqlite: path } }))
    expect(error).toMatchObject({ code: "FOREIGN_STORE", kind: "unknown" })
    expect((error as Error).message).toContain("invoices")
    expect(fileHash(path)).toBe(before)
  })

  it("a database with our tables and a stranger's beside them is refused too", async () => {
    const path = join(scratch(), "mixed.db")
    const first = await createRouteManager({ store: { sqlite: path } })
    await first.upsertNode({ id: "a", user: "alice@" })
    await first.close()
    const db = new Database(path)
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    db.close()
    expect(await refusal(createRouteManager({ store: { sqlite: path } }))).toMatchObject({
      code: "FOREIGN_STORE",
    })
  })

  it("an empty file and a store of ours open", async () => {
    const dir = scratch()
    const empty = join(dir, "empty.db")
    new Database(empty).close()
    const m = await createRouteManager({ store: { sqlite: empty } })
    await m.upsertNode({ id: "a", user: "alice@" })
    await m.close()
    const again = await createRouteManager({ store: { sqlite: empty } })
    expect((await again.getNode("a"))?.id).toBe("a")
    await again.close()
    expect(existsSync(empty)).toBe(true)
  })
})

describe("SQLite durability", () => {
  it("commits sync fully by default (an acknowledged change survives power loss); synchronous: normal is the opt-in", () => {
    const dir = scratch()
    const full = Sqlite.open(join(dir, "full.db"))
    const normal = Sqlite.open(join(dir, "normal.db"), { synchronous: "normal" })
    try {
      expect(full.pragma("synchronous")).toEqual([{ synchronous: 2 }])
      expect(normal.pragma("synchronous")).toEqual([{ synchronous: 1 }])
    } finally {
      full.close()
      normal.close()
    }
  })
})

describe("Postgres: our tables in a schema of our own", () => {
  /** One query on a plain connection (search_path public), its column `t` as a list. */
  const pg = (url: string) => ({
    query: (text: string): Promise<unknown[]> =>
      Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<{ t: unknown }>(text)).pipe(
            Effect.map((rows) => rows.map((r) => r.t)),
            Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
          ),
        ),
      ),
  })

  it("a fresh database gets the tailnet_routes schema and nothing in public", async () => {
    const url = await freshDatabaseUrl()
    const m = await createRouteManager({ store: { postgres: url } })
    await m.upsertNode({ id: "a", user: "alice@" })
    await m.close()
    const tables = await pg(url).query(
      "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'tailnet_routes') ORDER BY 1",
    )
    expect(tables).toEqual(
      ["change_log", "leases", "meta", "nodes", "routes", "schema_migrations", "service_keys"].map(
        (t) => `tailnet_routes.${t}`,
      ),
    )
  })

  it("a Headscale database in public is left alone: our store opens beside it in its own schema", async () => {
    const url = await freshDatabaseUrl()
    await copyToPostgres(buildSqlite("0.22"), url)
    const before = await pg(url).query(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    const m = await createRouteManager({ store: { postgres: url } })
    await m.upsertNode({ id: "a", user: "alice@" })
    await m.close()
    expect(
      await pg(url).query("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"),
    ).toEqual(before)
  })

  it("a schema that holds someone else's tables is refused untouched", async () => {
    const url = await freshDatabaseUrl()
    await pg(url).query("CREATE TABLE public.invoices (id int PRIMARY KEY)")
    const error = await refusal(createRouteManager({ store: { postgres: url, schema: "public" } }))
    expect(error).toMatchObject({
      code: "FOREIGN_STORE",
      kind: "unknown",
      location: "postgres schema public",
    })
    expect(
      await pg(url).query("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"),
    ).toEqual(["invoices"])
  })

  it("a Headscale schema named as the store's is refused as Headscale, with the import command", async () => {
    const url = await freshDatabaseUrl()
    await copyToPostgres(buildSqlite("0.26"), url)
    const error = await refusal(createRouteManager({ store: { postgres: url, schema: "public" } }))
    expect(error).toMatchObject({ code: "FOREIGN_STORE", kind: "headscale" })
    expect((error as Error).message).toContain("migrate --from-headscale")
  })

  it("a store of ours from before (tables in public) moves into tailnet_routes on open, rows and all", async () => {
    const url = await freshDatabaseUrl()
    // The old layout: every migration run in public.
    await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Postgres.migrate(sql, 0, Postgres.latestVersion, "public"),
        ).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 }))),
      ),
    )
    await pg(url).query(
      "INSERT INTO public.nodes (id, user_name, tags, ephemeral, created_at, sessions) VALUES ('n1', 'alice@', '[]', false, 1000, 0)",
    )
    const m = await createRouteManager({ store: { postgres: url } })
    expect((await m.getNode("n1"))?.user).toBe("alice@")
    await m.upsertNode({ id: "n2", user: "bob@" })
    await m.close()
    expect(
      await pg(url).query("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"),
    ).toEqual([])
    expect(await pg(url).query("SELECT id AS t FROM tailnet_routes.nodes ORDER BY 1")).toEqual(["n1", "n2"])
  })

  it("two stores share one database under different schemas without seeing each other", async () => {
    const url = await freshDatabaseUrl()
    const a = await createRouteManager({ store: { postgres: url, schema: "routes_a" } })
    const b = await createRouteManager({ store: { postgres: url, schema: "routes_b" } })
    await a.upsertNode({ id: "only-a", user: "alice@" })
    expect(await b.getNode("only-a")).toBeNull()
    await a.close()
    await b.close()
  })
})
