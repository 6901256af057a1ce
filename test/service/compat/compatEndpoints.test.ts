// The compatibility endpoints over HTTP on loopback, on a real SQLite file
// and on a real Postgres database (the run's throwaway cluster):
// Headscale ≤ 0.25 routes, Headscale ≥ 0.26 node approval and Tailscale v2
// device routes answer in the shapes written down from their published
// definitions, act on the same state as the native API, and refuse bad
// input with a 4xx error body in their dialect, changing nothing.
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PostgresRepository, SqliteRepository } from "../../../src/adapters/storeLayers.js"
import type { RouteRepository } from "../../../src/ports/RouteRepository.js"
import { freshDatabaseUrl } from "../../support/postgres.js"
import { type RunningService, startService } from "../serviceHarness.js"
import { loadShapes, shapeProblems } from "../shapes/matchShape.js"

const legacy = loadShapes("headscale-0.25")
const current = loadShapes("headscale-0.26")
const tailscale = loadShapes("tailscale-v2")

const stores: Array<[string, (dir: string) => Promise<Layer.Layer<RouteRepository, unknown>>]> = [
  ["SQLite", async (dir) => SqliteRepository.layer({ filename: path.join(dir, "routes.db") })],
  ["Postgres", async () => PostgresRepository.layer({ url: await freshDatabaseUrl() })],
]

