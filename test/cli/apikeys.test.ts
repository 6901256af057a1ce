/** `apikeys create | list | expire` in-process, on a SQLite store; the created key is then checked against the store. */
import path from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SqliteApiKeys } from "../../src/adapters/apiKeyStoreLayers.js"
import { ApiKeyStore } from "../../src/ports/ApiKeyStore.js"
import { makeKeyChecker } from "../../src/service/apiKeys.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { cli, tempDir } from "./support.js"

const checkKey = (file: string, key: string, now: number) =>
  Effect.runPromise(
    Effect.provide(
      Effect.flatMap(ApiKeyStore, (s) => makeKeyChecker(s).check(key, now)),
      SqliteApiKeys.layer({ filename: file }),
    ),
  )

describe("apikeys", () => {
  it("create prints the key once, on its last line; list shows the prefix, never the key; expire ends it", async () => {
    const file = path.join(tempDir(), "keys.db")
    const db = `sqlite:${file}`
    const created = await cli(["--db", db, "apikeys", "create", "--expires", "90d"])
    expect(created.code).toBe(0)
    const lines = created.stdout.trimEnd().split("\n")
    const key = lines[lines.length - 1]!
    expect(key).toMatch(/^trk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
    const prefix = key.slice(0, 16)
    expect(created.stdout.split(key).length).toBe(2)

    const verdict = await checkKey(file, key, Date.now())
    expect(verdict).toMatchObject({ prefix })
    expect((verdict as { expiresAt: number }).expiresAt - Date.now()).toBeGreaterThan(89 * 86_400_000)

    const listed = await cli(["--db", db, "apikeys", "list", "--json"])
    expect(listed.code).toBe(0)
    expect(listed.stdout).not.toContain(key.slice(17))
    expect(JSON.parse(listed.stdout)).toEqual([
      { prefix, createdAt: expect.any(Number), expiresAt: expect.any(Number), status: "active" },
    ])

    const expired = await cli(["--db", db, "apikeys", "expire", prefix])
    expect(expired).toMatchObject({ code: 0, stdout: `expired API key ${prefix}\n` })
    expect(await checkKey(file, key, Date.now() + 1)).toBe("expired")
    expect(JSON.parse((await cli(["--db", db, "apikeys", "list", "--json"])).stdout)[0].status).toBe(
      "expired",
    )
  })

  it("bad input is named and changes nothing", async () => {
    const file = path.join(tempDir(), "keys.db")
    const db = `sqlite:${file}`
    const badExpiry = await cli(["--db", db, "apikeys", "create", "--expires", "soon"])
    expect(badExpiry.code).toBe(2)
    expect(badExpiry.stderr).toContain("--expires 'soon' is not a duration")
    const missing = await cli(["--db", db, "apikeys", "list", "--json"])
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stderr)).toMatchObject({ code: "STORE_NOT_FOUND" })

    await cli(["--db", db, "apikeys", "create"])
    const unknown = await cli(["--db", db, "apikeys", "expire", "trk_nope", "--json"])
    expect(unknown.code).toBe(1)
    expect(JSON.parse(unknown.stderr)).toEqual({
      code: "FAILED",
      message: 'no API key has the prefix "trk_nope"; see apikeys list',
      prefix: "trk_nope",
    })
    const rows = JSON.parse((await cli(["--db", db, "apikeys", "list", "--json"])).stdout)
    expect(rows.map((r: { status: string }) => r.status)).toEqual(["active"])
  })

  it("works the same on a Postgres store (keys in its schema)", async () => {
    const db = await freshDatabaseUrl()
    const created = await cli(["--db", db, "apikeys", "create", "--json"])
    expect(created.code).toBe(0)
    const { prefix, key } = JSON.parse(created.stdout)
    expect(key.startsWith(`${prefix}_`)).toBe(true)
    expect((await cli(["--db", db, "apikeys", "expire", prefix])).code).toBe(0)
    const rows = JSON.parse((await cli(["--db", db, "apikeys", "list", "--json"])).stdout)
    expect(rows).toEqual([
      { prefix, createdAt: expect.any(Number), expiresAt: expect.any(Number), status: "expired" },
    ])
  })
})
