/** The Promise facade as two replicas on one SQLite file: each one's listeners hear the other's commits, with version and origin. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, it } from "vitest"
import { createRouteManager } from "../../src/facade/createRouteManager.js"
import type { ChangeJson } from "../../src/facade/toJson.js"

const dir = mkdtempSync(join(tmpdir(), "tailnet-routes-facade-replicas-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it("a commit on one replica reaches the other's listeners once, in order, with its origin", async () => {
  const store = { sqlite: join(dir, "routes.db"), pollIntervalMs: 20 }
  const a = await createRouteManager({ store, replicaId: "a" })
  const b = await createRouteManager({ store, replicaId: "b" })
  try {
    const heard: ChangeJson[] = []
    b.subscribe((c) => heard.push(c))
    await a.upsertNode({ id: "r1", user: "alice@" })
    await a.advertise("r1", ["10.0.0.0/24"])
    await a.approveRoutes("r1", ["10.0.0.0/24"])
    await a.connect("r1")
    const deadline = Date.now() + 5_000
    while (heard.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(heard.map((c) => [c.version, c.origin])).toEqual([
      [1, "a"],
      [2, "a"],
      [3, "a"],
      [4, "a"],
    ])
    expect((await b.getNode("r1"))?.presence).toMatchObject({ sessions: 1, replicas: { a: 1 } })
    expect((await b.listRoutes({ primary: true })).map((r) => r.nodeId)).toEqual(["r1"])
  } finally {
    await b.close()
    await a.close()
  }
})
