/**
 * The JSON dialect as the Promise facade returns it: the route record, who
 * needs a netmap (`affectedNodes`, `reroutedPrefixes`), explain's reason
 * codes, errors as JSON, and `docs/schema.json` in step with the Schemas.
 */
import { readFileSync } from "node:fs"
import path from "node:path"
import { Schema } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { type ChangeSet, emptyChangeSet } from "../../src/domain/ChangeSet.js"
import { parsePrefixUnsafe } from "../../src/domain/Prefix.js"
import type { Route } from "../../src/domain/Route.js"
import {
  createManualClock,
  createRouteManager,
  type TailnetRouteManager,
  UnknownNodeError,
} from "../../src/facade/index.js"
import { jsonSchemaText } from "../../src/facade/internal/jsonSchemaDocument.js"
import {
  ChangeJsonSchema,
  ErrorJsonSchema,
  ExplanationJsonSchema,
  OverlapsJsonSchema,
  ReconcileJsonSchema,
  RouteJsonSchema,
} from "../../src/facade/jsonSchemas.js"
import { reroutedPrefixes, routeToJson } from "../../src/facade/toJson.js"
import { route } from "../support/builders.js"

const SUBNET = "10.0.0.0/24"
const T = Date.UTC(2026, 0, 1)
const root = path.resolve(import.meta.dirname, "../..")

let open: TailnetRouteManager[] = []
afterEach(async () => {
  for (const m of open) await m.close()
  open = []
})

const start = async () => {
  const clock = createManualClock(T)
  const m = await createRouteManager({ store: "memory", clock, options: { gracePeriodMs: 10_000 } })
  open.push(m)
  return { m, clock }
}

/** Throws when `value` is not a valid JSON value of `schema` (its encoded side). */
const conforms = (schema: Schema.Top, value: unknown): void => {
  Schema.decodeUnknownSync(schema as Schema.Codec<unknown, unknown>)(JSON.parse(JSON.stringify(value)))
}

describe("the JSON Schema", () => {
  it("docs/schema.json is generated from the effect Schemas (run npm run docs:schema after changing them)", () => {
    expect(readFileSync(path.join(root, "docs/schema.json"), "utf8")).toBe(jsonSchemaText())
  })
})

describe("route records", () => {
  it("use the library's field names, epoch ms times and deletedAt", () => {
    const route: Route = {
      id: 1,
      nodeId: "router-a",
      prefix: parsePrefixUnsafe(SUBNET),
      advertised: true,
      enabled: true,
      isPrimary: true,
      approvedBy: "policy",
      priority: 0,
      healthy: true,
      createdAt: T,
      updatedAt: T + 1500,
      deletedAt: null,
    }
    const json = routeToJson(route)
    expect(json).toEqual({
      id: 1,
      nodeId: "router-a",
      prefix: SUBNET,
      advertised: true,
      enabled: true,
      isPrimary: true,
      approvedBy: "policy",
      priority: 0,
      healthy: true,
      createdAt: T,
      updatedAt: T + 1500,
      deletedAt: null,
    })
    conforms(RouteJsonSchema, json)
  })
})

