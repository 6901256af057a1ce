/**
 * The validation layer through the Promise facade (issue 12): one regression
 * test per defect found by the fuzzer, named after the failure it prevents,
 * each on every store where the store mattered. A refused call is
 * INVALID_INPUT (or INVALID_POLICY) naming the field and the value, and it
 * changes nothing.
 */
import { existsSync } from "node:fs"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  createManualClock,
  createRouteManager,
  type StoreConfig,
  type TailnetRouteManager,
} from "../../src/facade/index.js"
import { cleanUp, stores } from "./stores.js"

let open: TailnetRouteManager[] = []
afterEach(async () => {
  for (const m of open) await m.close()
  open = []
})
afterAll(cleanUp)

const T0 = 1_700_000_000_000

const start = async (store: StoreConfig = "memory") => {
  const m = await createRouteManager({ store, clock: createManualClock(T0), replicaId: "hardening" })
  open.push(m)
  await m.upsertNode({ id: "a", user: "alice@" })
  await m.advertise("a", ["10.0.0.0/24"])
  return m
}

/** Everything a caller can read, to show a refused call changed nothing. */
const state = async (m: TailnetRouteManager) => ({
  routes: await m.listRoutes(),
  a: await m.getNode("a"),
  policy: await m.getPolicy(),
})

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  )

describe("options are checked before anything opens", () => {
  it.each([
    ["gracePeriodMs", "300", 'options.gracePeriodMs: expected number; got "300"'],
    [
      "gracePeriodMs",
      Number.NaN,
      "options.gracePeriodMs: expected an integer from 0 to 31536000000; got NaN",
    ],
    ["gracePeriodMs", -5000, "options.gracePeriodMs: expected an integer from 0 to 31536000000; got -5000"],
    ["onWithdraw", "explode", 'options.onWithdraw: expected "disable" | "retain"; got "explode"'],
    ["preemptDelayMs", 1.5, "options.preemptDelayMs: expected an integer from 0 to 31536000000; got 1.5"],
    ["maxRoutesPerNode", 0, "options.maxRoutesPerNode: expected an integer from 1 to 1000000; got 0"],
    ["gracePeriod", 5, "options.gracePeriod: expected no such key (not an option this takes); got 5"],
  ])(
    "options.%s = %j is refused (a string grace period meant failover never happened)",
    async (key, value, message) => {
      const error = await refusal(createRouteManager({ store: "memory", options: { [key]: value } as never }))
      expect(error).toMatchObject({
        code: "INVALID_INPUT",
        field: `config.options.${key}`,
        message: `createRouteManager: config.${message}`,
      })
    },
  )

  it("a bad option creates no SQLite file", async () => {
    const store = (await stores[1]!.fresh()) as { sqlite: string }
    const error = await refusal(createRouteManager({ store, options: { gracePeriodMs: -1 } }))
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "config.options.gracePeriodMs" })
    expect(existsSync(store.sqlite)).toBe(false)
  })

  it.each([
    [{ store: "memory", replicaId: "r\u0000" }, "config.replicaId"],
    [{ store: "memory", leaseMs: 0 }, "config.leaseMs"],
    [{ store: "memory", onListenerError: "log" }, "config.onListenerError"],
    [{ store: { sqlite: "a\u0000b.db" } }, "config.store"],
    [{ store: { sqlite: "x.db", pollIntervalMs: -1 } }, "config.store"],
    [{ store: "memory", extra: 1 }, "config.extra"],
  ])("%j is refused naming %s", async (config, field) => {
    const error = await refusal(createRouteManager(config as never))
    expect(error).toMatchObject({ code: "INVALID_INPUT" })
    expect((error as { field: string }).field.startsWith(field)).toBe(true)
  })

  it("the control character in a refused value is escaped in the message (a NUL was printed raw)", async () => {
    const error = (await refusal(createRouteManager({ store: "memory", replicaId: "r\u0000" }))) as Error
    expect(error.message).not.toContain("\u0000")
    expect(error.message).toContain("\\u0000")
  })
})

