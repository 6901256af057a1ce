/** One contract for every ApiKeyStore adapter (memory, SQLite file, Postgres schema), plus the migrations that make its table. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { Effect, Exit, type Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { MemoryApiKeys, PostgresApiKeys, SqliteApiKeys } from "../../src/adapters/apiKeyStoreLayers.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { type ApiKeyRecord, ApiKeyStore } from "../../src/ports/ApiKeyStore.js"
import type { RepositoryError } from "../../src/ports/RouteRepository.js"
import { createApiKey, makeKeyChecker } from "../../src/service/apiKeys.js"
import { freshDatabaseUrl } from "../support/postgres.js"

const dir = mkdtempSync(path.join(tmpdir(), "tr-keys-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const record = (prefix: string, createdAt: number, expiresAt: number | null): ApiKeyRecord => ({
  prefix,
  salt: "00ff",
  hash: "abcd",
  createdAt,
  expiresAt,
})

const contract = (name: string, makeLayer: () => Promise<Layer.Layer<ApiKeyStore, RepositoryError>>) =>
  describe(`ApiKeyStore contract: ${name}`, () => {
    const run = async <A, E>(effect: Effect.Effect<A, E, ApiKeyStore>) =>
      Effect.runPromise(Effect.provide(effect, await makeLayer()))

    it("stores, finds, lists oldest first, and refuses a taken prefix", async () => {
      const out = await run(
        Effect.gen(function* () {
          const store = yield* ApiKeyStore
          yield* store.insert(record("trk_b", 20, null))
          yield* store.insert(record("trk_a", 10, 99))
          const dup = yield* Effect.exit(store.insert(record("trk_a", 30, null)))
          return {
            a: yield* store.find("trk_a"),
            none: yield* store.find("trk_zz"),
            all: yield* store.list,
            dup,
          }
        }),
      )
      expect(out.a).toEqual(record("trk_a", 10, 99))
      expect(out.none).toBeUndefined()
      expect(out.all.map((r) => r.prefix)).toEqual(["trk_a", "trk_b"])
      expect(Exit.isFailure(out.dup)).toBe(true)
    })

    it("expires a key at a time, never later than an earlier expiry, and says whether the key exists", async () => {
      const out = await run(
        Effect.gen(function* () {
          const store = yield* ApiKeyStore
          yield* store.insert(record("trk_x", 1, null))
          yield* store.insert(record("trk_y", 1, 50))
          return {
            x: yield* store.expire("trk_x", 100),
            y: yield* store.expire("trk_y", 100),
            missing: yield* store.expire("trk_nope", 100),
            rows: yield* store.list,
          }
        }),
      )
      expect([out.x, out.y, out.missing]).toEqual([true, true, false])
      expect(out.rows.map((r) => [r.prefix, r.expiresAt])).toEqual([
        ["trk_x", 100],
        ["trk_y", 50],
      ])
    })

    it("keeps only a hash: a created key verifies, a changed secret or an expired key does not", async () => {
      const out = await run(
        Effect.gen(function* () {
          const store = yield* ApiKeyStore
          const { key, record } = yield* createApiKey(1_000, 5_000)
          const stored = yield* store.find(record.prefix)
          const checker = makeKeyChecker(store)
          const forged = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`
          return {
            key,
            stored,
            ok: yield* checker.check(key, 2_000),
            again: yield* checker.check(key, 2_000),
            forged: yield* checker.check(forged, 2_000),
            late: yield* checker.check(key, 5_000),
            unknown: yield* checker.check(
              "trk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
              2_000,
            ),
            malformed: yield* checker.check("hello", 2_000),
            missing: yield* checker.check("", 2_000),
          }
        }),
      )
      // The secret (after `trk_` and the 12-hex lookup part) may itself hold `_`.
      expect(JSON.stringify(out.stored)).not.toContain(out.key.slice(17))
      expect(out.ok).toEqual(out.stored)
      expect(out.again).toEqual(out.stored)
      expect([out.forged, out.late, out.unknown, out.malformed, out.missing]).toEqual([
        "unknown",
        "expired",
        "unknown",
        "malformed",
        "missing",
      ])
    })
  })

contract("memory", async () => MemoryApiKeys.layer)
contract("sqlite", async () => SqliteApiKeys.layer({ filename: path.join(dir, `${Math.random()}.db`) }))
contract("postgres", async () => PostgresApiKeys.layer({ url: await freshDatabaseUrl() }))

describe("service_keys migrations", () => {
  it("sqlite migration 4 creates service_keys on a store at version 3, keeping it ours", () => {
    const db = Sqlite.open(path.join(dir, "m.db"))
    Sqlite.migrate(db, 0, 3)
    expect(Sqlite.migrate(db, 0)).toBe(Sqlite.latestVersion)
    const cols = (db.prepare("PRAGMA table_info(service_keys)").all() as Array<{ name: string }>).map(
      (c) => c.name,
    )
    expect(cols).toEqual(["prefix", "salt", "hash", "created_at", "expires_at"])
    db.close()
    // Reopening checks ownership: the new table counts as ours.
    Sqlite.open(path.join(dir, "m.db")).close()
  })
})
