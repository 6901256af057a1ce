/**
 * `GET /v1/changes`: one event per committed change set, local or from
 * another process on the same SQLite file, with the tailnet version as id;
 * `Last-Event-ID` resumes from the change log without a gap; a client behind
 * retention is told to reload; heartbeats; the stream ends when the service stops.
 */
import path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { SqliteApiKeys } from "../../src/adapters/apiKeyStoreLayers.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { SqliteRepository } from "../../src/adapters/storeLayers.js"
import { cli, tempDir } from "../cli/support.js"
import { type HarnessOptions, type RunningService, startService } from "./serviceHarness.js"
import { openSse, type SseEvent } from "./sseClient.js"

const running: RunningService[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop()
})

const start = async (file: string, more: Partial<HarnessOptions> = {}) => {
  const svc = await startService({
    store: SqliteRepository.layer({ filename: file, pollIntervalMs: 20 }),
    keys: SqliteApiKeys.layer({ filename: file }),
    ...more,
  })
  running.push(svc)
  return svc
}

const stream = (svc: RunningService, headers: Record<string, string> = {}, query = "") =>
  openSse(`${svc.url}/v1/changes${query}`, { authorization: `Bearer ${svc.key}`, ...headers })

const changes = (events: ReadonlyArray<SseEvent>) => events.filter((e) => e.event === "change")
const ids = (events: ReadonlyArray<SseEvent>) => changes(events).map((e) => Number(e.id))

describe("change stream", () => {
  it("sends every committed change set once, in version order, id = version, including another process's", async () => {
    const file = path.join(tempDir(), "s.db")
    const svc = await start(file)
    const client = await stream(svc)
    expect(client.status).toBe(200)
    const hello = await client.next()
    expect(hello?.comment).toMatch(/^connected at version (\d+)$/)
    const v0 = Number(/(\d+)$/.exec(hello!.comment!)![1])

    await svc.call("PUT", "/v1/nodes/a", { body: { user: "alice@" } })
    await svc.call("POST", "/v1/nodes/a/advertise", { body: { routes: ["10.0.0.0/24"] } })
    // Another process (the CLI) writes the same file; the manager follows the log.
    const enabled = await cli(["--db", `sqlite:${file}`, "routes", "enable", "1"])
    expect(enabled.code).toBe(0)
    const got = await client.until((e) => e.event === "change" && JSON.parse(e.data!).origin === "cli")
    expect(ids(got)).toEqual([v0 + 1, v0 + 2, v0 + 3])
    const last = JSON.parse(got[got.length - 1]!.data!)
    expect(last).toMatchObject({
      version: v0 + 3,
      origin: "cli",
      routes: [{ after: { id: 1, enabled: true } }],
    })
    expect(JSON.parse(got[1]!.data!).routes[0].after.prefix).toBe("10.0.0.0/24")
    client.close()
  })

  it("Last-Event-ID resumes from the change log with no gap, then goes live", async () => {
    const file = path.join(tempDir(), "s.db")
    const svc = await start(file)
    for (const n of ["a", "b", "c", "d"]) await svc.call("PUT", `/v1/nodes/${n}`, { body: { user: `${n}@` } })
    const first = await stream(svc)
    const v = Number(/(\d+)$/.exec((await first.next())!.comment!)![1])
    first.close()
    const resumed = await stream(svc, { "last-event-id": String(v - 3) })
    await svc.call("PUT", "/v1/nodes/e", { body: { user: "e@" } })
    const got = await resumed.until((e) => Number(e.id) === v + 1)
    expect(ids(got)).toEqual([v - 2, v - 1, v, v + 1])
    expect(changes(got).map((e) => JSON.parse(e.data!).nodes[0].after.id)).toEqual(["b", "c", "d", "e"])
    // ?after= does the same for clients that cannot set headers.
    const byQuery = await stream(svc, {}, `?after=${v - 1}`)
    expect(ids(await byQuery.until((e) => Number(e.id) === v + 1))).toEqual([v, v + 1])
    resumed.close()
    byQuery.close()
  })

  it("a client behind the log's retention is told to reload, then gets live changes", async () => {
    const file = path.join(tempDir(), "s.db")
    const svc = await start(file)
    for (const n of ["a", "b", "c", "d", "e"])
      await svc.call("PUT", `/v1/nodes/${n}`, { body: { user: `${n}@` } })
    // What retention leaves behind (it prunes every 256 versions): the oldest entries gone.
    const db = Sqlite.open(file)
    db.prepare("DELETE FROM change_log WHERE version <= 3").run()
    db.close()
    const client = await stream(svc, { "last-event-id": "1" })
    const [reload] = await client.until((e) => e.event === "reload")
    expect(reload).toMatchObject({ event: "reload", id: expect.stringMatching(/^\d+$/) })
    expect(JSON.parse(reload!.data!)).toMatchObject({ version: Number(reload!.id) })
    await svc.call("PUT", "/v1/nodes/f", { body: { user: "f@" } })
    const [next] = await client.until((e) => e.event === "change")
    expect(Number(next!.id)).toBe(Number(reload!.id) + 1)
    client.close()
  })

  it("lets a client go once it falls too far behind; it resumes from Last-Event-ID with nothing lost", async () => {
    const file = path.join(tempDir(), "s.db")
    // The manager hears of other writers every 3 s: five quick CLI commits fold in at most two batches,
    // so the stream sees a commit while the manager is already two or more versions past it.
    const svc = await startService({
      store: SqliteRepository.layer({ filename: file, pollIntervalMs: 3_000 }),
      keys: SqliteApiKeys.layer({ filename: file }),
      service: { maxStreamLag: 1 },
    })
    running.push(svc)
    const client = await stream(svc)
    const v0 = Number(/(\d+)$/.exec((await client.next())!.comment!)![1])
    for (const n of ["a", "b", "c", "d", "e"]) {
      expect(
        (
          await cli(
            ["--db", `sqlite:${file}`, "policy", "set", "-"],
            {},
            `{"groups":{"group:${n}":["${n}@"]}}`,
          )
        ).code,
      ).toBe(0)
    }
    const got: SseEvent[] = []
    for (let e = await client.next(); e !== null; e = await client.next()) got.push(e)
    expect(got[got.length - 1]).toEqual({ comment: "too far behind; reconnect with Last-Event-ID" })
    const seen = ids(got)
    expect(seen.length).toBeLessThan(5)
    const resumed = await stream(svc, { "last-event-id": String(seen.at(-1) ?? v0) })
    const rest = await resumed.until((e) => Number(e.id) === v0 + 5)
    expect([...seen, ...ids(rest)]).toEqual([v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5])
    resumed.close()
  })

  it("sends heartbeats while idle, refuses a bad Last-Event-ID, and ends when the service stops", async () => {
    const file = path.join(tempDir(), "s.db")
    const svc = await start(file, { service: { heartbeatMs: 50 } })
    const bad = await svc.call("GET", "/v1/changes", { headers: { "last-event-id": "ten" } })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ code: "INVALID_INPUT", field: "Last-Event-ID" })
    const client = await stream(svc)
    await client.next()
    const beat = await client.next()
    expect(beat).toEqual({ comment: "heartbeat" })
    running.splice(running.indexOf(svc), 1)
    const stopped = svc.stop()
    // Drain the rest: the stream ends (null) rather than hanging or erroring.
    let e: SseEvent | null
    do e = await client.next(5_000)
    while (e !== null)
    await stopped
  })
})
