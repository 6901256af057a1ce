/**
 * Listener isolation (issue 12): a subscriber that throws or rejects never
 * fails the command, never stops delivery to the others and never crashes
 * the process; its error goes to `onListenerError` (default: stderr, naming
 * the change's version and origin).
 */
import { execFileSync } from "node:child_process"
import { afterEach, describe, expect, it, vi } from "vitest"
import {
  type ChangeJson,
  createManualClock,
  createRouteManager,
  type TailnetRouteManager,
} from "../../src/facade/index.js"

let open: TailnetRouteManager[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  for (const m of open) await m.close()
  open = []
})

const start = async (onListenerError?: (error: unknown, change: ChangeJson) => void) => {
  const m = await createRouteManager({
    store: "memory",
    clock: createManualClock(1_000),
    replicaId: "r-test",
    ...(onListenerError === undefined ? {} : { onListenerError }),
  })
  open.push(m)
  return m
}

/** Lets a rejected promise's handlers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

describe("listener isolation", () => {
  it("a listener that throws fails neither the command nor delivery to the next listener; the error goes to onListenerError with the change", async () => {
    const failures: Array<[unknown, number | undefined, string | undefined]> = []
    const m = await start((error, change) => failures.push([error, change.version, change.origin]))
    const boom = new Error("listener boom")
    const seen: string[] = []
    m.subscribe(() => {
      throw boom
    })
    m.subscribe((c) => seen.push(c.nodes.map((n) => n.after.id).join(",")))
    await expect(m.upsertNode({ id: "a", user: "alice@" })).resolves.toMatchObject({
      nodes: [{ before: null }],
    })
    await m.upsertNode({ id: "b", user: "alice@" })
    expect(seen).toEqual(["a", "b"])
    expect(failures).toEqual([
      [boom, 1, "r-test"],
      [boom, 2, "r-test"],
    ])
  })

  it("a listener whose promise rejects is reported the same way, with no unhandled rejection", async () => {
    const failures: unknown[] = []
    const m = await start((error) => failures.push(error))
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => unhandled.push(e)
    process.on("unhandledRejection", onUnhandled)
    try {
      m.subscribe(async () => {
        throw new Error("async boom")
      })
      await m.upsertNode({ id: "a", user: "alice@" })
      await settle()
    } finally {
      process.off("unhandledRejection", onUnhandled)
    }
    expect(failures).toEqual([new Error("async boom")])
    expect(unhandled).toEqual([])
  })

  it("by default a listener's error is one line on stderr naming the change's version and origin", async () => {
    const written: string[] = []
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    const m = await start()
    m.subscribe(() => {
      throw new Error("listener boom")
    })
    await m.upsertNode({ id: "a", user: "alice@" })
    expect(written).toHaveLength(1)
    expect(written[0]).toMatch(
      /^tailnet-routes: a change listener failed on version 1 \(origin r-test\): Error: listener boom/,
    )
  })

  it("an onListenerError that throws is itself logged to stderr, and delivery goes on", async () => {
    const written: string[] = []
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    const m = await start(() => {
      throw new Error("handler boom")
    })
    const seen: number[] = []
    m.subscribe(() => {
      throw new Error("listener boom")
    })
    m.subscribe((c) => seen.push(c.version ?? -1))
    await m.upsertNode({ id: "a", user: "alice@" })
    expect(seen).toEqual([1])
    expect(written.join("")).toContain("handler boom")
  })

  it("a subscriber that throws does not crash the Node process (it used to rethrow in a microtask)", () => {
    const script = `
      import { createRouteManager } from ${JSON.stringify(new URL("../../src/index.ts", import.meta.url).pathname)}
      const m = await createRouteManager({ store: "memory", onListenerError: () => {} })
      m.subscribe(() => { throw new Error("boom") })
      m.subscribe(async () => { throw new Error("async boom") })
      await m.upsertNode({ id: "a", user: "alice@" })
      await new Promise((r) => setTimeout(r, 50))
      await m.close()
      console.log("alive")
    `
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      cwd: new URL("../..", import.meta.url).pathname,
    })
    expect(out.trim().split("\n").at(-1)).toBe("alive")
  })
})
