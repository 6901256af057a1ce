/** The service over a real Postgres database: keys in its schema, commands, reads and the change stream. */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PostgresApiKeys } from "../../src/adapters/apiKeyStoreLayers.js"
import { PostgresRepository } from "../../src/adapters/storeLayers.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { type RunningService, startService } from "./serviceHarness.js"
import { openSse } from "./sseClient.js"

let svc: RunningService
beforeAll(async () => {
  const url = await freshDatabaseUrl()
  svc = await startService({
    store: PostgresRepository.layer({ url, maxConnections: 4 }),
    keys: PostgresApiKeys.layer({ url }),
  })
})
afterAll(() => svc.stop())

describe("service on Postgres", () => {
  it("checks keys stored in the database, commits commands and streams them", async () => {
    expect((await svc.call("GET", "/v1/nodes", { key: `${svc.key.slice(0, -1)}x` })).status).toBe(401)
    const stream = await openSse(`${svc.url}/v1/changes`, { authorization: `Bearer ${svc.key}` })
    await stream.next()
    expect((await svc.call("PUT", "/v1/nodes/pg1", { body: { user: "alice@" } })).status).toBe(200)
    const adv = await svc.call("POST", "/v1/nodes/pg1/advertise", { body: { routes: ["10.20.0.0/16"] } })
    expect(adv.status).toBe(200)
    const events = await stream.until((e) => e.event === "change" && JSON.parse(e.data!).routes.length > 0)
    expect(JSON.parse(events[events.length - 1]!.data!).routes[0].after).toMatchObject({
      nodeId: "pg1",
      prefix: "10.20.0.0/16",
    })
    const routes = (await (await svc.call("GET", "/v1/routes?node=pg1")).json()) as Array<{ prefix: string }>
    expect(routes.map((r) => r.prefix)).toEqual(["10.20.0.0/16"])
    expect((await svc.call("GET", "/readyz", { key: null })).status).toBe(200)
    stream.close()
  })
})
