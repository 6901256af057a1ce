/**
 * The native JSON API over a real SQLite file and real HTTP on loopback:
 * every endpoint, its problem bodies, and that bad input changes nothing.
 */
import path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SqliteApiKeys } from "../../src/adapters/apiKeyStoreLayers.js"
import { SqliteRepository } from "../../src/adapters/storeLayers.js"
import { tempDir } from "../cli/support.js"
import { type RunningService, startService } from "./serviceHarness.js"

let svc: RunningService
beforeAll(async () => {
  const filename = path.join(tempDir(), "api.db")
  svc = await startService({
    store: SqliteRepository.layer({ filename }),
    keys: SqliteApiKeys.layer({ filename }),
    manager: { gracePeriodMs: 0 },
  })
})
afterAll(() => svc.stop())
// Route ids of 10.1.0.0/24 on r1 and r2, set by the first test.
let a1 = 0
let a2 = 0

const json = async (res: Response): Promise<any> => {
  const text = await res.text()
  return text === "" ? undefined : JSON.parse(text)
}

/** Status, content type and body of a call. */
const call = async (method: string, p: string, init?: Parameters<RunningService["call"]>[2]) => {
  const res = await svc.call(method, p, init)
  return { status: res.status, type: res.headers.get("content-type"), body: await json(res) }
}

/** Everything the API can read, to prove a refused request changed nothing. */
const state = async () => ({
  routes: (await call("GET", "/v1/routes")).body,
  nodes: (await call("GET", "/v1/nodes")).body,
  policy: (await call("GET", "/v1/policy")).body,
})

const problemOf = (status: number, code: string) => ({
  status,
  type: "application/problem+json",
  body: expect.objectContaining({ type: "about:blank", status, code, detail: expect.any(String) }),
})

describe("nodes and routes", () => {
  it("upserts, connects, advertises, enables (primary elected), lists, filters, disables and deletes", async () => {
    const put = await call("PUT", "/v1/nodes/r1", { body: { user: "alice@", tags: ["tag:router"] } })
    expect(put.status).toBe(200)
    expect(put.body.nodes[0].after).toMatchObject({ id: "r1", user: "alice@", tags: ["tag:router"] })
    expect((await call("PUT", "/v1/nodes/r2", { body: { user: "bob@" } })).status).toBe(200)
    expect((await call("POST", "/v1/nodes/r1/connect")).body.nodes[0].after.presence.sessions).toBe(1)
    expect((await call("POST", "/v1/nodes/r2/connect")).status).toBe(200)

    const adv = await call("POST", "/v1/nodes/r1/advertise", {
      body: { routes: ["10.1.0.0/24", "10.9.9.9/8", "bogus"] },
    })
    expect(adv.status).toBe(200)
    expect(adv.body.routes.map((c: any) => c.after.prefix).sort()).toEqual(["10.0.0.0/8", "10.1.0.0/24"])
    // The lenient advertise masks host bits (and says so) and drops what does not parse.
    expect(adv.body.rejected.map((r: any) => r.input).sort()).toEqual(["10.9.9.9/8", "bogus"])
    await call("POST", "/v1/nodes/r2/advertise", { body: { routes: ["10.1.0.0/24"] } })

    const all = await call("GET", "/v1/routes")
    expect(all.body.map((r: any) => [r.nodeId, r.prefix]).sort()).toEqual([
      ["r1", "10.0.0.0/8"],
      ["r1", "10.1.0.0/24"],
      ["r2", "10.1.0.0/24"],
    ])
    const id = (node: string, prefix: string): number =>
      all.body.find((r: any) => r.nodeId === node && r.prefix === prefix).id
    a1 = id("r1", "10.1.0.0/24")
    a2 = id("r2", "10.1.0.0/24")
    expect((await call("GET", "/v1/routes?node=r2")).body.map((r: any) => r.id)).toEqual([a2])
    expect((await call("GET", "/v1/routes?prefix=10.1.0.0/24")).body.map((r: any) => r.id)).toEqual([a1, a2])

    const enabled = await call("POST", `/v1/routes/${a1}/enable`)
    expect(enabled.body.primaries).toEqual([{ prefix: "10.1.0.0/24", before: null, after: a1 }])
    await call("POST", `/v1/routes/${a2}/enable`)
    const disabled = await call("POST", `/v1/routes/${a1}/disable`)
    expect(disabled.body.primaries).toEqual([{ prefix: "10.1.0.0/24", before: a1, after: a2 }])

    const detail = await call("GET", "/v1/nodes/r2")
    expect(detail.body.node.id).toBe("r2")
    expect(detail.body.routes.map((r: any) => [r.id, r.isPrimary])).toEqual([[a2, true]])
    expect((await call("GET", "/v1/nodes")).body.map((n: any) => n.id)).toEqual(["r1", "r2"])

    const removed = await call("DELETE", `/v1/routes/${id("r1", "10.0.0.0/8")}`)
    expect(removed.body.routes[0].after).toMatchObject({
      prefix: "10.0.0.0/8",
      deletedAt: expect.any(Number),
    })
    expect((await call("POST", "/v1/nodes/r2/disconnect")).body.nodes[0].after.presence.sessions).toBe(0)

    await call("PUT", "/v1/nodes/gone", { body: { user: "carol@" } })
    const deleted = await call("DELETE", "/v1/nodes/gone")
    expect(deleted.body.nodes[0].after.deletedAt).toEqual(expect.any(Number))
    expect((await call("GET", "/v1/nodes")).body.map((n: any) => n.id)).toEqual(["r1", "r2"])
  })

  it("explains a prefix and reports overlaps", async () => {
    const why = await call("GET", "/v1/explain?prefix=10.1.0.0/24")
    expect(why.status).toBe(200)
    expect(why.body).toMatchObject({ prefix: "10.1.0.0/24", exit: false, storedPrimary: a2 })
    expect(why.body.candidates.map((c: any) => c.route.id).sort()).toEqual([a1, a2].sort())
    // r1 adds 10.1.0.0/16, over r2's 10.1.0.0/24: one pair (r1's own /24 under it is not a pair).
    await call("POST", "/v1/nodes/r1/advertise", { body: { routes: ["10.1.0.0/24", "10.1.0.0/16"] } })
    const o = await call("GET", "/v1/overlaps")
    expect(o.status).toBe(200)
    expect(o.body.reserved).toEqual([])
    expect(o.body.overlaps.map((p: any) => [p.a.nodeId, p.a.prefix, p.b.nodeId, p.b.prefix])).toEqual([
      ["r2", "10.1.0.0/24", "r1", "10.1.0.0/16"],
    ])
    // Withdrawn, the /16 is still a live row and still overlaps; deleted, it does not.
    await call("POST", "/v1/nodes/r1/advertise", { body: { routes: ["10.1.0.0/24"] } })
    await call("DELETE", `/v1/routes/${o.body.overlaps[0].b.id}`)
    expect((await call("GET", "/v1/overlaps")).body.overlaps).toEqual([])
  })

  it("commands on what does not exist are 404 problems naming it", async () => {
    expect(await call("POST", "/v1/nodes/nobody/connect")).toEqual({
      ...problemOf(404, "UNKNOWN_NODE"),
      body: expect.objectContaining({ code: "UNKNOWN_NODE", nodeId: "nobody" }),
    })
    expect(await call("GET", "/v1/nodes/nobody")).toMatchObject(problemOf(404, "UNKNOWN_NODE"))
    expect(await call("POST", "/v1/routes/999/enable")).toMatchObject({
      ...problemOf(404, "UNKNOWN_ROUTE"),
      body: expect.objectContaining({ routeId: 999 }),
    })
    expect(await call("GET", "/v1/no-such-thing")).toMatchObject(problemOf(404, "NOT_FOUND"))
  })
})

