/**
 * Child-process entry of the multi-replica test: one RouteManager replica
 * over a store, driven by its parent over IPC (`node --import tsx
 * replicaWorker.ts <store> <replicaId>`, store `postgres://…` or
 * `sqlite:PATH`). It answers each request `{ id, cmd, args }` with `{ id, ok,
 * value | error }`, and keeps every commit its subscription saw so the
 * parent can check that each version arrived once, in order.
 */
import { Effect, Layer, ManagedRuntime, PubSub } from "effect"
import * as Postgres from "../../src/adapters/postgres/index.js"
import * as Sqlite from "../../src/adapters/sqlite/index.js"
import { RouteManager, type RouteManagerService } from "../../src/app/RouteManager.js"
import { routeToJson } from "../../src/facade/toJson.js"

const [store, replicaId, graceMs, leaseMs, pollMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
]

const repository = store.startsWith("sqlite:")
  ? Sqlite.layer({ filename: store.slice("sqlite:".length), pollIntervalMs: Number(pollMs) })
  : Postgres.layer({ url: store, maxConnections: 3, pollIntervalMs: Number(pollMs) })

const runtime = ManagedRuntime.make(
  RouteManager.layer(
    { gracePeriodMs: Number(graceMs) },
    { replicaId, leaseMs: Number(leaseMs), conflictRetries: 50 },
  ).pipe(Layer.provide(repository)),
)

const seen: Array<{ version: number; origin: string; reloadedFrom: number | null }> = []

const commands = (
  m: RouteManagerService,
): Record<string, (args: any) => Effect.Effect<unknown, unknown>> => ({
  upsert: (a: { id: string; user: string }) => m.upsertNode(a),
  connect: (a: { id: string }) => m.connect(a.id),
  disconnect: (a: { id: string }) => m.disconnect(a.id),
  advertise: (a: { id: string; routes: string[] }) => m.advertise(a.id, a.routes),
  approve: (a: { id: string; routes: string[] }) => m.approveRoutes(a.id, a.routes),
  revoke: (a: { id: string; routes: string[] }) => m.revokeRoutes(a.id, a.routes),
  routes: () => Effect.map(m.listRoutes(), (rs) => rs.map(routeToJson)),
  version: () => m.version,
  seen: () => Effect.succeed(seen),
})

const main = Effect.gen(function* () {
  const m = yield* RouteManager
  const sub = yield* m.subscribe
  yield* Effect.forkChild(
    Effect.forever(
      Effect.map(
        PubSub.take(sub),
        (c) => void seen.push({ version: c.version, origin: c.origin, reloadedFrom: c.reloadedFrom }),
      ),
    ),
  )
  const table = commands(m)
  process.on("message", (msg: { id: number; cmd: string; args: unknown }) => {
    const run = table[msg.cmd]!(msg.args).pipe(
      Effect.match({
        onSuccess: (value) => ({ id: msg.id, ok: true, value }),
        onFailure: (error) => ({
          id: msg.id,
          ok: false,
          error: (error as { _tag?: string })._tag ?? String(error),
        }),
      }),
    )
    void runtime.runPromise(run).then((reply) => process.send!(reply))
  })
  process.send!({ ready: true })
  yield* Effect.never
})

void runtime.runPromise(Effect.scoped(main))