describe.each(stores)("identifiers on $name", (store) => {
  it("a node id or user with a lone surrogate is refused (SQLite stored it as invalid UTF-8, read it back changed, and every later open failed)", async () => {
    const config = await store.fresh()
    const m = await start(config)
    const before = await state(m)
    for (const node of [
      { id: "b\uD800", user: "alice@" },
      { id: "b", user: "\uDC00alice@" },
    ]) {
      const error = await refusal(m.upsertNode(node))
      expect(error).toMatchObject({ code: "INVALID_INPUT" })
      expect((error as Error).message).toMatch(/well-formed Unicode/)
    }
    expect(await state(m)).toEqual(before)
    if (!store.durable) return
    await m.close()
    const again = await createRouteManager({
      store: config,
      clock: createManualClock(T0 + 1),
      replicaId: "hardening",
    })
    open.push(again)
    expect((await again.listRoutes()).map((r) => r.nodeId)).toEqual(["a"])
  })

  it("a NUL or control character in an id is INVALID_INPUT naming the field (Postgres failed it only at write time, as STORAGE)", async () => {
    const m = await start(await store.fresh())
    for (const id of ["b\u0000", "b\u0007", "b\u009f"]) {
      const error = await refusal(m.upsertNode({ id, user: "alice@" }))
      expect(error).toMatchObject({ code: "INVALID_INPUT", field: "node.id", value: id })
    }
    expect(await refusal(m.connect("a\u0000"))).toMatchObject({ code: "INVALID_INPUT", field: "nodeId" })
    expect(await refusal(m.upsertNode({ id: "x".repeat(257), user: "alice@" }))).toMatchObject({
      code: "INVALID_INPUT",
      field: "node.id",
    })
  })

  it("setTags refuses what upsertNode refuses (it stored notag, empty and tag:)", async () => {
    const m = await start(await store.fresh())
    const before = await state(m)
    for (const tags of [["notag"], [""], ["tag:"], ["tag:a\u0000"]]) {
      expect(await refusal(m.upsertNode({ id: "a", user: "alice@", tags }))).toMatchObject({
        code: "INVALID_INPUT",
        field: "node.tags[0]",
      })
      expect(await refusal(m.setTags("a", tags))).toMatchObject({
        code: "INVALID_INPUT",
        field: "tags[0]",
        value: tags[0],
      })
    }
    expect(await state(m)).toEqual(before)
  })

  it("expireNode refuses 1.5, 1e20 and -1 (memory kept them, SQL stores failed with STORAGE)", async () => {
    const m = await start(await store.fresh())
    const before = await state(m)
    for (const at of [1.5, 1e20, -1, Number.NaN]) {
      const error = await refusal(m.expireNode("a", at))
      expect(error).toMatchObject({ code: "INVALID_INPUT", field: "at" })
    }
    expect(await state(m)).toEqual(before)
    await m.expireNode("a", T0 + 5)
    expect((await m.getNode("a"))?.expiresAt).toBe(T0 + 5)
  })

  it("a priority outside the 32-bit range is refused, not failed by the store", async () => {
    const m = await start(await store.fresh())
    expect(await refusal(m.setPriority(1, 2 ** 31))).toMatchObject({ code: "INVALID_PRIORITY" })
    expect(await refusal(m.setPriority(1, "5" as never))).toMatchObject({
      code: "INVALID_INPUT",
      field: "priority",
    })
    await m.setPriority(1, 2 ** 31 - 1)
  })
})

describe("policies are read safely", () => {
  it("a policy object whose getter throws gives INVALID_POLICY, not an untyped error", async () => {
    const m = await start()
    const before = await state(m)
    const hostile = {
      get autoApprovers(): never {
        throw new Error("getter boom")
      },
    }
    const error = await refusal(m.setPolicy(hostile as never))
    expect(error).toMatchObject({ code: "INVALID_POLICY", path: "" })
    expect((error as Error).message).toContain("getter boom")
    expect(await state(m)).toEqual(before)
    const atOpen = await refusal(createRouteManager({ store: "memory", policy: hostile as never }))
    expect(atOpen).toMatchObject({ code: "INVALID_POLICY" })
  })

  it("a revoked Proxy as a policy gives INVALID_POLICY", async () => {
    const m = await start()
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(await refusal(m.setPolicy(proxy as never))).toMatchObject({ code: "INVALID_POLICY" })
  })
})
