/**
 * End-to-end scenarios through the Promise facade, one list run over the
 * memory, SQLite and Postgres stores, with a manual clock (no wall-clock waits).
 */
import { afterAll, describe, expect, it } from "vitest"
import {
  type ChangeJson,
  type CreateRouteManagerOptions,
  createManualClock,
  createRouteManager,
  type ManualClock,
  type RouteJson,
  type TailnetRouteManager,
} from "../../src/facade/index.js"
import { cleanUp, stores } from "./stores.js"

const GRACE = 15_000
const T0 = Date.UTC(2026, 0, 1)
const SUBNET = "10.0.0.0/24"

afterAll(cleanUp)

/** Who is primary for a prefix (node ids), from the public API only. */
const primaryOf = async (m: TailnetRouteManager, prefix = SUBNET): Promise<string[]> =>
  (await m.listRoutes({ prefix, primary: true })).map((r) => r.nodeId)

const brief = (rs: ReadonlyArray<RouteJson>) =>
  rs.map(
    (r) =>
      `${r.nodeId} ${r.prefix} ${r.advertised ? "adv" : "-"} ${r.enabled ? "on" : "off"}${r.isPrimary ? " primary" : ""}`,
  )

/** Opens a manager and remembers it, so a failing test still closes it. */
const opened: TailnetRouteManager[] = []
const open = async (config: CreateRouteManagerOptions): Promise<TailnetRouteManager> => {
  const m = await createRouteManager(config)
  opened.push(m)
  return m
}
afterAll(async () => {
  for (const m of opened) await m.close()
})

