// The dashboard in a real headless Chromium (Debian's, driven by
// playwright-core): load the page, enter the key once, see the HA groups;
// disconnect the primary's router through the API and watch the grace
// countdown, then the row switch to the standby when the grace ends, live
// from the change stream. A screenshot is kept in test/artifacts/.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SqliteRepository } from "../../src/adapters/storeLayers.js"
import { type RunningService, startService } from "./serviceHarness.js"

const artifacts = path.resolve(import.meta.dirname, "../artifacts")
const graceMs = 4_000

let service: RunningService
let browser: BrowserContext
let page: Page
let dir: string
const pageErrors: string[] = []

const ok = async (method: string, url: string, body?: unknown) => {
  const res = await service.call(method, url, body === undefined ? {} : { body })
  expect(res.status, `${method} ${url}: ${await res.clone().text()}`).toBe(200)
  return res.json()
}

const row = (prefix: string) => page.locator(`tr[data-prefix="${prefix}"]`)

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-dashboard-"))
  service = await startService({
    store: SqliteRepository.layer({ filename: path.join(dir, "routes.db") }),
    manager: { gracePeriodMs: graceMs },
  })
  await ok("PUT", "/v1/policy", {
    autoApprovers: { routes: { "10.0.0.0/8": ["alice@"] }, exitNode: ["alice@"] },
  })
  for (const [id, routes] of [
    ["router-a", ["10.0.0.0/24", "10.20.0.0/16"]],
    ["router-b", ["10.0.0.0/24"]],
    ["router-d", ["10.0.0.0/24"]],
    ["router-c", ["10.20.0.0/16"]],
    ["exit-1", ["0.0.0.0/0", "::/0"]],
  ] as const) {
    await ok("PUT", `/v1/nodes/${id}`, { user: "alice@" })
    await ok("POST", `/v1/nodes/${id}/connect`)
    await ok("POST", `/v1/nodes/${id}/advertise`, { routes })
  }
  browser = await chromium.launchPersistentContext(path.join(dir, "chromium-profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    chromiumSandbox: false,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1100, height: 760 },
  })
  page = browser.pages()[0] ?? (await browser.newPage())
  page.on("pageerror", (e) => pageErrors.push(e.message))
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text())
  })
})

afterAll(async () => {
  await browser?.close()
  await service?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe("dashboard", () => {
  it("asks for the key once, then shows each HA group with its primary and standbys", async () => {
    await page.goto(`${service.url}/`)
    await page.locator("#key").fill(service.key)
    await page.locator("#key-form button[type=submit]").click()
    await expect
      .poll(() => page.locator("#status").getAttribute("data-state"), { timeout: 10_000 })
      .toBe("live")
    await expect
      .poll(() => row("10.0.0.0/24").locator("td.primary .node").textContent(), { timeout: 10_000 })
      .toBe("router-a")
    const standbys = row("10.0.0.0/24").locator("td.standbys .member")
    expect(await standbys.evaluateAll((ms) => ms.map((m) => m.getAttribute("data-node")))).toEqual([
      "router-b",
      "router-d",
    ])
    expect(await standbys.first().locator(".reason").textContent()).toBe("Younger")
    expect(await standbys.first().locator(".why").textContent()).toBe("younger than the primary")
    expect(await row("10.20.0.0/16").locator("td.primary .node").textContent()).toBe("router-a")
    expect(await page.locator('#exit-nodes li[data-node="exit-1"]').textContent()).toContain("serving")

    // The key is remembered: a reload opens the view without asking again.
    await page.reload()
    await expect
      .poll(() => page.locator("#status").getAttribute("data-state"), { timeout: 10_000 })
      .toBe("live")
    expect(await page.locator("#key-form").isHidden()).toBe(true)
    expect(page.url()).toBe(`${service.url}/`)
  })

  it("counts the grace down when the primary's router goes offline, then shows the standby as primary", async () => {
    await ok("POST", "/v1/nodes/router-a/disconnect")
    const primary = row("10.0.0.0/24").locator("td.primary")
    // Still primary within its grace, with the countdown beside it (live, from the change stream).
    await expect
      .poll(() => primary.locator(".grace").textContent(), { timeout: graceMs })
      .toMatch(/grace ends in \d/)
    expect(await primary.locator(".node").textContent()).toBe("router-a")
    mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: path.join(artifacts, "dashboard-grace.png"), fullPage: true })

    await expect.poll(() => primary.locator(".node").textContent(), { timeout: 15_000 }).toBe("router-b")
    expect(await row("10.0.0.0/24").locator("td.ineligible .member").getAttribute("data-reason")).toBe(
      "Offline",
    )
    expect(await row("10.20.0.0/16").locator("td.primary .node").textContent()).toBe("router-c")
    const timeline = page.locator('#failovers li[data-prefix="10.0.0.0/24"]').first()
    expect(await timeline.textContent()).toMatch(/failover10\.0\.0\.0\/24 router-a #\d+ → router-b #\d+/)

    await page.screenshot({ path: path.join(artifacts, "dashboard.png"), fullPage: true })
  })

  it("shows what nodes are called as text, never as markup", async () => {
    const evil = "<img src=x onerror=document.title='owned'>"
    await ok("PUT", `/v1/nodes/${encodeURIComponent(evil)}`, { user: "alice@" })
    await ok("POST", `/v1/nodes/${encodeURIComponent(evil)}/connect`)
    await ok("POST", `/v1/nodes/${encodeURIComponent(evil)}/advertise`, { routes: ["10.30.0.0/16"] })
    await expect
      .poll(() => row("10.30.0.0/16").locator("td.primary .node").textContent(), { timeout: 5_000 })
      .toBe(evil)
    expect(await page.locator("img").count()).toBe(0)
    expect(await page.title()).toBe("tailnet-routes")
  })

  it("keeps the key out of URLs and the request log, and the page raised no error", () => {
    expect(service.logs.length).toBeGreaterThan(0)
    for (const line of service.logs) expect(line).not.toContain(service.key)
    expect(pageErrors).toEqual([])
  })
})
