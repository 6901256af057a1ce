/**
 * Opening a SQLite store that holds bad rows never bricks it (issue 12): text
 * stored as invalid UTF-8 (a lone surrogate written before the validation
 * layer) is repaired on open to the text every reader already saw.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterAll, describe, expect, it } from "vitest"
import { createManualClock, createRouteManager } from "../../src/facade/index.js"

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A store where node "b\uD800" (stored as invalid UTF-8) is online through replica r1 and primary for a prefix. */
const brokenStore = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), "tailnet-routes-repair-"))
  dirs.push(dir)
  const path = join(dir, "routes.db")
  const m = await createRouteManager({ store: { sqlite: path }, replicaId: "r1" })
  await m.upsertNode({ id: "a", user: "alice@" })
  await m.close()
  const db = new Database(path)
  db.prepare(
    "INSERT INTO nodes (id, user_name, tags, ephemeral, created_at, sessions, replica_sessions, connected_at) VALUES (?, ?, '[]', 0, 1000, 1, ?, 1000)",
  ).run("b\uD800", "bob\uDC00@", JSON.stringify({ r1: 1 }))
  db.prepare(
    "INSERT INTO routes (id, node_id, prefix, advertised, enabled, is_primary, approved_by, priority, healthy, created_at, updated_at) VALUES (5, ?, '10.9.0.0/24', 1, 1, 1, 'manual', 0, 1, 1000, 1000)",
  ).run("b\uD800")
  db.prepare("UPDATE meta SET next_route_id = 6").run()
  db.close()
  return path
}

// The surrogate's three bytes (ED A0 80) each read back as U+FFFD.
const B = "b\uFFFD\uFFFD\uFFFD"

describe("SQLite text that is not valid UTF-8", () => {
  it("a node id with a lone surrogate, online, no longer fails every open with WRITE_CONFLICT: it is repaired to what readers saw", async () => {
    const path = await brokenStore()
    const m = await createRouteManager({
      store: { sqlite: path },
      clock: createManualClock(10_000),
      replicaId: "r1",
    })
    try {
      const node = await m.getNode(B)
      expect(node).toMatchObject({ id: B, user: "bob\uFFFD\uFFFD\uFFFD@" })
      // The restart ended r1's old session: the node is offline as of the open, its route kept.
      expect(node?.presence.sessions).toBe(0)
      expect((await m.listRoutes({ nodeId: B })).map((r) => r.prefix)).toEqual(["10.9.0.0/24"])
      await m.connect(B)
      expect((await m.reconcile()).repairs).toEqual([])
    } finally {
      await m.close()
    }
    const db = new Database(path, { readonly: true })
    const hex = db.prepare("SELECT hex(id) AS h FROM nodes ORDER BY id").all()
    db.close()
    expect(hex).toEqual([{ h: "61" }, { h: "62EFBFBDEFBFBDEFBFBD" }])
  })
})
