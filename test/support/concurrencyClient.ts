/**
 * One client of the Postgres concurrency test: a bounded loop of
 * read-modify-apply on a few shared prefixes, retrying on `WriteConflict`
 * (reload, rebuild, apply) a bounded number of times and recording every
 * acknowledged write as an edge `before → after` of a unique marker. Plain
 * Node so a second process can run it (see concurrencyWorker.ts).
 */
import { Effect } from "effect"
import * as Postgres from "../../src/adapters/postgres/index.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { emptyChangeSet } from "../../src/domain/ChangeSet.js"
import { RouteRepository, WriteConflict } from "../../src/ports/RouteRepository.js"

/** The shared prefixes the clients fight over. */
export const contestedPrefixes = ["10.0.0.0/24", "10.1.0.0/24", "10.2.0.0/24"]
/** The shared nodes; each holds a route for every contested prefix. */
export const contestedNodes = ["n1", "n2", "n3", "n4"]
/** Attempts per operation before the client gives up on it. */
export const maxAttempts = 100

/** An acknowledged write of one row: the marker it replaced and the one it wrote. */
export interface Ack {
  readonly table: "routes" | "nodes"
  readonly id: string
  readonly before: number
  readonly after: number
}

/** What a client did. */
export interface ClientReport {
  readonly client: number
  readonly acks: ReadonlyArray<Ack>
  readonly committed: number
  readonly retries: number
  readonly maxRetriesForOneOp: number
  readonly gaveUp: number
}

const build = (repo: RouteRepository["Service"], kind: number, pick: number, marker: number) =>
  Effect.gen(function* () {
    // The version first: if it has not moved by the apply, neither have the rows read after it.
    const base = yield* repo.head
    const acks: Array<Ack> = []
    let changes: ChangeSet = emptyChangeSet(0)
    if (kind === 2) {
      const id = contestedNodes[pick % contestedNodes.length]!
      const node = (yield* repo.loadAll).nodes.find((n) => n.id === id)
      const p = node!.presence
      acks.push({ table: "nodes", id, before: p.lastSeen ?? 0, after: marker })
      changes = {
        ...emptyChangeSet(0),
        nodes: [
          {
            before: node!,
            after: {
              ...node!,
              presence: {
                ...p,
                sessions: p.sessions + 1,
                replicas: { ...p.replicas, "": (p.replicas[""] ?? 0) + 1 },
                lastSeen: marker,
              },
            },
          },
        ],
      }
    } else {
      const contested = contestedPrefixes[pick % contestedPrefixes.length]!
      const routes = (yield* repo.loadAll).routes.filter((r) => r.prefix.text === contested)
      const primary = routes.find((r) => r.isPrimary)!
      const others = routes.filter((r) => !r.isPrimary)
      const target = others[Math.floor(pick / contestedPrefixes.length) % others.length]!
      const write = [
        ...(kind === 0
          ? // Move the primary: promote a router (enabling it) and clear the old one.
            [
              { before: target, after: { ...target, enabled: true, isPrimary: true, updatedAt: marker } },
              { before: primary, after: { ...primary, isPrimary: false, updatedAt: marker } },
            ]
          : // Toggle a standby router's approval.
            [{ before: target, after: { ...target, enabled: !target.enabled, updatedAt: marker } }]),
      ]
      for (const c of write)
        acks.push({ table: "routes", id: String(c.before.id), before: c.before.updatedAt, after: marker })
      changes = { ...emptyChangeSet(0), routes: write }
    }
    const { nextRouteId } = yield* repo.loadAll
    return { changes: { ...changes, nextRouteId }, acks, base }
  })

/**
 * Runs `ops` operations as client `client` against the database at `url`, with
 * its own pool; `ready` is called once the pool is open, and the loop starts
 * when `go` resolves, so clients overlap.
 */
export const runClient = (
  url: string,
  client: number,
  ops: number,
  gate: { readonly ready: () => void; readonly go: Promise<void> } = {
    ready: () => {},
    go: Promise.resolve(),
  },
): Promise<ClientReport> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const repo = yield* RouteRepository
      gate.ready()
      yield* Effect.promise(() => gate.go)
      const acks: Array<Ack> = []
      let retries = 0
      let worst = 0
      let gaveUp = 0
      let committed = 0
      let seq = 0
      for (let i = 0; i < ops; i++) {
        const kind = (i * 7 + client) % 3
        const pick = (i * 13 + client * 5) % 97
        let attempt = 0
        for (;;) {
          // A unique marker per attempt, so every acknowledged write is identifiable.
          const marker = 1_000_000 * (client + 1) + seq++
          const { changes, acks: pending, base } = yield* build(repo, kind, pick, marker)
          const result = yield* Effect.result(
            repo.apply(changes, { base, origin: `client-${client}`, at: 0 }),
          )
          if (result._tag === "Success") {
            acks.push(...pending)
            committed++
            break
          }
          if (!(result.failure instanceof WriteConflict)) return yield* result.failure
          attempt++
          retries++
          if (attempt >= maxAttempts) {
            gaveUp++
            break
          }
        }
        worst = Math.max(worst, attempt)
      }
      return { client, acks, committed, retries, maxRetriesForOneOp: worst, gaveUp } satisfies ClientReport
    }).pipe(Effect.provide(Postgres.layer({ url, maxConnections: 2 }))),
  )
