/**
 * Properties over every public command and option of the Promise facade
 * (issue 12), on memory, SQLite and Postgres: given arbitrary JSON-ish
 * values, strings with lone surrogates, NUL and control characters, and huge
 * numbers, a call either succeeds with a change set or fails with a typed
 * `TailnetRoutesError` that is not a storage failure (the store never sees
 * what the validation layer should have refused); every node id accepted
 * reads back unchanged after a reopen; `reconcile` finds nothing to repair.
 */
import fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import {
  createManualClock,
  createRouteManager,
  type TailnetRouteManager,
  TailnetRoutesError,
} from "../../src/facade/index.js"
import { cleanUp, stores } from "./stores.js"

afterAll(cleanUp)

const T0 = 1_700_000_000_000

/** Strings a fuzzer should try: plain, lone surrogates, NUL and control characters, long. */
const nasty = fc.oneof(
  fc.constantFrom(
    "a",
    "b",
    "",
    "\uD800",
    "a\uDC00",
    "\uDBFF\uDFFF",
    "\u0000",
    "x\u0007y",
    "\u009f",
    "tag:x",
    "tag:",
    "tag:\u0000",
    "alice@",
    "10.0.0.0/24",
    "0.0.0.0/0",
    "::/0",
    "10.0.0.1/24",
    "x".repeat(300),
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 6 }),
)

/** Numbers a fuzzer should try: huge, fractional, negative, not finite. */
const numbers = fc.oneof(
  fc.constantFrom(0, 1, 2, -1, 1.5, 1e20, -1e20, 2 ** 31, 2 ** 53, Number.NaN, Infinity, -Infinity, T0),
  fc.integer(),
  fc.double(),
)

/** Any JSON-ish value, biased towards the nasty strings and numbers. */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: numbers },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(nasty, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.bigInt() },
)

const nodeInput = fc.oneof(
  fc.record(
    {
      id: fc.oneof(nasty, anything),
      user: fc.oneof(nasty, anything),
      tags: fc.oneof(fc.array(nasty, { maxLength: 3 }), anything),
      ephemeral: fc.oneof(fc.boolean(), anything),
      expiresAt: fc.oneof(numbers, fc.constant(null), anything),
    },
    { requiredKeys: ["id", "user"] },
  ),
  anything,
)

type Call = readonly [string, (m: TailnetRouteManager) => Promise<unknown>]

const call = fc.oneof(
  nodeInput.map((n): Call => ["upsertNode", (m) => m.upsertNode(n as never)]),
  fc.tuple(nasty, anything).map(([id, t]): Call => ["setTags", (m) => m.setTags(id, t as never)]),
  fc.oneof(nasty, anything).map((id): Call => ["connect", (m) => m.connect(id as never)]),
  fc.oneof(nasty, anything).map((id): Call => ["disconnect", (m) => m.disconnect(id as never)]),
  fc
    .tuple(nasty, fc.oneof(numbers, anything))
    .map(([id, at]): Call => ["expireNode", (m) => m.expireNode(id, at as never)]),
  fc.oneof(nasty, anything).map((id): Call => ["deleteNode", (m) => m.deleteNode(id as never)]),
  fc.oneof(nasty, anything).map((id): Call => ["logoutEphemeral", (m) => m.logoutEphemeral(id as never)]),
  fc
    .tuple(nasty, fc.oneof(fc.array(nasty, { maxLength: 5 }), anything))
    .map(([id, ps]): Call => ["advertise", (m) => m.advertise(id, ps as never)]),
  fc.oneof(numbers, anything).map((r): Call => ["enableRoute", (m) => m.enableRoute(r as never)]),
  fc.oneof(numbers, anything).map((r): Call => ["disableRoute", (m) => m.disableRoute(r as never)]),
  fc.oneof(numbers, anything).map((r): Call => ["deleteRoute", (m) => m.deleteRoute(r as never)]),
  fc
    .tuple(nasty, fc.oneof(fc.array(nasty, { maxLength: 3 }), anything))
    .map(([id, ps]): Call => ["approveRoutes", (m) => m.approveRoutes(id, ps as never)]),
  fc
    .tuple(nasty, fc.oneof(fc.array(nasty, { maxLength: 3 }), anything))
    .map(([id, ps]): Call => ["revokeRoutes", (m) => m.revokeRoutes(id, ps as never)]),
  fc
    .tuple(numbers, fc.oneof(numbers, anything))
    .map(([r, p]): Call => ["setPriority", (m) => m.setPriority(r, p as never)]),
  fc.tuple(numbers, anything).map(([r, h]): Call => ["markHealth", (m) => m.markHealth(r, h as never)]),
  anything.map((p): Call => ["setPolicy", (m) => m.setPolicy(p as never)]),
  fc
    .record({ autoApprovers: fc.record({ routes: fc.dictionary(nasty, fc.array(nasty, { maxLength: 2 })) }) })
    .map((p): Call => ["setPolicy", (m) => m.setPolicy(p as never)]),
  fc
    .oneof(anything, fc.record({ nodeId: nasty, prefix: nasty }))
    .map((f): Call => ["listRoutes", (m) => m.listRoutes(f as never)]),
  fc.oneof(nasty, anything).map((id): Call => ["getNode", (m) => m.getNode(id as never)]),
  fc.oneof(nasty, anything).map((id): Call => ["servedRoutes", (m) => m.servedRoutes(id as never)]),
  fc.oneof(nasty, anything).map((p): Call => ["explain", (m) => m.explain(p as never)]),
)

