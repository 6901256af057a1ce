/**
 * One JSON dialect: over the same store, the CLI's `--json` output and the
 * Promise facade's values are the same records, and every `--json` output of
 * the CLI is a valid value of its schema in `docs/schema.json`.
 */
import path from "node:path"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRouteManager, type TailnetRouteManager } from "../../src/facade/index.js"
import {
  ChangeJsonSchema,
  ErrorJsonSchema,
  ExplanationJsonSchema,
  ImportJsonSchema,
  NodeSummaryJsonSchema,
  OverlapsJsonSchema,
  ReconcileJsonSchema,
  RouteJsonSchema,
  SimulationJsonSchema,
  ViaJsonSchema,
} from "../../src/facade/jsonSchemas.js"
import { buildSqlite } from "../import/support/headscaleFixtures.js"
import { cli, seed, tempDir } from "./support.js"

const conforms = (schema: Schema.Top, text: string): unknown => {
  const value = JSON.parse(text)
  Schema.decodeUnknownSync(schema as Schema.Codec<unknown, unknown>)(value)
  return value
}

describe("the CLI and the API speak one dialect", () => {
  let db = ""
  let api: TailnetRouteManager
  beforeAll(async () => {
    db = `sqlite:${path.join(tempDir(), "dialect.db")}`
    await seed(db)
    api = await createRouteManager({ store: { sqlite: db.slice("sqlite:".length) } })
  })
  afterAll(async () => {
    await api?.close()
  })
  const run = (...args: string[]) => cli(["--db", db, ...args, "--json"])

  it("routes and overlaps are the same records", async () => {
    const listed = await run("routes", "list")
    expect(JSON.parse(listed.stdout)).toEqual(await api.listRoutes())
    const overlaps = await run("overlaps")
    expect(JSON.parse(overlaps.stdout)).toEqual(await api.overlaps())
    for (const r of JSON.parse(listed.stdout)) Schema.decodeUnknownSync(RouteJsonSchema)(r)
    conforms(OverlapsJsonSchema, overlaps.stdout)
  })

  it("nodes list carries the API's node records", async () => {
    const listed = conforms(
      Schema.Array(NodeSummaryJsonSchema),
      (await run("nodes", "list")).stdout,
    ) as Array<{
      node: { id: string }
    }>
    expect(listed.length).toBe(4)
    for (const entry of listed) expect(entry.node).toEqual(await api.getNode(entry.node.id))
  })

  it("explain has the same fields, reason codes included", async () => {
    const fromCli = conforms(ExplanationJsonSchema, (await run("explain", "10.0.0.0/24")).stdout)
    const fromApi = await api.explain("10.0.0.0/24")
    expect(Object.keys(fromCli as object)).toEqual(Object.keys(fromApi))
    expect((fromCli as typeof fromApi).candidates.map((c) => [c.route.id, c.status])).toEqual(
      fromApi.candidates.map((c) => [c.route.id, c.status]),
    )
  })

  it("an error is the same JSON from both", async () => {
    const fromCli = await run("routes", "approve", "ghost", "10.0.0.0/24")
    const fromApi = await api.approveRoutes("ghost", ["10.0.0.0/24"]).catch((e: unknown) => e)
    expect(JSON.parse(fromCli.stderr)).toEqual(JSON.parse(JSON.stringify(fromApi)))
    conforms(ErrorJsonSchema, fromCli.stderr)
  })

  it("reconcile is the API's record plus dryRun", async () => {
    const fromCli = conforms(ReconcileJsonSchema, (await run("reconcile", "--dry-run")).stdout)
    expect(fromCli).toEqual({ dryRun: true, ...(await api.reconcile()) })
  })
})

describe("every --json output conforms to its schema", () => {
  it("a write command's change, via, migrate and simulate", async () => {
    const db = `sqlite:${path.join(tempDir(), "shapes.db")}`
    await seed(db)
    conforms(ChangeJsonSchema, (await cli(["--db", db, "routes", "enable", "7", "--json"])).stdout)
    conforms(ViaJsonSchema, (await cli(["via", "7", "10.1.1.0/24", "--json"])).stdout)
    conforms(ViaJsonSchema, (await cli(["via", "fd7a:115c:a1e0:b1a:0:7:a01:105", "--json"])).stdout)
    const target = `sqlite:${path.join(tempDir(), "import.db")}`
    const source = buildSqlite("0.26")
    conforms(
      ImportJsonSchema,
      (await cli(["--db", target, "migrate", "--from-headscale", source, "--json"])).stdout,
    )
    const sim = `sqlite:${path.join(tempDir(), "sim.db")}`
    conforms(
      SimulationJsonSchema,
      (await cli(["--db", sim, "simulate", "--nodes", "10", "--seconds", "2", "--json"])).stdout,
    )
  })
})