describe.each(stores)("on %s", (_store, makeStore) => {
  let service: RunningService
  let dir: string

  const json = async (res: Response): Promise<any> => {
    const text = await res.text()
    try {
      return JSON.parse(text)
    } catch {
      throw new Error(`not JSON (${res.status}): ${text}`)
    }
  }

  const ok = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await service.call(method, path, body === undefined ? {} : { body })
    const value = await json(res)
    expect(res.status, `${method} ${path}: ${JSON.stringify(value)}`).toBe(200)
    return value
  }

  /** Everything a refused request must leave as it was: the version and every route. */
  const state = async () => ({ ready: await ok("GET", "/readyz"), routes: await ok("GET", "/v1/routes") })

  const routeId = async (nodeId: string, prefix: string): Promise<number> => {
    const routes: Array<{ id: number; nodeId: string; prefix: string }> = await ok("GET", "/v1/routes")
    const r = routes.find((x) => x.nodeId === nodeId && x.prefix === prefix)
    if (r === undefined) throw new Error(`no route ${prefix} on ${nodeId}`)
    return r.id
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-compat-"))
    service = await startService({ store: await makeStore(dir) })
    for (const [id, routes] of [
      ["1", ["10.0.0.0/24", "0.0.0.0/0", "::/0"]],
      ["2", ["10.0.0.0/24", "192.168.1.0/24"]],
      ["3", ["10.0.0.0/24", "172.16.0.0/12"]],
    ] as const) {
      await ok("PUT", `/v1/nodes/${id}`, { user: "alice@example.com" })
      await ok("POST", `/v1/nodes/${id}/connect`)
      await ok("POST", `/v1/nodes/${id}/advertise`, { routes })
    }
    // 172.16.0.0/12 on node 3 is withdrawn: its row stays, not advertised.
    await ok("POST", "/v1/nodes/3/advertise", { routes: ["10.0.0.0/24"] })
  })

  afterAll(async () => {
    await service?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  describe("Headscale ≥ 0.26: approve_routes and the node", () => {
    it("replaces the approved set (either exit prefix approves both) and answers with the node", async () => {
      const body = await ok("POST", "/api/v1/node/1/approve_routes", { routes: ["10.0.0.0/24", "::/0"] })
      expect(shapeProblems(current, "v1SetApprovedRoutesResponse", body)).toEqual([])
      expect(body.node).toMatchObject({
        id: "1",
        online: true,
        approvedRoutes: ["0.0.0.0/0", "10.0.0.0/24", "::/0"],
        availableRoutes: ["0.0.0.0/0", "10.0.0.0/24", "::/0"],
        subnetRoutes: ["0.0.0.0/0", "10.0.0.0/24", "::/0"],
      })
      const again = await ok("GET", "/api/v1/node/1")
      expect(shapeProblems(current, "v1GetNodeResponse", again)).toEqual([])
      expect(again.node.approvedRoutes).toEqual(body.node.approvedRoutes)
    })

    it("lists every node with its routes, in id order", async () => {
      const body = await ok("GET", "/api/v1/node")
      expect(shapeProblems(current, "v1ListNodesResponse", body)).toEqual([])
      expect(body.nodes.map((n: any) => [n.id, n.approvedRoutes, n.subnetRoutes])).toEqual([
        ["1", ["0.0.0.0/0", "10.0.0.0/24", "::/0"], ["0.0.0.0/0", "10.0.0.0/24", "::/0"]],
        ["2", [], []],
        ["3", [], []],
      ])
    })

    it("revokes what the new set leaves out", async () => {
      const body = await ok("POST", "/api/v1/node/1/approve_routes", { routes: ["10.0.0.0/24"] })
      expect(body.node.approvedRoutes).toEqual(["10.0.0.0/24"])
      expect(body.node.subnetRoutes).toEqual(["10.0.0.0/24"])
    })
  })

  describe("Headscale ≤ 0.25: routes by id", () => {
    it("lists every route with its node, in Headscale's v1Route shape", async () => {
      const body = await ok("GET", "/api/v1/routes")
      expect(shapeProblems(legacy, "v1GetRoutesResponse", body)).toEqual([])
      expect(body.routes).toHaveLength(7)
      const primary = body.routes.find((r: any) => r.isPrimary)
      expect(primary).toMatchObject({
        prefix: "10.0.0.0/24",
        enabled: true,
        advertised: true,
        node: { id: "1" },
      })
    })

    it("enables and disables by route id; disabling the primary fails over to the enabled standby", async () => {
      const standby = await routeId("2", "10.0.0.0/24")
      const enabled = await ok("POST", `/api/v1/routes/${standby}/enable`)
      expect(shapeProblems(legacy, "v1EnableRouteResponse", enabled)).toEqual([])
      const primary = await routeId("1", "10.0.0.0/24")
      const disabled = await ok("POST", `/api/v1/routes/${primary}/disable`)
      expect(shapeProblems(legacy, "v1DisableRouteResponse", disabled)).toEqual([])
      const node2 = await ok("GET", "/api/v1/node/2/routes")
      expect(shapeProblems(legacy, "v1GetNodeRoutesResponse", node2)).toEqual([])
      expect(node2.routes.map((r: any) => [r.prefix, r.enabled, r.isPrimary])).toEqual([
        ["10.0.0.0/24", true, true],
        ["192.168.1.0/24", false, false],
      ])
    })

    it("deletes by route id", async () => {
      const id = await routeId("3", "10.0.0.0/24")
      const deleted = await ok("DELETE", `/api/v1/routes/${id}`)
      expect(shapeProblems(legacy, "v1DeleteRouteResponse", deleted)).toEqual([])
      const node3 = await ok("GET", "/api/v1/node/3/routes")
      expect(node3.routes.map((r: any) => r.prefix)).toEqual(["172.16.0.0/12"])
    })
  })

  describe("Tailscale API v2: device routes", () => {
    it("reads advertised and enabled routes, and replaces the enabled set", async () => {
      const before = await ok("GET", "/api/v2/device/2/routes")
      expect(shapeProblems(tailscale, "DeviceRoutes", before)).toEqual([])
      expect(before).toEqual({
        advertisedRoutes: ["10.0.0.0/24", "192.168.1.0/24"],
        enabledRoutes: ["10.0.0.0/24"],
      })
      const after = await ok("POST", "/api/v2/device/2/routes", { routes: ["192.168.1.0/24"] })
      expect(shapeProblems(tailscale, "DeviceRoutes", after)).toEqual([])
      expect(after).toEqual({
        advertisedRoutes: ["10.0.0.0/24", "192.168.1.0/24"],
        enabledRoutes: ["192.168.1.0/24"],
      })
    })
  })

  describe("bad input: a 4xx error body in the dialect, and nothing changes", () => {
    const headscaleCases: Array<[string, string, string, unknown, number, number, string | RegExp]> = [
      [
        "a route id that is not a number",
        "POST",
        "/api/v1/routes/abc/enable",
        undefined,
        400,
        3,
        'invalid route id "abc": expected a decimal route id',
      ],
      ["an unknown route", "POST", "/api/v1/routes/999/disable", undefined, 404, 5, "unknown route 999"],
      ["an unknown route, deleted", "DELETE", "/api/v1/routes/999", undefined, 404, 5, "unknown route 999"],
      ["routes of an unknown node", "GET", "/api/v1/node/99/routes", undefined, 404, 5, "unknown node 99"],
      ["an unknown node", "GET", "/api/v1/node/99", undefined, 404, 5, "unknown node 99"],
      [
        "approving on an unknown node",
        "POST",
        "/api/v1/node/99/approve_routes",
        { routes: [] },
        404,
        5,
        "unknown node 99",
      ],
      [
        "a prefix with host bits",
        "POST",
        "/api/v1/node/2/approve_routes",
        { routes: ["10.0.0.1/24"] },
        400,
        3,
        "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
      ],
      [
        "a prefix the node has no route for",
        "POST",
        "/api/v1/node/2/approve_routes",
        { routes: ["10.9.0.0/16"] },
        404,
        5,
        "node 2 has no route 10.9.0.0/16",
      ],
      [
        "routes that is not a list",
        "POST",
        "/api/v1/node/2/approve_routes",
        { routes: "10.0.0.0/24" },
        400,
        3,
        /^invalid request payload: /,
      ],
      [
        "a body that is not JSON",
        "POST",
        "/api/v1/node/2/approve_routes",
        "{routes:",
        400,
        3,
        /^invalid request payload: /,
      ],
    ]
    it.each(headscaleCases)("Headscale: %s", async (_why, method, path, body, status, code, message) => {
      const before = await state()
      const res = await service.call(method, path, body === undefined ? {} : { body })
      const error = await json(res)
      expect(res.status).toBe(status)
      expect(shapeProblems(legacy, "rpcStatus", error)).toEqual([])
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
      expect(await state()).toEqual(before)
    })

    it("Headscale: enabling a route its node no longer advertises is FailedPrecondition", async () => {
      const before = await state()
      const id = await routeId("3", "172.16.0.0/12")
      const res = await service.call("POST", `/api/v1/routes/${id}/enable`)
      expect(res.status).toBe(400)
      expect(await json(res)).toEqual({
        code: 9,
        message: `route ${id} (172.16.0.0/12 on 3) is not advertised`,
        details: [],
      })
      expect(await state()).toEqual(before)
    })

    const tailscaleCases: Array<[string, string, unknown, number, string, string | RegExp]> = [
      [
        "an unknown device",
        "/api/v2/device/99/routes",
        { routes: [] },
        404,
        "UNKNOWN_NODE",
        "unknown node 99",
      ],
      ["no routes field", "/api/v2/device/2/routes", {}, 400, "INVALID_INPUT", /^invalid request payload: /],
      [
        "a prefix that does not parse",
        "/api/v2/device/2/routes",
        { routes: ["bogus"] },
        400,
        "INVALID_PREFIX",
        /bogus/,
      ],
      [
        "a route the device does not advertise",
        "/api/v2/device/3/routes",
        { routes: ["172.16.0.0/12"] },
        400,
        "ROUTE_NOT_ADVERTISED",
        /is not advertised/,
      ],
    ]
    it.each(tailscaleCases)("Tailscale: %s", async (_why, path, body, status, code, message) => {
      const before = await state()
      const res = await service.call("POST", path, { body })
      const error = await json(res)
      expect(res.status).toBe(status)
      expect(shapeProblems(tailscale, "Error", error)).toEqual([])
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
      expect(await state()).toEqual(before)
    })

    it("without a key every compatibility endpoint is 401 and runs nothing", async () => {
      const before = await state()
      for (const [method, path] of [
        ["GET", "/api/v1/routes"],
        ["POST", "/api/v1/routes/1/disable"],
        ["POST", "/api/v1/node/1/approve_routes"],
        ["GET", "/api/v2/device/1/routes"],
        ["POST", "/api/v2/device/1/routes"],
        ["GET", "/v1/ha"],
      ]) {
        const res = await service.call(
          method!,
          path!,
          method === "GET" ? { key: null } : { key: null, body: { routes: [] } },
        )
        expect(res.status, `${method} ${path}`).toBe(401)
        expect(await json(res)).toMatchObject({ code: "UNAUTHORIZED" })
      }
      expect(await state()).toEqual(before)
    })
  })
})
