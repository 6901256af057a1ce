/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` + `pg_ctl`
 * from Debian's versioned bin directory, run as the `postgres` user when we are
 * root, in a fresh temp dir, listening on 127.0.0.1 only with a free port.
 * If it cannot start, it throws: the run fails loudly, never skips.
 * Plain Node (no vitest imports) so benches can use it from tsx.
 */
import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"

/** A running cluster and how to stop it. */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  readonly url: string
  readonly stop: () => void
}

const binDir = (): string => {
  const root = "/usr/lib/postgresql"
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0) throw new Error(`postgres test cluster: no initdb under ${root}/*/bin`)
  return path.join(root, versions[0]!, "bin")
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })

const asRoot = process.getuid?.() === 0

// As root, run the server binaries as `postgres` (initdb refuses root).
const run = (bin: string, args: ReadonlyArray<string>): void => {
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args]
  try {
    execFileSync(cmd, argv, { stdio: "pipe" })
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer; message: string }
    throw new Error(
      `postgres test cluster: ${path.basename(bin)} failed: ${err.message}\n${err.stdout ?? ""}${err.stderr ?? ""}`,
    )
  }
}

/** Starts a fresh cluster; call `stop` to stop it and delete its directory. */
export const startCluster = async (): Promise<PostgresCluster> => {
  const bin = binDir()
  const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-pg-"))
  if (asRoot) {
    const { uid, gid } = postgresUser()
    chownSync(dir, uid, gid)
  }
  const data = path.join(dir, "data")
  const port = await freePort()
  const stop = (): void => {
    if (existsSync(path.join(data, "postmaster.pid"))) {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"])
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    run(path.join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ])
    const options = [
      "-c listen_addresses=127.0.0.1",
      `-p ${port}`,
      `-k ${dir}`,
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ")
    run(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-o", options, "-w", "start"])
  } catch (e) {
    try {
      stop()
    } catch {}
    throw e
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop }
}

const postgresUser = (): { uid: number; gid: number } => {
  const out = execFileSync("id", ["postgres"], { encoding: "utf8" })
  const uid = /uid=(\d+)/.exec(out)
  const gid = /gid=(\d+)/.exec(out)
  if (!uid || !gid) throw new Error(`postgres test cluster: no postgres user (${out.trim()})`)
  return { uid: Number(uid[1]), gid: Number(gid[1]) }
}

/** Runs one statement outside any transaction, on a short-lived connection. */
export const adminQuery = (url: string, statement: string): Promise<ReadonlyArray<unknown>> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.unsafe(statement)
      }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 }))),
    ),
  )

/** Creates `t_<random>` on the server behind `adminUrl` and returns its URL. */
export const createDatabase = async (adminUrl: string): Promise<string> => {
  const name = `t_${randomBytes(6).toString("hex")}`
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`)
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
}

/** Drops a database made by `createDatabase`. */
export const dropDatabase = async (adminUrl: string, url: string): Promise<void> => {
  const name = new URL(url).pathname.slice(1)
  if (!/^t_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`)
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}
