/**
 * `tailnet-routes serve` as a real process on loopback: it prints where it
 * listens, fails over on the manager flags it was given, and on SIGTERM ends
 * its change streams, finishes the request in flight, closes the store and
 * exits 0.
 */
import { type ChildProcess, spawn } from "node:child_process"
import net from "node:net"
import path from "node:path"
import { createInterface } from "node:readline"
import { afterEach, describe, expect, it } from "vitest"
import { cli, root, tempDir } from "../cli/support.js"
import { openSse } from "./sseClient.js"

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL")
})

const startServe = (db: string, args: ReadonlyArray<string>) => {
  const { DATABASE_URL: _, ...env } = process.env
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/main.ts"), "--db", db, "serve", ...args],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  )
  children.push(child)
  const lines: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(JSON.parse(line))
    for (const w of waiters.splice(0)) w()
  })
  let stderr = ""
  child.stderr!.on("data", (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const line = async (msg: string, timeoutMs = 30_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = lines.find((l) => l.msg === msg)
      if (found !== undefined) return found
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no "${msg}" line; stderr: ${stderr}`)
      await new Promise<void>((r) => {
        waiters.push(r)
        setTimeout(r, 200)
      })
    }
  }
  return { child, lines, line, exited, stderr: () => stderr }
}

describe("serve process", () => {
  it("serves, fails over on --grace-ms, and drains on SIGTERM", async () => {
    const file = path.join(tempDir(), "serve.db")
    const db = `sqlite:${file}`
    const created = await cli(["--db", db, "apikeys", "create"])
    const key = created.stdout.trimEnd().split("\n").pop()!
    const proc = startServe(db, ["--listen", "127.0.0.1:0", "--grace-ms", "100", "--heartbeat-ms", "100"])
    const listening = await proc.line("listening")
    const url = listening.address as string
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" }
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${url}${p}`, {
        method,
        headers: auth,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: await res.json() }
    }
    for (const n of ["r1", "r2"]) {
      expect((await call("PUT", `/v1/nodes/${n}`, { user: "ops@" })).status).toBe(200)
      await call("POST", `/v1/nodes/${n}/connect`)
      await call("POST", `/v1/nodes/${n}/advertise`, { routes: ["10.0.0.0/24"] })
    }
    await call("POST", "/v1/routes/1/enable")
    await call("POST", "/v1/routes/2/enable")
    const stream = await openSse(`${url}/v1/changes`, { authorization: `Bearer ${key}` })
    await stream.next()
    await call("POST", "/v1/nodes/r1/disconnect")
    // The failover commits when r1's 100 ms grace ends, on the server's own timer.
    const events = await stream.until(
      (e) =>
        e.event === "change" && JSON.parse(e.data!).primaries.some((p: { after: number }) => p.after === 2),
    )
    expect(JSON.parse(events[events.length - 1]!.data!).primaries).toEqual([
      { prefix: "10.0.0.0/24", before: 1, after: 2 },
    ])
    expect(await proc.line("failover")).toMatchObject({ prefix: "10.0.0.0/24", from: 1, to: 2 })

    // A request in flight at SIGTERM: headers and half the body sent, the rest after the signal.
    const port = Number(new URL(url).port)
    const body = JSON.stringify({ routes: ["10.0.0.0/24", "192.168.7.0/24"] })
    const socket = net.connect(port, "127.0.0.1")
    await new Promise<void>((r) => socket.once("connect", () => r()))
    let reply = ""
    socket.on("data", (d) => {
      reply += d
    })
    const replied = new Promise<void>((r) => socket.once("end", () => r()))
    socket.write(
      `POST /v1/nodes/r2/advertise HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    )
    await new Promise((r) => setTimeout(r, 300))
    proc.child.kill("SIGTERM")
    await proc.line("stopping")
    await new Promise((r) => setTimeout(r, 300))
    socket.end(body.slice(10))
    await replied
    expect(reply).toMatch(/^HTTP\/1\.1 200 /)
    expect(reply).toContain("192.168.7.0/24")

    // The change stream ended instead of hanging.
    let e = await stream.next(10_000)
    while (e !== null) e = await stream.next(10_000)

    expect(await proc.exited).toBe(0)
    expect(proc.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["stopping", "stopped"]))
    // The store was closed cleanly and holds the drained request's write.
    const routes = await cli(["--db", db, "routes", "list", "--json"])
    expect(JSON.parse(routes.stdout).map((r: { prefix: string }) => r.prefix)).toContain("192.168.7.0/24")
  })

  it("a port already taken is an error naming it, exit 1", async () => {
    const blocker = net.createServer().listen(0, "127.0.0.1")
    await new Promise<void>((r) => blocker.once("listening", () => r()))
    const port = (blocker.address() as net.AddressInfo).port
    const proc = startServe(`sqlite:${path.join(tempDir(), "x.db")}`, ["--listen", `127.0.0.1:${port}`])
    expect(await proc.exited).toBe(1)
    expect(proc.stderr()).toMatch(/EADDRINUSE|address already in use/i)
    blocker.close()
  })
})

describe("serve options", () => {
  it.each([
    ["--listen", "nowhere", "--listen 'nowhere' is not HOST:PORT"],
    ["--listen", "127.0.0.1:70000", "--listen port 70000 is out of range"],
    ["--max-body-bytes", "0", "--max-body-bytes 0 is out of range"],
    ["--grace-ms", "soon", "--grace-ms 'soon' is not an integer"],
  ])("%s %s is a usage error naming it; nothing starts", async (flag, value, message) => {
    const file = path.join(tempDir(), "u.db")
    const r = await cli(["--db", `sqlite:${file}`, "serve", flag, value])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.stdout).toBe("")
  })
})
