import { existsSync } from "node:fs"
import path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "vitest"
import { assertReconcileRepairs, cliContract } from "./cliContract.js"
import { cli, seed, tempDir } from "./support.js"

cliContract(
  "SQLite",
  async () => {
    const db = `sqlite:${path.join(tempDir(), "routes.db")}`
    await seed(db)
    return db
  },
  async () => `sqlite:${path.join(tempDir(), "routes.db")}`,
)

describe("CLI store errors (SQLite)", () => {
  it("a missing database file is an error and is not created", async () => {
    const file = path.join(tempDir(), "typo.db")
    const results = await Promise.all([
      cli(["--db", `sqlite:${file}`, "routes", "list"]),
      cli(["--db", `sqlite:${file}`, "routes", "enable", "1"]),
      cli(["--db", `sqlite:${file}`, "reconcile"]),
    ])
    const message = `error: sqlite:${file}: no such database file; check --db (policy set, migrate and simulate create one)\n`
    expect(results).toEqual([0, 1, 2].map(() => ({ code: 1, stdout: "", stderr: message })))
    expect(existsSync(file)).toBe(false)
  })

  it("a malformed --db is a usage error", async () => {
    expect(await cli(["--db", "mysql://127.0.0.1/x", "routes", "list"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: --db mysql://127.0.0.1/x is not a store; expected sqlite:PATH or postgres://...\nrun 'tailnet-routes --help' for the commands\n",
    })
  })

  it("DATABASE_URL chooses the store when --db is absent", async () => {
    const file = path.join(tempDir(), "env.db")
    expect(await cli(["routes", "list"], { DATABASE_URL: `sqlite:${file}` })).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: sqlite:${file}: no such database file; check --db (policy set, migrate and simulate create one)\n`,
    })
  })
})

it("reconcile repairs a SQLite store broken behind the library's back", async () => {
  const file = path.join(tempDir(), "broken.db")
  await seed(`sqlite:${file}`)
  const db = new Database(file)
  db.prepare("UPDATE routes SET advertised = 0 WHERE id = 3").run()
  db.close()
  await assertReconcileRepairs(`sqlite:${file}`)
})