/** Codes that mean the store, not the validation layer, refused a value. */
const storeCodes = new Set(["STORAGE", "CONSTRAINT_VIOLATION", "WRITE_CONFLICT"])

describe.each(stores)("arbitrary inputs on $name", (store) => {
  it("every call succeeds or fails with a typed, non-storage error; accepted ids read back unchanged after a reopen", async () => {
    const config = await store.fresh()
    const open = () => createRouteManager({ store: config, clock: createManualClock(T0), replicaId: "fuzz" })
    const m = await open()
    const accepted = new Set<string>()
    try {
      await m.upsertNode({ id: "a", user: "alice@" })
      await m.advertise("a", ["10.0.0.0/24", "0.0.0.0/0", "::/0"])
      await fc.assert(
        fc.asyncProperty(call, async ([name, run]) => {
          try {
            const result = await run(m)
            if (name === "upsertNode" && typeof result === "object" && result !== null) {
              for (const c of (result as { nodes: Array<{ after: { id: string } }> }).nodes)
                accepted.add(c.after.id)
            }
          } catch (error) {
            if (!(error instanceof TailnetRoutesError))
              throw new Error(`${name}: untyped error ${String(error)}`)
            if (storeCodes.has(error.code)) throw new Error(`${name}: the store refused it: ${error.message}`)
          }
        }),
        { numRuns: store.name === "postgres" ? 150 : 300 },
      )
      const repaired = await m.reconcile()
      expect(repaired.repairs).toEqual([])
    } finally {
      await m.close()
    }
    if (!store.durable) return
    const again = await open()
    try {
      for (const id of accepted) expect((await again.getNode(id))?.id).toBe(id)
    } finally {
      await again.close()
    }
  }, 120_000)
})

describe("arbitrary options", () => {
  it("createRouteManager with arbitrary options opens or refuses with INVALID_INPUT, never anything else", async () => {
    const options = fc.oneof(
      anything,
      fc.dictionary(
        fc.constantFrom(
          "gracePeriodMs",
          "onWithdraw",
          "whenNoneEligible",
          "preemption",
          "preemptDelayMs",
          "maxRoutesPerNode",
          "bogus",
        ),
        fc.oneof(numbers, nasty, fc.boolean(), fc.constantFrom("disable", "retain", "keep-last", "clear")),
      ),
    )
    const config = fc.record(
      {
        options,
        replicaId: fc.oneof(nasty, anything),
        leaseMs: fc.oneof(numbers, anything),
        policy: anything,
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(config, async (c) => {
        let m: TailnetRouteManager | undefined
        try {
          m = await createRouteManager({ store: "memory", clock: createManualClock(T0), ...(c as object) })
        } catch (error) {
          if (!(error instanceof TailnetRoutesError)) throw new Error(`untyped error ${String(error)}`)
          expect(["INVALID_INPUT", "INVALID_POLICY"]).toContain(error.code)
        } finally {
          await m?.close()
        }
      }),
      { numRuns: 300 },
    )
  })
})
