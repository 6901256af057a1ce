/**
 * The HTTP service under bounded load on loopback (issue 15): `serve` runs as
 * its own process on a SQLite file (as an operator runs it) and this process
 * is the client, so server and load generator each have a core. Reads:
 * `GET /v1/routes?node=…` with a key, target ≥ 5,000 requests/s. Commands:
 * `POST /v1/nodes/{id}/advertise`, each one committed to SQLite
 * (synchronous=FULL), target ≥ 1,000/s, with p50/p99. Fan-out: 1,000 change-
 * stream clients each receiving every change; the figure is the time from
 * sending a command to its event reaching the last client. Every phase has a
 * fixed request count, so the load is bounded in count and time.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import http from "node:http"
import os from "node:os"
import path from "node:path"
import { performance } from "node:perf_hooks"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { runCli } from "../src/cli/cli.js"
import { type BenchSuite, type Measurement, type Scale, summarize } from "./harness.js"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

interface Server {
  readonly port: number
  readonly key: string
  readonly stop: () => Promise<void>
}

const quietIo = (out: string[]) => ({
  stdout: { write: (t: string) => void out.push(t), isTTY: false },
  stderr: { write: (t: string) => void out.push(t), isTTY: false },
  env: {},
  readStdin: async () => "",
  now: () => Date.now(),
})

/** `serve` on a fresh SQLite file, in its own process, with one key. */
const startServer = async (dir: string): Promise<Server> => {
  const db = `sqlite:${path.join(dir, "service.db")}`
  const out: string[] = []
  if ((await runCli(["--db", db, "apikeys", "create"], quietIo(out))) !== 0) throw new Error(out.join(""))
  const key = out.join("").trimEnd().split("\n").pop()!
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "src/cli/main.ts"),
      "--db",
      db,
      "serve",
      "--listen",
      "127.0.0.1:0",
      "--heartbeat-ms",
      "600000",
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  )
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`serve exited ${code}`)))
    // The server logs a line per request; only the first (where it listens) matters here.
    const lines = createInterface({ input: child.stdout! })
    lines.once("line", (line) => resolve(Number(new URL(JSON.parse(line).address).port)))
    child.stdout!.on("data", () => {})
  })
  const exited = new Promise<void>((r) => child.once("exit", () => r()))
  return {
    port,
    key,
    stop: async () => {
      child.kill("SIGTERM")
      await exited
    },
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

/** One request; resolves to the status once the body has been read. */
const request = (port: number, key: string, method: string, p: string, body?: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: p,
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
        },
      },
      (res) => {
        res.on("data", () => {})
        res.on("end", () => resolve(res.statusCode ?? 0))
      },
    )
    req.on("error", reject)
    req.end(body)
  })

