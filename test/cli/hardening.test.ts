/**
 * The CLI's part of issue 12: a Headscale file given as --db is refused as one
 * and left untouched, `migrate --dry-run` creates no target, `policy set
 * --dry-run` shows what a policy would grant, revoke and move and writes nothing.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { buildSqlite, fileHash } from "../import/support/headscaleFixtures.js"
import { cli, tempDir } from "./support.js"

const policy = (dir: string, json: unknown): string => {
  const file = path.join(dir, "policy.json")
  writeFileSync(file, JSON.stringify(json))
  return file
}

describe("CLI hardening", () => {
  it("--grace-ms -5 is refused as out of range, and the message carries no NUL byte (it printed one)", async () => {
    const r = await cli([
      "--db",
      `sqlite:${path.join(tempDir(), "x.db")}`,
      "--grace-ms",
      "-5",
      "routes",
      "list",
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--grace-ms: expected an integer from 0 to 31536000000; got -5")
    expect(r.stderr).not.toContain("\u0000")
  })

  it("routes list on a Headscale file is FOREIGN_STORE with the import command, and the file keeps every byte (it gained a schema_migrations table)", async () => {
    const hs = buildSqlite("0.22")
    const before = fileHash(hs)
    const files = readdirSync(path.dirname(hs))
    const r = await cli(["--db", `sqlite:${hs}`, "routes", "list", "--json"])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stderr)).toMatchObject({ code: "FOREIGN_STORE" })
    expect(r.stderr).toContain(`migrate --from-headscale ${hs}`)
    expect(fileHash(hs)).toBe(before)
    expect(readdirSync(path.dirname(hs))).toEqual(files)
  })

  it("migrate --dry-run into a new --db path creates no file (the report said nothing was written, but the file appeared)", async () => {
    const hs = buildSqlite("0.22")
    const target = path.join(tempDir(), "new.db")
    const r = await cli(["--db", `sqlite:${target}`, "migrate", "--from-headscale", hs, "--dry-run"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("nothing written")
    expect(existsSync(target)).toBe(false)
  })

  it("policy set --dry-run lists the approvals a policy would revoke and the primaries it would move, and writes nothing", async () => {
    const dir = tempDir()
    const db = `sqlite:${path.join(dir, "routes.db")}`
    const ops = { autoApprovers: { routes: { "10.0.0.0/8": ["alice@"] } } }
    expect((await cli(["--db", db, "policy", "set", policy(dir, ops)])).code).toBe(0)
    // The CLI has no command that registers a node: a manager does, on the same file.
    const { createRouteManager } = await import("../../src/facade/index.js")
    const m = await createRouteManager({
      store: { sqlite: path.join(dir, "routes.db") },
      replicaId: "cli-test",
    })
    await m.upsertNode({ id: "r1", user: "alice@" })
    await m.connect("r1")
    await m.advertise("r1", ["10.1.0.0/24"])
    await m.close()
    const before = await cli(["--db", db, "routes", "list", "--json"])
    const dry = await cli(["--db", db, "policy", "set", policy(dir, {}), "--dry-run"])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain("would revoke: route 1 (10.1.0.0/24 on r1)")
    expect(dry.stdout).toContain("would move the primary of 10.1.0.0/24: route 1 -> none")
    expect(dry.stdout).toContain("0 granted, 1 revoked, 1 primaries moved; nothing was written")
    const json = JSON.parse(
      (await cli(["--db", db, "policy", "set", policy(dir, {}), "--dry-run", "--json"])).stdout,
    )
    expect(json).toMatchObject({
      dryRun: true,
      granted: [],
      revoked: [{ routeId: 1, nodeId: "r1", prefix: "10.1.0.0/24" }],
    })
    expect((await cli(["--db", db, "routes", "list", "--json"])).stdout).toBe(before.stdout)
  })
})