describe("who needs a netmap", () => {
  const router = async (m: TailnetRouteManager, id: string, prefixes: string[]) => {
    await m.upsertNode({ id, user: "alice@" })
    await m.connect(id)
    await m.advertise(id, prefixes)
  }

  it("a primary move: both nodes' own sets changed, and the prefix's peers must hear who routes it now", async () => {
    const { m } = await start()
    await router(m, "a", [SUBNET])
    await router(m, "b", [SUBNET])
    const elected = await m.approveRoutes("a", [SUBNET])
    expect([elected.affectedNodes, elected.reroutedPrefixes]).toEqual([["a"], [SUBNET]])
    await m.approveRoutes("b", [SUBNET])
    const [ra] = await m.listRoutes({ nodeId: "a" })
    const moved = await m.disableRoute(ra!.id)
    expect(moved.primaries).toEqual([{ prefix: SUBNET, before: ra!.id, after: expect.any(Number) }])
    expect([moved.affectedNodes, moved.reroutedPrefixes]).toEqual([["a", "b"], [SUBNET]])
    conforms(ChangeJsonSchema, moved)
  })

  it("a standby's priority changes its prefix's rows but nobody's netmap", async () => {
    const { m } = await start()
    await router(m, "a", [SUBNET])
    await router(m, "b", [SUBNET])
    await m.approveRoutes("a", [SUBNET])
    await m.approveRoutes("b", [SUBNET])
    const [rb] = await m.listRoutes({ nodeId: "b" })
    const change = await m.setPriority(rb!.id, -5)
    expect([change.affectedPrefixes, change.affectedNodes, change.reroutedPrefixes]).toEqual([
      [SUBNET],
      [],
      [],
    ])
  })

  it("an exit pair starting and stopping service reroutes 0.0.0.0/0 and ::/0", async () => {
    const { m } = await start()
    await router(m, "x", ["0.0.0.0/0", "::/0"])
    const [v4] = await m.listRoutes({ nodeId: "x", prefix: "0.0.0.0/0" })
    const on = await m.enableRoute(v4!.id)
    expect([on.primaries, on.affectedNodes, on.reroutedPrefixes]).toEqual([[], ["x"], ["0.0.0.0/0", "::/0"]])
    const off = await m.advertise("x", [])
    expect([off.affectedNodes, off.reroutedPrefixes]).toEqual([["x"], ["0.0.0.0/0", "::/0"]])
  })

  it("with a subnet flip beside one changed exit half, the pair is listed only if that half's service flipped", () => {
    const row = (id: number, prefix: string, over: Partial<Route>): Route =>
      route(id, "x", prefix, { createdAt: T, updatedAt: T, ...over })
    const subnet = {
      before: row(1, SUBNET, { isPrimary: true }),
      after: row(1, SUBNET, { isPrimary: false }),
    }
    const base: ChangeSet = {
      ...emptyChangeSet(4),
      primaries: [{ prefix: SUBNET, before: 1, after: null }],
      affectedNodes: ["x"],
    }
    // Only the priority of the ::/0 half changed: its service did not flip, so the pair is not rerouted.
    const priority = { before: row(3, "::/0", {}), after: row(3, "::/0", { priority: 3 }) }
    expect(reroutedPrefixes({ ...base, routes: [subnet, priority] })).toEqual([SUBNET])
    // ::/0 was withdrawn: the pair may have stopped (the change does not show 0.0.0.0/0), so it is listed.
    const withdrawn = { before: row(3, "::/0", {}), after: row(3, "::/0", { advertised: false }) }
    expect(reroutedPrefixes({ ...base, routes: [subnet, withdrawn] })).toEqual([SUBNET, "0.0.0.0/0", "::/0"])
    // Both halves in the change: compared exactly.
    const v4Off = {
      before: row(2, "0.0.0.0/0", { enabled: false }),
      after: row(2, "0.0.0.0/0", { enabled: false }),
    }
    expect(reroutedPrefixes({ ...base, routes: [subnet, v4Off, withdrawn] })).toEqual([SUBNET])
  })
})

describe("explain", () => {
  it("carries a status and a reason code beside each sentence, and the verdict", async () => {
    const { m, clock } = await start()
    for (const id of ["a", "b"]) {
      await m.upsertNode({ id, user: "alice@" })
      await m.advertise(id, [SUBNET])
      await m.approveRoutes(id, [SUBNET])
      clock.advance(1000)
    }
    await m.connect("a")
    const e = await m.explain(SUBNET)
    expect(e).toEqual({
      prefix: SUBNET,
      exit: false,
      primary: 1,
      storedPrimary: 1,
      candidates: [
        {
          route: expect.objectContaining({ id: 1, nodeId: "a" }),
          status: "primary",
          reason: "Sticky",
          eligible: true,
          at: null,
          graceUntil: null,
          text: "primary: it was primary and is still eligible (sticky)",
        },
        {
          route: expect.objectContaining({ id: 2, nodeId: "b" }),
          status: "ineligible",
          reason: "NeverConnected",
          eligible: false,
          at: null,
          graceUntil: null,
          text: "not eligible: node never connected",
        },
      ],
      verdict: ["route 1 on a is primary: it was primary and is still eligible (sticky)"],
    })
    conforms(ExplanationJsonSchema, e)
    await m.connect("b")
    expect((await m.explain(SUBNET)).candidates.map((c) => [c.status, c.reason])).toEqual([
      ["primary", "Sticky"],
      ["standby", "Younger"],
    ])
    await m.disconnect("a")
    const inGrace = (await m.explain(SUBNET)).candidates[0]!
    expect([inGrace.reason, inGrace.graceUntil]).toEqual(["Sticky", clock.now() + 10_000])
    clock.advance(10_000)
    const gone = (await m.explain(SUBNET)).candidates.find((c) => c.route.nodeId === "a")!
    expect([gone.status, gone.reason, gone.at]).toEqual(["ineligible", "Offline", clock.now() - 10_000])
  })
})

describe("other records conform to their schemas", () => {
  it("overlaps and reconcile", async () => {
    const { m } = await start()
    await m.upsertNode({ id: "a", user: "alice@" })
    await m.advertise("a", ["10.0.0.0/8", "100.64.0.0/10"])
    await m.upsertNode({ id: "b", user: "alice@" })
    await m.advertise("b", [SUBNET])
    const overlaps = await m.overlaps()
    expect(overlaps.overlaps.length).toBe(1)
    conforms(OverlapsJsonSchema, overlaps)
    const reconciled = await m.reconcile()
    expect(Object.keys(reconciled).sort()).toEqual(["changes", "repairs"])
    conforms(ReconcileJsonSchema, reconciled)
  })
})

describe("errors as JSON", () => {
  it("toJSON gives { code, message } and the fields naming the input", async () => {
    const { m } = await start()
    const error = await m.connect("ghost").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnknownNodeError)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: "UNKNOWN_NODE",
      message: "unknown node ghost",
      nodeId: "ghost",
    })
    conforms(ErrorJsonSchema, error)
  })
})
