/**
 * `/metrics`, `/readyz` and the JSON log: failovers and flaps counted and
 * logged, routes by state, grace timers, command latency, and readiness that
 * follows the change log (a write by another process not yet folded in).
 */
import path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { SqliteApiKeys } from "../../src/adapters/apiKeyStoreLayers.js"
import { SqliteRepository } from "../../src/adapters/storeLayers.js"
import { cli, tempDir } from "../cli/support.js"
import { type RunningService, startService } from "./serviceHarness.js"

const running: RunningService[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop()
})

const metric = (text: string, name: string): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `))
  if (line === undefined) throw new Error(`no metric ${name} in\n${text}`)
  return Number(line.slice(name.length + 1))
}

const scrape = async (svc: RunningService) => (await svc.call("GET", "/metrics", { key: null })).text()

const haPair = async (svc: RunningService) => {
  for (const n of ["r1", "r2"]) {
    await svc.call("PUT", `/v1/nodes/${n}`, { body: { user: "ops@" } })
    await svc.call("POST", `/v1/nodes/${n}/connect`)
    await svc.call("POST", `/v1/nodes/${n}/advertise`, { body: { routes: ["10.0.0.0/24"] } })
  }
  await svc.call("POST", "/v1/routes/1/enable")
  await svc.call("POST", "/v1/routes/2/enable")
}

describe("metrics and logs", () => {
  it("counts failovers and flaps, logs each failover, and reports routes by state and command latency", async () => {
    const svc = await startService({ manager: { gracePeriodMs: 0 } })
    running.push(svc)
    await haPair(svc)
    await svc.call("POST", "/v1/nodes/r1/disconnect") // 1 → 2
    await svc.call("POST", "/v1/nodes/r1/connect")
    await svc.call("POST", "/v1/nodes/r2/disconnect") // 2 → 1: back to the route it left, a flap
    await svc.call("PUT", "/v1/nodes/r3", { body: { user: "ops@" } })
    await svc.call("POST", "/v1/nodes/r3/advertise", { body: { routes: ["10.9.0.0/24"] } })
    const text = await scrape(svc)
    expect(metric(text, "tailnet_routes_failovers_total")).toBe(2)
    expect(metric(text, "tailnet_routes_flaps_total")).toBe(1)
    expect(metric(text, "tailnet_routes_primaries")).toBe(1)
    expect(metric(text, 'tailnet_routes_routes{state="primary"}')).toBe(1)
    expect(metric(text, 'tailnet_routes_routes{state="enabled"}')).toBe(1)
    expect(metric(text, 'tailnet_routes_routes{state="advertised"}')).toBe(1)
    expect(metric(text, "tailnet_routes_command_duration_seconds_count")).toBe(13)
    expect(metric(text, 'tailnet_routes_command_duration_seconds_bucket{le="+Inf"}')).toBe(13)
    expect(metric(text, "tailnet_routes_change_log_lag")).toBe(0)
    const logs = svc.logs.map((l) => JSON.parse(l))
    expect(logs.filter((l) => l.msg === "failover").map((l) => [l.prefix, l.from, l.to])).toEqual([
      ["10.0.0.0/24", 1, 2],
      ["10.0.0.0/24", 2, 1],
    ])
    const requests = logs.filter((l) => l.msg === "request")
    expect(requests.length).toBe(14) // 13 commands and the scrape
    expect(requests[0]).toMatchObject({
      method: "PUT",
      path: "/v1/nodes/r1",
      status: 200,
      remote: "127.0.0.1",
    })
    expect(typeof requests[0].ms).toBe("number")
  })

  it("counts disconnected routers inside their grace window", async () => {
    const svc = await startService({
      manager: { gracePeriodMs: 600_000 },
    })
    running.push(svc)
    await haPair(svc)
    await svc.call("POST", "/v1/nodes/r1/disconnect")
    const text = await scrape(svc)
    expect(metric(text, "tailnet_routes_grace_timers_pending")).toBe(1)
    expect(metric(text, "tailnet_routes_failovers_total")).toBe(0)
  })

  it("reads the grace window from the manager's options", async () => {
    // No grace: a disconnected router is offline at once, so no timer is pending.
    const svc = await startService({ manager: { gracePeriodMs: 0 } })
    running.push(svc)
    await haPair(svc)
    await svc.call("POST", "/v1/nodes/r1/disconnect")
    expect(metric(await scrape(svc), "tailnet_routes_grace_timers_pending")).toBe(0)
  })
})

describe("readiness", () => {
  it("is not ready while another process's commit is not folded in; ready again once it is", async () => {
    const file = path.join(tempDir(), "r.db")
    const svc = await startService({
      // The manager hears of other writers by polling only once a minute here; its next own command catches up.
      store: SqliteRepository.layer({ filename: file, pollIntervalMs: 60_000 }),
      keys: SqliteApiKeys.layer({ filename: file }),
    })
    running.push(svc)
    await svc.call("PUT", "/v1/nodes/a", { body: { user: "a@" } })
    expect((await svc.call("GET", "/readyz", { key: null })).status).toBe(200)
    await cli(
      ["--db", `sqlite:${file}`, "policy", "set", "-"],
      {},
      '{"autoApprovers":{"routes":{"10.0.0.0/8":["a@"]}}}',
    )
    const behind = await svc.call("GET", "/readyz", { key: null })
    expect(behind.status).toBe(503)
    expect(await behind.json()).toMatchObject({ code: "NOT_READY", head: expect.any(Number) })
    expect(metric(await scrape(svc), "tailnet_routes_change_log_lag")).toBe(1)
    // A command finds the store ahead, folds the CLI's commit in and then commits its own.
    expect((await svc.call("PUT", "/v1/nodes/b", { body: { user: "b@" } })).status).toBe(200)
    expect((await svc.call("GET", "/readyz", { key: null })).status).toBe(200)
    expect(await (await svc.call("GET", "/v1/policy")).json()).toEqual({
      autoApprovers: { routes: { "10.0.0.0/8": ["a@"] } },
    })
  })
})
