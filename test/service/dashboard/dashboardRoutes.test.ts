// The dashboard's files over HTTP: served without a key, with their media
// types and a content security policy that allows nothing but this origin.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningService, startService } from "../serviceHarness.js"

let service: RunningService
beforeAll(async () => {
  service = await startService()
})
afterAll(() => service?.stop())

describe("dashboard files", () => {
  it.each([
    ["/", "text/html; charset=utf-8", '<script src="/dashboard.js" defer></script>'],
    ["/dashboard.js", "text/javascript; charset=utf-8", "/v1/changes"],
    ["/dashboard.css", "text/css; charset=utf-8", "[hidden]"],
  ])("GET %s without a key", async (path, contentType, contains) => {
    const res = await service.call("GET", path, { key: null })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe(contentType)
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self';")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(await res.text()).toContain(contains)
  })

  it("serves a script that parses, with no inline script in the page", async () => {
    const script = await (await service.call("GET", "/dashboard.js", { key: null })).text()
    expect(() => new Function(script)).not.toThrow()
    const html = await (await service.call("GET", "/", { key: null })).text()
    expect(html.match(/<script[^>]*>[^<]+<\/script>/g)).toBeNull()
  })
})
