/** The facade's own behaviour: the manual clock, subscriptions, input checks, closing, error mapping. */
import { afterEach, describe, expect, it } from "vitest"
import { unknownNode } from "../../src/domain/errors.js"
import {
  type ChangeJson,
  createManualClock,
  createRouteManager,
  InvalidInputError,
  InvalidPolicyError,
  type TailnetRouteManager,
  TailnetRoutesError,
  toFacadeError,
  UnknownNodeError,
  WriteConflictError,
} from "../../src/facade/index.js"
import { WriteConflict } from "../../src/ports/RouteRepository.js"

const SUBNET = "10.0.0.0/24"
let open: TailnetRouteManager[] = []
afterEach(async () => {
  for (const m of open) await m.close()
  open = []
})

const start = async (grace = 10_000) => {
  const clock = createManualClock(1_000_000)
  const m = await createRouteManager({ store: "memory", clock, options: { gracePeriodMs: grace } })
  open.push(m)
  for (const id of ["a", "b"]) {
    await m.upsertNode({ id, user: "alice@" })
    await m.advertise(id, [SUBNET])
    await m.approveRoutes(id, [SUBNET])
    await m.connect(id)
  }
  return { m, clock }
}

describe("manual clock", () => {
  it("advance wakes the failover timer by itself: a subscriber hears it with no further call", async () => {
    const { m, clock } = await start()
    await m.disconnect("a")
    const heard = new Promise<ChangeJson>((resolve) => m.subscribe(resolve))
    clock.advance(10_000)
    const event = await heard
    expect(event.primaries).toEqual([{ prefix: SUBNET, before: 1, after: 2 }])
    expect(event.routes.map((c) => c.after.updatedAt)).toEqual([1_010_000, 1_010_000])
  })

  it("set jumps forward; time never moves back", () => {
    const clock = createManualClock(5)
    clock.set(10)
    expect(clock.now()).toBe(10)
    expect(() => clock.set(9)).toThrow(new InvalidInputError("set: 9 is before the current time 10"))
    expect(() => clock.advance(-1)).toThrow(
      new InvalidInputError("advance: -1 ms is negative; time only moves forward"),
    )
  })
})

describe("subscriptions", () => {
  it("listeners get every change set in commit order, and a call resolves after they did", async () => {
    const { m } = await start()
    const seen: string[] = []
    const off = m.subscribe((e) => seen.push(`1:${e.affectedNodes.join(",")}`))
    m.subscribe((e) => seen.push(`2:${e.affectedNodes.join(",")}`))
    await m.disableRoute(1)
    expect(seen).toEqual(["1:a,b", "2:a,b"])
    off()
    await m.enableRoute(1)
    expect(seen).toEqual(["1:a,b", "2:a,b", "2:"])
  })

  it("a change set that writes nothing is not published", async () => {
    const { m } = await start()
    const seen: ChangeJson[] = []
    m.subscribe((e) => seen.push(e))
    const cs = await m.approveRoutes("a", [SUBNET])
    expect(cs.routes).toEqual([])
    expect(seen).toEqual([])
  })
})

describe("setApprovedRoutes", () => {
  it("replaces a node's approved set in one published change: the primary moves once", async () => {
    const { m } = await start()
    await m.advertise("a", [SUBNET, "10.9.0.0/24"])
    const seen: ChangeJson[] = []
    m.subscribe((e) => seen.push(e))
    const cs = await m.setApprovedRoutes("a", ["10.9.0.0/24"])
    expect(seen).toHaveLength(1)
    expect(cs.primaries.map((p) => p.prefix).sort()).toEqual(["10.0.0.0/24", "10.9.0.0/24"])
    const enabled = (await m.nodeRoutes("a")).filter((r) => r.enabled).map((r) => r.prefix)
    expect(enabled).toEqual(["10.9.0.0/24"])
    expect((await m.listRoutes({ prefix: SUBNET, primary: true }))[0]?.nodeId).toBe("b")
  })

  it("refuses a prefix the node has no route for, changing nothing", async () => {
    const { m } = await start()
    const before = await m.listRoutes()
    await expect(m.setApprovedRoutes("a", ["10.7.0.0/24"])).rejects.toMatchObject({ code: "NO_SUCH_ROUTE" })
    expect(await m.listRoutes()).toEqual(before)
  })
})

describe("inputs and errors", () => {
  it("rejects malformed arguments before they reach the core", async () => {
    const { m } = await start()
    await expect(m.advertise("a", "10.0.0.0/8" as unknown as string[])).rejects.toEqual(
      new InvalidInputError('advertise: prefixes must be an array of strings; got "10.0.0.0/8"', undefined, {
        field: "prefixes",
        value: "10.0.0.0/8",
      }),
    )
    await expect(m.enableRoute(1.5)).rejects.toEqual(
      new InvalidInputError("enableRoute: route id 1.5 is not an integer", undefined, {
        field: "routeId",
        value: 1.5,
      }),
    )
    await expect(m.upsertNode({ id: "c", user: "alice@", tags: ["router"] })).rejects.toBeInstanceOf(
      InvalidInputError,
    )
  })

  it("an invalid policy at open is thrown as InvalidPolicyError naming the entry", async () => {
    const error = await createRouteManager({
      store: "memory",
      policy: '{ "autoApprovers": { "routes": { "10.0.0.1/8": [] } } }',
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidPolicyError)
    expect(error).toMatchObject({ code: "INVALID_POLICY", path: 'autoApprovers.routes["10.0.0.1/8"]' })
  })

  it("an unknown store is refused", async () => {
    await expect(createRouteManager({ store: { mysql: "x" } as never })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    })
  })

  it("maps typed errors to coded Error subclasses, keeping the typed error as cause", () => {
    const typed = unknownNode("n9")
    const mapped = toFacadeError(typed)
    expect(mapped).toBeInstanceOf(UnknownNodeError)
    expect(mapped).toBeInstanceOf(TailnetRoutesError)
    expect(mapped).toBeInstanceOf(Error)
    expect(mapped).toMatchObject({
      code: "UNKNOWN_NODE",
      nodeId: "n9",
      message: "unknown node n9",
      cause: typed,
    })
    const conflict = new WriteConflict({ table: "routes", id: 7, reason: "stale" })
    expect(toFacadeError(conflict)).toEqual(
      new WriteConflictError("write conflict on routes row 7 (stale); retries exhausted", conflict),
    )
    const defect = new TypeError("boom")
    expect(toFacadeError(defect)).toBe(defect)
  })

  it("close is idempotent and later calls fail with MANAGER_CLOSED", async () => {
    const { m } = await start()
    await m.close()
    await m.close()
    await expect(m.connect("a")).rejects.toMatchObject({
      code: "MANAGER_CLOSED",
      message: "connect: the route manager is closed",
    })
    expect(() => m.subscribe(() => {})).toThrow("subscribe: the route manager is closed")
  })
})

describe("system clock", () => {
  it("without a clock the manager reads the system time and closes cleanly", async () => {
    const before = Date.now()
    const m = await createRouteManager({ store: "memory" })
    open.push(m)
    const cs = await m.upsertNode({ id: "a", user: "alice@" })
    const createdAt = cs.nodes[0]!.after.createdAt
    expect(createdAt >= before && createdAt <= Date.now()).toBe(true)
    await m.close()
  })
})