/** `total` requests from `concurrency` workers; per-request latencies and the rate over the whole run. */
const load = async (
  concurrency: number,
  total: number,
  make: (i: number) => Promise<number>,
): Promise<{ times: number[]; perSec: number }> => {
  const times: number[] = []
  let next = 0
  const t0 = performance.now()
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const s = performance.now()
      const status = await make(i)
      times.push(performance.now() - s)
      if (status !== 200) throw new Error(`request ${i}: status ${status}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { times, perSec: total / ((performance.now() - t0) / 1000) }
}

/** A change-stream client that counts the change events it gets and wakes whoever waits for a version. */
const sseClient = (port: number, key: string) =>
  new Promise<{ seen: () => number; waitFor: (v: number) => Promise<void>; close: () => void }>(
    (resolve, reject) => {
      let last = 0
      let count = 0
      const waiters = new Map<number, () => void>()
      const req = http.get(
        {
          host: "127.0.0.1",
          port,
          path: "/v1/changes",
          agent: false,
          headers: { authorization: `Bearer ${key}` },
        },
        (res) => {
          let buffer = ""
          res.setEncoding("utf8")
          res.on("data", (chunk: string) => {
            buffer += chunk
            let at = buffer.indexOf("\n\n")
            while (at >= 0) {
              const block = buffer.slice(0, at)
              buffer = buffer.slice(at + 2)
              at = buffer.indexOf("\n\n")
              if (block.startsWith(":")) continue
              const id = /^id: (\d+)$/m.exec(block)
              if (id === null) continue
              last = Number(id[1])
              count++
              waiters.get(last)?.()
              waiters.delete(last)
            }
          })
          resolve({
            seen: () => count,
            waitFor: (v) => (last >= v ? Promise.resolve() : new Promise<void>((r) => waiters.set(v, r))),
            close: () => req.destroy(),
          })
        },
      )
      req.on("error", reject)
    },
  )

const sizesOf = (scale: Scale) =>
  scale === "full"
    ? { nodes: 200, reads: 20_000, commands: 5_000, streams: 1_000, changes: 50 }
    : { nodes: 20, reads: 500, commands: 200, streams: 20, changes: 5 }

export const suite: BenchSuite = {
  name: "service",
  run: async (scale) => {
    const sizes = sizesOf(scale)
    const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-service-bench-"))
    const server = await startServer(dir)
    const { port, key } = server
    const call = (method: string, p: string, body?: unknown) =>
      request(port, key, method, p, body === undefined ? undefined : JSON.stringify(body))
    const results: Measurement[] = []
    try {
      // A tailnet of `nodes` routers with two routes each.
      await load(8, sizes.nodes, (i) => call("PUT", `/v1/nodes/n${i}`, { user: "ops@" }))
      await load(8, sizes.nodes, (i) =>
        call("POST", `/v1/nodes/n${i}/advertise`, {
          routes: [`10.${i >> 8}.${i & 255}.0/24`, `fd00:${i}::/64`],
        }),
      )
      const routes = sizes.nodes * 2

      // Warm-up: the server's JIT settles only after some thousands of requests.
      await load(32, Math.min(5_000, sizes.reads), (i) => call("GET", `/v1/routes?node=n${i % sizes.nodes}`))
      const reads = await load(32, sizes.reads, (i) => call("GET", `/v1/routes?node=n${i % sizes.nodes}`))
      results.push(
        summarize(
          "service: reads GET /v1/routes?node=, 32 concurrent",
          { requests: sizes.reads, concurrency: 32, routes },
          reads.times,
          undefined,
          { opsPerSec: reads.perSec },
        ),
      )

      // Each command changes the node's set (a third route comes and goes), so each one commits.
      const commands = await load(16, sizes.commands, (i) => {
        const n = i % sizes.nodes
        const base = [`10.${n >> 8}.${n & 255}.0/24`, `fd00:${n}::/64`]
        const routesNow = Math.floor(i / sizes.nodes) % 2 === 0 ? [...base, `172.16.${n & 255}.0/24`] : base
        return call("POST", `/v1/nodes/n${n}/advertise`, { routes: routesNow })
      })
      results.push(
        summarize(
          "service: advertise commands on SQLite, 16 concurrent",
          { requests: sizes.commands, concurrency: 16, routes },
          commands.times,
          undefined,
          { opsPerSec: commands.perSec },
        ),
      )

      // Fan-out: every stream must see every change.
      const clients = []
      for (let i = 0; i < sizes.streams; i += 50) {
        clients.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(50, sizes.streams - i) }, () => sseClient(port, key)),
          )),
        )
      }
      const delivery: number[] = []
      const head = Number(
        /tailnet_routes_tailnet_version (\d+)/.exec(
          await new Promise<string>((resolve) =>
            http.get({ host: "127.0.0.1", port, path: "/metrics" }, (res) => {
              let t = ""
              res.on("data", (c) => {
                t += c
              })
              res.on("end", () => resolve(t))
            }),
          ),
        )![1],
      )
      for (let c = 0; c < sizes.changes; c++) {
        const s = performance.now()
        const status = await call("POST", `/v1/nodes/n${c % sizes.nodes}/advertise`, {
          routes: [`192.168.${c & 255}.0/24`],
        })
        if (status !== 200) throw new Error(`fan-out command ${c}: ${status}`)
        await Promise.all(clients.map((cl) => cl.waitFor(head + c + 1)))
        delivery.push(performance.now() - s)
      }
      const complete = clients.every((cl) => cl.seen() === sizes.changes)
      if (!complete) throw new Error("a change-stream client missed a change")
      for (const cl of clients) cl.close()
      results.push(
        summarize(
          `service: change to all of ${sizes.streams} change-stream clients`,
          { streams: sizes.streams, changes: sizes.changes, routes },
          delivery,
          undefined,
          { events: sizes.streams * sizes.changes },
        ),
      )
    } finally {
      await server.stop()
      agent.destroy()
      rmSync(dir, { recursive: true, force: true })
    }
    return results
  },
}
