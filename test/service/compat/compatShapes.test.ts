// The pure mappers onto Headscale's and Tailscale's shapes, checked against
// the shapes written down from their published definitions (../shapes).
import { describe, expect, it } from "vitest"
import {
  rfc3339,
  toHeadscaleLegacyNode,
  toHeadscaleNode,
  toHeadscaleRoute,
} from "../../../src/service/compat/headscaleShapes.js"
import { toTailscaleDeviceRoutes } from "../../../src/service/compat/tailscaleShapes.js"
import { node, offlineSince, online, route } from "../../support/builders.js"
import { loadShapes, shapeProblems } from "../shapes/matchShape.js"

const legacy = loadShapes("headscale-0.25")
const current = loadShapes("headscale-0.26")
const tailscale = loadShapes("tailscale-v2")

const alice = node("7", { user: "alice@example.com", tags: ["tag:router"], presence: online(5_000) })
const rows = [
  route(3, "7", "10.0.0.0/24", { isPrimary: true }),
  route(1, "7", "0.0.0.0/0"),
  route(2, "7", "::/0"),
  route(4, "7", "192.168.0.0/16", { enabled: false, approvedBy: null }),
  route(5, "7", "172.16.0.0/12", { advertised: false }),
  route(6, "7", "10.9.0.0/16", { deletedAt: 9_000 }),
]

describe("the shape checker", () => {
  it("finds a wrong type, a missing key, an unknown key, a bad uint64 and a bad time (so the tests below can fail)", () => {
    const good = toHeadscaleRoute(rows[0]!, alice)
    expect(shapeProblems(legacy, "v1Route", good)).toEqual([])
    const { advertised: _, ...missing } = good
    expect(
      shapeProblems(legacy, "v1Route", { ...missing, isPrimary: "yes", primary: true, id: "r1" }),
    ).toEqual([
      'v1Route.id: "r1" is not a uint64',
      "v1Route.advertised: missing",
      'v1Route.isPrimary: expected a boolean, got "yes"',
      "v1Route.primary: not in the shape",
    ])
    expect(shapeProblems(legacy, "v1Route", { ...good, createdAt: "2026-12-02 10:00" })).toEqual([
      'v1Route.createdAt: "2026-12-02 10:00" is not an RFC 3339 time',
    ])
  })
})

describe("Headscale ≤ 0.25 (legacy routes)", () => {
  it("maps every row to a v1Route with the node embedded, ids as strings, times in RFC 3339", () => {
    for (const r of rows) expect(shapeProblems(legacy, "v1Route", toHeadscaleRoute(r, alice))).toEqual([])
    expect(toHeadscaleRoute(rows[0]!, alice)).toMatchObject({
      id: "3",
      prefix: "10.0.0.0/24",
      advertised: true,
      enabled: true,
      isPrimary: true,
      createdAt: "1970-01-01T00:00:01.003Z",
      deletedAt: null,
      node: {
        id: "7",
        name: "7",
        online: true,
        forcedTags: ["tag:router"],
        user: { name: "alice@example.com" },
      },
    })
    expect(toHeadscaleRoute(rows[5]!, alice).deletedAt).toBe("1970-01-01T00:00:09Z")
  })

  it("writes times as protojson does (no fraction when it is zero) and an offline node as not online", () => {
    expect(rfc3339(Date.UTC(2026, 11, 2, 10, 0, 0))).toBe("2026-12-02T10:00:00Z")
    expect(rfc3339(Date.UTC(2026, 11, 2, 10, 0, 0, 250))).toBe("2026-12-02T10:00:00.250Z")
    const gone = toHeadscaleLegacyNode(node("8", { user: "bob@", presence: offlineSince(4_000) }))
    expect(shapeProblems(legacy, "v1Node", gone)).toEqual([])
    expect(gone).toMatchObject({ online: false, lastSeen: "1970-01-01T00:00:04Z", expiry: null })
    expect(gone.user).toMatchObject({ id: "0", name: "bob@", email: "" })
  })
})

describe("Headscale ≥ 0.26 (node routes)", () => {
  it("reports approved (enabled), available (advertised) and subnet (served) routes in prefix order", () => {
    const live = rows.filter((r) => r.deletedAt === null)
    const served = [rows[0]!, rows[1]!, rows[2]!]
    const n = toHeadscaleNode(alice, live, served)
    expect(shapeProblems(current, "v1Node", n)).toEqual([])
    expect(shapeProblems(current, "v1GetNodeResponse", { node: n })).toEqual([])
    expect(n.approvedRoutes).toEqual(["0.0.0.0/0", "10.0.0.0/24", "172.16.0.0/12", "::/0"])
    expect(n.availableRoutes).toEqual(["0.0.0.0/0", "10.0.0.0/24", "192.168.0.0/16", "::/0"])
    expect(n.subnetRoutes).toEqual(["0.0.0.0/0", "10.0.0.0/24", "::/0"])
  })

  it("does not fit the legacy shape (the route fields are 0.26's), and the legacy node does not fit 0.26's", () => {
    expect(shapeProblems(legacy, "v1Node", toHeadscaleNode(alice, [], []))).toContain(
      "v1Node.approvedRoutes: not in the shape",
    )
    expect(shapeProblems(current, "v1Node", toHeadscaleLegacyNode(alice))).toContain(
      "v1Node.subnetRoutes: missing",
    )
  })
})

describe("Tailscale API v2 (device routes)", () => {
  it("lists advertised and enabled prefixes of live rows, exit pair included", () => {
    const device = toTailscaleDeviceRoutes(rows)
    expect(shapeProblems(tailscale, "DeviceRoutes", device)).toEqual([])
    expect(device).toEqual({
      advertisedRoutes: ["0.0.0.0/0", "10.0.0.0/24", "192.168.0.0/16", "::/0"],
      enabledRoutes: ["0.0.0.0/0", "10.0.0.0/24", "172.16.0.0/12", "::/0"],
    })
  })
})
