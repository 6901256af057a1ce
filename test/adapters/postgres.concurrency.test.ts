/**
 * Independent Postgres clients (two pools; a pool and a second process) hammer
 * the same prefixes for a bounded number of operations. Afterwards every
 * invariant holds, no acknowledged write is lost, and retries are bounded and
 * reported.
 */
import { spawn } from "node:child_process"
import path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as Postgres from "../../src/adapters/postgres/index.js"
import { RouteRepository, type Snapshot } from "../../src/ports/RouteRepository.js"
import { changeSet, create, node, route } from "../support/builders.js"
import {
  type Ack,
  type ClientReport,
  contestedNodes,
  contestedPrefixes,
  maxAttempts,
  runClient,
} from "../support/concurrencyClient.js"
import { freshDatabaseUrl } from "../support/postgres.js"
import { commit } from "./fixtures.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const OPS = 150

const withRepo = <A>(url: string, f: (repo: RouteRepository["Service"]) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(Effect.provide(RouteRepository.use(f), Postgres.layer({ url, maxConnections: 1 })))

/** Every node routes every contested prefix; the first node is primary everywhere. */
const seedStore = async (): Promise<{ url: string; initial: Snapshot }> => {
  const url = await freshDatabaseUrl()
  const nodes = contestedNodes.map((id) => node(id))
  const routes = contestedPrefixes.flatMap((p, i) =>
    contestedNodes.map((n, j) =>
      route(i * contestedNodes.length + j + 1, n, p, { isPrimary: j === 0, enabled: j < 2 }),
    ),
  )
  const initial = await withRepo(url, (repo) =>
    Effect.andThen(
      commit(repo, changeSet(routes.length + 1, { nodes: nodes.map(create), routes: routes.map(create) })),
      repo.loadAll,
    ),
  )
  return { url, initial }
}

/** Starts the worker process; `ready` resolves once its pool is open, `start()` lets it run, `report` is its result. */
const startWorker = (url: string, client: number, ops: number) => {
  const tsx = path.join(here, "../../node_modules/.bin/tsx")
  const child = spawn(
    tsx,
    [path.join(here, "../support/concurrencyWorker.ts"), url, String(client), String(ops)],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  )
  const lines = createInterface({ input: child.stdout })
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    onReady = resolve
  })
  const report = new Promise<ClientReport>((resolve, reject) => {
    child.once("error", reject)
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`concurrency worker exited with ${code}`))
    })
    lines.on("line", (line) => {
      if (line === "ready") onReady()
      else resolve(JSON.parse(line) as ClientReport)
    })
  })
  return { ready, start: () => child.stdin.write("go\n"), report }
}

/** Per row, the acknowledged writes must chain from the initial marker to the stored one, each used once. */
const unchained = (
  initial: Map<string, number>,
  final: Map<string, number>,
  acks: ReadonlyArray<Ack>,
): Array<string> => {
  const edges = new Map<string, Map<number, number>>()
  const problems: Array<string> = []
  for (const a of acks) {
    const key = `${a.table}/${a.id}`
    const m = edges.get(key) ?? new Map<number, number>()
    if (m.has(a.before)) problems.push(`${key}: two acknowledged writes replaced ${a.before}`)
    m.set(a.before, a.after)
    edges.set(key, m)
  }
  for (const [key, m] of edges) {
    let at = initial.get(key)!
    let steps = 0
    while (m.has(at)) {
      at = m.get(at)!
      steps++
    }
    if (steps !== m.size)
      problems.push(`${key}: ${m.size - steps} acknowledged writes are not in the history`)
    if (at !== final.get(key)) problems.push(`${key}: stored ${final.get(key)}, history ends at ${at}`)
  }
  return problems
}

const markers = (s: Snapshot): Map<string, number> =>
  new Map([
    ...s.routes.map((r) => [`routes/${r.id}`, r.updatedAt] as const),
    ...s.nodes.map((n) => [`nodes/${n.id}`, n.presence.lastSeen ?? 0] as const),
  ])

const verify = (initial: Snapshot, final: Snapshot, reports: ReadonlyArray<ClientReport>) => {
  // Invariants: exactly one live primary per contested prefix (every move clears and sets), and it is enabled.
  for (const p of contestedPrefixes) {
    const primaries = final.routes.filter((r) => r.prefix.text === p && r.isPrimary)
    expect(primaries.map((r) => r.enabled)).toEqual([true])
  }
  expect(final.routes.map((r) => [r.id, r.nodeId, r.prefix.text])).toEqual(
    initial.routes.map((r) => [r.id, r.nodeId, r.prefix.text]),
  )
  // No acknowledged write lost.
  const acks = reports.flatMap((r) => r.acks)
  expect(unchained(markers(initial), markers(final), acks)).toEqual([])
  const bumps = new Map<string, number>()
  for (const a of acks) if (a.table === "nodes") bumps.set(a.id, (bumps.get(a.id) ?? 0) + 1)
  expect(final.nodes.map((n) => [n.id, n.presence.sessions])).toEqual(
    contestedNodes.map((id) => [id, bumps.get(id) ?? 0]),
  )
  // Bounded retries, reported.
  for (const r of reports) {
    expect(r.gaveUp).toBe(0)
    expect(r.committed).toBe(OPS)
    expect(r.maxRetriesForOneOp).toBeLessThan(maxAttempts)
  }
  console.log(
    `concurrency: ${reports.map((r) => `client ${r.client}: ${r.committed} committed, ${r.retries} retries (worst op ${r.maxRetriesForOneOp})`).join("; ")}`,
  )
}

describe("postgres concurrency", () => {
  it("two pools in one process", async () => {
    const { url, initial } = await seedStore()
    // Both pools open before either starts, so the loops overlap.
    let release: () => void = () => {}
    const go = new Promise<void>((resolve) => {
      release = resolve
    })
    let opened = 0
    const ready = () => {
      if (++opened === 2) release()
    }
    const reports = await Promise.all([
      runClient(url, 0, OPS, { ready, go }),
      runClient(url, 1, OPS, { ready, go }),
    ])
    const final = await withRepo(url, (repo) => repo.loadAll)
    verify(initial, final, reports)
  })

  it("a pool here and a second process", async () => {
    const { url, initial } = await seedStore()
    const worker = startWorker(url, 1, OPS)
    let release: () => void = () => {}
    const go = new Promise<void>((resolve) => {
      release = resolve
    })
    const here0 = runClient(url, 0, OPS, { ready: () => {}, go })
    await worker.ready
    worker.start()
    release()
    const reports = await Promise.all([here0, worker.report])
    const final = await withRepo(url, (repo) => repo.loadAll)
    verify(initial, final, reports)
  })
})