describe.each(stores)("scenarios on $name", (store) => {
  const start = async (
    options: CreateRouteManagerOptions["options"] = {},
    extra: Partial<CreateRouteManagerOptions> = {},
  ) => {
    const clock = createManualClock(T0)
    const m = await open({
      store: await store.fresh(),
      clock,
      options: { gracePeriodMs: GRACE, ...options },
      ...extra,
    })
    return { m, clock }
  }

  const haGroup = async (m: TailnetRouteManager, clock: ManualClock) => {
    for (const id of ["r1", "r2", "r3"]) {
      await m.upsertNode({ id, user: "alice@" })
      await m.advertise(id, [SUBNET])
      await m.approveRoutes(id, [SUBNET])
      await m.connect(id)
      clock.advance(1_000)
    }
  }

  it("three-router HA group: elect, fail over at grace, no flap-back, disable, withdraw, delete node", async () => {
    const { m, clock } = await start()
    const events: ChangeJson[] = []
    m.subscribe((e) => events.push(e))
    await haGroup(m, clock)
    expect(await primaryOf(m)).toEqual(["r1"])
    expect((await m.primaryRoutes("r1")).map((r) => r.prefix)).toEqual([SUBNET])

    await m.disconnect("r1")
    const disconnectedAt = clock.now()
    clock.advance(GRACE - 1)
    expect(await primaryOf(m)).toEqual(["r1"])
    events.length = 0
    clock.advance(1)
    expect(await primaryOf(m)).toEqual(["r2"])
    // The failover is one event at exactly the grace deadline.
    const [r1, r2, r3] = await m.listRoutes({ prefix: SUBNET })
    expect(events).toEqual([
      {
        nodes: [],
        routes: [
          { before: { ...r1, isPrimary: true, updatedAt: r1!.createdAt }, after: r1 },
          { before: { ...r2, isPrimary: false, updatedAt: r2!.createdAt }, after: r2 },
        ],
        primaries: [{ prefix: SUBNET, before: r1!.id, after: r2!.id }],
        affectedPrefixes: [SUBNET],
        affectedNodes: ["r1", "r2"],
        reroutedPrefixes: [SUBNET],
        rejected: [],
        policy: null,
        // A change event carries its commit: version, origin and time pass through to the JSON.
        version: expect.any(Number),
        origin: expect.stringMatching(/^replica-/),
        committedAt: disconnectedAt + GRACE,
        reloadedFrom: null,
      },
    ])
    expect(r2!.updatedAt).toBe(disconnectedAt + GRACE)

    await m.connect("r1")
    clock.advance(10 * GRACE)
    expect(await primaryOf(m)).toEqual(["r2"])

    await m.disableRoute(r2!.id)
    expect(await primaryOf(m)).toEqual(["r1"])
    await m.advertise("r1", [])
    expect(await primaryOf(m)).toEqual(["r3"])
    expect(brief(await m.listRoutes({ prefix: SUBNET }))).toEqual([
      `r1 ${SUBNET} - off`,
      `r2 ${SUBNET} adv off`,
      `r3 ${SUBNET} adv on primary`,
    ])
    await m.deleteNode("r3")
    expect(await primaryOf(m)).toEqual([])
    expect(await m.listRoutes({ nodeId: "r3" })).toEqual([])
    expect((await m.getNode("r3"))?.deletedAt).toBe(clock.now())
    expect(r3!.nodeId).toBe("r3")
  })

  it("exit nodes: the pair is enabled together, served by every node, never primary; half pairs refused", async () => {
    const { m } = await start()
    for (const id of ["x1", "x2"]) {
      await m.upsertNode({ id, user: "bob@" })
      await m.advertise(id, ["0.0.0.0/0", "::/0"])
      await m.connect(id)
    }
    const [v4] = await m.listRoutes({ nodeId: "x1", prefix: "0.0.0.0/0" })
    const cs = await m.enableRoute(v4!.id)
    expect(cs.routes.map((c) => [c.after.prefix, c.after.enabled, c.after.approvedBy])).toEqual([
      ["0.0.0.0/0", true, "manual"],
      ["::/0", true, "manual"],
    ])
    await m.approveRoutes("x2", ["::/0"])
    expect(brief(await m.servedRoutes("x1"))).toEqual(["x1 0.0.0.0/0 adv on", "x1 ::/0 adv on"])
    expect(brief(await m.servedRoutes("x2"))).toEqual(["x2 0.0.0.0/0 adv on", "x2 ::/0 adv on"])
    expect(await m.listRoutes({ exit: true, primary: true })).toEqual([])

    await m.upsertNode({ id: "half", user: "bob@" })
    await m.advertise("half", ["0.0.0.0/0"])
    const error = await m.approveRoutes("half", ["0.0.0.0/0"]).catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: "HalfExitPairError",
      code: "HALF_EXIT_PAIR",
      nodeId: "half",
      missing: "::/0",
      message: "node half does not advertise ::/0; exit routes are enabled as a pair",
    })
    expect(await m.listRoutes({ nodeId: "half", enabled: true })).toEqual([])
  })

  it("autoApprovers with groups and tags; a policy change revokes policy approvals, never manual ones", async () => {
    const policy = {
      groups: { "group:ops": ["alice@"] },
      autoApprovers: {
        routes: { "10.0.0.0/8": ["group:ops"], "192.168.0.0/16": ["tag:router"] },
        exitNode: ["tag:exit"],
      },
    }
    const { m } = await start({}, { policy })
    await m.upsertNode({ id: "a", user: "alice@" })
    await m.upsertNode({ id: "b", user: "bob@" })
    await m.upsertNode({ id: "t", user: "alice@", tags: ["tag:router"] })
    await m.upsertNode({ id: "e", user: "carol@", tags: ["tag:exit"] })
    await m.advertise("a", ["10.1.0.0/16", "192.168.1.0/24"])
    await m.advertise("b", ["10.2.0.0/16"])
    await m.advertise("t", ["10.3.0.0/16", "192.168.2.0/24"])
    await m.advertise("e", ["0.0.0.0/0", "::/0"])
    const approvals = async () =>
      (await m.listRoutes()).map(
        (r) => `${r.nodeId} ${r.prefix} ${r.enabled ? (r.approvedBy ?? "?") : "off"}`,
      )
    // A tagged node is approved only through tags, even though its owner is in group:ops.
    expect(await approvals()).toEqual([
      "a 10.1.0.0/16 policy",
      "a 192.168.1.0/24 off",
      "b 10.2.0.0/16 off",
      "t 10.3.0.0/16 off",
      "t 192.168.2.0/24 policy",
      "e 0.0.0.0/0 policy",
      "e ::/0 policy",
    ])
    await m.approveRoutes("b", ["10.2.0.0/16"])
    const cs = await m.setPolicy('{ "autoApprovers": { "routes": { "192.168.0.0/16": ["tag:router"] } }, }')
    expect(cs.policy).toEqual({ autoApprovers: { routes: { "192.168.0.0/16": ["tag:router"] } } })
    expect(await approvals()).toEqual([
      "a 10.1.0.0/16 off",
      "a 192.168.1.0/24 off",
      "b 10.2.0.0/16 manual",
      "t 10.3.0.0/16 off",
      "t 192.168.2.0/24 policy",
      "e 0.0.0.0/0 off",
      "e ::/0 off",
    ])
    const bad = await m
      .setPolicy({ autoApprovers: { routes: { "10.0.0.1/8": ["alice@"] } } })
      .catch((e: unknown) => e)
    expect(bad).toMatchObject({ code: "INVALID_POLICY", name: "InvalidPolicyError" })
    expect((bad as Error).message).toContain("10.0.0.1/8")
  })

  it("4via6: a valid via route is elected like any subnet; an invalid site ID is rejected by name", async () => {
    const { m, clock } = await start()
    const via = "fd7a:115c:a1e0:b1a:0:7:a01:100/120"
    const badVia = "fd7a:115c:a1e0:b1a:1:0:a01:100/120"
    for (const id of ["v1", "v2"]) {
      await m.upsertNode({ id, user: "alice@" })
      const cs = await m.advertise(id, [via, badVia])
      expect(cs.rejected).toEqual([
        {
          input: badVia,
          reason: `route ${badVia} contains invalid site ID 00010000; must be 0xffff or less`,
        },
      ])
      await m.approveRoutes(id, [via])
      await m.connect(id)
      clock.advance(1_000)
    }
    expect(await primaryOf(m, via)).toEqual(["v1"])
    await m.disconnect("v1")
    clock.advance(GRACE)
    expect(await primaryOf(m, via)).toEqual(["v2"])
    expect((await m.explain(via)).candidates.map((c) => [c.route.nodeId, c.status, c.reason])).toEqual([
      ["v2", "primary", "Sticky"],
      ["v1", "ineligible", "Offline"],
    ])
  })

  it("an ephemeral node logging out while primary fails over at once and leaves no live routes", async () => {
    const { m } = await start()
    await m.upsertNode({ id: "eph", user: "alice@", ephemeral: true })
    await m.upsertNode({ id: "s", user: "alice@" })
    for (const id of ["eph", "s"]) {
      await m.advertise(id, [SUBNET])
      await m.approveRoutes(id, [SUBNET])
      await m.connect(id)
    }
    expect(await primaryOf(m)).toEqual(["eph"])
    const cs = await m.logoutEphemeral("eph")
    expect(cs.primaries.map((p) => p.prefix)).toEqual([SUBNET])
    expect(await primaryOf(m)).toEqual(["s"])
    expect(await m.nodeRoutes("eph")).toEqual([])
    const error = await m.logoutEphemeral("s").catch((e: unknown) => e)
    expect(error).toMatchObject({ code: "NOT_EPHEMERAL", nodeId: "s", message: "node s is not ephemeral" })
    const again = await m.connect("eph").catch((e: unknown) => e)
    expect(again).toMatchObject({ code: "NODE_DELETED", nodeId: "eph", message: "node eph is deleted" })
  })

  it("errors carry a stable code and name the input", async () => {
    const { m } = await start()
    await expect(m.connect("ghost")).rejects.toMatchObject({
      code: "UNKNOWN_NODE",
      message: "unknown node ghost",
    })
    await expect(m.enableRoute(99)).rejects.toMatchObject({ code: "UNKNOWN_ROUTE", routeId: 99 })
    await m.upsertNode({ id: "a", user: "alice@" })
    await expect(m.approveRoutes("a", ["10.0.0.1/24"])).rejects.toMatchObject({
      code: "INVALID_PREFIX",
      input: "10.0.0.1/24",
      message: "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
    })
    await expect(m.approveRoutes("a", ["10.0.0.0/24"])).rejects.toMatchObject({
      code: "NO_SUCH_ROUTE",
      message: "node a has no route 10.0.0.0/24",
    })
    await m.advertise("a", [SUBNET])
    await m.advertise("a", [])
    await expect(m.approveRoutes("a", [SUBNET])).rejects.toMatchObject({ code: "ROUTE_NOT_ADVERTISED" })
    await expect(m.upsertNode({ id: "", user: "alice@" })).rejects.toMatchObject({ code: "INVALID_INPUT" })
    await m.close()
    await expect(m.listRoutes()).rejects.toMatchObject({
      code: "MANAGER_CLOSED",
      message: "listRoutes: the route manager is closed",
    })
  })

  it.runIf(store.durable)(
    "restart: stored primaries hold one grace window; routers that return in time keep them",
    async () => {
      const config = await store.fresh()
      const clock = createManualClock(T0)
      const first = await open({ store: config, clock, options: { gracePeriodMs: GRACE } })
      await haGroup(first, clock)
      await first.close()
      clock.advance(60_000)

      const m = await open({ store: config, clock, options: { gracePeriodMs: GRACE } })
      const restartedAt = clock.now()
      expect(await primaryOf(m)).toEqual(["r1"])
      expect((await m.getNode("r1"))?.presence).toEqual({
        sessions: 0,
        replicas: {},
        connectedAt: null,
        lastSeen: T0,
        disconnectedAt: restartedAt,
      })
      const events: ChangeJson[] = []
      m.subscribe((e) => events.push(e))
      clock.advance(3_000)
      await m.connect("r2")
      await m.connect("r3")
      clock.advance(GRACE - 3_001)
      expect(await primaryOf(m)).toEqual(["r1"])
      clock.advance(1)
      expect(await primaryOf(m)).toEqual(["r2"])
      expect(events.map((e) => e.primaries.map((p) => p.prefix))).toEqual([[], [], [SUBNET]])
    },
  )
})
