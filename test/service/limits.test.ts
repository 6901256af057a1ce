/**
 * The request limits and the slowing of bad keys: a request not answered in
 * time is a 503 problem (the change stream is exempt), and an address that
 * keeps presenting bad keys waits longer for each 401.
 */
import net from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { FailureThrottle } from "../../src/service/failureThrottle.js"
import { type RunningService, startService } from "./serviceHarness.js"
import { openSse } from "./sseClient.js"

const throttle = { free: 2, windowMs: 60_000, baseMs: 300, maxMs: 1_000, maxAddresses: 100 }
// A tight time limit; the throttle's wait (300 ms) makes a handler slower than it.
let svc: RunningService
// The default time limit, for the throttle's own waits.
let roomy: RunningService
beforeAll(async () => {
  svc = await startService({ service: { requestTimeoutMs: 200, heartbeatMs: 150, throttle } })
  roomy = await startService({ service: { throttle } })
})
afterAll(async () => {
  await svc.stop()
  await roomy.stop()
})

const bad = `trk_000000000000_${"C".repeat(43)}`

/** Sends the headers and part of a body, the rest after `delayMs`; resolves to the raw reply. */
const slowRequest = async (delayMs: number): Promise<string> => {
  const port = Number(new URL(svc.url).port)
  const body = JSON.stringify({ user: "slow@" })
  const socket = net.connect(port, "127.0.0.1")
  await new Promise<void>((r) => socket.once("connect", () => r()))
  let reply = ""
  socket.on("data", (d) => {
    reply += d
  })
  const ended = new Promise<void>((r) => socket.once("close", () => r()))
  socket.write(
    `PUT /v1/nodes/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${svc.key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
  )
  await new Promise((r) => setTimeout(r, delayMs))
  socket.end(body.slice(5))
  await ended
  return reply
}

describe("limits", () => {
  it("a request not answered within the time limit is a 503 problem", async () => {
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await svc.call("GET", "/v1/nodes", { key: bad })).status)
    expect(statuses).toEqual([401, 401, 503])
    const res = await svc.call("GET", "/v1/nodes", { key: bad })
    expect(res.status).toBe(503)
    expect(res.headers.get("content-type")).toBe("application/problem+json")
    expect(await res.json()).toMatchObject({ code: "REQUEST_TIMEOUT", status: 503 })
  })

  it("a body that does not arrive within the time limit is cut off and commits nothing", async () => {
    const reply = await slowRequest(600)
    expect(reply).not.toMatch(/^HTTP\/1\.1 200 /)
    expect((await svc.call("GET", "/v1/nodes/slow")).status).toBe(404)
  })

  it("the change stream outlives the time limit", async () => {
    const stream = await openSse(`${svc.url}/v1/changes`, { authorization: `Bearer ${svc.key}` })
    await stream.next()
    await new Promise((r) => setTimeout(r, 500))
    expect(await stream.next()).toEqual({ comment: "heartbeat" })
    stream.close()
  })

  it("repeated bad keys from one address wait before their 401, a good key does not", async () => {
    const timed = async (key: string) => {
      const t0 = performance.now()
      const res = await roomy.call("GET", "/v1/nodes", { key })
      return { status: res.status, ms: performance.now() - t0 }
    }
    const tries = [await timed(bad), await timed(bad), await timed(bad), await timed(bad)]
    expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 401])
    // The third failure waits at least 300 ms, the fourth at least 600 ms.
    expect(tries[2]!.ms).toBeGreaterThanOrEqual(290)
    expect(tries[3]!.ms).toBeGreaterThanOrEqual(590)
    expect((await timed(roomy.key)).status).toBe(200)
  })
})

describe("FailureThrottle", () => {
  const settings = { free: 2, windowMs: 1_000, baseMs: 100, maxMs: 350, maxAddresses: 2 }
  it("lets the first failures through, then doubles each wait up to the cap, per address and window", () => {
    const t = new FailureThrottle(settings)
    expect([0, 1, 2, 3, 4, 5].map(() => t.fail("a", 0))).toEqual([0, 0, 100, 200, 350, 350])
    expect(t.fail("b", 0)).toBe(0)
    // A new window starts the count again.
    expect(t.fail("a", 1_001)).toBe(0)
  })
  it("forgets every address when the table is full, so memory stays bounded", () => {
    const t = new FailureThrottle(settings)
    for (let i = 0; i < 3; i++) t.fail("a", 0)
    t.fail("b", 0)
    t.fail("c", 0)
    expect(t.fail("a", 0)).toBe(0)
  })
})