describe("policy", () => {
  const policy = { autoApprovers: { routes: { "10.0.0.0/8": ["tag:router"] } } }
  it("a dry run previews and writes nothing; a PUT installs it", async () => {
    const before = await state()
    const preview = await call("PUT", "/v1/policy?dryRun=true", { body: policy })
    expect(preview.status).toBe(200)
    expect(preview.body).toMatchObject({ dryRun: true, revoked: [] })
    // r1 is tag:router: its disabled 10.1.0.0/24 would be approved (r2's is approved already).
    expect(preview.body.granted.map((g: any) => [g.nodeId, g.prefix])).toEqual([["r1", "10.1.0.0/24"]])
    expect(await state()).toEqual(before)
    const set = await call("PUT", "/v1/policy", { body: policy })
    expect(set.status).toBe(200)
    expect(set.body.policy).toEqual(policy)
    expect((await call("GET", "/v1/policy")).body).toEqual(policy)
  })
})

describe("bad input: a 4xx problem body, nothing changed", () => {
  const cases: ReadonlyArray<readonly [string, string, string, unknown, number, string]> = [
    ["body not JSON", "POST", "/v1/nodes/r1/advertise", "{nope", 400, "INVALID_INPUT"],
    ["routes not a list", "POST", "/v1/nodes/r1/advertise", { routes: 5 }, 400, "INVALID_INPUT"],
    ["no body", "POST", "/v1/nodes/r1/advertise", undefined, 400, "INVALID_INPUT"],
    ["node without user", "PUT", "/v1/nodes/x", { tags: [] }, 400, "INVALID_INPUT"],
    ["tag without tag:", "PUT", "/v1/nodes/r1", { user: "alice@", tags: ["router"] }, 400, "INVALID_INPUT"],
    ["expiry not a time", "PUT", "/v1/nodes/r1", { user: "alice@", expiresAt: -1 }, 400, "INVALID_INPUT"],
    ["route id not a number", "POST", "/v1/routes/abc/enable", undefined, 400, "INVALID_INPUT"],
    ["route id zero", "DELETE", "/v1/routes/0", undefined, 400, "INVALID_INPUT"],
    ["prefix filter not strict", "GET", "/v1/routes?prefix=10.1.0.1/24", undefined, 400, "INVALID_PREFIX"],
    ["explain without prefix", "GET", "/v1/explain", undefined, 400, "INVALID_INPUT"],
    ["explain of a bad prefix", "GET", "/v1/explain?prefix=010.0.0.0/8", undefined, 400, "INVALID_PREFIX"],
    [
      "policy of the wrong shape",
      "PUT",
      "/v1/policy",
      { autoApprovers: { routes: 3 } },
      400,
      "INVALID_INPUT",
    ],
    [
      "policy naming a bad prefix",
      "PUT",
      "/v1/policy",
      { autoApprovers: { routes: { "10.0.0.1/8": ["a@"] } } },
      400,
      "INVALID_INPUT",
    ],
    ["dryRun not a boolean", "PUT", "/v1/policy?dryRun=maybe", {}, 400, "INVALID_INPUT"],
    ["enable a withdrawn route", "POST", "/v1/routes/1/enable", undefined, 409, "ROUTE_NOT_ADVERTISED"],
  ]
  it.each(cases)("%s", async (_why, method, p, body, status, code) => {
    if (code === "ROUTE_NOT_ADVERTISED")
      await call("POST", "/v1/nodes/r1/advertise", { body: { routes: [] } })
    const before = await state()
    const res = await call(
      method,
      p.replace("/routes/1/", `/routes/${a1}/`),
      body === undefined ? {} : { body },
    )
    expect(res).toMatchObject(problemOf(status, code))
    expect(res.body.message).toBe(res.body.detail)
    expect(await state()).toEqual(before)
  })

  it("a body over the limit is 413 and changes nothing", async () => {
    const before = await state()
    const huge = { routes: Array.from({ length: 80_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`) }
    expect(await call("POST", "/v1/nodes/r1/advertise", { body: huge })).toMatchObject(
      problemOf(413, "PAYLOAD_TOO_LARGE"),
    )
    expect(await state()).toEqual(before)
  })
})

describe("auth", () => {
  it("missing, malformed, unknown and expired keys are 401 problems and change nothing", async () => {
    const before = await state()
    const { createApiKey } = await import("../../src/service/apiKeys.js")
    const expired = await svc.runtime.runPromise(createApiKey(1, 2))
    const keys: ReadonlyArray<readonly [string | null, string]> = [
      [null, "missing"],
      ["hunter2", "malformed"],
      [`${svc.key.slice(0, 16)}_${"A".repeat(43)}`, "unknown"],
      [`trk_000000000000_${"B".repeat(43)}`, "unknown"],
      [expired.key, "expired"],
    ]
    for (const [key, reason] of keys) {
      const res = await call("POST", "/v1/nodes/r1/advertise", { key, body: { routes: ["192.168.0.0/24"] } })
      expect(res).toMatchObject({
        ...problemOf(401, "UNAUTHORIZED"),
        body: expect.objectContaining({ reason }),
      })
    }
    expect(await call("GET", "/v1/changes", { key: null })).toMatchObject(problemOf(401, "UNAUTHORIZED"))
    expect(await state()).toEqual(before)
  })

  it("operations endpoints and the OpenAPI document need no key", async () => {
    expect(await call("GET", "/healthz", { key: null })).toMatchObject({
      status: 200,
      body: { status: "ok" },
    })
    expect(await call("GET", "/readyz", { key: null })).toMatchObject({
      status: 200,
      body: { status: "ready" },
    })
    const metrics = await svc.call("GET", "/metrics", { key: null })
    expect(metrics.status).toBe(200)
    expect(metrics.headers.get("content-type")).toContain("text/plain")
    const doc = await call("GET", "/openapi.json", { key: null })
    // Every native path is documented (other groups may add theirs).
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/healthz",
        "/metrics",
        "/readyz",
        "/v1/changes",
        "/v1/explain",
        "/v1/nodes",
        "/v1/nodes/{id}",
        "/v1/nodes/{id}/advertise",
        "/v1/nodes/{id}/connect",
        "/v1/nodes/{id}/disconnect",
        "/v1/overlaps",
        "/v1/policy",
        "/v1/routes",
        "/v1/routes/{id}",
        "/v1/routes/{id}/disable",
        "/v1/routes/{id}/enable",
      ]),
    )
    expect(doc.body.paths["/v1/nodes/{id}/advertise"].post.responses["400"].content).toHaveProperty(
      "application/problem+json",
    )
    expect(JSON.stringify(doc.body.components.securitySchemes)).toContain("bearer")
  })
})
